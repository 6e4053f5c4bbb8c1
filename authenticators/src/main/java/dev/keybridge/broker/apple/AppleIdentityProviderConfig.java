package dev.keybridge.broker.apple;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.models.IdentityProviderModel;

/**
 * Apple's endpoints are derived from one base URL (Apple's own by default, a local fake in
 * tests), so an operator only enters the Services ID, Team ID, Key ID and the .p8 key.
 */
public class AppleIdentityProviderConfig extends OIDCIdentityProviderConfig {

    public static final String DEFAULT_BASE_URL = "https://appleid.apple.com";
    /** The aud Apple requires in the client secret, also when its endpoints are reached under another base URL. */
    public static final String DEFAULT_CLIENT_SECRET_AUDIENCE = "https://appleid.apple.com";
    public static final String BASE_URL = "baseUrl";
    public static final String TEAM_ID = "teamId";
    public static final String KEY_ID = "keyId";
    public static final String CLIENT_SECRET_AUDIENCE = "clientSecretAudience";
    public static final String JWKS_PATH = "/auth/keys";
    public static final String AUTHORIZE_PATH = "/auth/authorize";
    public static final String TOKEN_PATH = "/auth/token";
    public static final String DEFAULT_SCOPES = "name email";

    public AppleIdentityProviderConfig(IdentityProviderModel model) {
        super(model);
    }

    public AppleIdentityProviderConfig() {
    }

    public static String baseUrl(Map<String, String> config) {
        String value = config.get(BASE_URL);
        String base = value == null || value.isBlank() ? DEFAULT_BASE_URL : value.trim();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public String getBaseUrl() {
        return baseUrl(getConfig());
    }

    public String getClientSecretAudience() {
        String value = getConfig().get(CLIENT_SECRET_AUDIENCE);
        return value == null || value.isBlank() ? DEFAULT_CLIENT_SECRET_AUDIENCE : value.trim();
    }

    public String getTeamId() {
        return getConfig().get(TEAM_ID);
    }

    public String getKeyId() {
        return getConfig().get(KEY_ID);
    }

    @Override
    public String getAuthorizationUrl() {
        return getBaseUrl() + AUTHORIZE_PATH;
    }

    @Override
    public String getTokenUrl() {
        return getBaseUrl() + TOKEN_PATH;
    }

    @Override
    public String getJwksUrl() {
        return getBaseUrl() + JWKS_PATH;
    }

    @Override
    public boolean isUseJwksUrl() {
        return true;
    }

    @Override
    public String getIssuer() {
        return getBaseUrl();
    }

    /** Apple has no userinfo endpoint; everything comes from the ID token and the first-login user JSON. */
    @Override
    public boolean isDisableUserInfoService() {
        return true;
    }

    /** Apple rejects unknown scopes; "openid" (which the OIDC base class adds) is implied. */
    @Override
    public String getDefaultScope() {
        String configured = getConfig().get("defaultScope");
        String scopes = configured == null ? "" : Arrays.stream(configured.trim().split("\\s+"))
                .filter(s -> !s.isEmpty() && !"openid".equals(s)).collect(Collectors.joining(" "));
        return scopes.isEmpty() ? DEFAULT_SCOPES : scopes;
    }
}
