package dev.keybridge.rest.support;

import java.util.Map;

import dev.keybridge.broker.nativesignin.NativeSignInGrantTypeFactory;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;

/**
 * Signs a user in with an Apple or Google ID token through the native sign-in grant of module authenticators:
 * the same token checks, user linking and creation rules, IdP mappers, events and a real user session as at the
 * token endpoint. The client must list the identity provider in its native sign-in attribute. Like
 * {@link PasswordGrant}, the client is authenticated as at the token endpoint ({@link KeycloakGrant#run}).
 */
public final class NativeSignInGrant {

    private NativeSignInGrant() {
    }

    public static GrantOutcome login(KeycloakSession session, ClientModel client, String identityProvider, String idToken) {
        return KeycloakGrant.run(session, client, NativeSignInGrantTypeFactory.PROVIDER_ID,
                Map.of(OAuth2Constants.SUBJECT_TOKEN, idToken, OAuth2Constants.SUBJECT_ISSUER, identityProvider,
                        OAuth2Constants.SUBJECT_TOKEN_TYPE, OAuth2Constants.ID_TOKEN_TYPE),
                "Native sign-in failed");
    }
}
