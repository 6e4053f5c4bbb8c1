package dev.keybridge.broker.nativesignin;

import java.time.Duration;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

/**
 * {@code POST /realms/{realm}/keybridge-native-sign-in/nonce} with {@code client_id}: a fresh server nonce for
 * a client allowed native sign-in. The nonce itself grants nothing, so, like the authorization endpoint, this
 * takes the client id without client authentication (native apps hold no secret).
 */
public class NativeSignInNonceResource {

    private final KeycloakSession session;
    private final Duration lifetime;

    public NativeSignInNonceResource(KeycloakSession session, Duration lifetime) {
        this.session = session;
        this.lifetime = lifetime;
    }

    @POST
    @Path("nonce")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response nonce() {
        RealmModel realm = session.getContext().getRealm();
        if (!realm.isEnabled()) {
            // as Keycloak's token endpoint, where the nonce would be spent
            return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new OAuth2ErrorRepresentation(OAuthErrorException.ACCESS_DENIED, "Realm not enabled")).build();
        }
        String clientId = session.getContext().getHttpRequest().getDecodedFormParameters().getFirst(OAuth2Constants.CLIENT_ID);
        if (clientId == null || clientId.isBlank()) {
            return error(OAuthErrorException.INVALID_REQUEST, "client_id is required");
        }
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null || !client.isEnabled()) {
            return error(OAuthErrorException.INVALID_CLIENT, "unknown or disabled client");
        }
        if (NativeSignInSettings.list(client.getAttribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS)).isEmpty()) {
            return error(OAuthErrorException.UNAUTHORIZED_CLIENT, "client '" + clientId + "' is not allowed native sign-in");
        }
        String nonce = ServerNonces.issue(session, realm, client, lifetime);
        return Response.ok(Map.of("nonce", nonce, "expires_in", lifetime.toSeconds()), MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    private static Response error(String error, String description) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new OAuth2ErrorRepresentation(error, description)).build();
    }
}
