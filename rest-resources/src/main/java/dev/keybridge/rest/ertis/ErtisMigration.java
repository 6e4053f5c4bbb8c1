package dev.keybridge.rest.ertis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.CorsResponses;
import dev.keybridge.rest.support.LoginMessages;
import dev.keybridge.rest.support.PasswordPolicyCheck;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.AdminClientRegisterContext;
import org.keycloak.services.clientpolicy.context.AdminClientRegisteredContext;
import org.keycloak.services.clientpolicy.context.AdminClientUpdateContext;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.validation.ValidationUtil;

/**
 * ErtisAuth's {@code POST /api/v1/migrate} on the administration realm: creates, or brings up to date, the membership
 * (a realm), its admin user and its application (a confidential client), authorized by an administrator's bearer
 * token instead of the original's database connection string. Each part goes through what the admin REST API does
 * for it, with its permission checks: realm creation needs create-realm (and its creator then administers the realm,
 * as Keycloak grants), an existing realm manage-realm, the user manage-users, clients manage-clients; users pass the
 * realm's user profile and password policy. Everything happens in the request's transaction, rolled back on any
 * refusal, so a refused call leaves nothing behind.
 */
final class ErtisMigration {

    static final String CONNECTION_STRING = "ConnectionString";
    /** The ErtisAuth role the migrated user gets, the original's reserved administrator role. */
    static final String ADMIN_ROLE = "admin";

    private static final String ENDPOINT = ErtisResourceProviderFactory.PROVIDER_ID + "/api/v1/migrate";
    /** Keycloak's own clients, which an application must not take over. */
    private static final Set<String> KEYCLOAK_CLIENTS = Set.of(Constants.ADMIN_CONSOLE_CLIENT_ID, Constants.ADMIN_CLI_CLIENT_ID,
            Constants.ACCOUNT_MANAGEMENT_CLIENT_ID, Constants.ACCOUNT_CONSOLE_CLIENT_ID, Constants.BROKER_SERVICE_CLIENT_ID,
            Constants.REALM_MANAGEMENT_CLIENT_ID);

    private final KeycloakSession session;
    private final ErtisSettings settings;
    private final RealmModel adminRealm;

    ErtisMigration(KeycloakSession session, ErtisSettings settings) {
        this.session = session;
        this.settings = settings;
        this.adminRealm = session.getContext().getRealm();
    }

    /**
     * @return 201 with the membership, user and application documents when anything was created (the application's
     * secret only then, once), 200 when everything existed
     * @throws ApiException 404 outside the administration realm; 401 without a valid bearer token of it; 403 when the
     *                      caller may not do every part; 400 for a malformed body, a ConnectionString header, or what
     *                      the user profile, password policy or client validation refuse
     */
    Response migrate(String authorization, String connectionString, String body) {
        if (!RealmManager.isAdministrationRealm(adminRealm)) {
            throw ErtisError.notFound("Migration is served by the administration realm only: /realms/"
                    + new RealmManager(session).getKeycloakAdministrationRealm().getName() + "/" + ENDPOINT);
        }
        AuthResult caller = authenticate(authorization);
        AdminAuth auth = new AdminAuth(adminRealm, caller.token(), caller.user(), caller.client());
        // as the admin console's realm list: a caller administering nothing learns nothing of the input
        if (!AdminPermissions.realms(session, auth).isAdmin()) {
            throw refused(caller, null, "the caller holds no administration role");
        }
        if (connectionString != null) {
            throw ErtisError.validation("the " + CONNECTION_STRING + " header is not accepted: the bearer token authorizes the migration");
        }
        MigrationModel request = MigrationModel.parse(body);
        checkNames(request);
        RealmModel existing = session.realms().getRealmByName(request.membership().name());
        if (existing == null) {
            if (!AdminPermissions.realms(session, auth).canCreateRealm()) {
                throw refused(caller, request.membership().name(), "no permission to create realms");
            }
        } else {
            checkPermissions(caller, auth, existing, request);
        }
        try {
            return apply(auth, existing, request);
        } catch (ApiException refusal) {
            session.getTransactionManager().setRollbackOnly();
            throw refusal;
        } catch (ModelException failed) {
            session.getTransactionManager().setRollbackOnly();
            throw ErtisError.validation(LoginMessages.english(session, failed.getMessage(), failed.getParameters()));
        }
    }

