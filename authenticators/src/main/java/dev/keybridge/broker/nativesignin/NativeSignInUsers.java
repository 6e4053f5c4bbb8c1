package dev.keybridge.broker.nativesignin;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.keybridge.broker.facebook.FacebookSignIn;
import dev.keybridge.broker.microsoft.MicrosoftTenants;
import org.jboss.logging.Logger;
import org.keycloak.OAuthErrorException;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.oidc.mappers.AbstractJsonUserAttributeMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityProviderMapper;
import org.keycloak.broker.provider.IdentityProviderMapperSyncModeDelegate;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.services.resources.IdentityBrokerService;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.util.JsonSerialization;

/**
 * Finds or creates the Keycloak user behind a verified ID token, keeping the login policy a browser
 * login through the same identity provider would apply: a linked identity signs in; otherwise an
 * account with the same email is linked only when the IdP allows linking by email, trusts email, and
 * the email is verified on both sides; otherwise a user is created unless the IdP is sign-in only.
 * Each case goes ahead only when the IdP's first-login and post-login flows would pass without a page
 * ({@link BrokerLoginFlows}) and the account has no required action pending; otherwise the app is told
 * to use the browser ({@code interaction_required}). The IdP's mappers run as in a browser login
 * (import for new users, sync mode for returning ones).
 */
public final class NativeSignInUsers {

    /** Event error of a refusal because the login would need a page native sign-in cannot show. */
    private static final String INTERACTION_REQUIRED = OAuthErrorException.INTERACTION_REQUIRED;

    private static final Logger LOG = Logger.getLogger(NativeSignInUsers.class);
    private static final String GMAIL = "gmail.com";
    private static final String POST_LOGIN_FLOW = "post login flow";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EventBuilder event;
    private final ClientModel client;
    /** Keycloak's own user store, underneath its user cache. */
    private static final String JPA_USER_PROVIDER = "jpa";

    private final String scope;

    /**
     * @param client the client the tokens are for, whose consent requirement applies
     * @param scope  the requested scope, already validated
     */
    public NativeSignInUsers(KeycloakSession session, RealmModel realm, EventBuilder event, ClientModel client, String scope) {
        this.session = session;
        this.realm = realm;
        this.event = event;
        this.client = client;
        this.scope = scope;
    }

    public UserModel resolve(IdentityProviderModel idp, NativeSignInSettings settings, VerifiedIdToken token) throws SignInRefusedException {
        return resolve(idp, settings, token, true);
    }

