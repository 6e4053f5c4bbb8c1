package dev.keybridge.broker.nativesignin;

import java.util.List;

import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityProviderMapper;
import org.keycloak.broker.provider.IdentityProviderMapperSyncModeDelegate;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.services.resources.IdentityBrokerService;
import org.keycloak.util.JsonSerialization;

/**
 * Finds or creates the Keycloak user behind a verified ID token, following the first-broker-login
 * rules a browser login would apply: a linked identity signs in; otherwise an account with the
 * same email is linked only when both the provider and Keycloak consider that email verified and
 * the IdP allows it; otherwise a user is created unless the IdP is sign-in only. The IdP's
 * mappers run as in a browser login (import for new users, sync mode for returning ones).
 */
public final class NativeSignInUsers {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EventBuilder event;

    public NativeSignInUsers(KeycloakSession session, RealmModel realm, EventBuilder event) {
        this.session = session;
        this.realm = realm;
        this.event = event;
    }

    public UserModel resolve(IdentityProviderModel idp, NativeSignInSettings settings, VerifiedIdToken token) throws IdTokenRejectedException {
        String alias = idp.getAlias();
        BrokeredIdentityContext identity = brokeredIdentity(idp, token);
        UserModel linked = session.users().getUserByFederatedIdentity(realm, new FederatedIdentityModel(alias, token.subject(), null));
        if (linked != null) {
            updateFromMappers(linked, identity);
            return linked;
        }
        String email = token.email();
        UserModel sameEmail = email == null || email.isBlank() ? null : session.users().getUserByEmail(realm, email);
        if (sameEmail != null) {
            if (!settings.linkByEmail()) {
                throw new IdTokenRejectedException("an account with this email already exists and is not linked to '" + alias
                        + "'; sign in to it and link '" + alias + "' from the account console");
            }
            if (!token.emailVerified() || !sameEmail.isEmailVerified()) {
                throw new IdTokenRejectedException("an account with this email already exists; it is linked only when the email is verified on both sides");
            }
            link(sameEmail, alias, token);
            updateFromMappers(sameEmail, identity);
            event.clone().event(EventType.FEDERATED_IDENTITY_LINK).user(sameEmail)
                    .detail(Details.IDENTITY_PROVIDER, alias).detail(Details.IDENTITY_PROVIDER_USER_ID, token.subject())
                    .detail(Details.EMAIL, email).success();
            return sameEmail;
        }
        if (!settings.createUsers()) {
            throw new IdTokenRejectedException("no account is linked to this '" + alias + "' identity and sign-up is disabled for it");
        }
        return register(idp, token, identity);
    }

    private UserModel register(IdentityProviderModel idp, VerifiedIdToken token, BrokeredIdentityContext identity) {
        String alias = idp.getAlias();
        String email = token.email();
        mappers(alias).forEach(m -> m.factory().preprocessFederatedIdentity(session, realm, m.model(), identity));
        boolean emailFree = email != null && !email.isBlank() && session.users().getUserByUsername(realm, email) == null;
        String username = emailFree ? email : alias + "." + token.subject();
        UserModel user = session.users().addUser(realm, username);
        user.setEnabled(true);
        if (email != null && !email.isBlank()) {
            // private-relay addresses (…@privaterelay.appleid.com) are kept as they are: mail to them reaches the user
            user.setEmail(email);
            user.setEmailVerified(idp.isTrustEmail() && token.emailVerified());
        }
        user.setFirstName(token.givenName());
        user.setLastName(token.familyName());
        link(user, alias, token);
        mappers(alias).forEach(m -> m.factory().importNewUser(session, realm, user, m.model(), identity));
        event.clone().event(EventType.REGISTER).user(user)
                .detail(Details.REGISTER_METHOD, NativeSignInGrantType.AUTH_METHOD)
                .detail(Details.IDENTITY_PROVIDER, alias).detail(Details.IDENTITY_PROVIDER_USER_ID, token.subject())
                .detail(Details.USERNAME, username).detail(Details.EMAIL, email).success();
        return user;
    }

    private record Mapper(IdentityProviderMapperModel model, IdentityProviderMapper factory) {
    }

    private List<Mapper> mappers(String alias) {
        return session.identityProviders().getMappersByAliasStream(alias)
                .map(m -> new Mapper(m, (IdentityProviderMapper) session.getKeycloakSessionFactory()
                        .getProviderFactory(IdentityProviderMapper.class, m.getIdentityProviderMapper())))
                .filter(m -> m.factory() != null)
                .toList();
    }

    private void updateFromMappers(UserModel user, BrokeredIdentityContext identity) {
        mappers(identity.getIdpConfig().getAlias()).forEach(m ->
                IdentityProviderMapperSyncModeDelegate.delegateUpdateBrokeredUser(session, realm, user, m.model(), identity, m.factory()));
    }

    /** What a browser login would hand the mappers: the identity and the validated ID token's claims. */
    private BrokeredIdentityContext brokeredIdentity(IdentityProviderModel idp, VerifiedIdToken token) {
        BrokeredIdentityContext identity = new BrokeredIdentityContext(token.subject(), idp);
        identity.setIdp(IdentityBrokerService.getIdentityProvider(session, idp.getAlias()));
        identity.setUsername(token.email() != null ? token.email() : token.subject());
        identity.setEmail(token.email());
        identity.setFirstName(token.givenName());
        identity.setLastName(token.familyName());
        identity.getContextData().put(OIDCIdentityProvider.VALIDATED_ID_TOKEN,
                JsonSerialization.mapper.convertValue(token.claims(), JsonWebToken.class));
        return identity;
    }

    private void link(UserModel user, String alias, VerifiedIdToken token) {
        String identityName = token.email() != null ? token.email() : token.subject();
        session.users().addFederatedIdentity(realm, user, new FederatedIdentityModel(alias, token.subject(), identityName));
    }
}
