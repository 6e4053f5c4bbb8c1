package dev.keybridge.broker.nativesignin;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.keybridge.broker.apple.AppleIdentityProviderConfig;
import dev.keybridge.broker.apple.AppleIdentityProviderFactory;
import dev.keybridge.broker.facebook.FacebookSignIn;
import dev.keybridge.broker.microsoft.MicrosoftTenants;
import org.keycloak.models.IdentityProviderModel;

/**
 * Builds the native-sign-in checks of an Apple, Google, Microsoft or Facebook identity provider from its stored
 * config: provider defaults (their real issuers and key URLs; Facebook's are Limited Login's) unless overridden,
 * the IdP's client id plus the extra allowed audiences.
 */
public final class ProviderSettings {

    static final String GOOGLE_PROVIDER_ID = "google";
    static final Set<String> GOOGLE_ISSUERS = Set.of("https://accounts.google.com", "accounts.google.com");
    static final String GOOGLE_JWKS_URL = "https://www.googleapis.com/oauth2/v3/certs";

    private static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration DEFAULT_MIN_REFETCH = Duration.ofSeconds(10);

    private ProviderSettings() {
    }

    public static boolean supports(IdentityProviderModel idp) {
        return idp != null && (AppleIdentityProviderFactory.PROVIDER_ID.equals(idp.getProviderId())
                || GOOGLE_PROVIDER_ID.equals(idp.getProviderId()) || MicrosoftTenants.PROVIDER_ID.equals(idp.getProviderId())
                || FacebookSignIn.handles(idp));
    }

    public static NativeSignInSettings of(IdentityProviderModel idp) {
        Map<String, String> config = idp.getConfig();
        Set<String> issuers;
        String jwksUrl;
        Set<String> hostedDomains = Set.of();
        MicrosoftTenants microsoftTenants = null;
        if (AppleIdentityProviderFactory.PROVIDER_ID.equals(idp.getProviderId())) {
            String baseUrl = AppleIdentityProviderConfig.baseUrl(config);
            issuers = Set.of(baseUrl);
            jwksUrl = baseUrl + AppleIdentityProviderConfig.JWKS_PATH;
        } else if (MicrosoftTenants.PROVIDER_ID.equals(idp.getProviderId())) {
            // the issuer depends on the token's tenant: MicrosoftTenants checks it, with its own template setting
            issuers = Set.of();
            jwksUrl = MicrosoftTenants.DEFAULT_JWKS_URL;
            microsoftTenants = MicrosoftTenants.of(config);
        } else if (FacebookSignIn.handles(idp)) {
            issuers = Set.of(FacebookSignIn.LIMITED_LOGIN_ISSUER);
            jwksUrl = FacebookSignIn.LIMITED_LOGIN_JWKS_URL;
        } else {
            issuers = GOOGLE_ISSUERS;
            jwksUrl = GOOGLE_JWKS_URL;
            hostedDomains = NativeSignInSettings.list(config.get(NativeSignInSettings.GOOGLE_HOSTED_DOMAIN));
        }
        String issuerOverride = config.get(NativeSignInSettings.ISSUER_OVERRIDE);
        if (issuerOverride != null && !issuerOverride.isBlank() && microsoftTenants == null) {
            issuers = Set.of(issuerOverride.trim());
        }
        String jwksOverride = config.get(NativeSignInSettings.JWKS_URL_OVERRIDE);
        if (jwksOverride != null && !jwksOverride.isBlank()) {
            jwksUrl = jwksOverride.trim();
        }
        Set<String> audiences = new LinkedHashSet<>();
        String clientId = config.get("clientId");
        if (clientId != null && !clientId.isBlank()) {
            audiences.add(clientId.trim());
        }
        audiences.addAll(NativeSignInSettings.list(config.get(NativeSignInSettings.ALLOWED_AUDIENCES)));
        return new NativeSignInSettings(idp.getAlias(), issuers, jwksUrl, Set.copyOf(audiences), Set.copyOf(hostedDomains),
                NativeSignInSettings.flag(config, NativeSignInSettings.NONCE_REQUIRED, false),
                !NativeSignInSettings.flag(config, NativeSignInSettings.SIGN_IN_ONLY, false),
                NativeSignInSettings.flag(config, NativeSignInSettings.LINK_BY_VERIFIED_EMAIL, false),
                NativeSignInSettings.flag(config, NativeSignInSettings.SINGLE_USE_ID_TOKENS, true),
                NativeSignInSettings.duration(config, NativeSignInSettings.CLOCK_SKEW_SECONDS, DEFAULT_CLOCK_SKEW, false),
                NativeSignInSettings.duration(config, NativeSignInSettings.JWKS_TIMEOUT_MILLIS, DEFAULT_JWKS_TIMEOUT, true),
                NativeSignInSettings.JWKS_MAX_AGE,
                NativeSignInSettings.duration(config, NativeSignInSettings.JWKS_MIN_REFETCH_SECONDS, DEFAULT_MIN_REFETCH, false),
                microsoftTenants);
    }
}