    private AuthResult authenticate(String authorization) {
        ErtisCredential credential;
        try {
            credential = ErtisCredential.fromHeader(authorization);
        } catch (ApiException otherScheme) {
            credential = null;
        }
        if (credential == null || credential.basic()) {
            throw ErtisError.unauthorized("A Bearer access token of an administrator of realm " + adminRealm.getName() + " is required");
        }
        AuthResult result;
        try {
            result = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(adminRealm).setTokenString(credential.value()).authenticate();
        } catch (NotAuthorizedException malformed) {
            result = null;
        }
        if (result == null) {
            event().detail(Details.REASON, "bearer token invalid, expired, of another realm or of an ended session").error(Errors.INVALID_TOKEN);
            throw ErtisError.invalidToken();
        }
        // as the admin REST API's authentication: the evaluator may read the caller's token from the context
        session.getContext().setBearerToken(result.token());
        return result;
    }

    private void checkNames(MigrationModel request) {
        if (request.membership().name().equals(adminRealm.getName())) {
            throw ErtisError.validation("membership.name must not be the administration realm");
        }
        MigrationModel.Application application = request.application();
        if (application != null && KEYCLOAK_CLIENTS.contains(application.name())) {
            throw ErtisError.validation("application.name must not be one of Keycloak's own clients " + KEYCLOAK_CLIENTS);
        }
    }

    /** What the admin REST API asks of each change to an existing realm, before anything changes. */
    private void checkPermissions(AuthResult caller, AdminAuth auth, RealmModel realm, MigrationModel request) {
        AdminPermissionEvaluator permissions = AdminPermissions.evaluator(session, realm, auth);
        String membership = realm.getName();
        if (!permissions.realm().canManageRealm()) {
            throw refused(caller, membership, "no manage-realm permission on the membership realm");
        }
        UserModel user = session.users().getUserByUsername(realm, request.user().username());
        if (user == null ? !permissions.users().canManage() : !permissions.users().canManage(user)) {
            throw refused(caller, membership, "no manage-users permission");
        }
        boolean routeClientMissing = realm.getClientByClientId(settings.in(realm).client().clientId()) == null;
        ClientModel application = request.application() == null ? null : realm.getClientByClientId(request.application().name());
        boolean createsClient = routeClientMissing || request.application() != null && application == null;
        if (createsClient && !permissions.clients().canManage() || application != null && !permissions.clients().canConfigure(application)) {
            throw refused(caller, membership, "no manage-clients permission");
        }
    }

