package dev.keybridge.rest.ertis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.ClientSecrets;
import dev.keybridge.rest.support.CorsResponses;
import dev.keybridge.rest.support.CrossOriginResource;
import dev.keybridge.rest.support.Endpoints;
import dev.keybridge.rest.support.ErrorShape;
import dev.keybridge.rest.support.GrantOutcome;
import dev.keybridge.rest.support.HealthProbe;
import dev.keybridge.rest.support.JsonObjectBody;
import dev.keybridge.rest.support.NativeSignInGrant;
import dev.keybridge.rest.support.PasswordGrant;
import dev.keybridge.rest.support.RefreshGrant;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * ErtisAuth's token API inside Keycloak, at {@code /realms/{realm}/ertis}: the realm is the membership, tokens are
 * Keycloak tokens of the configured client. See the README (compatibility endpoints) for where it differs from the original on purpose.
 */
public class ErtisResource extends CrossOriginResource<ErtisSettings> {

    static final String X_ERTIS_ALIAS = "X-Ertis-Alias";
    static final String X_IP_ADDRESS = "X-IpAddress";
    static final String X_USER_AGENT = "X-UserAgent";
    /** User-session notes that keep the addresses a backend reported for its end user. */
    static final String IP_ADDRESS_NOTE = "ertis.ip_address";
    static final String USER_AGENT_NOTE = "ertis.user_agent";
    static final int MAX_HEADER_NOTE = 512;

    private static final ErrorShape ERRORS = ErtisError::body;

    ErtisResource(KeycloakSession session, ErtisSettings settings) {
        super(session, settings);
    }

    @POST
    @Path("api/v1/generate-token")
    public Response generateToken(String body, @HeaderParam(X_ERTIS_ALIAS) String alias,
                                  @HeaderParam(X_IP_ADDRESS) String ipAddress, @HeaderParam(X_USER_AGENT) String userAgent) {
        return Endpoints.run(ERRORS, () -> {
            checkMembership(alias);
            JsonObjectBody json = parse(body);
            String username = json.text("username");
            String password = json.text("password");
            if (username == null || username.isBlank() || password == null) {
                throw ErtisError.validation("username and password are required");
            }
            checkClientAddresses(ipAddress, userAgent);
            ClientModel client = client();
            Cors cors = CorsResponses.checkedForClient(session, client);
            GrantOutcome outcome = PasswordGrant.login(session, client, username, password);
            if (outcome instanceof GrantOutcome.Failure failure) {
                throw loginFailure(failure, username);
            }
            return issued((GrantOutcome.Tokens) outcome, cors, ipAddress, userAgent);
        });
    }

    /**
     * Google, Apple or Microsoft login with the ID token the app got ({@code {"token": {"idToken": ...}}}, for Microsoft
     * MSAL's result, see {@link ErtisSocialCredentials}), through native sign-in: the user is signed in, linked or created
     * under the identity provider with the path's alias.
     */
    @POST
    @Path("api/v1/oauth/{provider: google|apple|microsoft}/login")
    public Response socialLogin(@PathParam("provider") String provider, String body, @HeaderParam(X_ERTIS_ALIAS) String alias,
                                @HeaderParam(X_IP_ADDRESS) String ipAddress, @HeaderParam(X_USER_AGENT) String userAgent) {
        return Endpoints.run(ERRORS, () -> {
            checkMembership(alias);
            ErtisSocialCredentials credentials = ErtisSocialCredentials.read(provider, parse(body));
            return nativeLogin(ipAddress, userAgent, client -> {
                String disagreement = credentials.disagreement();
                if (disagreement != null) {
                    event(EventType.LOGIN).client(client).detail(Details.IDENTITY_PROVIDER, provider).detail(Details.REASON, disagreement)
                            .error(Errors.INVALID_TOKEN);
                    throw ErtisError.unauthorized(disagreement);
                }
                return NativeSignInGrant.login(session, client, provider, credentials.idToken());
            });
        });
    }

