package dev.keybridge.rest.timelapseme;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.keybridge.broker.nativesignin.IdTokenRejectedException;
import dev.keybridge.broker.nativesignin.ProviderSettings;
import dev.keybridge.broker.nativesignin.ProviderTokens;
import dev.keybridge.broker.nativesignin.VerifiedIdToken;
import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.CrossOriginResource;
import dev.keybridge.rest.support.Endpoints;
import dev.keybridge.rest.support.ErrorShape;
import dev.keybridge.rest.support.GrantOutcome;
import dev.keybridge.rest.support.CorsResponses;
import dev.keybridge.rest.support.JsonObjectBody;
import dev.keybridge.rest.support.NativeSignInGrant;
import dev.keybridge.rest.support.PasswordPolicyCheck;
import dev.keybridge.rest.support.PasswordGrant;
import dev.keybridge.rest.support.RealmGuard;
import dev.keybridge.rest.support.RefreshGrant;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.cors.Cors;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.utils.EmailValidationUtil;

/**
 * The TimeLapseMe auth server's API inside Keycloak, at {@code /realms/{realm}/timelapseme}: credentials sign-up,
 * sign-in and rotating refresh, answering every failure as the original did, with 400 and a plain-text body.
 * See the README (compatibility endpoints) for where it differs from the original on purpose.
 */
public class TimeLapseMeResource extends CrossOriginResource<TimeLapseMeSettings> {

    private static final Logger LOG = Logger.getLogger(TimeLapseMeResource.class);

    static final String SIGNUP_DISABLED = "Sign-up is disabled.";
    static final String SIGNUP_FAILED = "An error occurred while attempting to create a new user.";
    static final String EMAIL_UNAVAILABLE = "That email address is not available using the provided authentication method.";
    static final String INVALID_CREDENTIALS = "Invalid credentials.";
    static final String REFRESH_INVALID = "That refresh token is invalid.";
    static final String REFRESH_EXPIRED = "That refresh token has expired.";
    static final String SOCIAL_SIGNUP_JWT_MISSING = "Error: JWT not provided.";
    static final String SOCIAL_SIGNUP_TAKEN = "That email address is currently unavailable using that authentication method.";
    static final String SOCIAL_AUTH_JWT_MISSING = "JWT not provided.";
    static final String SOCIAL_AUTH_UNKNOWN_USER = "Invalid JWT: user not found.";
    /** The original's text (and spelling) for every other failure of a social sign-in. */
    static final String SOCIAL_AUTH_FAILED = "An error occured while processing this JWT.";
    static final String REFRESH_FAILED = "An error occurred while attempting to obtain a new access token with this refresh token.";
    /** The original's prefixes of validation errors: sign-up's differs from sign-in's and refresh's. */
    static final String SIGNUP_INVALID = "Invalid request:\n";
    static final String INVALID = "Error:\n";
    /** The original's nickname column is VARCHAR(128). */
    static final int MAX_NICKNAME = 128;

    /**
     * Every failure is the original's: status 400 with the message as the body, sent as text/html (Express's
     * res.send of a string, which the original's clients receive). The characters that make markup are escaped,
     * since a message may carry a piece of the request.
     */
    private static final ErrorShape ERRORS = new ErrorShape() {
        @Override
        public Object body(ApiException failure) {
            return failure.description().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }

        @Override
        public MediaType mediaType() {
            return MediaType.TEXT_HTML_TYPE.withCharset("utf-8");
        }

        @Override
        public int status(ApiException failure) {
            return 400;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("X-Content-Type-Options", "nosniff");
        }
    };

    TimeLapseMeResource(KeycloakSession session, TimeLapseMeSettings settings) {
        super(session, settings);
    }