    private Response apply(AdminAuth auth, RealmModel existing, MigrationModel request) {
        MigrationModel.Membership membership = request.membership();
        RealmModel realm = existing == null ? createRealm(auth, membership) : existing;
        if (existing != null) {
            updateLifetimes(auth, realm, membership);
        }
        RealmModel previous = session.getContext().getRealm();
        session.getContext().setRealm(realm);
        try {
            ErtisSettings membershipSettings = settings.in(realm);
            String routeClientId = membershipSettings.client().clientId();
            ErtisDocuments documents = ErtisDocuments.of(membershipSettings, realm);
            boolean created = existing == null;
            created |= createRouteClientIfMissing(auth, realm, routeClientId);
            UserModel user = session.users().getUserByUsername(realm, request.user().username());
            if (user == null) {
                user = createUser(auth, realm, request.user(), documents.roleAttribute());
                created = true;
            } else {
                makeErtisAdmin(auth, realm, user, documents.roleAttribute());
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("membership", membershipDocument(realm));
            result.put("user", documents.user(user));
            if (request.application() != null) {
                ClientModel application = realm.getClientByClientId(request.application().name());
                String secret = null;
                if (application == null) {
                    application = createApplication(auth, realm, request.application(), routeClientId, documents.roleAttribute());
                    secret = application.getSecret();
                    created = true;
                } else {
                    updateApplication(auth, realm, application, request.application(), documents.roleAttribute());
                }
                Map<String, Object> document = documents.application(application);
                if (secret != null) {
                    document.put("secret", secret);
                }
                result.put("application", document);
            }
            return CorsResponses.forToken(auth.getToken(), Response.status(created ? 201 : 200)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(result)
                    .header("Cache-Control", "no-store")
                    .header("Pragma", "no-cache"));
        } finally {
            session.getContext().setRealm(previous);
        }
    }

    /**
     * As {@code POST /admin/realms}: Keycloak's RealmManager creates the realm with its default roles, clients, flows
     * and keys; a creator without the master admin role is granted every role of the realm's management client. The
     * realm revokes refresh tokens on use, as ErtisAuth's refresh tokens rotated.
     */
    private RealmModel createRealm(AdminAuth auth, MigrationModel.Membership membership) {
        RealmRepresentation representation = new RealmRepresentation();
        representation.setRealm(membership.name());
        representation.setEnabled(true);
        representation.setRevokeRefreshToken(true);
        representation.setRefreshTokenMaxReuse(0);
        RealmModel realm = new RealmManager(session).importRealm(representation);
        setLifetimes(realm, membership, new RealmRepresentation());
        if (!auth.hasRealmRole(AdminRoles.ADMIN)) {
            ClientModel managementClient = realm.getMasterAdminClient();
            for (String role : AdminRoles.ALL_REALM_ROLES) {
                auth.getUser().grantRole(managementClient.getRole(role));
            }
        }
        new AdminEventBuilder(adminRealm, auth, session, session.getContext().getConnection())
                .resource(ResourceType.REALM).realm(adminRealm).operation(OperationType.CREATE).resourcePath(realm.getName())
                .representation(ModelToRepresentation.toRepresentation(session, realm, false)).success();
        return realm;
    }

    private void updateLifetimes(AdminAuth auth, RealmModel realm, MigrationModel.Membership membership) {
        RealmRepresentation changes = new RealmRepresentation();
        if (setLifetimes(realm, membership, changes)) {
            changes.setRealm(realm.getName());
            adminEvent(auth, realm, ResourceType.REALM, OperationType.UPDATE, changes);
        }
    }

    /**
     * {@code expires_in} is the access token lifespan; {@code refresh_token_expires_in} the SSO session idle timeout,
     * which bounds each refresh token and restarts with every refresh, as ErtisAuth's refresh lifetime did; the SSO
     * session maximum is raised to it when lower, never lowered.
     *
     * @return whether anything changed; the changed settings are written into {@code changes}
     */
    private static boolean setLifetimes(RealmModel realm, MigrationModel.Membership membership, RealmRepresentation changes) {
        boolean changed = false;
        if (realm.getAccessTokenLifespan() != membership.expiresIn()) {
            realm.setAccessTokenLifespan(membership.expiresIn());
            changes.setAccessTokenLifespan(membership.expiresIn());
            changed = true;
        }
        if (realm.getSsoSessionIdleTimeout() != membership.refreshTokenExpiresIn()) {
            realm.setSsoSessionIdleTimeout(membership.refreshTokenExpiresIn());
            changes.setSsoSessionIdleTimeout(membership.refreshTokenExpiresIn());
            changed = true;
        }
        if (realm.getSsoSessionMaxLifespan() < membership.refreshTokenExpiresIn()) {
            realm.setSsoSessionMaxLifespan(membership.refreshTokenExpiresIn());
            changes.setSsoSessionMaxLifespan(membership.refreshTokenExpiresIn());
            changed = true;
        }
        return changed;
    }

    /** The public client the membership's ErtisAuth routes issue tokens for (setting {@code client}), unless it exists. */
    private boolean createRouteClientIfMissing(AdminAuth auth, RealmModel realm, String clientId) {
        if (clientId == null || realm.getClientByClientId(clientId) != null) {
            return false;
        }
        ClientRepresentation representation = new ClientRepresentation();
        representation.setClientId(clientId);
        representation.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        representation.setPublicClient(true);
        representation.setStandardFlowEnabled(false);
        representation.setDirectAccessGrantsEnabled(true);
        createClient(auth, realm, representation);
        return true;
    }

    private ClientModel createApplication(AdminAuth auth, RealmModel realm, MigrationModel.Application application, String routeClientId,
                                          String roleAttribute) {
        if (application.name().equals(routeClientId)) {
            throw ErtisError.validation("application.name must differ from the client the ErtisAuth routes issue tokens for");
        }
        ClientRepresentation representation = new ClientRepresentation();
        representation.setClientId(application.name());
        representation.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        representation.setPublicClient(false);
        representation.setClientAuthenticatorType("client-secret");
        representation.setStandardFlowEnabled(false);
        representation.setDirectAccessGrantsEnabled(false);
        if (application.role() != null) {
            representation.setAttributes(Map.of(roleAttribute, application.role()));
        }
        return createClient(auth, realm, representation);
    }

    /**
     * As {@code POST /admin/realms/{realm}/clients}: client policies on registration, Keycloak's ClientManager (which
     * generates the secret of a confidential client), client validation, the admin event.
     */
    private ClientModel createClient(AdminAuth auth, RealmModel realm, ClientRepresentation representation) {
        try {
            session.clientPolicy().triggerOnEvent(new AdminClientRegisterContext(representation, auth));
            ClientModel client = ClientManager.createClient(session, realm, representation);
            adminEvent(auth, realm, ResourceType.CLIENT, OperationType.CREATE, representation, "clients", client.getId());
            ValidationUtil.validateClient(session, client, true, invalid -> {
                throw ErtisError.validation("client " + representation.getClientId() + ": " + invalid.getAllErrorsAsString());
            });
            ClientModel previous = session.getContext().getClient();
            session.getContext().setClient(client);
            try {
                session.clientPolicy().triggerOnEvent(new AdminClientRegisteredContext(client, auth));
            } finally {
                session.getContext().setClient(previous);
            }
            return client;
        } catch (ClientPolicyException refused) {
            throw ErtisError.validation("client " + representation.getClientId() + " refused by a client policy: " + refused.getErrorDetail());
        }
    }

    /** An existing application keeps its secret; only its role follows the request. */
    private void updateApplication(AdminAuth auth, RealmModel realm, ClientModel application, MigrationModel.Application requested,
                                   String roleAttribute) {
        if (application.isPublicClient() || application.isBearerOnly() || !"client-secret".equals(application.getClientAuthenticatorType())) {
            throw ErtisError.validation("application.name names an existing client that is not a confidential client with a secret");
        }
        if (requested.role() == null || requested.role().equals(application.getAttribute(roleAttribute))) {
            return;
        }
        ClientRepresentation changes = new ClientRepresentation();
        changes.setClientId(application.getClientId());
        changes.setAttributes(Map.of(roleAttribute, requested.role()));
        try {
            session.clientPolicy().triggerOnEvent(new AdminClientUpdateContext(changes, application, auth));
        } catch (ClientPolicyException refused) {
            throw ErtisError.validation("client " + application.getClientId() + " refused by a client policy: " + refused.getErrorDetail());
        }
        application.setAttribute(roleAttribute, requested.role());
        adminEvent(auth, realm, ResourceType.CLIENT, OperationType.UPDATE, changes, "clients", application.getId());
    }

    /**
     * As {@code POST /admin/realms/{realm}/users}: the user profile in its admin context validates and creates the
     * user, Keycloak's credential manager sets the password under the realm's password policy.
     */
    private UserModel createUser(AdminAuth auth, RealmModel realm, MigrationModel.User requested, String roleAttribute) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(UserModel.USERNAME, requested.username());
        attributes.put(UserModel.EMAIL, requested.emailAddress());
        attributes.put(UserModel.FIRST_NAME, requested.firstname());
        attributes.put(UserModel.LAST_NAME, requested.lastname());
        UserProfile profile = session.getProvider(UserProfileProvider.class).create(UserProfileContext.USER_API, attributes);
        try {
            profile.validate();
        } catch (ValidationException invalid) {
            throw ErtisError.validation(profileErrors(invalid));
        }
        PasswordPolicyCheck.violation(session, requested.username(), requested.password())
                .ifPresent(violation -> {
                    throw ErtisError.validation("user.password: " + violation);
                });
        UserModel user;
        try {
            user = profile.create();
        } catch (ValidationException invalid) {
            throw ErtisError.validation(profileErrors(invalid));
        }
        user.setEnabled(true);
        try {
            user.credentialManager().updateCredential(UserCredentialModel.password(requested.password(), false));
        } catch (ModelException refused) {
            // policies that need the user (password history, not-username ...) refuse here
            throw ErtisError.validation("user.password: " + LoginMessages.english(session, refused.getMessage(), refused.getParameters()));
        }
        user.setSingleAttribute(roleAttribute, ADMIN_ROLE);
        adminEvent(auth, realm, ResourceType.USER, OperationType.CREATE, ModelToRepresentation.toBriefRepresentation(user), "users", user.getId());
        return user;
    }

