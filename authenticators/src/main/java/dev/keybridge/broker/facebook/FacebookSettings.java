package dev.keybridge.broker.facebook;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.vault.VaultStringSecret;

/**
 * What native sign-in with a classic Facebook access token needs from the "facebook" identity provider: the app id
 * (the IdP's Client ID), the app secret (its Client Secret, a vault reference resolved as Keycloak's broker does),
 * the Graph API and its timeout, and whether Facebook's email counts as verified.
 */
public record FacebookSettings(String alias, String appId, String appSecret, String graphUrl, Duration graphTimeout,
        boolean emailVerified) {

    public static final String GRAPH_URL = "keybridge.facebook.graphUrl";
    public static final String GRAPH_TIMEOUT_MILLIS = "keybridge.facebook.graphTimeoutMillis";
    public static final String EMAIL_VERIFIED = "keybridge.facebook.emailVerified";
    /** A pinned version, so Facebook's version upgrades do not change what the checks see. */
    public static final String DEFAULT_GRAPH_URL = "https://graph.facebook.com/v24.0";

    private static final long DEFAULT_GRAPH_TIMEOUT_MILLIS = 3000;

    public static FacebookSettings of(KeycloakSession session, IdentityProviderModel idp) {
        Map<String, String> config = idp.getConfig();
        String graphUrl = config.get(GRAPH_URL);
        graphUrl = graphUrl == null || graphUrl.isBlank() ? DEFAULT_GRAPH_URL : graphUrl.trim();
        String clientId = config.get("clientId");
        return new FacebookSettings(idp.getAlias(), clientId == null ? null : clientId.trim(), appSecret(session, config.get("clientSecret")),
                graphUrl.endsWith("/") ? graphUrl.substring(0, graphUrl.length() - 1) : graphUrl,
                Duration.ofMillis(millis(config.get(GRAPH_TIMEOUT_MILLIS))), Boolean.parseBoolean(config.get(EMAIL_VERIFIED)));
    }

    /** As Keycloak's OAuth2 broker reads its client secret: a vault reference when it is one, else the value itself. */
    private static String appSecret(KeycloakSession session, String configured) {
        if (configured == null) {
            return null;
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(configured)) {
            return secret.get().orElse(configured);
        }
    }

    private static long millis(String value) {
        try {
            long parsed = value == null ? -1 : Long.parseLong(value.trim());
            return parsed > 0 ? parsed : DEFAULT_GRAPH_TIMEOUT_MILLIS;
        } catch (NumberFormatException e) {
            return DEFAULT_GRAPH_TIMEOUT_MILLIS;
        }
    }

    /** Facebook's settings, as the admin console shows them. */
    public static List<ProviderConfigProperty> configProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(GRAPH_URL).label("Facebook Graph API URL")
                .helpText("Where native sign-in inspects classic Facebook access tokens (debug_token) and reads the profile (me), "
                        + "with the API version. Default " + DEFAULT_GRAPH_URL + ". Change only for a newer version, a proxy or tests.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(DEFAULT_GRAPH_URL).add()
                .property().name(GRAPH_TIMEOUT_MILLIS).label("Facebook Graph API timeout (ms)")
                .helpText("Connect and read timeout of each Graph API call of native sign-in. Default 3000; when Facebook does not "
                        + "answer in time the sign-in is refused.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(DEFAULT_GRAPH_TIMEOUT_MILLIS)).add()
                .property().name(EMAIL_VERIFIED).label("Native sign-in: Facebook email is verified")
                .helpText("When on (and Trust email is on), the email Facebook gives counts as verified: new accounts get it verified and "
                        + "'link by verified email' may link on it. Facebook documents that it returns only confirmed addresses but "
                        + "states no verification claim, so this is off by default: the email is stored unverified and never links accounts.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .build();
    }
}
