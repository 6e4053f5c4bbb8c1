package dev.keybridge.rest.watcherex;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.keybridge.rest.support.AcceptedClients;
import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.BearerAuth;
import dev.keybridge.rest.support.ConfiguredResource;
import dev.keybridge.rest.support.CorsResponses;
import dev.keybridge.rest.support.Endpoints;
import dev.keybridge.rest.support.ErrorShape;
import dev.keybridge.rest.support.FormRequest;
import dev.keybridge.rest.support.JsonObjectBody;
import dev.keybridge.rest.support.KeycloakGrant;
import dev.keybridge.rest.support.PasswordGrant;
import dev.keybridge.rest.support.RealmSettings;
import dev.keybridge.rest.support.RefreshGrant;
import dev.keybridge.rest.support.RoleReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.authenticators.client.JWTClientAuthenticator;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.http.HttpRequest;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.Urls;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.util.JsonSerialization;

/**
 * WatcherEx's API inside Keycloak, at {@code /realms/{realm}/watcherex}: its token endpoint runs Keycloak's own
 * token endpoint (client authentication, grants, scopes, policies, events), its admin routes end Keycloak sessions.
 * See the README (compatibility endpoints) for where it differs from the original on purpose.
 */
public class WatcherExResource extends ConfiguredResource {

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
    /** The string members of a JSON body the routes read: the forwarded ones, {@code otp}, and revoke's access token. */
    static final List<String> READ_FROM_JSON = Stream.concat(FORWARDED.stream(),
            Stream.of(OTP, OAuth2Constants.ACCESS_TOKEN)).toList();

    private static final ErrorShape ERRORS = WatcherExError::body;

    WatcherExResource(KeycloakSession session, RealmSettings settings) {
        super(session, settings);
    }

