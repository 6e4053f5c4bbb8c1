package dev.keybridge.rest.support;

import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.util.DPoPUtil;

/**
 * Runs one of Keycloak's own OAuth2 grant types for a client, with the given parameters as the request's form
 * (grant authenticators read credentials from there), and turns its response into an {@link PasswordGrant.Outcome}.
 * The client is not authenticated here: callers act for a configured client, or authenticated it themselves. A client
 * that requires DPoP gets its proof checked as at the token endpoint.
 */
public final class KeycloakGrant {

    private KeycloakGrant() {
    }

    public static PasswordGrant.Outcome run(KeycloakSession session, ClientModel client, String grantType,
                                            Map<String, String> parameters, Cors cors, String fallbackDescription) {
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle(OAuth2Constants.GRANT_TYPE, grantType);
        form.putSingle(OAuth2Constants.CLIENT_ID, client.getClientId());
        parameters.forEach(form::putSingle);

        OAuth2GrantType grant = session.getProvider(OAuth2GrantType.class, grantType);
        EventBuilder event = new EventBuilder(session.getContext().getRealm(), session, session.getContext().getConnection())
                .event(grant.getEventType())
                .client(client)
                .detail(Details.GRANT_TYPE, grantType);

        HttpRequest original = session.getContext().getHttpRequest();
        session.getContext().setHttpRequest(new FormRequest(original, form));
        session.getContext().setClient(client);
        try {
            OIDCAdvancedConfigWrapper clientConfig = OIDCAdvancedConfigWrapper.fromClientModel(client);
            DPoPUtil.handleDPoPHeader(session, event, cors, clientConfig);
            OAuth2GrantType.Context context = new OAuth2GrantType.Context(session, clientConfig, Map.of(), form, event, cors, new TokenManager());
            return outcome(grant.process(context), fallbackDescription);
        } catch (WebApplicationException rejected) {
            return outcome(rejected.getResponse(), fallbackDescription);
        } finally {
            session.getContext().setHttpRequest(original);
        }
    }

    private static PasswordGrant.Outcome outcome(Response response, String fallbackDescription) {
        Object entity = response.getEntity();
        if (response.getStatus() == 200 && entity instanceof AccessTokenResponse tokens) {
            return new PasswordGrant.Tokens(tokens);
        }
        if (entity instanceof OAuth2ErrorRepresentation body) {
            return new PasswordGrant.Failure(response.getStatus(), body.getError(), body.getErrorDescription());
        }
        return new PasswordGrant.Failure(response.getStatus(), "invalid_grant", fallbackDescription);
    }
}
