package dev.keybridge.rest.watcherex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.CorsResponses;
import dev.keybridge.rest.support.FormRequest;
import dev.keybridge.rest.support.GrantOutcome;
import dev.keybridge.rest.support.KeycloakGrant;
import dev.keybridge.rest.support.RefreshGrant;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.authenticators.client.JWTClientAuthenticator;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.cors.Cors;

/**
 * WatcherEx's token endpoint: its parameters handed to Keycloak's own token endpoint (client authentication, grants,
 * scopes, policies, events), or, for a client assertion with WatcherEx's audience, to Keycloak's grant after Keycloak's
 * Signed-JWT authenticator checked the assertion; the answer in WatcherEx's shape.
 */
record WatcherExTokenProxy(KeycloakSession session, WatcherExSettings settings) {

    static final Set<String> GRANTS = Set.of(OAuth2Constants.PASSWORD, OAuth2Constants.REFRESH_TOKEN, OAuth2Constants.CLIENT_CREDENTIALS);
    /** Parameters passed on to Keycloak's token endpoint under the same name. */
    static final List<String> FORWARDED = List.of(OAuth2Constants.GRANT_TYPE, OAuth2Constants.CLIENT_ID, OAuth2Constants.CLIENT_SECRET,
            OAuth2Constants.CLIENT_ASSERTION, OAuth2Constants.CLIENT_ASSERTION_TYPE, OAuth2Constants.USERNAME, OAuth2Constants.PASSWORD,
            OAuth2Constants.SCOPE, OAuth2Constants.REFRESH_TOKEN);
    /** Client credentials, consumed by client authentication and never handed to the grant. */
    static final Set<String> CLIENT_AUTHENTICATION = Set.of(OAuth2Constants.CLIENT_ID, OAuth2Constants.CLIENT_SECRET,
            OAuth2Constants.CLIENT_ASSERTION, OAuth2Constants.CLIENT_ASSERTION_TYPE, OAuth2Constants.GRANT_TYPE);
    /** WatcherEx's one-time password parameter, Keycloak's direct-grant {@code totp}. */
    static final String OTP = "otp";

    /** Null-safe: {@code Set.of(...).contains(null)} throws, and a request without grant_type is a 400, not a 500. */
    static boolean supportedGrant(String grantType) {
        return grantType != null && GRANTS.contains(grantType);
    }

    Response token(Map<String, String> params) {
        String grantType = params.get(OAuth2Constants.GRANT_TYPE);
        if (!supportedGrant(grantType)) {
            throw WatcherExError.badRequest();
        }
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        FORWARDED.stream().filter(params::containsKey).forEach(name -> form.putSingle(name, params.get(name)));
        if (params.containsKey(OTP)) {
            form.putSingle("totp", params.get(OTP));
        }
        if (params.containsKey(OAuth2Constants.CLIENT_ASSERTION) && !params.containsKey(OAuth2Constants.CLIENT_ASSERTION_TYPE)) {
            form.putSingle(OAuth2Constants.CLIENT_ASSERTION_TYPE, OAuth2Constants.CLIENT_ASSERTION_TYPE_JWT);
        }
        if (OAuth2Constants.REFRESH_TOKEN.equals(grantType)) {
            if (params.get(OAuth2Constants.REFRESH_TOKEN) == null) {
                throw WatcherExError.badRequest();
            }
            if (!form.containsKey(OAuth2Constants.CLIENT_ID)) {
                form.putSingle(OAuth2Constants.CLIENT_ID, issuedFor(params.get(OAuth2Constants.REFRESH_TOKEN)));
            }
            ClientModel client = session.getContext().getRealm().getClientByClientId(form.getFirst(OAuth2Constants.CLIENT_ID));
            if (client == null) {
                throw WatcherExError.unauthenticated();
            }
            // never a non-rotating refresh token: the client's policy or the realm must rotate them
            RefreshGrant.requireRotation(session, client, reason -> WatcherExError.unauthenticated());
        }
        if (!form.containsKey(OAuth2Constants.CLIENT_ID)) {
            throw WatcherExError.badRequest();
        }
        String legacyAudience = settings.assertionAudience();
        String assertion = form.getFirst(OAuth2Constants.CLIENT_ASSERTION);
        return assertion != null && WatcherExAssertion.hasLegacyAudience(assertion, legacyAudience)
                ? runWithLegacyAssertion(form, legacyAudience)
                : runTokenEndpoint(form);
    }

