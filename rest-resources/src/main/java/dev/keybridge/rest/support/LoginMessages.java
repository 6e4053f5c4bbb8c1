package dev.keybridge.rest.support;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;

import org.keycloak.models.KeycloakSession;
import org.keycloak.theme.Theme;

/** Keycloak's message keys (password policy, user profile validation) in English, as the login theme words them. */
public final class LoginMessages {

    private LoginMessages() {
    }

    /** The formatted message; the key itself when the theme cannot be read or has no such message. */
    public static String english(KeycloakSession session, String key, Object... parameters) {
        try {
            Properties messages = session.theme().getTheme(Theme.Type.LOGIN).getMessages(Locale.ENGLISH);
            return new MessageFormat(messages.getProperty(key, key), Locale.ENGLISH).format(parameters);
        } catch (IOException | IllegalArgumentException unreadable) {
            return key;
        }
    }
}
