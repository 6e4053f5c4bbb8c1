package dev.keybridge.rest.support;

import java.util.Map;
import java.util.function.Supplier;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.endpoints.TokenEndpoint;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.refresh.RefreshTokenException;
import org.keycloak.protocol.oidc.token.TokenInterceptorException;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.util.DPoPUtil;
import org.keycloak.util.BasicAuthHelper;

/**
 * Runs one of Keycloak's OAuth2 grant types for the client a compatibility route acts for, with the route's parameters as
 * the request's form (client authenticators and grants read it there), and turns the answer into a
 * {@link GrantOutcome}.
 */
public final class KeycloakGrant {

    private KeycloakGrant() {
    }

    /**
     * Runs the grant through Keycloak's own token endpoint, so every check it makes applies: HTTPS where the realm
     * requires it, the realm enabled (403 "Realm not enabled"), client policies, client authentication with the
     * client's configured authenticator (a public client by its client_id; a confidential one only with the credentials
     * the request brings, such as an {@code Authorization: Basic} header), the client enabled and not bearer-only,
     * parameter limits and DPoP, then the grant itself, with the token endpoint's events. Basic credentials of another
     * client are refused before: a route acts for its own client only.
     */
    public static GrantOutcome run(KeycloakSession session, ClientModel client, String grantType,
                                            Map<String, String> parameters, String fallbackDescription) {
        String credentialsOf = basicClientId(session);
        if (credentialsOf != null && !credentialsOf.equals(client.getClientId())) {
            OAuth2GrantType grant = session.getProvider(OAuth2GrantType.class, grantType);
            event(session).event(grant.getEventType()).client(client).detail(Details.GRANT_TYPE, grantType)
                    .detail(Details.REASON, "Basic credentials of another client: '" + credentialsOf + "'").error(Errors.INVALID_CLIENT);
            return new GrantOutcome.Failure(401, OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "Client credentials are not those of client " + client.getClientId(), Errors.INVALID_CLIENT);
        }
        EventBuilder event = event(session);
        return outcome(tokenEndpoint(session, form(client, grantType, parameters), event), event, fallbackDescription);
    }

    /** Keycloak's token endpoint run on the current request with {@code form} as its body: its answer or refusal. */
    public static Response tokenEndpoint(KeycloakSession session, MultivaluedMap<String, String> form) {
        return tokenEndpoint(session, form, event(session));
    }

    /** @param event the builder the token endpoint records its events with, so the refusal's error code can be read after */
    private static Response tokenEndpoint(KeycloakSession session, MultivaluedMap<String, String> form, EventBuilder event) {
        return withForm(session, form, () -> new TokenEndpoint(session, new TokenManager(), event).processGrantRequest());
    }

