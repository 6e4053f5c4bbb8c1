package dev.keybridge.broker.apple;

import java.io.IOException;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.broker.nativesignin.IdTokenRejectedException;
import dev.keybridge.broker.nativesignin.ProviderSettings;
import dev.keybridge.broker.nativesignin.ProviderTokens;
import dev.keybridge.broker.nativesignin.VerifiedIdToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.broker.provider.AuthenticationRequest;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityBrokerException;
import org.keycloak.broker.social.SocialIdentityProvider;
import org.keycloak.events.EventBuilder;
import org.keycloak.http.simple.SimpleHttpRequest;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.util.JsonSerialization;
import org.keycloak.vault.VaultStringSecret;
import jakarta.ws.rs.core.UriBuilder;

/**
 * Sign in with Apple for browser logins: authorization code with {@code response_mode=form_post},
 * an ES256 client secret minted from the team's .p8 key, ID tokens checked like on the native
 * path (Apple JWKS, issuer, audience allow-list, times, nonce), and the name Apple sends only
 * on the first authorization (the unsigned {@code user} form field: the name only, nothing else).
 */
public class AppleIdentityProvider extends OIDCIdentityProvider implements SocialIdentityProvider<OIDCIdentityProviderConfig> {

    static final String USER_PARAM = "user";
    /** Apple's cancel code; Keycloak's callback only knows OAuth's access_denied. */
    static final String USER_CANCELLED = "user_cancelled_authorize";

    /** The first-login user JSON of the current callback; a provider instance serves one request. */
    private String firstLoginUser;

    public AppleIdentityProvider(KeycloakSession session, AppleIdentityProviderConfig config) {
        super(session, config);
    }

    @Override
    public AppleIdentityProviderConfig getConfig() {
        return (AppleIdentityProviderConfig) super.getConfig();
    }

    @Override
    public Object callback(RealmModel realm, AuthenticationCallback callback, EventBuilder event) {
        return new AppleEndpoint(callback, realm, event, this);
    }

    @Override
    protected UriBuilder createAuthorizationUrl(AuthenticationRequest request) {
        // Apple requires form_post as soon as name or email is requested
        return super.createAuthorizationUrl(request).queryParam(OIDCLoginProtocol.RESPONSE_MODE_PARAM, "form_post");
    }

    @Override
    public SimpleHttpRequest authenticateTokenRequest(SimpleHttpRequest tokenRequest) {
        AppleIdentityProviderConfig config = getConfig();
        // resolve a ${vault.…} reference before the key is parsed
        try (VaultStringSecret secret = session.vault().getStringSecret(config.getClientSecret())) {
            String p8 = secret.get().orElse(config.getClientSecret());
            if (p8 == null || p8.isBlank()) {
                throw new IdentityBrokerException("Apple identity provider '" + config.getAlias() + "' has no private key (.p8) configured");
            }
            String clientSecret = AppleClientSecret.get(config.getTeamId(), config.getKeyId(), config.getClientId(),
                    config.getClientSecretAudience(), p8, Instant.now());
            return tokenRequest.param(OAUTH2_PARAMETER_CLIENT_ID, config.getClientId())
                    .param(OAUTH2_PARAMETER_CLIENT_SECRET, clientSecret);
        }
    }

    @Override
    protected JsonWebToken validateToken(String encodedToken, boolean ignoreAudience) {
        try {
            // the nonce of a browser login is compared with the auth session by preprocessFederatedIdentity
            VerifiedIdToken verified = ProviderTokens.verify(session, ProviderSettings.of(getConfig()).withoutNonceRequirement(),
                    encodedToken, null);
            return JsonSerialization.mapper.convertValue(verified.claims(), JsonWebToken.class);
        } catch (IdTokenRejectedException e) {
            throw new IdentityBrokerException("Apple ID token rejected: " + e.getMessage(), e);
        }
    }

    /**
     * Apple's {@code user} form field travels through the browser unsigned, so whoever logs in can write
     * anything into it. Only the name is taken from it, because Apple sends the name nowhere else; an email
     * there never replaces the ID token's (it would become a verified email when the IdP trusts emails), and
     * nothing of it is handed to the IdP mappers, which would read it like signed claims.
     */
    @Override
    protected BrokeredIdentityContext extractIdentity(AccessTokenResponse tokenResponse, String accessToken, JsonWebToken idToken)
            throws IOException {
        BrokeredIdentityContext identity = super.extractIdentity(tokenResponse, accessToken, idToken);
        if (firstLoginUser != null && !firstLoginUser.isBlank()) {
            JsonNode user;
            try {
                user = JsonSerialization.mapper.readTree(firstLoginUser);
            } catch (IOException notJson) {
                logger.debugf("Apple identity provider '%s': ignoring a user field that is not JSON", getConfig().getAlias());
                return identity;
            }
            String firstName = getJsonProperty(user, "name.firstName");
            String lastName = getJsonProperty(user, "name.lastName");
            if (firstName != null) {
                identity.setFirstName(firstName);
            }
            if (lastName != null) {
                identity.setLastName(lastName);
            }
        }
        return identity;
    }

    /** Apple posts the authorization response (form_post) instead of redirecting with a query. */
    protected static class AppleEndpoint extends OIDCEndpoint {

        private final AppleIdentityProvider apple;

        public AppleEndpoint(AuthenticationCallback callback, RealmModel realm, EventBuilder event, AppleIdentityProvider provider) {
            super(callback, realm, event, provider);
            this.apple = provider;
        }

        @POST
        @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
        public Response formPostResponse() {
            MultivaluedMap<String, String> form = httpRequest.getDecodedFormParameters();
            apple.firstLoginUser = form.getFirst(USER_PARAM);
            String error = form.getFirst(OAuth2Constants.ERROR);
            if (USER_CANCELLED.equals(error)) {
                error = ACCESS_DENIED;
            }
            return authResponse(form.getFirst(OAuth2Constants.STATE), form.getFirst(OAuth2Constants.CODE), error,
                    form.getFirst(OAuth2Constants.ERROR_DESCRIPTION));
        }
    }
}
