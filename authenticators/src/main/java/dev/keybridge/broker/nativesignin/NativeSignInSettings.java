package dev.keybridge.broker.nativesignin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.keybridge.broker.microsoft.MicrosoftTenants;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * What the native path checks for one identity provider, read from the IdP's config map (the
 * same keys the admin console and realm export use).
 *
 * @param issuers          accepted {@code iss} values
 * @param jwksUrl          where the provider publishes its signing keys
 * @param audiences        accepted {@code aud} values (web client id plus app ids)
 * @param hostedDomains    Google {@code hd} restriction: empty = none, "*" = any hosted domain
 * @param nonceRequired    reject requests that carry no nonce
 * @param createUsers      false = sign-in only, a token of an unknown user is refused
 * @param linkByEmail      link a first sign-in to an existing account with the same, verified email
 * @param singleUse        an ID token signs in once; presenting it again is refused as a replay
 * @param microsoftTenants Microsoft's tenant rules, which replace {@code issuers}; null for Apple and Google
 */
public record NativeSignInSettings(String alias, Set<String> issuers, String jwksUrl, Set<String> audiences,
        Set<String> hostedDomains, boolean nonceRequired, boolean createUsers, boolean linkByEmail, boolean singleUse,
        Duration clockSkew, Duration jwksTimeout, Duration jwksMaxAge, Duration jwksMinRefetchInterval,
        MicrosoftTenants microsoftTenants) {

    public static final String ALLOWED_AUDIENCES = "keybridge.allowedAudiences";
    public static final String NONCE_REQUIRED = "keybridge.nonceRequired";
    public static final String SERVER_NONCE_REQUIRED = "keybridge.serverNonceRequired";
    public static final String SIGN_IN_ONLY = "keybridge.signInOnly";
    public static final String LINK_BY_VERIFIED_EMAIL = "keybridge.linkByVerifiedEmail";
    public static final String SINGLE_USE_ID_TOKENS = "keybridge.singleUseIdTokens";
    public static final String ISSUER_OVERRIDE = "keybridge.issuer";
    public static final String JWKS_URL_OVERRIDE = "keybridge.jwksUrl";
    public static final String CLOCK_SKEW_SECONDS = "keybridge.clockSkewSeconds";
    public static final String JWKS_TIMEOUT_MILLIS = "keybridge.jwksTimeoutMillis";
    public static final String JWKS_MIN_REFETCH_SECONDS = "keybridge.jwksMinRefetchSeconds";
    /** Google's own key for the hosted-domain restriction, shared with browser login. */
    public static final String GOOGLE_HOSTED_DOMAIN = "hostedDomain";

    static final Duration JWKS_MAX_AGE = Duration.ofHours(6);

    /** For browser logins, whose nonce the OIDC broker checks against the authentication session. */
    public NativeSignInSettings withoutNonceRequirement() {
        return new NativeSignInSettings(alias, issuers, jwksUrl, audiences, hostedDomains, false, createUsers, linkByEmail,
                singleUse, clockSkew, jwksTimeout, jwksMaxAge, jwksMinRefetchInterval, microsoftTenants);
    }

    /** The IdP settings of the native path, as the admin console shows them. */
    public static List<ProviderConfigProperty> configProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(ALLOWED_AUDIENCES).label("Allowed audiences")
                .helpText("ID token audiences accepted besides the Client ID: app bundle ids (Apple), the Android and iOS client ids (Google), "
                        + "other application ids of the same app (Microsoft).")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
                .property().name(SIGN_IN_ONLY).label("Native sign-in: sign-in only")
                .helpText("When on, native sign-in refuses ID tokens of people who have no linked account yet instead of creating one.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .property().name(LINK_BY_VERIFIED_EMAIL).label("Native sign-in: link by verified email")
                .helpText("When on, a first native sign-in is linked to an existing account with the same email, provided Trust Email "
                        + "is on, the provider marks the email verified (Google: a gmail.com address or a hosted domain; Microsoft: only "
                        + "with xms_edov true), and the account's email is verified too. When off, such a sign-in is refused.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .property().name(NONCE_REQUIRED).label("Native sign-in: require nonce")
                .helpText("When on, native sign-in requests must carry a nonce that matches the ID token's nonce claim.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .property().name(SERVER_NONCE_REQUIRED).label("Native sign-in: require server nonce")
                .helpText("When on, an ID token signs in only when its nonce claim is a nonce this realm issued to the same client "
                        + "(POST /realms/{realm}/keybridge-native-sign-in/nonce), unused and unexpired; the app passes it to the "
                        + "Apple, Google or Microsoft SDK unchanged. This makes a captured ID token useless once its nonce is spent.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .property().name(SINGLE_USE_ID_TOKENS).label("Native sign-in: single-use ID tokens")
                .helpText("When on, an ID token signs in once; the same token presented again (until it expires) is refused as a replay. "
                        + "Turn off only for apps that resend a cached ID token (e.g. retry after a network error) and cannot fetch a fresh one.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true").add()
                .property().name(CLOCK_SKEW_SECONDS).label("ID token clock skew (seconds)")
                .helpText("Tolerance for exp, iat and nbf. Default 30.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue("30").add()
                .property().name(JWKS_TIMEOUT_MILLIS).label("JWKS timeout (ms)")
                .helpText("Connect and read timeout when fetching the provider's signing keys. Default 3000.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue("3000").add()
                .property().name(JWKS_MIN_REFETCH_SECONDS).label("JWKS minimum refetch interval (seconds)")
                .helpText("A token with an unknown key id refetches the keys at most this often. Default 10.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue("10").add()
                .property().name(ISSUER_OVERRIDE).label("Issuer override")
                .helpText("Expected iss of ID tokens when it differs from the provider default (tests, proxies). Usually empty.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(JWKS_URL_OVERRIDE).label("JWKS URL override")
                .helpText("Where to fetch signing keys when it differs from the provider default (tests, proxies). Usually empty.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .build();
    }

    /** A provider's admin-console settings: its own, then those of native sign-in, then its own for native sign-in (may be empty). */
    public static List<ProviderConfigProperty> withNativeSignIn(List<ProviderConfigProperty> providerOwn,
                                                                List<ProviderConfigProperty> providerNative) {
        List<ProviderConfigProperty> properties = new ArrayList<>(providerOwn);
        properties.addAll(configProperties());
        properties.addAll(providerNative);
        return properties;
    }

    /** Splits a multi-valued setting: Keycloak's "##" separator, commas and whitespace all work. */
    public static Set<String> list(String value) {
        Set<String> values = new LinkedHashSet<>();
        if (value != null) {
            Arrays.stream(value.split("##|[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).forEach(values::add);
        }
        return values;
    }

    static boolean flag(Map<String, String> config, String key, boolean fallback) {
        String value = config.get(key);
        return value == null || value.isBlank() ? fallback : Boolean.parseBoolean(value.trim());
    }

    static Duration duration(Map<String, String> config, String key, Duration fallback, boolean millis) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long amount = Long.parseLong(value.trim());
            return amount < 0 ? fallback : millis ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
