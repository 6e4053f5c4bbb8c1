package dev.keybridge.broker.nativesignin;

import java.time.Instant;
import java.util.Set;

import dev.keybridge.broker.facebook.FacebookSignIn;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeBase;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

/**
 * Native sign-in: a public mobile client hands in the ID token Apple, Google, Microsoft or Facebook (Limited Login)
 * gave the app, or a classic Facebook access token, and gets a normal Keycloak token response (with refresh token)
 * back. Reached two ways with the
 * same parameters: as RFC 8693 token exchange ({@link NativeSignInTokenExchangeProvider}) and as
 * this grant type of its own.
 */
public class NativeSignInGrantType extends OAuth2GrantTypeBase {

    /** Client attribute: aliases of the identity providers whose ID tokens the client may exchange. */
    public static final String CLIENT_ALLOWED_PROVIDERS = "keybridge.nativeSignIn.identityProviders";
    public static final String AUTH_METHOD = "keybridge-native-sign-in";
    public static final String NONCE = "nonce";

    private final EventType eventType;

    public NativeSignInGrantType(EventType eventType) {
        this.eventType = eventType;
    }

    @Override
    public Response process(Context context) {
        setContext(context);
        event.detail(Details.AUTH_METHOD, AUTH_METHOD);

        String alias = formParams.getFirst(OAuth2Constants.SUBJECT_ISSUER);
        String tokenType = formParams.getFirst(OAuth2Constants.SUBJECT_TOKEN_TYPE);
        if (alias == null || alias.isBlank()) {
            throw reject(OAuthErrorException.INVALID_REQUEST, Errors.INVALID_REQUEST, "subject_issuer (the identity provider alias) is required");
        }
        event.detail(Details.IDENTITY_PROVIDER, alias);
        // a classic Facebook access token is the one other kind of subject token, accepted for Facebook IdPs only (checked below)
        boolean accessToken = OAuth2Constants.ACCESS_TOKEN_TYPE.equals(tokenType);
        if (tokenType != null && !OAuth2Constants.ID_TOKEN_TYPE.equals(tokenType) && !accessToken) {
            throw reject(OAuthErrorException.INVALID_REQUEST, Errors.INVALID_REQUEST, "subject_token_type must be " + OAuth2Constants.ID_TOKEN_TYPE
                    + " (or " + OAuth2Constants.ACCESS_TOKEN_TYPE + " for a Facebook identity provider)");
        }
        Set<String> allowed = NativeSignInSettings.list(client.getAttribute(CLIENT_ALLOWED_PROVIDERS));
        if (!allowed.contains(alias)) {
            throw reject(OAuthErrorException.UNAUTHORIZED_CLIENT, Errors.NOT_ALLOWED,
                    "client '" + client.getClientId() + "' is not allowed native sign-in with identity provider '" + alias + "'");
        }
        IdentityProviderModel idp = session.identityProviders().getByAlias(alias);
        if (!ProviderSettings.supports(idp) || !idp.isEnabled()) {
            throw reject(OAuthErrorException.INVALID_REQUEST, Errors.UNKNOWN_IDENTITY_PROVIDER,
                    "'" + alias + "' is not an enabled Apple, Google, Microsoft or Facebook identity provider");
        }
        boolean facebook = FacebookSignIn.handles(idp);
        if (accessToken && !facebook) {
            throw reject(OAuthErrorException.INVALID_REQUEST, Errors.INVALID_REQUEST, "subject_token_type " + OAuth2Constants.ACCESS_TOKEN_TYPE
                    + " is accepted for Facebook identity providers only; '" + alias + "' takes " + OAuth2Constants.ID_TOKEN_TYPE);
        }
        if (Boolean.TRUE.equals(idp.isLinkOnly())) {
            // the browser refuses every login through a link-only IdP; it only links accounts
            throw reject(OAuthErrorException.INVALID_GRANT, Errors.NOT_ALLOWED, "identity provider '" + alias
                    + "' is link-only: it links accounts from the account console but signs no one in");
        }
        NativeSignInSettings settings = ProviderSettings.of(idp);

        String subjectToken = formParams.getFirst(OAuth2Constants.SUBJECT_TOKEN);
        VerifiedIdToken idToken;
        try {
            idToken = facebook ? FacebookSignIn.verify(session, idp, settings, accessToken, subjectToken, formParams.getFirst(NONCE),
                    formParams.getFirst(FacebookSignIn.USER_ID))
                    : ProviderTokens.verify(session, settings, subjectToken, formParams.getFirst(NONCE));
        } catch (IdTokenRejectedException e) {
            throw reject(OAuthErrorException.INVALID_GRANT, Errors.INVALID_TOKEN, e.getMessage());
        }
        event.detail(Details.IDENTITY_PROVIDER_USER_ID, idToken.subject());

        // scopes are checked before any user is created, so a bad request leaves nothing behind
        String scope = getRequestedScopes();
        if (ServerNonces.required(idp)) {
            redeemServerNonce(idToken, alias);
        }
        // classic access tokens are bearer tokens for repeated use (Graph checks them live each time); ID tokens are spent
        if (settings.singleUse() && !accessToken) {
            spend(subjectToken, idToken, settings);
        }
        UserModel user;
        try {
            user = new NativeSignInUsers(session, realm, event, client, scope).resolve(idp, settings, idToken);
        } catch (SignInRefusedException e) {
            throw reject(e.oauthError(), e.eventError(), e.getMessage());
        }
        event.user(user).detail(Details.USERNAME, user.getUsername());

        RootAuthenticationSessionModel rootAuthSession = new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
        AuthenticationSessionModel authSession = rootAuthSession.createAuthenticationSession(client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope);
        UserSessionModel userSession = new UserSessionManager(session).createUserSession(rootAuthSession.getId(), realm, user,
                user.getUsername(), clientConnection.getRemoteHost(), AUTH_METHOD, false, null, null,
                UserSessionModel.SessionPersistenceState.PERSISTENT);
        userSession.setNote(Details.IDENTITY_PROVIDER, alias);
        userSession.setNote(Details.IDENTITY_PROVIDER_USERNAME, idToken.email() != null ? idToken.email() : idToken.subject());
        updateUserSessionFromClientAuth(userSession);
        event.session(userSession);
        ClientSessionContext clientSessionCtx = TokenManager.attachAuthenticationSession(session, userSession, authSession);
        return createTokenResponse(user, userSession, clientSessionCtx, scope, false, null);
    }