    /** An existing user keeps its password and profile; it gets the ErtisAuth admin role if it lacks it. */
    private void makeErtisAdmin(AdminAuth auth, RealmModel realm, UserModel user, String roleAttribute) {
        if (ADMIN_ROLE.equals(user.getFirstAttribute(roleAttribute))) {
            return;
        }
        user.setSingleAttribute(roleAttribute, ADMIN_ROLE);
        adminEvent(auth, realm, ResourceType.USER, OperationType.UPDATE, ModelToRepresentation.toBriefRepresentation(user), "users", user.getId());
    }

    private String profileErrors(ValidationException invalid) {
        return invalid.getErrors().stream()
                .map(error -> "user." + error.getAttribute() + ": "
                        + error.getFormattedMessage((key, parameters) -> LoginMessages.english(session, key, parameters)))
                .collect(Collectors.joining("; "));
    }

    /** ErtisAuth's membership fields as Keycloak holds them; the realm name is the membership's id and slug. */
    private Map<String, Object> membershipDocument(RealmModel realm) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("_id", realm.getName());
        document.put("name", realm.getName());
        document.put("slug", realm.getName());
        document.put("expires_in", realm.getAccessTokenLifespan());
        document.put("refresh_token_expires_in", realm.getSsoSessionIdleTimeout());
        String hashAlgorithm = realm.getPasswordPolicy().getHashAlgorithm();
        document.put("hash_algorithm", hashAlgorithm != null ? hashAlgorithm
                : session.getKeycloakSessionFactory().getProviderFactory(PasswordHashProvider.class).getId());
        document.put("encoding", "UTF-8");
        return document;
    }

    private void adminEvent(AdminAuth auth, RealmModel realm, ResourceType type, OperationType operation, Object representation, String... path) {
        AdminEventBuilder event = new AdminEventBuilder(realm, auth, session, session.getContext().getConnection())
                .resource(type).operation(operation).representation(representation);
        if (path.length > 0) {
            event.resourcePath(path);
        }
        event.success();
    }

    /** A refused migration: 403 AccessDenied, and a {@code REGISTER_ERROR} event of the administration realm saying why. */
    private ApiException refused(AuthResult caller, String membership, String reason) {
        EventBuilder event = event().user(caller.user()).client(caller.client()).detail(Details.REASON, reason);
        if (membership != null) {
            event.detail("membership", membership);
        }
        event.error(Errors.NOT_ALLOWED);
        return ErtisError.accessDenied("Migration not allowed: " + reason);
    }

    private EventBuilder event() {
        return new EventBuilder(adminRealm, session, session.getContext().getConnection()).event(EventType.REGISTER_ERROR)
                .detail("endpoint", ENDPOINT);
    }
}