    /** The client a refresh token names (Keycloak checks it against the token when refreshing), else the configured one. */
    private String issuedFor(String refreshToken) {
        try {
            String azp = new JWSInput(refreshToken).readJsonContent(AccessToken.class).getIssuedFor();
            return azp != null ? azp : settings.client().clientId();
        } catch (JWSInputException | RuntimeException unreadable) {
            throw WatcherExError.unauthenticated();
        }
    }

    private Response runTokenEndpoint(MultivaluedHashMap<String, String> form) {
        Response response = KeycloakGrant.tokenEndpoint(session, form);
        if (response.getStatus() == 200 && response.getEntity() instanceof AccessTokenResponse tokens) {
            Response.ResponseBuilder answer = tokens(tokens);
            response.getHeaders().forEach((name, values) -> {
                if (name.startsWith("Access-Control-")) {
                    values.forEach(value -> answer.header(name, value));
                }
            });
            return answer.build();
        }
        String error = response.getEntity() instanceof OAuth2ErrorRepresentation body ? body.getError() : "";
        throw refusal(response.getStatus(), error);
    }

    /**
     * A token request whose client authenticates with a WatcherEx-audience assertion: Keycloak's Signed-JWT
     * authenticator checks it (see {@link WatcherExAssertion}), then Keycloak's grant runs for that client with the
     * token endpoint's other checks (realm enabled, client policies, DPoP ...).
     */
    private Response runWithLegacyAssertion(MultivaluedHashMap<String, String> form, String legacyAudience) {
        String grantType = form.getFirst(OAuth2Constants.GRANT_TYPE);
        OAuth2GrantType grant = session.getProvider(OAuth2GrantType.class, grantType);
        EventBuilder event = new EventBuilder(session.getContext().getRealm(), session, session.getContext().getConnection())
                .event(grant.getEventType()).detail(Details.GRANT_TYPE, grantType)
                .detail(Details.CLIENT_AUTH_METHOD, JWTClientAuthenticator.PROVIDER_ID)
                .detail("client_assertion_audience", legacyAudience);
        MultivaluedHashMap<String, String> sanitized = TokenEndpointParameters.sanitized(form);
        Optional<ClientModel> client = FormRequest.with(session, sanitized, () -> WatcherExAssertion.authenticate(session, event, legacyAudience));
        if (client.isEmpty()) {
            throw WatcherExError.unauthenticated();
        }
        Map<String, String> parameters = new HashMap<>();
        sanitized.forEach((name, values) -> {
            if (!CLIENT_AUTHENTICATION.contains(name) && !values.isEmpty()) {
                parameters.put(name, values.get(0));
            }
        });
        Cors cors = CorsResponses.checkedForClient(session, client.get());
        GrantOutcome outcome = KeycloakGrant.runForAuthenticatedClient(session, client.get(), grantType,
                TokenEndpointParameters.withinLimits(session, grant, parameters), cors,
                "Token request failed");
        if (outcome instanceof GrantOutcome.Tokens tokens) {
            return cors.add(tokens(tokens.response()));
        }
        GrantOutcome.Failure failure = (GrantOutcome.Failure) outcome;
        throw refusal(failure.status(), failure.error());
    }

    /** A token response, never cached (RFC 6749 5.1). */
    private static Response.ResponseBuilder tokens(AccessTokenResponse tokens) {
        return Response.ok(new WatcherExTokens(tokens.getToken(), tokens.getRefreshToken(), tokens.getExpiresIn(), "Bearer"),
                        MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
    }

    /** Keycloak's refusal in WatcherEx's terms: its 403 for bad credentials, 401 for a denied permission (sic). */
    private static ApiException refusal(int status, String error) {
        // Keycloak answers failed client authentication with 401 (error unauthorized_client or invalid_client)
        if (status == 401 || "invalid_grant".equals(error) || "invalid_client".equals(error)) {
            return WatcherExError.unauthenticated();
        }
        return "unauthorized_client".equals(error) || "access_denied".equals(error)
                ? WatcherExError.unauthorized()
                : WatcherExError.badRequest();
    }
}
