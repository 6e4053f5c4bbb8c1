package dev.keybridge.rest.support;

import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;

/** The realm's password policy applied to a password chosen through a compatibility API. */
public final class PasswordPolicyCheck {

    private PasswordPolicyCheck() {
    }

    /** @return the policy's complaint in English, as the login theme words it; empty when the password complies */
    public static Optional<String> violation(KeycloakSession session, String username, String password) {
        PolicyError error = session.getProvider(PasswordPolicyManagerProvider.class).validate(username, password);
        return error == null ? Optional.empty() : Optional.of(LoginMessages.english(session, error.getMessage(), error.getParameters()));
    }
}