    private UserModel resolve(IdentityProviderModel idp, NativeSignInSettings settings, VerifiedIdToken token, boolean retryOnConflict)
            throws SignInRefusedException {
        String alias = idp.getAlias();
        UserModel linked = retryOnConflict ? linkedUser(alias, token) : linkedUserInDatabase(alias, token);
        if (linked != null) {
            return signInLinked(idp, token, linked);
        }
        String email = token.email();
        UserModel sameEmail = email == null || email.isBlank() ? null : userWithEmail(alias, email);
        if (sameEmail != null) {
            // a concurrent first sign-in of this identity may have created and linked the account between the two lookups
            UserModel linkedMeanwhile = linkedUserInDatabase(alias, token);
            return linkedMeanwhile != null ? signInLinked(idp, token, linkedMeanwhile)
                    : linkExisting(idp, settings, token, sameEmail, retryOnConflict);
        }
        if (!settings.createUsers()) {
            throw refused(Errors.USER_NOT_FOUND, "no account is linked to this '" + alias + "' identity and sign-up is disabled for it");
        }
        String username = usernameFor(alias, token);
        requireFlowPasses(BrokerLoginFlows.firstLogin(session, realm, idp, BrokerLoginFlows.Stage.NEW_ACCOUNT,
                profileProblems(username, token), null), idp, "first login flow");
        List<String> defaultActions = realm.getRequiredActionProvidersStream()
                .filter(a -> a.isEnabled() && a.isDefaultAction()).map(RequiredActionProviderModel::getAlias).toList();
        if (!defaultActions.isEmpty()) {
            throw new SignInRefusedException(OAuthErrorException.INTERACTION_REQUIRED, Errors.RESOLVE_REQUIRED_ACTIONS,
                    "new accounts must complete required actions " + defaultActions + " first; sign up in a browser");
        }
        if (client.isConsentRequired()) {
            throw consentNeeded();
        }
        String userId;
        try {
            userId = apart("keybridge native sign-up", s -> {
                UserModel created = register(s, idp, token, username);
                // the post-login flow's conditions see the new account as the browser's would; a refusal rolls it back
                BrokerLoginFlows.Verdict afterLogin = BrokerLoginFlows.afterLogin(s, s.getContext().getRealm(), idp, created);
                if (!afterLogin.passes()) {
                    throw new PostLoginFlowRefusal(afterLogin);
                }
                return created.getId();
            });
        } catch (PostLoginFlowRefusal refusal) {
            throw flowRefusal(refusal.verdict, idp, POST_LOGIN_FLOW);
        } catch (RuntimeException conflict) {
            // most likely a concurrent first sign-in of the same identity created the account a moment ago
            if (retryOnConflict) {
                return resolve(idp, settings, token, false);
            }
            throw refused(Errors.FEDERATED_IDENTITY_EXISTS, "the account for this '" + alias + "' identity could not be created: " + reason(conflict));
        }
        UserModel user = session.users().getUserById(realm, userId);
        event.clone().event(EventType.REGISTER).user(user)
                .detail(Details.REGISTER_METHOD, NativeSignInGrantType.AUTH_METHOD)
                .detail(Details.IDENTITY_PROVIDER, alias).detail(Details.IDENTITY_PROVIDER_USER_ID, token.subject())
                .detail(Details.USERNAME, user.getUsername()).detail(Details.EMAIL, email).success();
        return user;
    }

    private UserModel linkExisting(IdentityProviderModel idp, NativeSignInSettings settings, VerifiedIdToken token, UserModel account,
                                   boolean retryOnConflict) throws SignInRefusedException {
        String alias = idp.getAlias();
        if (!settings.linkByEmail()) {
            throw refused(Errors.FEDERATED_IDENTITY_EXISTS, "an account with this email already exists and is not linked to '" + alias
                    + "'; sign in to it and link '" + alias + "' from the account console");
        }
        if (!emailTrusted(idp, token) || !account.isEmailVerified()) {
            throw refused(Errors.FEDERATED_IDENTITY_EXISTS, "an account with this email already exists; it is linked only when identity provider '"
                    + alias + "' trusts email, the token's email is verified" + emailProofHint(idp)
                    + ", and the account's email is verified too (verified on both sides)");
        }
        FederatedIdentityModel other = session.users().getFederatedIdentity(realm, account, alias);
        if (other != null) {
            throw refused(Errors.FEDERATED_IDENTITY_EXISTS, "the account with this email is already linked to another '" + alias
                    + "' identity; one account links one identity per identity provider");
        }
        requireFlowPasses(BrokerLoginFlows.firstLogin(session, realm, idp, BrokerLoginFlows.Stage.EXISTING_ACCOUNT,
                profileProblems(account.getUsername(), token), account), idp, "first login flow");
        requireFlowPasses(BrokerLoginFlows.afterLogin(session, realm, idp, account), idp, POST_LOGIN_FLOW);
        requireReady(account);
        try {
            apart("keybridge native link", s -> {
                UserModel user = s.users().getUserById(s.getContext().getRealm(), account.getId());
                link(s, user, alias, token);
                return user.getId();
            });
        } catch (RuntimeException conflict) {
            if (retryOnConflict) {
                return resolve(idp, settings, token, false);
            }
            throw refused(Errors.FEDERATED_IDENTITY_EXISTS, "'" + alias + "' could not be linked to the account with this email: " + reason(conflict));
        }
        updateFromMappers(account, brokeredIdentity(session, idp, token));
        event.clone().event(EventType.FEDERATED_IDENTITY_LINK).user(account)
                .detail(Details.IDENTITY_PROVIDER, alias).detail(Details.IDENTITY_PROVIDER_USER_ID, token.subject())
                .detail(Details.EMAIL, token.email()).success();
        return account;
    }

