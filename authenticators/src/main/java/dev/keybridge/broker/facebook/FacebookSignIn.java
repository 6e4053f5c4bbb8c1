package dev.keybridge.broker.facebook;

import dev.keybridge.broker.nativesignin.IdTokenRejectedException;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import dev.keybridge.broker.nativesignin.ProviderTokens;
import dev.keybridge.broker.nativesignin.VerifiedIdToken;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.social.facebook.FacebookIdentityProviderFactory;

/**
 * Native sign-in with Facebook: a classic access token is checked with the Graph API ({@link FacebookGraph}); a Limited
 * Login (iOS) authentication token is an OIDC ID token, checked like Apple's and Google's against Facebook's keys.
 * Either way the email counts as verified only when the IdP says so ({@link FacebookSettings#EMAIL_VERIFIED}).
 */
public final class FacebookSignIn {

    public static final String PROVIDER_ID = FacebookIdentityProviderFactory.PROVIDER_ID;
    public static final String LIMITED_LOGIN_ISSUER = "https://www.facebook.com";
    public static final String LIMITED_LOGIN_JWKS_URL = "https://limited.facebook.com/.well-known/oauth/openid/jwks/";
    /** Optional request parameter: the Facebook user id the app signed in; the token must belong to that user. */
    public static final String USER_ID = "facebook_user_id";

    private FacebookSignIn() {
    }

    public static boolean handles(IdentityProviderModel idp) {
        return idp != null && PROVIDER_ID.equals(idp.getProviderId());
    }

    /**
     * @param accessToken    true for a classic access token, false for a Limited Login ID token
     * @param expectedUserId the user id the app names, or null
     */
    public static VerifiedIdToken verify(KeycloakSession session, IdentityProviderModel idp, NativeSignInSettings settings,
                                         boolean accessToken, String token, String nonce, String expectedUserId)
            throws IdTokenRejectedException {
        FacebookSettings facebook = FacebookSettings.of(session, idp);
        if (accessToken) {
            return FacebookGraph.verify(session, facebook, token, blankToNull(expectedUserId));
        }
        VerifiedIdToken idToken = ProviderTokens.verify(session, settings, token, nonce);
        String userId = blankToNull(expectedUserId);
        if (userId != null && !userId.equals(idToken.subject())) {
            throw new IdTokenRejectedException("the Facebook ID token belongs to another user than the one the request names");
        }
        return new VerifiedIdToken(idToken.subject(), idToken.email(), facebook.emailVerified() && idToken.email() != null,
                idToken.givenName(), idToken.familyName(), idToken.claims());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
