package dev.keybridge.rest.support;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import org.keycloak.models.KeycloakSession;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;
import org.keycloak.theme.Theme;

/** The realm's password policy applied to a password chosen through a compatibility API. */
public final class PasswordPolicyCheck {

    private PasswordPolicyCheck() {
    }

    /** @return the policy's complaint in English, as the login theme words it; empty when the password complies */
    public static Optional<String> violation(KeycloakSession session, String username, String password) {
        PolicyError error = session.getProvider(PasswordPolicyManagerProvider.class).validate(username, password);
        if (error == null) {
            return Optional.empty();
        }
        try {
            Properties messages = session.theme().getTheme(Theme.Type.LOGIN).getMessages(Locale.ENGLISH);
            String pattern = messages.getProperty(error.getMessage(), error.getMessage());
            return Optional.of(new MessageFormat(pattern, Locale.ENGLISH).format(error.getParameters()));
        } catch (IOException | IllegalArgumentException unreadable) {
            return Optional.of(error.getMessage());
        }
    }
}