    /** Spent before the user is resolved, so two concurrent requests with one token cannot both sign in or register. */
    private void spend(String subjectToken, VerifiedIdToken idToken, NativeSignInSettings settings) {
        SingleUseIdTokens.Mark mark = SingleUseIdTokens.mark(subjectToken, idToken);
        long lifespan = SingleUseIdTokens.lifespanSeconds(idToken, settings.clockSkew(), Instant.now().getEpochSecond());
        if (!SingleUseIdTokens.spend(session, mark, lifespan)) {
            event.detail(Details.TOKEN_ID, mark.id());
            throw reject(OAuthErrorException.INVALID_GRANT, SingleUseIdTokens.REPLAYED, "ID token was already used to sign in ("
                    + mark.id() + "); ID tokens of identity provider '" + settings.alias() + "' are single-use, get a new one from the provider");
        }
    }

    private void redeemServerNonce(VerifiedIdToken idToken, String alias) {
        Object nonce = idToken.claims().get(NONCE);
        if (!(nonce instanceof String serverNonce) || !ServerNonces.redeem(session, realm, client, serverNonce)) {
            throw reject(OAuthErrorException.INVALID_GRANT, Errors.INVALID_TOKEN, "ID token nonce is not a server nonce issued to client '"
                    + client.getClientId() + "', unused and unexpired; identity provider '" + alias + "' requires one: get it from "
                    + NativeSignInNonceResourceProviderFactory.PROVIDER_ID + "/nonce before signing in with the provider");
        }
    }

    private CorsErrorResponseException reject(String oauthError, String eventError, String description) {
        event.detail(Details.REASON, description);
        event.error(eventError);
        return new CorsErrorResponseException(cors, oauthError, description, Response.Status.BAD_REQUEST);
    }

    @Override
    public EventType getEventType() {
        return eventType;
    }

    @Override
    public Set<String> getTokenParameterNames() {
        return Set.of(OAuth2Constants.SUBJECT_TOKEN);
    }
}