    @POST
    @Path("api/v1/signup/credentials")
    public Response signUpCredentials(String body) {
        return Endpoints.run(ERRORS, () -> {
            // before anything is created: the login that completes a sign-up would refuse in a disabled realm
            RealmGuard.requireEnabled(realm);
            EventBuilder event = event(EventType.REGISTER).detail(Details.REGISTER_METHOD, TimeLapseMeResourceProviderFactory.PROVIDER_ID);
            if (!realm.isRegistrationAllowed()) {
                event.error(Errors.REGISTRATION_DISABLED);
                throw failure(SIGNUP_DISABLED);
            }
            JsonObjectBody json = parse(body, SIGNUP_INVALID);
            String email = json.text("email");
            String password = json.text("password");
            String nickname = json.text("nickname");
            List<String> errors = new ArrayList<>();
            validateEmail(email, errors);
            required("password", password, errors);
            if (required("passwordConfirm", json.text("passwordConfirm"), errors) && !json.text("passwordConfirm").equals(password)) {
                errors.add("passwordConfirm must match password");
            }
            if (required("nickname", nickname, errors) && nickname.length() > MAX_NICKNAME) {
                errors.add("nickname must be at most " + MAX_NICKNAME + " characters");
            }
            if (!errors.isEmpty()) {
                event.error(Errors.INVALID_REGISTRATION);
                rejectInvalid(SIGNUP_INVALID, errors);
            }
            ClientModel client = settings.client().in(realm);
            Cors cors = CorsResponses.checkedForClient(session, client);
            String username = email.toLowerCase(Locale.ROOT);
            event.client(client).detail(Details.USERNAME, username).detail(Details.EMAIL, username);
            if (emailTaken(username)) {
                event.error(Errors.EMAIL_IN_USE);
                throw failure(EMAIL_UNAVAILABLE);
            }
            UserProfile profile = registrationProfile(username, nickname, event);
            Optional<String> violation = PasswordPolicyCheck.violation(session, username, password);
            if (violation.isPresent()) {
                event.error(Errors.PASSWORD_REJECTED);
                throw failure(SIGNUP_INVALID + violation.get());
            }
            UserModel user = createUser(profile, username, password);
            event.user(user).success();
            GrantOutcome outcome = PasswordGrant.login(session, client, username, password);
            if (outcome instanceof GrantOutcome.Failure refused && !refused.grantRefused()) {
                // the realm or the client refused (e.g. a confidential client without its credentials): keep no user
                session.getTransactionManager().setRollbackOnly();
            }
            return tokens(outcome, cors);
        });
    }

    /**
     * The new user's profile in Keycloak's REGISTRATION context, validated as the registration form's
     * {@code RegistrationUserCreation} validates it: the realm's required attributes, validators, read-only and
     * unmanaged-attribute policy apply.
     *
     * @throws ApiException the original's sign-up validation error, one line per problem, when the profile refuses
     */
    private UserProfile registrationProfile(String username, String nickname, EventBuilder event) {
        String nicknameAttribute = settings.nicknameAttribute();
        Map<String, List<String>> attributes = Map.of(UserModel.USERNAME, List.of(username), UserModel.EMAIL, List.of(username),
                nicknameAttribute, List.of(nickname));
        UserProfile profile = session.getProvider(UserProfileProvider.class).create(UserProfileContext.REGISTRATION, attributes);
        try {
            profile.validate();
        } catch (ValidationException invalid) {
            List<String> problems = invalid.getErrors().stream().map(error -> problem(error, nicknameAttribute)).distinct().toList();
            event.detail(Details.REASON, "user profile: " + String.join("; ", problems)).error(Errors.INVALID_REGISTRATION);
            throw failure(SIGNUP_INVALID + String.join("\n", problems));
        }
        if (!profile.getAttributes().getWritable().containsKey(nicknameAttribute)) {
            // neither declared in the user profile nor allowed as an unmanaged attribute: the nickname would be lost
            LOG.warnf("TimeLapseMe sign-up refused in realm %s: user attribute '%s' is not writable at registration; declare it in"
                    + " the realm's user profile (edit: user) or set the unmanaged-attribute policy to Enabled", realm.getName(), nicknameAttribute);
            event.detail(Details.REASON, "user profile: attribute '" + nicknameAttribute + "' not writable at registration")
                    .error(Errors.INVALID_REGISTRATION);
            throw failure(SIGNUP_FAILED);
        }
        return profile;
    }

    /** A user-profile error in the original's words: its field names, yup's text for a missing value. */
    private static String problem(ValidationException.Error error, String nicknameAttribute) {
        String attribute = error.getAttribute();
        String field = UserModel.USERNAME.equals(attribute) || UserModel.EMAIL.equals(attribute) ? "email"
                : nicknameAttribute.equals(attribute) ? "nickname" : attribute;
        return "error-user-attribute-required".equals(error.getMessage()) ? field + " is a required field"
                : field + " is invalid (" + error.getMessage() + ")";
    }

    private UserModel createUser(UserProfile profile, String email, String password) {
        try {
            // the profile creates the user through the user storage manager: default roles and groups and writable
            // federation providers apply, and only the attributes the profile lets a registering user write are stored
            UserModel user = profile.create();
            user.setEnabled(true);
            if (realm.isVerifyEmail()) {
                user.addRequiredAction(UserModel.RequiredAction.VERIFY_EMAIL);
            }
            user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
            return user;
        } catch (ModelException e) {
            // e.g. a concurrent sign-up with the same email: nothing of this user may be committed
            LOG.warnf("TimeLapseMe sign-up of %s failed in realm %s: %s", email, realm.getName(), e.getMessage());
            session.getTransactionManager().setRollbackOnly();
            throw failure(SIGNUP_FAILED);
        }
    }

