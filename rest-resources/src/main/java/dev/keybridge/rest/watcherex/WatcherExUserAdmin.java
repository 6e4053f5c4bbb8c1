package dev.keybridge.rest.watcherex;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.CorsResponses;
import dev.keybridge.rest.support.JsonObjectBody;
import dev.keybridge.rest.support.LoginMessages;
import dev.keybridge.rest.support.PasswordPolicyCheck;
import dev.keybridge.rest.support.RoleReference;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;

/**
 * WatcherEx's user administration, {@code POST /admin/v1/users}, with the guards of the admin REST API it stands for:
 * creating the user requires what {@code UsersResource.createUser} requires (the admin permission to manage users),
 * granting each scope what the user's role-mapping resources require (map roles of the user, map that role: admin
 * roles only by their holders), with fine-grained admin permissions when the realm enables them; only roles the
 * realm's {@link GrantableRoles} allows are granted at all. The user is created through the user profile in its
 * admin ({@code USER_API}) context, so the profile's validators and attribute rules apply.
 */
final class WatcherExUserAdmin {

    /** The original's limits on new users. */
    static final int MIN_USERNAME = 5;
    static final int MAX_USERNAME = 150;
    static final int MIN_PASSWORD = 6;
    static final Set<String> STATUSES = Set.of("active", "inactive", "blocked", "temporary_blocked");

    private static final String ENDPOINT = WatcherExResourceProviderFactory.PROVIDER_ID + "/admin/v1/users";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AuthResult caller;
    private final AdminAuth adminAuth;
    private final AdminPermissionEvaluator permissions;
    private final GrantableRoles grantable;
    private final Predicate<UserModel> holdsAdminRole;