    /** Facebook login with the app's Facebook access token ({@code {"user": {"accessToken": ...}, "appId": ...}}), see {@link ErtisFacebookLogin}. */
    @POST
    @Path("api/v1/oauth/facebook/login")
    public Response facebookLogin(String body, @HeaderParam(X_ERTIS_ALIAS) String alias,
                                  @HeaderParam(X_IP_ADDRESS) String ipAddress, @HeaderParam(X_USER_AGENT) String userAgent) {
        return Endpoints.run(ERRORS, () -> {
            checkMembership(alias);
            ErtisFacebookLogin login = ErtisFacebookLogin.of(parse(body));
            return nativeLogin(ipAddress, userAgent, client -> login.login(session, client));
        });
    }

    /** A social login's common part: the addresses checked, the grant run for the configured client, its tokens issued. */
    private Response nativeLogin(String ipAddress, String userAgent, Function<ClientModel, GrantOutcome> grant) {
        checkClientAddresses(ipAddress, userAgent);
        ClientModel client = client();
        Cors cors = CorsResponses.checkedForClient(session, client);
        GrantOutcome outcome = grant.apply(client);
        if (outcome instanceof GrantOutcome.Failure failure) {
            throw refused(failure, "Login failed");
        }
        return issued((GrantOutcome.Tokens) outcome, cors, ipAddress, userAgent);
    }

    private void checkMembership(String alias) {
        if (alias == null || alias.isBlank()) {
            throw ErtisError.xErtisAliasMissing();
        }
        if (!alias.trim().equals(realm.getName())) {
            throw ErtisError.membershipNotFound(alias.trim());
        }
    }

    private static void checkClientAddresses(String ipAddress, String userAgent) {
        if (tooLong(ipAddress) || tooLong(userAgent)) {
            throw ErtisError.validation(X_IP_ADDRESS + " and " + X_USER_AGENT + " may have at most " + MAX_HEADER_NOTE + " characters");
        }
    }

    private Response issued(GrantOutcome.Tokens tokens, Cors cors, String ipAddress, String userAgent) {
        recordClientAddresses(tokens.response().getToken(), ipAddress, userAgent);
        return created(cors, ErtisTokenResponse.of(tokens.response()));
    }

    private static ApiException loginFailure(GrantOutcome.Failure failure, String username) {
        if (failure.accountDisabled()) {
            return ErtisError.userInactive(username);
        }
        if (failure.grantRefused() && failure.badCredentials()) {
            return ErtisError.usernameOrPasswordIsWrong();
        }
        return refused(failure, "Login failed");
    }

    /** Keycloak's refusal: 403 AccessDenied for a disabled realm, else 401 Unauthorized (e.g. client authentication). */
    private static ApiException refused(GrantOutcome.Failure failure, String fallback) {
        String message = failure.description() == null ? fallback : failure.description();
        return failure.status() == 403 ? ErtisError.accessDenied(message) : ErtisError.unauthorized(message);
    }

    private static boolean tooLong(String header) {
        return header != null && header.length() > MAX_HEADER_NOTE;
    }

    private void recordClientAddresses(String accessToken, String ipAddress, String userAgent) {
        AccessToken token = session.tokens().decode(accessToken, AccessToken.class);
        UserSessionModel userSession = token == null ? null : session.sessions().getUserSession(realm, token.getSessionId());
        if (userSession == null) {
            return;
        }
        if (ipAddress != null && !ipAddress.isBlank()) {
            userSession.setNote(IP_ADDRESS_NOTE, ipAddress.trim());
        }
        if (userAgent != null && !userAgent.isBlank()) {
            userSession.setNote(USER_AGENT_NOTE, userAgent.trim());
        }
    }

    @GET
    @Path("api/v1/me")
    public Response me(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return Endpoints.run(ERRORS, () -> owner(authorization, true));
    }

    @GET
    @Path("api/v1/whoami")
    public Response whoami(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return Endpoints.run(ERRORS, () -> owner(authorization, false));
    }