    /**
     * Whether the token's email may count as verified in this realm: the IdP trusts email and the token
     * says {@code email_verified} (Microsoft: {@code xms_edov}, see {@link MicrosoftTenants#emailProven}); for Google also
     * only where Google is authoritative for the address (a gmail.com address, or a Workspace account, whose token carries {@code hd}).
     */
    static boolean emailTrusted(IdentityProviderModel idp, VerifiedIdToken token) {
        if (!Boolean.TRUE.equals(idp.isTrustEmail()) || !token.emailVerified() || token.email() == null) {
            return false;
        }
        if (!isGoogle(idp)) {
            return true;
        }
        String domain = token.email().substring(token.email().lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        return GMAIL.equals(domain) || token.claims().get("hd") instanceof String hd && !hd.isBlank();
    }

    private static String emailProofHint(IdentityProviderModel idp) {
        if (isGoogle(idp)) {
            return " (and Google's own: gmail.com or a hosted domain)";
        }
        return MicrosoftTenants.PROVIDER_ID.equals(idp.getProviderId())
                ? " (Microsoft proves an email only with xms_edov true; its email claim alone is not verified)" : "";
    }

    private static boolean isGoogle(IdentityProviderModel idp) {
        return ProviderSettings.GOOGLE_PROVIDER_ID.equals(idp.getProviderId());
    }

    /** What a browser login would stop at before issuing tokens: a disabled account, pending required actions, a consent screen. */
    private void requireReady(UserModel user) throws SignInRefusedException {
        if (!user.isEnabled()) {
            throw refused(Errors.USER_DISABLED, "user is disabled");
        }
        List<String> pending = user.getRequiredActionsStream().filter(this::enabledAction).toList();
        if (!pending.isEmpty()) {
            throw new SignInRefusedException(OAuthErrorException.INTERACTION_REQUIRED, Errors.RESOLVE_REQUIRED_ACTIONS,
                    "Account is not fully set up: required actions " + pending + " must be completed in a browser login");
        }
        // the check the JWT authorization grant makes; a browser login would show the consent screen
        if (client.isConsentRequired() && !TokenManager.verifyConsentStillAvailable(session, user, client, null, scope)) {
            throw consentNeeded();
        }
    }

    private SignInRefusedException consentNeeded() {
        return new SignInRefusedException(OAuthErrorException.INTERACTION_REQUIRED, Errors.CONSENT_DENIED, "client '" + client.getClientId()
                + "' requires consent to scope '" + scope + "' that the user has not given; sign in through the browser to give it");
    }

    private boolean enabledAction(String alias) {
        RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(alias);
        return action == null || action.isEnabled();
    }

    private void requireFlowPasses(BrokerLoginFlows.Verdict verdict, IdentityProviderModel idp, String which) throws SignInRefusedException {
        if (!verdict.passes()) {
            throw flowRefusal(verdict, idp, which);
        }
    }

    private SignInRefusedException flowRefusal(BrokerLoginFlows.Verdict verdict, IdentityProviderModel idp, String which) {
        String where = "the " + which + " of identity provider '" + idp.getAlias() + "'";
        return switch (verdict.kind()) {
            case NEEDS_INTERACTION -> new SignInRefusedException(OAuthErrorException.INTERACTION_REQUIRED, INTERACTION_REQUIRED,
                    where + " needs the browser at step " + verdict.step() + "; sign in through the browser instead");
            case DENIES -> refused(Errors.ACCESS_DENIED, where + " denies access (" + verdict.step() + ")");
            case FAILS -> refused(Errors.ACCESS_DENIED, where + " ends without a user (" + verdict.step() + ")");
            case PASSES -> throw new IllegalStateException("a passing flow is no refusal");
        };
    }

    /** Carries a post-login refusal out of the new account's transaction, rolling it back. */
    private static final class PostLoginFlowRefusal extends RuntimeException {
        private final transient BrokerLoginFlows.Verdict verdict;

        PostLoginFlowRefusal(BrokerLoginFlows.Verdict verdict) {
            super(null, null, false, false);
            this.verdict = verdict;
        }
    }

    /** The user-profile check the review-profile step makes on the brokered data, in its "missing" mode. */
    private Supplier<String> profileProblems(String username, VerifiedIdToken token) {
        return () -> {
            Map<String, List<String>> attributes = new HashMap<>();
            attributes.put(UserModel.USERNAME, List.of(username));
            putIfPresent(attributes, UserModel.EMAIL, token.email());
            putIfPresent(attributes, UserModel.FIRST_NAME, token.givenName());
            putIfPresent(attributes, UserModel.LAST_NAME, token.familyName());
            try {
                session.getProvider(UserProfileProvider.class).create(UserProfileContext.IDP_REVIEW, attributes).validate();
                return null;
            } catch (ValidationException invalid) {
                return "the user profile needs " + invalid.getErrors().stream().map(ValidationException.Error::getAttribute).distinct().toList();
            }
        };
    }

    private static void putIfPresent(Map<String, List<String>> attributes, String name, String value) {
        if (value != null && !value.isBlank()) {
            attributes.put(name, List.of(value));
        }
    }

    private UserModel userWithEmail(String alias, String email) throws SignInRefusedException {
        try {
            return session.users().getUserByEmail(realm, email);
        } catch (ModelDuplicateException several) {
            // a realm that allows duplicate emails: no account can be picked by email
            throw refused(Errors.FEDERATED_IDENTITY_EXISTS, "several accounts have this email; none is linked to '" + alias
                    + "' by email, and no new one is created for it");
        }
    }

    private UserModel signInLinked(IdentityProviderModel idp, VerifiedIdToken token, UserModel linked) throws SignInRefusedException {
        requireFlowPasses(BrokerLoginFlows.afterLogin(session, realm, idp, linked), idp, POST_LOGIN_FLOW);
        requireReady(linked);
        updateFromMappers(linked, brokeredIdentity(session, idp, token));
        return linked;
    }

    private UserModel linkedUser(String alias, VerifiedIdToken token) {
        return session.users().getUserByFederatedIdentity(realm, new FederatedIdentityModel(alias, token.subject(), null));
    }

    /**
     * The identity's account as the database has it now, past the user cache: after a concurrent first sign-in of the
     * same identity committed, this request's cache may still answer the earlier "no one is linked".
     */
    private UserModel linkedUserInDatabase(String alias, VerifiedIdToken token) {
        UserModel stored = session.getProvider(UserProvider.class, JPA_USER_PROVIDER)
                .getUserByFederatedIdentity(realm, new FederatedIdentityModel(alias, token.subject(), null));
        return stored == null ? null : session.users().getUserById(realm, stored.getId());
    }

    private String usernameFor(String alias, VerifiedIdToken token) {
        String email = token.email();
        boolean emailFree = email != null && !email.isBlank() && session.users().getUserByUsername(realm, email) == null;
        return emailFree ? email : alias + "." + token.subject();
    }

    /**
     * Runs an account change in a transaction of its own, committed before the tokens are issued, so
     * that a concurrent first sign-in of the same identity fails at once on the unique username or
     * link and can find the account the other request created.
     */
    private String apart(String task, Function<KeycloakSession, String> change) {
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), session.getContext(), change::apply, task);
    }

    private static UserModel register(KeycloakSession s, IdentityProviderModel idp, VerifiedIdToken token, String username) {
        RealmModel realm = s.getContext().getRealm();
        String alias = idp.getAlias();
        String email = token.email();
        BrokeredIdentityContext identity = brokeredIdentity(s, idp, token);
        List<Mapper> mappers = mappers(s, alias);
        mappers.forEach(m -> m.factory().preprocessFederatedIdentity(s, realm, m.model(), identity));
        UserModel user = s.users().addUser(realm, username);
        user.setEnabled(true);
        if (email != null && !email.isBlank()) {
            // private-relay addresses (…@privaterelay.appleid.com) are kept as they are: mail to them reaches the user
            user.setEmail(email);
            user.setEmailVerified(emailTrusted(idp, token));
        }
        user.setFirstName(token.givenName());
        user.setLastName(token.familyName());
        link(s, user, alias, token);
        mappers.forEach(m -> m.factory().importNewUser(s, realm, user, m.model(), identity));
        return user;
    }

    private record Mapper(IdentityProviderMapperModel model, IdentityProviderMapper factory) {
    }

    private static List<Mapper> mappers(KeycloakSession s, String alias) {
        return s.identityProviders().getMappersByAliasStream(alias)
                .map(m -> new Mapper(m, (IdentityProviderMapper) s.getKeycloakSessionFactory()
                        .getProviderFactory(IdentityProviderMapper.class, m.getIdentityProviderMapper())))
                .filter(m -> m.factory() != null)
                .toList();
    }

    private void updateFromMappers(UserModel user, BrokeredIdentityContext identity) {
        mappers(session, identity.getIdpConfig().getAlias()).forEach(m ->
                IdentityProviderMapperSyncModeDelegate.delegateUpdateBrokeredUser(session, realm, user, m.model(), identity, m.factory()));
    }

    /** What a browser login would hand the mappers: the identity and the validated ID token's claims. */
    private static BrokeredIdentityContext brokeredIdentity(KeycloakSession s, IdentityProviderModel idp, VerifiedIdToken token) {
        BrokeredIdentityContext identity = new BrokeredIdentityContext(token.subject(), idp);
        identity.setIdp(IdentityBrokerService.getIdentityProvider(s, idp.getAlias()));
        identity.setUsername(token.email() != null ? token.email() : token.subject());
        identity.setEmail(token.email());
        identity.setFirstName(token.givenName());
        identity.setLastName(token.familyName());
        identity.getContextData().put(OIDCIdentityProvider.VALIDATED_ID_TOKEN,
                JsonSerialization.mapper.convertValue(token.claims(), JsonWebToken.class));
        if (FacebookSignIn.handles(idp)) {
            // Facebook's attribute mappers read the profile the browser login stores
            AbstractJsonUserAttributeMapper.storeUserProfileForMapper(identity, JsonSerialization.mapper.valueToTree(token.claims()), idp.getAlias());
        }
        return identity;
    }

    private static void link(KeycloakSession s, UserModel user, String alias, VerifiedIdToken token) {
        String identityName = token.email() != null ? token.email() : token.subject();
        s.users().addFederatedIdentity(s.getContext().getRealm(), user, new FederatedIdentityModel(alias, token.subject(), identityName));
    }

    private static SignInRefusedException refused(String eventError, String description) {
        return new SignInRefusedException(OAuthErrorException.INVALID_GRANT, eventError, description);
    }

    /** Keycloak's own duplicate message ("User exists with same username"); never a database error text. */
    private String reason(RuntimeException failure) {
        LOG.warnf(failure, "Native sign-in could not write the account in realm %s", realm.getName());
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ModelDuplicateException && cause.getMessage() != null) {
                return cause.getMessage();
            }
        }
        return "it conflicts with a concurrent change of the same account";
    }
}
