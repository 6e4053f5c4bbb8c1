package dev.keybridge.rest.ertis;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.broker.facebook.FacebookSignIn;
import dev.keybridge.broker.nativesignin.NativeSignInGrantTypeFactory;
import dev.keybridge.rest.support.JsonObjectBody;
import dev.keybridge.rest.support.KeycloakGrant;
import dev.keybridge.rest.support.GrantOutcome;
import org.keycloak.OAuth2Constants;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;

/**
 * ErtisAuth's Facebook login ({@code {"user": {accessToken, userID, ...}, "appId": ...}}) through native sign-in with the
 * identity provider "facebook": a classic access token is checked with the Graph API for the IdP's app, a Limited Login
 * {@code authenticationToken} as an ID token. Only the token speaks for the user: the body's name, email and picture are
 * ignored, its user id only narrows which user the token must belong to.
 */
final class ErtisFacebookLogin {

    /** The identity provider alias the route signs in with, as "google" and "apple" for theirs. */
    static final String ALIAS = "facebook";

    private final String token;
    private final boolean limitedLogin;
    private final String userId;
    private final String appId;

    private ErtisFacebookLogin(String token, boolean limitedLogin, String userId, String appId) {
        this.token = token;
        this.limitedLogin = limitedLogin;
        this.userId = userId;
        this.appId = appId;
    }

    /** The request's fields, or ErtisAuth's validation error. */
    static ErtisFacebookLogin of(JsonObjectBody body) {
        JsonNode user = body.node("user");
        if (user == null || !user.isObject()) {
            throw ErtisError.validation("user is required");
        }
        String accessToken = text(user, "accessToken");
        String authenticationToken = text(user, "authenticationToken");
        if (accessToken == null && authenticationToken == null) {
            throw ErtisError.validation("user.accessToken is required");
        }
        String id = text(user, "id");
        String userID = text(user, "userID");
        if (id != null && userID != null && !id.equals(userID)) {
            throw ErtisError.validation("user.id and user.userID name different users");
        }
        String appId = body.text("appId");
        if (appId == null || appId.isBlank()) {
            throw ErtisError.validation("appId is required");
        }
        return new ErtisFacebookLogin(accessToken != null ? accessToken : authenticationToken, accessToken == null,
                userID != null ? userID : id, appId.trim());
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw ErtisError.validation("user." + field + " must be a string");
        }
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    /** The app id must be the one the IdP checks tokens for; then the native sign-in grant makes every other check. */
    GrantOutcome login(KeycloakSession session, ClientModel client) {
        IdentityProviderModel idp = session.identityProviders().getByAlias(ALIAS);
        String configured = FacebookSignIn.handles(idp) ? idp.getConfig().get("clientId") : null;
        if (configured == null || !appId.equals(configured.trim())) {
            String reason = configured == null ? "no Facebook identity provider '" + ALIAS + "' is configured"
                    : "appId '" + appId + "' is not the app of identity provider '" + ALIAS + "'";
            new EventBuilder(session.getContext().getRealm(), session, session.getContext().getConnection()).event(EventType.LOGIN_ERROR)
                    .client(client).detail(Details.AUTH_METHOD, ErtisResourceProviderFactory.PROVIDER_ID)
                    .detail(Details.IDENTITY_PROVIDER, ALIAS).detail(Details.REASON, reason).error(Errors.INVALID_REQUEST);
            throw ErtisError.unauthorized(reason);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(OAuth2Constants.SUBJECT_TOKEN, token);
        parameters.put(OAuth2Constants.SUBJECT_ISSUER, ALIAS);
        parameters.put(OAuth2Constants.SUBJECT_TOKEN_TYPE, limitedLogin ? OAuth2Constants.ID_TOKEN_TYPE : OAuth2Constants.ACCESS_TOKEN_TYPE);
        if (userId != null) {
            parameters.put(FacebookSignIn.USER_ID, userId);
        }
        return KeycloakGrant.run(session, client, NativeSignInGrantTypeFactory.PROVIDER_ID, parameters, "Native sign-in failed");
    }
}