    /** The token's owner: the full user document for me, the utilizer for whoami, the application for Basic. */
    private Response owner(String authorization, boolean fullDocument) {
        ErtisCredential credential = ErtisCredential.fromHeader(authorization);
        if (credential == null) {
            throw ErtisError.authorizationHeaderMissing();
        }
        if (credential.basic()) {
            ClientModel application = application(credential);
            return CorsResponses.checkedForClient(session, application)
                    .add(Response.ok(ErtisDocuments.of(settings, realm).application(application), MediaType.APPLICATION_JSON_TYPE));
        }
        ErtisTokenCheck.Checked checked = new ErtisTokenCheck(session, client()).check(credential.value(), false);
        UserModel user = checked.bearer().user();
        ErtisDocuments documents = ErtisDocuments.of(settings, realm);
        Object document = fullDocument ? documents.user(user) : documents.utilizer(user);
        return CorsResponses.forToken(checked.token(), Response.ok(document, MediaType.APPLICATION_JSON_TYPE));
    }

    private ClientModel application(ErtisCredential credential) {
        ErtisTokenCheck.requireEnabledRealm(realm);
        String[] idAndSecret = credential.applicationAndSecret();
        if (idAndSecret == null) {
            throw ErtisError.invalidToken();
        }
        ClientModel application = realm.getClientByClientId(idAndSecret[0]);
        if (application == null || !application.isEnabled()) {
            throw ErtisError.applicationNotFound(idAndSecret[0]);
        }
        if (!ClientSecrets.matches(session, application, idAndSecret[1])) {
            event(EventType.CLIENT_LOGIN).client(application).error(Errors.INVALID_CLIENT_CREDENTIALS);
            throw ErtisError.applicationSecretMismatch();
        }
        return application;
    }

