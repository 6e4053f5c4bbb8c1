package dev.keybridge.rest.tapis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.ConfiguredResource;
import dev.keybridge.rest.support.Endpoints;
import dev.keybridge.rest.support.FormRequest;
import dev.keybridge.rest.support.RealmGuard;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.common.Profile;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.http.HttpResponse;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.utils.AuthorizeClientUtil;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;
import org.keycloak.util.BasicAuthHelper;
import org.keycloak.util.JsonSerialization;

/**
 * Tapis v3 Tokens API: create (POST), refresh (PUT) and revoke tokens with Tapis' request fields
 * and envelope. Every failure is the Tapis error envelope: HTTP 400, as upstream answers, or 403 for a disabled realm.
 */
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class TapisTokensResource extends ConfiguredResource<TapisSettings> {

    private static final Logger LOG = Logger.getLogger(TapisTokensResource.class);
    private static final String GENERATED = "Token generation successful.";

    TapisTokensResource(KeycloakSession session, TapisSettings settings) {
        super(session, settings);
    }

    /** Tapis' logged connectivity check (tapisservice HelloResource). */
    @GET
    @Path("v3/tokens/hello")
    public Response hello() {
        return respond(() -> TapisEnvelope.success("Hello from Tapis", ""));
    }

    /** Tapis' readiness check: the Tokens API keeps no state of its own, so it is ready when Keycloak serves it. */
    @GET
    @Path("v3/tokens/ready")
    public Response ready() {
        return respond(() -> TapisEnvelope.success("Service is ready.", ""));
    }

    @POST
    @Path("v3/tokens")
    public Response create(InputStream body) {
        return respond(() -> {
            JsonNode json = readJson(body, "POST");
            requireRealmEnabled();
            ClientModel caller = authenticateCaller(json);
            NewTokenRequest request = NewTokenRequest.parse(json);
            TapisTenant tenant = TapisTenant.of(realm, caller).orElseThrow(() -> {
                LOG.warnf("Tapis Tokens API: client '%s' in realm '%s' has no tapis-claims mapper (on the client or a default "
                        + "client scope), so its tokens would carry no Tapis claims", caller.getClientId(), realm.getName());
                return new TapisError("Unable to create token. Please contact system administrator.");
            });
            if (!tenant.tenantId().equals(request.tokenTenantId())) {
                throw TapisError.invalidData("POST", "token_tenant_id (" + request.tokenTenantId()
                        + ") is not served by this Tokens API. tenants served: ['" + tenant.tenantId() + "']");
            }
            request.checkSemantics(tenant, settings.maxSessionNotesBytes());

            EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                    .event(NewTokenRequest.SERVICE.equals(request.accountType()) ? EventType.CLIENT_LOGIN : EventType.LOGIN)
                    .client(caller)
                    .detail(Details.AUTH_METHOD, TapisTokenService.AUTH_METHOD)
                    .detail(Details.USERNAME, request.tokenUsername())
                    .detail("tapis_account_type", request.accountType());
            if (request.delegationToken()) {
                event.detail("tapis_delegation_sub", request.delegationSub());
            }
            boolean ownServiceToken = isOwnServiceToken(caller, request);
            if (!ownServiceToken) {
                requireGeneratorRole(caller, request, event);
            }
            UserModel subject = subject(request, event);
            if (!ownServiceToken) {
                requireImpersonationOfAdministrators(caller, request, subject, event);
            }
            return TapisEnvelope.success(GENERATED, new TapisTokenService(session).create(request, caller, subject, event));
        });
    }

    @PUT
    @Path("v3/tokens")
    public Response refresh(InputStream body) {
        return respond(() -> {
            JsonNode json = readJson(body, "PUT");
            String refreshToken = requiredText(json, "PUT", "refresh_token");
            requireRealmEnabled();
            return TapisEnvelope.success(GENERATED,
                    new TapisTokenService(session).refresh(refreshToken, clientAuthentication(json)));
        });
    }

    @POST
    @Path("v3/tokens/revoke")
    public Response revoke(InputStream body) {
        return respond(() -> {
            String token = requiredText(readJson(body, "POST"), "POST", "token");
            requireRealmEnabled();
            EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                    .event(EventType.REVOKE_GRANT).detail(Details.AUTH_METHOD, TapisTokenService.AUTH_METHOD);
            try {
                String jti = new TapisTokenService(session).revoke(token, event);
                return TapisEnvelope.success("Token " + jti + " has been revoked.", "");
            } catch (TapisError e) {
                event.detail(Details.REASON, e.getMessage()).error(Errors.INVALID_TOKEN);
                throw e;
            }
        });
    }

    /** As Keycloak's token endpoint refuses every request of a disabled realm. */
    private void requireRealmEnabled() {
        if (!realm.isEnabled()) {
            throw new TapisError(RealmGuard.REALM_NOT_ENABLED, Response.Status.FORBIDDEN.getStatusCode());
        }
    }

    /**
     * The confidential client that calls, authenticated by Keycloak's client authenticators as at the token endpoint:
     * HTTP Basic, or the client-authentication parameters of the token endpoint given as JSON fields.
     */
    private ClientModel authenticateCaller(JsonNode json) {
        Map<String, String> parameters = clientAuthentication(json);
        if (!parameters.containsKey(OAuth2Constants.CLIENT_SECRET) && !parameters.containsKey(OAuth2Constants.CLIENT_ASSERTION)) {
            throw new TapisError("Invalid request: an HTTP Basic Auth header with the service's client id and secret is required.");
        }
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        parameters.forEach(form::putSingle);
        ClientModel client = FormRequest.with(session, form, () -> {
            try {
                return AuthorizeClientUtil.authorizeClient(session,
                        new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.CLIENT_LOGIN), null).getClient();
            } catch (WebApplicationException e) {
                throw TapisError.badClientCredentials();
            }
        });
        if (client.isPublicClient() || client.isBearerOnly()) {
            throw TapisError.badClientCredentials();
        }
        return client;
    }

    /**
     * The token endpoint's client-authentication parameters of this request: client id and secret of an HTTP Basic
     * header (Keycloak's secret authenticator takes them from the header or the form alike), and client_id,
     * client_secret, client_assertion_type and client_assertion given as string fields of the JSON body.
     */
    private Map<String, String> clientAuthentication(JsonNode json) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : List.of(OAuth2Constants.CLIENT_ID, OAuth2Constants.CLIENT_SECRET,
                OAuth2Constants.CLIENT_ASSERTION_TYPE, OAuth2Constants.CLIENT_ASSERTION)) {
            JsonNode value = json.get(name);
            if (value != null && value.isTextual()) {
                parameters.put(name, value.asText());
            }
        }
        String authorization = session.getContext().getHttpRequest().getHttpHeaders().getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] idAndSecret = readableBasic(authorization);
            if (idAndSecret == null) {
                throw TapisError.badClientCredentials();
            }
            parameters.put(OAuth2Constants.CLIENT_ID, idAndSecret[0]);
            parameters.put(OAuth2Constants.CLIENT_SECRET, idAndSecret[1]);
        }
        return parameters;
    }

    /**
     * The client id and secret of Basic credentials, or null where Keycloak's client authenticator could not read
     * them: it logs an ERROR with a stack trace for credentials that are not base64 or whose id or secret hold broken
     * percent-escapes, so those are refused here.
     */
    static String[] readableBasic(String authorization) {
        try {
            return BasicAuthHelper.RFC6749.parseHeader(authorization);
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    /** A plain token for the caller's own service account, which it could get by client_credentials anyway. */
    private static boolean isOwnServiceToken(ClientModel caller, NewTokenRequest request) {
        return NewTokenRequest.SERVICE.equals(request.accountType())
                && caller.getClientId().equals(request.tokenUsername()) && !request.delegationToken();
    }

    /** Anything but the caller's own plain service token (other subjects, delegation tokens) needs the generator role. */
    private void requireGeneratorRole(ClientModel caller, NewTokenRequest request, EventBuilder event) {
        UserModel serviceAccount = caller.isServiceAccountsEnabled() ? session.users().getServiceAccount(caller) : null;
        Optional<RoleModel> role = settings.generatorRole(session, realm);
        if (serviceAccount == null || role.isEmpty() || !serviceAccount.hasRole(role.get())) {
            event.detail(Details.REASON, "caller lacks role " + settings.generatorRole()).error(Errors.NOT_ALLOWED);
            throw new TapisError("Not authorized to generate tokens in tenant " + request.tokenTenantId() + ".");
        }
    }

    /**
     * A generator acts for a subject who holds administrative roles only if Keycloak would let it impersonate that
     * user: its service account passes the admin API's impersonation check (the realm-management {@code impersonation}
     * role, or a fine-grained impersonation permission) with the impersonation feature on. Service accounts cannot be
     * impersonated in Keycloak, so an administrative service account is refused.
     */
    private void requireImpersonationOfAdministrators(ClientModel caller, NewTokenRequest request, UserModel subject, EventBuilder event) {
        if (!AdministrativeRoles.heldBy(session, realm, subject)) {
            return;
        }
        UserModel serviceAccount = session.users().getServiceAccount(caller);
        boolean mayImpersonate = subject.getServiceAccountClientLink() == null
                && Profile.isFeatureEnabled(Profile.Feature.IMPERSONATION)
                && AdminPermissions.evaluator(session, realm, realm, serviceAccount).users().canImpersonate(subject, caller);
        if (!mayImpersonate) {
            event.detail(Details.REASON, "subject holds administrative roles and the caller may not impersonate it").error(Errors.NOT_ALLOWED);
            throw new TapisError("Not authorized to generate tokens for " + request.tokenUsername() + ": the user holds administrative roles.");
        }
    }

    private UserModel subject(NewTokenRequest request, EventBuilder event) {
        UserModel user;
        if (NewTokenRequest.SERVICE.equals(request.accountType())) {
            ClientModel service = realm.getClientByClientId(request.tokenUsername());
            user = service == null || !service.isServiceAccountsEnabled() ? null : session.users().getServiceAccount(service);
        } else {
            user = session.users().getUserByUsername(realm, request.tokenUsername());
            if (user != null && user.getServiceAccountClientLink() != null) {
                user = null; // a service account is addressed as account_type "service" by its client id
            }
        }
        if (user == null) {
            event.error(Errors.USER_NOT_FOUND);
            throw TapisError.invalidData("POST", "token_username (" + request.tokenUsername() + ") is not a "
                    + request.accountType() + " account of tenant " + request.tokenTenantId() + ".");
        }
        event.user(user);
        if (!user.isEnabled()) {
            event.error(Errors.USER_DISABLED);
            throw TapisError.invalidData("POST", "token_username (" + request.tokenUsername() + ") is disabled.");
        }
        return user;
    }

    /** A required string field of a JSON body; refused with the original's message when missing, blank or not a string. */
    private static String requiredText(JsonNode json, String method, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw TapisError.invalidData(method, "'" + field + "' is a required property and must be a string.");
        }
        return value.asText();
    }

    private JsonNode readJson(InputStream body, String method) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : body.readNBytes(settings.maxBodyBytes() + 1);
        } catch (IOException e) {
            throw new TapisError("Unable to parse message payload; is it JSON?");
        }
        if (bytes.length > settings.maxBodyBytes()) {
            throw TapisError.invalidData(method, "the request body is larger than " + settings.maxBodyBytes() + " bytes.");
        }
        JsonNode json;
        try {
            json = JsonSerialization.mapper.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TapisError("Unable to parse message payload; is it JSON?");
        }
        if (json == null || !json.isObject()) {
            throw TapisError.invalidData(method, "the request body must be a JSON object.");
        }
        return json;
    }

    private interface Operation {
        TapisEnvelope run();
    }

    /**
     * The one error path of the Tokens API, in its {@link TapisError#SHAPE}; unexpected failures are logged, never
     * leaked, and roll the request's transaction back so that nothing (a used refresh token, a session) is consumed by a
     * failed call. Responses carry tokens, so nothing may cache them (RFC 6749 section 5.1), as at the token endpoint.
     */
    private Response respond(Operation operation) {
        HttpResponse httpResponse = session.getContext().getHttpResponse();
        httpResponse.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        httpResponse.setHeader("Pragma", "no-cache");
        return Endpoints.run(TapisError.SHAPE, () -> {
            TapisEnvelope envelope;
            try {
                envelope = operation.run();
            } catch (ApiException expected) {
                throw expected;
            } catch (RuntimeException e) {
                LOG.errorf(e, "Tapis Tokens API failed in realm '%s'", realm.getName());
                session.getTransactionManager().setRollbackOnly();
                throw TapisError.unexpected();
            }
            return Response.ok(TapisError.json(envelope), MediaType.APPLICATION_JSON_TYPE).build();
        });
    }
}