    /**
     * @param caller         the authenticated caller, already holding WatcherEx's admin role
     * @param holdsAdminRole whether a user holds that role, WatcherEx's {@code is_admin}
     */
    WatcherExUserAdmin(KeycloakSession session, AuthResult caller, GrantableRoles grantable, Predicate<UserModel> holdsAdminRole) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.caller = caller;
        this.adminAuth = new AdminAuth(realm, caller.token(), caller.user(), caller.client());
        this.permissions = AdminPermissions.evaluator(session, realm, adminAuth);
        this.grantable = grantable;
        this.holdsAdminRole = holdsAdminRole;
    }

    /**
     * Creates a user with a password and scopes (roles, in {@link RoleReference} notation): 201 with the original's
     * fields. The password is hashed by the realm's policy, whatever {@code algorithm} the request names.
     *
     * @throws ApiException 401 {@code unauthorized} when a permission is missing or a scope is not grantable, 400 with
     *                      the fields that failed validation (the original's rules, the password policy, the user profile)
     */
    Response create(String body) {
        // as UsersResource.createUser: the permission first, so that a caller without it learns nothing of the input
        if (!permissions.users().canManage()) {
            throw refused("no admin permission to manage users", null);
        }
        JsonObjectBody json;
        try {
            json = JsonObjectBody.parse(body);
        } catch (ApiException malformed) {
            throw WatcherExError.badRequest();
        }
        Map<String, List<String>> invalid = new LinkedHashMap<>();
        String username = json.text("username");
        if (username == null || username.length() < MIN_USERNAME || username.length() > MAX_USERNAME) {
            invalid.put("username", List.of("should be between " + MIN_USERNAME + " and " + MAX_USERNAME + " characters"));
        } else if (session.users().getUserByUsername(realm, username) != null) {
            invalid.put("username", List.of("has already been taken"));
        }
        String password = password(json);
        if (password == null || password.length() < MIN_PASSWORD) {
            invalid.put("password", List.of("should be at least " + MIN_PASSWORD + " character(s)"));
        } else if (username != null) {
            PasswordPolicyCheck.violation(session, username, password).ifPresent(violation -> invalid.put("password", List.of(violation)));
        }
        String status = Optional.ofNullable(json.text("status")).orElse("active");
        if (!STATUSES.contains(status)) {
            invalid.put("status", List.of("is invalid"));
        }
        List<RoleModel> scopes = scopes(json, invalid);
        for (RoleModel role : scopes) {
            if (!grantable.allows(realm, role)) {
                throw refused("not grantable through WatcherEx (setting " + WatcherExResourceProviderFactory.PROVIDER_ID + "."
                        + WatcherExSettings.GRANTABLE_ROLES.key() + ")", role);
            }
            // as the role-mapping resources: an admin role only by a caller holding it (or realm-admin)
            if (!permissions.roles().canMapRole(role)) {
                throw refused("no admin permission to map the role", role);
            }
        }
        UserProfile profile = session.getProvider(UserProfileProvider.class)
                .create(UserProfileContext.USER_API, Map.of(UserModel.USERNAME, username == null ? "" : username));
        try {
            profile.validate();
        } catch (ValidationException failed) {
            // the original's own messages come first for a field both check
            profileErrors(failed).forEach(invalid::putIfAbsent);
        }
        if (!invalid.isEmpty()) {
            throw new WatcherExError.Invalid(invalid);
        }
        UserModel user = createUser(profile, status, password, scopes);
        event(EventType.REGISTER).user(user).detail(Details.USERNAME, username)
                .detail("created_by", caller.user().getUsername())
                .detail("endpoint", ENDPOINT).success();
        adminEvents(user, scopes);
        return CorsResponses.anyOrigin(Response.status(201).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(userFields(user, holdsAdminRole.test(user))));
    }

    /** The user, its password and roles, all or nothing: a failure after the user exists rolls the transaction back. */
    private UserModel createUser(UserProfile profile, String status, String password, List<RoleModel> scopes) {
        boolean created = false;
        try {
            UserModel user = profile.create();
            user.setEnabled("active".equals(status));
            try {
                user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
            } catch (ModelException refused) {
                // policies that need the user (password history, not-email ...) refuse here
                throw new WatcherExError.Invalid(Map.of("password",
                        List.of(LoginMessages.english(session, refused.getMessage(), refused.getParameters()))));
            }
            // UserResource's role-mapping resources check the mapping permission on the user itself
            if (!scopes.isEmpty() && !permissions.users().canMapRoles(user)) {
                throw refused("no admin permission to map roles of the user", null);
            }
            scopes.forEach(user::grantRole);
            created = true;
            return user;
        } catch (ValidationException failed) {
            throw new WatcherExError.Invalid(profileErrors(failed));
        } finally {
            if (!created) {
                session.getTransactionManager().setRollbackOnly();
            }
        }
    }

    /** The user profile's complaints per attribute, worded by the login theme. */
    private Map<String, List<String>> profileErrors(ValidationException failed) {
        return failed.getErrors().stream().collect(Collectors.groupingBy(ValidationException.Error::getAttribute, LinkedHashMap::new,
                Collectors.mapping(error -> error.getFormattedMessage((key, parameters) -> LoginMessages.english(session, key, parameters)),
                        Collectors.toList())));
    }

    /** The admin events the admin API records for the same changes: the user created, then its role mappings. */
    private void adminEvents(UserModel user, List<RoleModel> scopes) {
        adminEvent(ResourceType.USER, ModelToRepresentation.toBriefRepresentation(user), "users", user.getId());
        scopes.stream().collect(Collectors.groupingBy(RoleModel::getContainer, LinkedHashMap::new, Collectors.toList()))
                .forEach((container, roles) -> {
                    List<?> mapped = roles.stream().map(ModelToRepresentation::toBriefRepresentation).toList();
                    if (container instanceof ClientModel client) {
                        adminEvent(ResourceType.CLIENT_ROLE_MAPPING, mapped, "users", user.getId(), "role-mappings", "clients", client.getId());
                    } else {
                        adminEvent(ResourceType.REALM_ROLE_MAPPING, mapped, "users", user.getId(), "role-mappings", "realm");
                    }
                });
    }

    private void adminEvent(ResourceType type, Object representation, String... path) {
        new AdminEventBuilder(realm, adminAuth, session, session.getContext().getConnection())
                .operation(OperationType.CREATE).resource(type).resourcePath(path).representation(representation).success();
    }

    /** A refused creation: 401 {@code unauthorized} in WatcherEx's terms, and a {@code REGISTER_ERROR} event saying why. */
    private ApiException refused(String reason, RoleModel role) {
        EventBuilder event = event(EventType.REGISTER_ERROR)
                .detail("created_by", caller.user().getUsername())
                .detail("endpoint", ENDPOINT)
                .detail(Details.REASON, reason);
        if (role != null) {
            event.detail("refused_role", RoleReference.of(role));
        }
        event.error(Errors.NOT_ALLOWED);
        return WatcherExError.unauthorized();
    }

    /** {@code password.value} as the original's schema, or a flat string as its README shows. */
    private static String password(JsonObjectBody json) {
        JsonNode password = json.node("password");
        JsonNode value = password != null && password.isObject() ? password.get("value") : password;
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** {@code permission.scopes} as the original's schema, or top-level {@code scopes} as its README shows. */
    private List<RoleModel> scopes(JsonObjectBody json, Map<String, List<String>> invalid) {
        JsonNode permission = json.node("permission");
        JsonNode scopes = permission != null && permission.isObject() ? permission.get("scopes") : json.node("scopes");
        if (scopes == null || scopes.isNull()) {
            return List.of();
        }
        List<RoleModel> roles = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        if (!scopes.isArray()) {
            invalid.put("scopes", List.of("is invalid"));
            return roles;
        }
        scopes.forEach(scope -> RoleReference.resolve(realm, scope.isTextual() ? scope.asText() : null)
                .ifPresentOrElse(roles::add, () -> unknown.add(scope.toString())));
        if (!unknown.isEmpty()) {
            invalid.put("scopes", List.of("unknown scopes " + unknown));
        }
        return roles.stream().distinct().toList();
    }

    /** WatcherEx's user fields; timestamps are UTC without offset, as the original's NaiveDateTime. */
    static Map<String, Object> userFields(UserModel user, boolean admin) {
        String created = user.getCreatedTimestamp() == null ? null : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                Instant.ofEpochMilli(user.getCreatedTimestamp()).truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).toLocalDateTime());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", user.getId());
        fields.put("username", user.getUsername());
        fields.put("status", user.isEnabled() ? "active" : "inactive");
        fields.put("is_admin", admin);
        fields.put("inserted_at", created);
        fields.put("update_at", created);
        return fields;
    }

    private EventBuilder event(EventType type) {
        return new EventBuilder(realm, session, session.getContext().getConnection()).event(type);
    }
}