    @GET
    @Path("api/v1/verify-token")
    public Response verifyToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return Endpoints.run(ERRORS, () -> verify(ErtisCredential.fromHeader(authorization)));
    }

    @POST
    @Path("api/v1/verify-token")
    public Response verifyTokenFromBody(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        return Endpoints.run(ERRORS, () -> verify(headerOrBody(authorization, body)));
    }

    private Response verify(ErtisCredential credential) {
        String token = ErtisCredential.bearerToken(credential);
        ErtisTokenCheck.Checked checked = new ErtisTokenCheck(session, client()).check(token, true);
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("verified", true);
        verdict.put("token", token);
        verdict.put("token_kind", checked.refresh() ? "refresh_token" : "access_token");
        verdict.put("remaining_time", Math.max(0, checked.token().getExp() - Time.currentTime()));
        return CorsResponses.forToken(checked.token(), Response.ok(verdict, MediaType.APPLICATION_JSON_TYPE));
    }

    /** The credential of the Authorization header, else the body's {@code token} (the original's order). */
    private static ErtisCredential headerOrBody(String authorization, String body) {
        ErtisCredential credential = ErtisCredential.fromHeader(authorization);
        if (credential != null || body == null || body.isBlank()) {
            return credential;
        }
        return ErtisCredential.fromBody(parse(body).text("token"));
    }

    @GET
    @Path("api/v1/refresh-token")
    public Response refreshToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return Endpoints.run(ERRORS, () -> refresh(ErtisCredential.fromHeader(authorization)));
    }

    @POST
    @Path("api/v1/refresh-token")
    public Response refreshTokenFromBody(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        return Endpoints.run(ERRORS, () -> refresh(refreshCredential(authorization, body)));
    }

    /**
     * The refresh token of a POST: as {@link #headerOrBody}, except that with Basic credentials in the header, which
     * authenticate a confidential client (see the README), the token comes from the body.
     */
    private static ErtisCredential refreshCredential(String authorization, String body) {
        ErtisCredential header = ErtisCredential.fromHeader(authorization);
        if (header != null && header.basic() && body != null && !body.isBlank()) {
            return ErtisCredential.fromBody(parse(body).text("token"));
        }
        return headerOrBody(authorization, body);
    }

    /** {@code ?revoke=} is accepted and has no effect: the used refresh token is always spent (rotation). */
    private Response refresh(ErtisCredential credential) {
        String token = ErtisCredential.bearerToken(credential);
        ClientModel client = client();
        ErtisTokenCheck.Checked checked = new ErtisTokenCheck(session, client).check(token, true);
        if (!checked.refresh()) {
            throw ErtisError.tokenIsNotRefreshable("Provided token is not refreshable");
        }
        RefreshGrant.requireRotation(session, client, reason -> ErtisError.tokenIsNotRefreshable("Refresh is disabled: " + reason));
        Cors cors = CorsResponses.checkedForClient(session, client);
        GrantOutcome outcome = RefreshGrant.refresh(session, client, token);
        if (outcome instanceof GrantOutcome.Failure failure) {
            if (!failure.grantRefused()) {
                throw refused(failure, "Refresh failed");
            }
            throw failure.refreshExpired() ? ErtisError.refreshTokenWasExpired() : ErtisError.refreshTokenWasRevoked();
        }
        return created(cors, ErtisTokenResponse.of(((GrantOutcome.Tokens) outcome).response()));
    }

    @GET
    @Path("api/v1/revoke-token")
    public Response revokeToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("logout-all") String logoutAll) {
        return revoke(() -> ErtisCredential.fromHeader(authorization), logoutAll);
    }

    @POST
    @Path("api/v1/revoke-token")
    public Response revokeTokenFromBody(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                        @QueryParam("logout-all") String logoutAll, String body) {
        return revoke(() -> headerOrBody(authorization, body), logoutAll);
    }

    /** Ends the token's session, or every session of its user; any failure is the original's bare 401. */
    private Response revoke(Supplier<ErtisCredential> credentialSource, String logoutAll) {
        ErtisTokenCheck.Checked checked;
        try {
            ErtisCredential credential = credentialSource.get();
            if (credential == null || credential.basic()) {
                return CorsResponses.anyOrigin(Response.status(401));
            }
            checked = new ErtisTokenCheck(session, client()).check(credential.value(), false);
        } catch (ApiException refused) {
            return CorsResponses.anyOrigin(Response.status(401));
        }
        Response response = CorsResponses.forToken(checked.token(), Response.noContent());
        UserModel user = checked.bearer().user();
        List<UserSessionModel> ended = Boolean.parseBoolean(logoutAll)
                ? session.sessions().getUserSessionsStream(realm, user).toList()
                : List.of(checked.session());
        ended.forEach(userSession -> AuthenticationManager.backchannelLogout(session, userSession, true));
        event(EventType.LOGOUT).user(user).session(checked.session()).client(checked.bearer().client())
                .detail("endpoint", ErtisResourceProviderFactory.PROVIDER_ID + "/revoke-token")
                .detail("logout_all", String.valueOf(Boolean.parseBoolean(logoutAll)))
                .detail("sessions_ended", String.valueOf(ended.size()))
                .success();
        return response;
    }

    /** Creates or updates a membership with its admin user and application: see {@link ErtisMigration}. */
    @POST
    @Path("api/v1/migrate")
    public Response migrate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @HeaderParam(ErtisMigration.CONNECTION_STRING) String connectionString, String body) {
        return Endpoints.run(ERRORS, () -> new ErtisMigration(session, settings).migrate(authorization, connectionString, body));
    }

    @GET
    @Path("api/v1/healthcheck")
    public Response healthcheck() {
        Map<String, Object> state = new LinkedHashMap<>();
        String problem = healthProblem();
        state.put("status", problem == null ? "Healthy" : "Unhealthy");
        if (problem != null) {
            state.put("message", problem);
        }
        return CorsResponses.anyOrigin(Response.status(problem == null ? 200 : 503).type(MediaType.APPLICATION_JSON_TYPE).entity(state));
    }

    private String healthProblem() {
        if (!realm.isEnabled()) {
            return "Realm " + realm.getName() + " is disabled";
        }
        return HealthProbe.databaseProblem(ErtisResourceProviderFactory.PROVIDER_ID + "/healthcheck",
                () -> session.users().getUsersCount(realm)).orElse(null);
    }

    private ClientModel client() {
        return settings.client().in(realm);
    }

    private Response created(Cors cors, ErtisTokenResponse tokens) {
        return cors.add(Response.status(201)
                .location(session.getContext().getUri().getBaseUri())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(tokens)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache"));
    }

    private static JsonObjectBody parse(String body) {
        try {
            return JsonObjectBody.parse(body);
        } catch (ApiException malformed) {
            throw ErtisError.validation(malformed.description());
        }
    }

    private EventBuilder event(EventType type) {
        return new EventBuilder(realm, session, session.getContext().getConnection()).event(type)
                .detail(Details.AUTH_METHOD, ErtisResourceProviderFactory.PROVIDER_ID);
    }
}