    @POST
    @Path("api/v1/auth/protocol/openid-connect/token")
    public Response token(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return Endpoints.run(ERRORS, () -> {
            Map<String, String> params = params(body, contentType);
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
                ClientModel client = realm.getClientByClientId(form.getFirst(OAuth2Constants.CLIENT_ID));
                if (client == null || !RefreshGrant.rotates(session, client)) {
                    // never a non-rotating refresh token: the client's policy or the realm must rotate them
                    throw WatcherExError.unauthenticated();
                }
            }
            if (!form.containsKey(OAuth2Constants.CLIENT_ID)) {
                throw WatcherExError.badRequest();
            }
            String legacyAudience = settings.get(realm, WatcherExResourceProviderFactory.ASSERTION_AUDIENCE,
                    WatcherExResourceProviderFactory.DEFAULT_ASSERTION_AUDIENCE);
            String assertion = form.getFirst(OAuth2Constants.CLIENT_ASSERTION);
            return assertion != null && WatcherExAssertion.hasLegacyAudience(assertion, legacyAudience)
                    ? runWithLegacyAssertion(form, legacyAudience)
                    : runTokenEndpoint(form);
        });
    }

    /** Null-safe: {@code Set.of(...).contains(null)} throws, and a request without grant_type is a 400, not a 500. */
    static boolean supportedGrant(String grantType) {
        return grantType != null && GRANTS.contains(grantType);
    }

    /** The client a refresh token names (Keycloak checks it against the token when refreshing), else the configured one. */
    private String issuedFor(String refreshToken) {
        try {
            String azp = new JWSInput(refreshToken).readJsonContent(AccessToken.class).getIssuedFor();
            return azp != null ? azp : settings.get(realm, RealmSettings.CLIENT, WatcherExResourceProviderFactory.PROVIDER_ID);
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
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(grant.getEventType()).detail(Details.GRANT_TYPE, grantType)
                .detail(Details.CLIENT_AUTH_METHOD, JWTClientAuthenticator.PROVIDER_ID)
                .detail("client_assertion_audience", legacyAudience);
        HttpRequest original = session.getContext().getHttpRequest();
        MultivaluedHashMap<String, String> sanitized = TokenEndpointParameters.sanitized(form);
        session.getContext().setHttpRequest(new FormRequest(original, sanitized));
        Optional<ClientModel> client;
        try {
            client = WatcherExAssertion.authenticate(session, event, legacyAudience);
        } finally {
            session.getContext().setHttpRequest(original);
        }
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
        PasswordGrant.Outcome outcome = KeycloakGrant.runForAuthenticatedClient(session, client.get(), grantType,
                TokenEndpointParameters.withinLimits(session, grant, parameters), cors,
                "Token request failed");
        if (outcome instanceof PasswordGrant.Tokens tokens) {
            return cors.add(tokens(tokens.response()));
        }
        PasswordGrant.Failure failure = (PasswordGrant.Failure) outcome;
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

    /** The body's parameters: form-encoded when the content type says so, else a JSON object (strings only). */
    private Map<String, String> params(String body, String contentType) {
        Map<String, String> params = new HashMap<>();
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            if (body != null && body.length() > JsonObjectBody.MAX_CHARS) {
                throw WatcherExError.badRequest();
            }
            if (body == null || body.isEmpty()) {
                // the server may have read the form before the resource got the body
                session.getContext().getHttpRequest().getDecodedFormParameters().forEach((name, values) -> {
                    if (values.size() > 1) {
                        throw WatcherExError.badRequest();
                    }
                    params.put(name, values.isEmpty() ? null : values.get(0));
                });
                return params;
            }
            for (String pair : body.split("&")) {
                int equals = pair.indexOf('=');
                // Keycloak's token endpoint refuses a repeated parameter ("duplicated parameter"); so do we
                if (equals > 0 && params.putIfAbsent(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1))) != null) {
                    throw WatcherExError.badRequest();
                }
            }
            return params;
        }
        JsonObjectBody json;
        try {
            json = JsonObjectBody.parse(body);
            // a member named twice is a repeated parameter: Jackson would keep the last one silently
            JsonSerialization.mapper.reader().with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).readTree(body);
        } catch (ApiException | IOException malformed) {
            throw WatcherExError.badRequest();
        }
        for (String name : READ_FROM_JSON) {
            Optional.ofNullable(json.text(name)).ifPresent(value -> params.put(name, value));
        }
        return params;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            throw WatcherExError.badRequest();
        }
    }

    /**
     * Revokes a token by ending its Keycloak user session. Answers 200 with an empty body as the original did, also
     * for unknown tokens (RFC 7009), where the original failed with a 500.
     */
    @POST
    @Path("api/v1/auth/protocol/openid-connect/revoke")
    public Response revoke(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return Endpoints.run(ERRORS, () -> {
            Map<String, String> params = params(body, contentType);
            for (String name : List.of(OAuth2Constants.ACCESS_TOKEN, OAuth2Constants.REFRESH_TOKEN)) {
                sessionOf(params.get(name)).ifPresent(userSession -> {
                    AuthenticationManager.backchannelLogout(session, userSession, true);
                    event(EventType.LOGOUT).user(userSession.getUser()).session(userSession)
                            .detail("endpoint", WatcherExResourceProviderFactory.PROVIDER_ID + "/revoke").success();
                });
            }
            // an empty body still needs a media type: Keycloak's security-headers filter refuses 200s without one
            return CorsResponses.anyOrigin(Response.ok().type(MediaType.TEXT_PLAIN_TYPE));
        });
    }

    /** The live user session of a token signed by this realm, if any. */
    private Optional<UserSessionModel> sessionOf(String encoded) {
        AccessToken token = encoded == null ? null : session.tokens().decode(encoded, AccessToken.class);
        String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
        if (token == null || !issuer.equals(token.getIssuer()) || token.getSessionId() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(session.sessions().getUserSession(realm, token.getSessionId()));
    }

    @POST
    @Path("admin/v1/sessions/logout")
    public Response logout() {
        return Endpoints.run(ERRORS, () -> {
            AuthResult caller = admin();
            end(caller, List.of(caller.session()));
            return CorsResponses.anyOrigin(Response.noContent());
        });
    }

    @POST
    @Path("admin/v1/sessions/logout-all-sessions")
    public Response logoutAllSessions() {
        return Endpoints.run(ERRORS, () -> {
            AuthResult caller = admin();
            end(caller, session.sessions().getUserSessionsStream(realm, caller.user()).toList());
            return CorsResponses.anyOrigin(Response.noContent());
        });
    }

    private void end(AuthResult caller, List<UserSessionModel> sessions) {
        sessions.forEach(userSession -> AuthenticationManager.backchannelLogout(session, userSession, true));
        event(EventType.LOGOUT).user(caller.user()).session(caller.session()).client(caller.client())
                .detail("endpoint", WatcherExResourceProviderFactory.PROVIDER_ID + "/admin/v1/sessions")
                .detail("sessions_ended", String.valueOf(sessions.size()))
                .success();
    }

    /**
     * The caller, an active subject holding the admin role, with a token of a WatcherEx client (the {@code client}
     * setting's, or one of {@code accepted-clients}): else 403 unauthenticated or 401 unauthorized (sic).
     */
    private AuthResult admin() {
        AuthResult caller;
        try {
            caller = BearerAuth.require(session);
        } catch (ApiException notAuthenticated) {
            throw WatcherExError.unauthenticated();
        }
        if (!AcceptedClients.includes(caller, List.of(settings.get(realm, RealmSettings.CLIENT, WatcherExResourceProviderFactory.PROVIDER_ID)),
                settings.getList(realm, AcceptedClients.SETTING))) {
            // a token of another application of the realm: not a WatcherEx credential
            throw WatcherExError.unauthenticated();
        }
        if (!isAdmin(caller.user())) {
            throw WatcherExError.unauthorized();
        }
        return caller;
    }

    private boolean isAdmin(UserModel user) {
        String adminRole = settings.get(realm, WatcherExResourceProviderFactory.ADMIN_ROLE, WatcherExResourceProviderFactory.DEFAULT_ADMIN_ROLE);
        Optional<RoleModel> role = RoleReference.resolve(realm, adminRole);
        return role.isPresent() && user.hasRole(role.get());
    }

    /** User creation with the admin REST API's guards: see {@link WatcherExUserAdmin}. */
    @POST
    @Path("admin/v1/users")
    public Response createUser(String body) {
        return Endpoints.run(ERRORS, () -> new WatcherExUserAdmin(session, admin(),
                new GrantableRoles(settings.getList(realm, WatcherExResourceProviderFactory.GRANTABLE_ROLES)), this::isAdmin).create(body));
    }

    private EventBuilder event(EventType type) {
        return new EventBuilder(realm, session, session.getContext().getConnection()).event(type);
    }
}