    private boolean emailTaken(String email) {
        try {
            return session.users().getUserByUsername(realm, email) != null || session.users().getUserByEmail(realm, email) != null;
        } catch (ModelException duplicateEmails) {
            // several users share the email (realm allows duplicate emails): it is taken
            return true;
        }
    }

    @POST
    @Path("api/v1/auth/credentials")
    public Response authCredentials(String body) {
        return Endpoints.run(ERRORS, () -> {
            JsonObjectBody json = parse(body, INVALID);
            String email = json.text("email");
            String password = json.text("password");
            List<String> errors = new ArrayList<>();
            validateEmail(email, errors);
            required("password", password, errors);
            rejectInvalid(INVALID, errors);
            ClientModel client = settings.client().in(realm);
            Cors cors = CorsResponses.checkedForClient(session, client);
            return tokens(PasswordGrant.login(session, client, email, password), cors);
        });
    }

    /**
     * Sign-up with an Apple or Google ID token that carries an email: creates the user and links the identity, as
     * native sign-in does.
     */
    @POST
    @Path("api/v1/signup/{provider: google|apple}")
    public Response signUpSocial(@PathParam("provider") String alias, String body) {
        return Endpoints.run(ERRORS, () -> {
            if (!realm.isRegistrationAllowed()) {
                event(EventType.REGISTER).detail(Details.REGISTER_METHOD, TimeLapseMeResourceProviderFactory.PROVIDER_ID)
                        .detail(Details.IDENTITY_PROVIDER, alias).error(Errors.REGISTRATION_DISABLED);
                throw failure(SIGNUP_DISABLED);
            }
            SocialRequest request = socialRequest(alias, body, SOCIAL_SIGNUP_JWT_MISSING, SIGNUP_FAILED, EventType.REGISTER);
            // the original refused a token without an email ("the JWT provided by the client must include the email")
            String email = request.token().email();
            if (email == null || !EmailValidationUtil.isValidEmail(email)) {
                request.event().detail(Details.REASON, "the ID token carries no valid email").error(Errors.INVALID_REGISTRATION);
                throw failure(SIGNUP_FAILED);
            }
            if (request.linkedUser() != null) {
                request.event().user(request.linkedUser()).error(Errors.FEDERATED_IDENTITY_EXISTS);
                throw failure(SOCIAL_SIGNUP_TAKEN);
            }
            return socialTokens(request, SIGNUP_FAILED);
        });
    }

    /** Sign-in with an Apple or Google ID token of a user who signed up (or is linked) already; never creates one. */
    @POST
    @Path("api/v1/auth/{provider: google|apple}")
    public Response authSocial(@PathParam("provider") String alias, String body) {
        return Endpoints.run(ERRORS, () -> {
            SocialRequest request = socialRequest(alias, body, SOCIAL_AUTH_JWT_MISSING, SOCIAL_AUTH_FAILED, EventType.LOGIN);
            String email = request.token().email();
            // a user with the token's email is left to native sign-in, which links it only when the IdP allows it
            if (request.linkedUser() == null && (email == null || email.isBlank() || userWithEmail(email) == null)) {
                request.event().error(Errors.USER_NOT_FOUND);
                throw failure(SOCIAL_AUTH_UNKNOWN_USER);
            }
            return socialTokens(request, SOCIAL_AUTH_FAILED);
        });
    }

    /** A social request whose ID token passed the IdP's checks, with the user already linked to that identity. */
    private record SocialRequest(String alias, String jwt, VerifiedIdToken token, UserModel linkedUser, ClientModel client,
                                 Cors cors, EventBuilder event) {
    }

