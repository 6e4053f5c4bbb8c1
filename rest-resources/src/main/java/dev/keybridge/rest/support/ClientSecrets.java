package dev.keybridge.rest.support;

import org.keycloak.authentication.authenticators.client.ClientIdAndSecretAuthenticator;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.OIDCClientSecretConfigWrapper;

/**
 * Checks a client secret that a compatibility API received in its own format, with the same rules as Keycloak's
 * client-secret authenticator: only enabled confidential clients that authenticate by secret, vault references
 * resolved, constant-time comparison, the rotated secret during its grace period, and expired secrets refused.
 */
public final class ClientSecrets {

    private ClientSecrets() {
    }

    public static boolean matches(KeycloakSession session, ClientModel client, String secret) {
        if (client == null || !client.isEnabled() || client.isPublicClient() || client.isBearerOnly() || secret == null
                || !ClientIdAndSecretAuthenticator.PROVIDER_ID.equals(client.getClientAuthenticatorType())) {
            return false;
        }
        OIDCClientSecretConfigWrapper wrapper = OIDCClientSecretConfigWrapper.fromClientModel(client);
        return (wrapper.validateSecret(session, secret) || wrapper.validateRotatedSecret(session, secret))
                && !wrapper.isClientSecretExpired();
    }
}