    /**
     * Runs the grant for a client the caller authenticated itself (WatcherEx's legacy client assertions), with the
     * checks Keycloak's token endpoint (26.7) makes before and around {@code process()} besides client authentication:
     * HTTPS, realm enabled, the grant's client-policy pre-processing, bearer-only, DPoP, and its token-interceptor and
     * refresh-token failures.
     *
     * @param cors CORS already checked against the request's origin, applied to the grant's own responses
     */
    public static GrantOutcome runForAuthenticatedClient(KeycloakSession session, ClientModel client, String grantType,
                                                                  Map<String, String> parameters, Cors cors, String fallbackDescription) {
        MultivaluedHashMap<String, String> form = form(client, grantType, parameters);
        EventBuilder event = event(session).client(client).detail(Details.GRANT_TYPE, grantType);
        return outcome(withForm(session, form, () -> {
            RealmModel realm = session.getContext().getRealm();
            if (!"https".equals(session.getContext().getUri().getBaseUri().getScheme())
                    && realm.getSslRequired().isRequired(session.getContext().getConnection())) {
                return error(403, OAuthErrorException.INVALID_REQUEST, "HTTPS required");
            }
            if (!realm.isEnabled()) {
                return error(403, OAuthErrorException.ACCESS_DENIED, RealmGuard.REALM_NOT_ENABLED);
            }
            OAuth2GrantType grant = session.getProvider(OAuth2GrantType.class, grantType);
            if (grant == null) {
                return error(400, OAuthErrorException.UNSUPPORTED_GRANT_TYPE, "Unsupported grant_type");
            }
            event.event(grant.getEventType());
            try {
                grant.preProcess(session, form);
            } catch (ClientPolicyException refused) {
                event.detail(Details.REASON, Details.CLIENT_POLICY_ERROR).detail(Details.CLIENT_POLICY_ERROR, refused.getError())
                        .detail(Details.CLIENT_POLICY_ERROR_DETAIL, refused.getErrorDetail()).error(refused.getError());
                return error(refused.getErrorStatus().getStatusCode(), refused.getError(), refused.getErrorDetail());
            }
            if (client.isBearerOnly()) {
                return error(400, OAuthErrorException.INVALID_CLIENT, "Bearer-only not allowed");
            }
            session.getContext().setClient(client);
            OIDCAdvancedConfigWrapper clientConfig = OIDCAdvancedConfigWrapper.fromClientModel(client);
            DPoPUtil.handleDPoPHeader(session, event, cors, clientConfig);
            try {
                return grant.process(new OAuth2GrantType.Context(session, clientConfig, Map.of(), form, event, cors, new TokenManager()));
            } catch (TokenInterceptorException refused) {
                return error(400, refused.getError(), refused.getDescription());
            } catch (RefreshTokenException refused) {
                event.detail(Details.REASON, refused.getErrorDescription()).error(Errors.INVALID_TOKEN);
                return error(400, refused.getError(), refused.getErrorDescription());
            }
        }), event, fallbackDescription);
    }

    /**
     * The client id of the request's {@code Authorization: Basic} credentials, null when it has none, and an empty string
     * (no client's id) for credentials that do not decode: Keycloak's parser throws on bad percent-escapes.
     */
    private static String basicClientId(KeycloakSession session) {
        String header = session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.AUTHORIZATION);
        try {
            String[] idAndSecret = header == null ? null : BasicAuthHelper.RFC6749.parseHeader(header);
            return idAndSecret == null ? null : idAndSecret[0];
        } catch (IllegalArgumentException malformed) {
            return "";
        }
    }

    private static MultivaluedHashMap<String, String> form(ClientModel client, String grantType, Map<String, String> parameters) {
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle(OAuth2Constants.GRANT_TYPE, grantType);
        form.putSingle(OAuth2Constants.CLIENT_ID, client.getClientId());
        parameters.forEach(form::putSingle);
        return form;
    }

    /** Runs {@code grant} with the form in place of the request's body: its answer, or its refusal's. */
    private static Response withForm(KeycloakSession session, MultivaluedMap<String, String> form, Supplier<Response> grant) {
        return FormRequest.with(session, form, () -> {
            try {
                return grant.get();
            } catch (WebApplicationException rejected) {
                return rejected.getResponse();
            }
        });
    }

    private static EventBuilder event(KeycloakSession session) {
        return new EventBuilder(session.getContext().getRealm(), session, session.getContext().getConnection());
    }

    private static Response error(int status, String error, String description) {
        return Response.status(status).entity(new OAuth2ErrorRepresentation(error, description)).build();
    }

    private static GrantOutcome outcome(Response response, EventBuilder event, String fallbackDescription) {
        Object entity = response.getEntity();
        if (response.getStatus() == 200 && entity instanceof AccessTokenResponse tokens) {
            return new GrantOutcome.Tokens(tokens);
        }
        String eventError = event.getEvent().getError();
        if (entity instanceof OAuth2ErrorRepresentation body) {
            return new GrantOutcome.Failure(response.getStatus(), body.getError(), body.getErrorDescription(), eventError);
        }
        return new GrantOutcome.Failure(response.getStatus(), OAuthErrorException.INVALID_GRANT, fallbackDescription, eventError);
    }
}