    private SocialRequest socialRequest(String alias, String body, String jwtMissing, String failed, EventType type) {
        JsonObjectBody json = parse(body, INVALID);
        String jwt = json.text("jwt");
        if (jwt == null || jwt.isEmpty()) {
            throw failure(jwtMissing);
        }
        ClientModel client = settings.client().in(realm);
        Cors cors = CorsResponses.checkedForClient(session, client);
        EventBuilder event = event(type).client(client).detail(Details.IDENTITY_PROVIDER, alias)
                .detail(Details.AUTH_METHOD, TimeLapseMeResourceProviderFactory.PROVIDER_ID);
        IdentityProviderModel idp = session.identityProviders().getByAlias(alias);
        if (!ProviderSettings.supports(idp) || !idp.isEnabled()) {
            event.detail(Details.REASON, "no enabled Apple or Google identity provider with alias " + alias).error(Errors.UNKNOWN_IDENTITY_PROVIDER);
            throw failure(failed);
        }
        VerifiedIdToken token;
        try {
            token = ProviderTokens.verify(session, ProviderSettings.of(idp), jwt, null);
        } catch (IdTokenRejectedException rejected) {
            event.detail(Details.REASON, rejected.getMessage()).error(Errors.INVALID_TOKEN);
            throw failure(failed);
        }
        event.detail(Details.IDENTITY_PROVIDER_USER_ID, token.subject());
        UserModel linked = session.users().getUserByFederatedIdentity(realm, new FederatedIdentityModel(alias, token.subject(), null));
        return new SocialRequest(alias, jwt, token, linked, client, cors, event);
    }

    private Response socialTokens(SocialRequest request, String failed) {
        // the grant checks the token once more (keys are cached) and emits its own events, success or error
        GrantOutcome outcome = NativeSignInGrant.login(session, request.client(), request.alias(), request.jwt());
        if (outcome instanceof GrantOutcome.Failure refused) {
            LOG.debugf("TimeLapseMe social sign-in with %s refused in realm %s: %s", request.alias(), realm.getName(), refused.description());
            throw failure(failed);
        }
        return tokens(outcome, request.cors());
    }

    private UserModel userWithEmail(String email) {
        try {
            return session.users().getUserByEmail(realm, email);
        } catch (ModelException duplicateEmails) {
            // several users share the email: native sign-in refuses to pick one, so none signs in by email
            return null;
        }
    }

    @POST
    @Path("api/v1/refresh")
    public Response refresh(String body) {
        return Endpoints.run(ERRORS, () -> {
            JsonObjectBody json = parse(body, INVALID);
            String refreshToken = json.text("refreshToken");
            List<String> errors = new ArrayList<>();
            required("refreshToken", refreshToken, errors);
            rejectInvalid(INVALID, errors);
            ClientModel client = settings.client().in(realm);
            RefreshGrant.requireRotation(session, client, reason -> failure(REFRESH_FAILED));
            Cors cors = CorsResponses.checkedForClient(session, client);
            GrantOutcome outcome = RefreshGrant.refresh(session, client, refreshToken);
            if (outcome instanceof GrantOutcome.Failure refused && refused.grantRefused()) {
                throw failure(refused.refreshExpired() ? REFRESH_EXPIRED : REFRESH_INVALID);
            }
            return tokens(outcome, cors);
        });
    }

    private Response tokens(GrantOutcome outcome, Cors cors) {
        if (outcome instanceof GrantOutcome.Tokens tokens) {
            return cors.add(Response.ok(new TimeLapseMeTokens(tokens.response().getToken(), tokens.response().getRefreshToken()),
                            MediaType.APPLICATION_JSON_TYPE)
                    .header("Cache-Control", "no-store")
                    .header("Pragma", "no-cache"));
        }
        GrantOutcome.Failure failure = (GrantOutcome.Failure) outcome;
        throw failure(failure.badCredentials() || failure.description() == null ? INVALID_CREDENTIALS : failure.description() + ".");
    }

    private static JsonObjectBody parse(String body, String prefix) {
        try {
            return JsonObjectBody.parse(body);
        } catch (ApiException malformed) {
            throw failure(prefix + malformed.description());
        }
    }

    private static void validateEmail(String email, List<String> errors) {
        if (required("email", email, errors) && !EmailValidationUtil.isValidEmail(email)) {
            errors.add("email must be a valid email");
        }
    }

    /** @throws ApiException with the original's validation text when there are errors */
    private static void rejectInvalid(String prefix, List<String> errors) {
        if (!errors.isEmpty()) {
            throw failure(prefix + String.join("\n", errors));
        }
    }

    /** @return whether the value is present; else adds the original's (yup's) message for a missing field */
    private static boolean required(String field, String value, List<String> errors) {
        if (value == null || value.isEmpty()) {
            errors.add(field + " is a required field");
            return false;
        }
        return true;
    }

    private EventBuilder event(EventType type) {
        return new EventBuilder(realm, session, session.getContext().getConnection()).event(type);
    }

    private static ApiException failure(String text) {
        return new ApiException(400, "invalid_request", text);
    }
}
