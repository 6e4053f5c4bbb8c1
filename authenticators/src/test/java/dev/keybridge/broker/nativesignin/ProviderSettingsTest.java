package dev.keybridge.broker.nativesignin;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.keybridge.broker.microsoft.MicrosoftTenants;
import org.junit.jupiter.api.Test;
import org.keycloak.models.IdentityProviderModel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderSettingsTest {

    @Test
    void appleDerivesIssuerAndKeysFromTheBaseUrl() {
        NativeSignInSettings apple = ProviderSettings.of(idp("apple", Map.of("clientId", "dev.services",
                "baseUrl", "http://127.0.0.1:9/apple/", NativeSignInSettings.ALLOWED_AUDIENCES, "dev.ios##dev.watch",
                NativeSignInSettings.SIGN_IN_ONLY, "true")));
        assertEquals(Set.of("http://127.0.0.1:9/apple"), apple.issuers());
        assertEquals("http://127.0.0.1:9/apple/auth/keys", apple.jwksUrl());
        assertEquals(Set.of("dev.services", "dev.ios", "dev.watch"), apple.audiences());
        assertFalse(apple.createUsers());
        assertTrue(apple.hostedDomains().isEmpty());
        assertTrue(apple.singleUse(), "ID tokens are single-use unless turned off");
    }

    @Test
    void appleDefaultsToApple() {
        NativeSignInSettings apple = ProviderSettings.of(idp("apple", Map.of("clientId", "dev.services")));
        assertEquals(Set.of("https://appleid.apple.com"), apple.issuers());
        assertEquals("https://appleid.apple.com/auth/keys", apple.jwksUrl());
        assertEquals(Duration.ofSeconds(10), apple.jwksMinRefetchInterval());
        assertEquals(Duration.ofSeconds(3), apple.jwksTimeout());
        assertTrue(apple.createUsers());
        assertFalse(apple.linkByEmail());
    }

    @Test
    void googleUsesGoogleDefaultsHostedDomainAndOverrides() {
        NativeSignInSettings google = ProviderSettings.of(idp("google", Map.of("clientId", "web.apps",
                NativeSignInSettings.GOOGLE_HOSTED_DOMAIN, "example.com, example.org",
                NativeSignInSettings.JWKS_URL_OVERRIDE, "http://127.0.0.1:9/google/auth/keys",
                NativeSignInSettings.JWKS_TIMEOUT_MILLIS, "750", NativeSignInSettings.CLOCK_SKEW_SECONDS, "not a number",
                NativeSignInSettings.SINGLE_USE_ID_TOKENS, "false")));
        assertEquals(Set.of("https://accounts.google.com", "accounts.google.com"), google.issuers());
        assertEquals("http://127.0.0.1:9/google/auth/keys", google.jwksUrl());
        assertEquals(Set.of("example.com", "example.org"), google.hostedDomains());
        assertEquals(Duration.ofMillis(750), google.jwksTimeout());
        assertEquals(Duration.ofSeconds(30), google.clockSkew(), "an unreadable value falls back to the default");
        assertFalse(google.singleUse());
    }

    @Test
    void facebookLimitedLoginUsesFacebooksIssuerAndKeysAndTheAppIdAsAudience() {
        NativeSignInSettings facebook = ProviderSettings.of(idp("facebook", Map.of("clientId", "424242")));
        assertEquals(Set.of("https://www.facebook.com"), facebook.issuers());
        assertEquals("https://limited.facebook.com/.well-known/oauth/openid/jwks/", facebook.jwksUrl());
        assertEquals(Set.of("424242"), facebook.audiences());
        assertEquals(Set.of(), facebook.hostedDomains());
        NativeSignInSettings overridden = ProviderSettings.of(idp("facebook", Map.of("clientId", "424242",
                NativeSignInSettings.ISSUER_OVERRIDE, "https://fb.test", NativeSignInSettings.JWKS_URL_OVERRIDE, "http://127.0.0.1:9/keys")));
        assertEquals(Set.of("https://fb.test"), overridden.issuers());
        assertEquals("http://127.0.0.1:9/keys", overridden.jwksUrl());
    }

    @Test
    void onlyAppleGoogleMicrosoftAndFacebookAreSupported() {
        assertTrue(ProviderSettings.supports(idp("apple", Map.of())));
        assertTrue(ProviderSettings.supports(idp("google", Map.of())));
        assertTrue(ProviderSettings.supports(idp("microsoft", Map.of())));
        assertTrue(ProviderSettings.supports(idp("facebook", Map.of())));
        assertFalse(ProviderSettings.supports(idp("oidc", Map.of())));
        assertFalse(ProviderSettings.supports(null));
    }

    @Test
    void microsoftChecksTenantsWithItsOwnDefaultsAndAllowsNoTenantUnlessTold() {
        NativeSignInSettings none = ProviderSettings.of(idp("microsoft", Map.of("clientId", "app-id", "tenantId", "common")));
        assertEquals(MicrosoftTenants.DEFAULT_JWKS_URL, none.jwksUrl());
        assertEquals(new MicrosoftTenants(MicrosoftTenants.DEFAULT_ISSUER_TEMPLATE, Set.of()), none.microsoftTenants());
        assertEquals(Set.of("app-id"), none.audiences());

        NativeSignInSettings listed = ProviderSettings.of(idp("microsoft", Map.of(MicrosoftTenants.ALLOWED_TENANTS,
                "AAAAAAAA-0000-0000-0000-000000000001##*", MicrosoftTenants.ISSUER_TEMPLATE, "http://127.0.0.1:9/{tenantid}/v2.0",
                NativeSignInSettings.JWKS_URL_OVERRIDE, "http://127.0.0.1:9/keys", NativeSignInSettings.ISSUER_OVERRIDE, "ignored")));
        assertEquals(new MicrosoftTenants("http://127.0.0.1:9/{tenantid}/v2.0", Set.of("aaaaaaaa-0000-0000-0000-000000000001", "*")),
                listed.microsoftTenants());
        assertEquals("http://127.0.0.1:9/keys", listed.jwksUrl());

        NativeSignInSettings pinned = ProviderSettings.of(idp("microsoft", Map.of("tenantId", "bbbbbbbb-0000-0000-0000-000000000002",
                MicrosoftTenants.ALLOWED_TENANTS, "*")));
        assertEquals(Set.of("bbbbbbbb-0000-0000-0000-000000000002"), pinned.microsoftTenants().allowed(), "Tenant ID pins one tenant");
        NativeSignInSettings consumers = ProviderSettings.of(idp("microsoft", Map.of("tenantId", "consumers")));
        assertEquals(Set.of(MicrosoftTenants.PERSONAL_ACCOUNTS_TENANT), consumers.microsoftTenants().allowed());
        assertEquals(null, ProviderSettings.of(idp("google", Map.of())).microsoftTenants());
    }

    private static IdentityProviderModel idp(String providerId, Map<String, String> config) {
        IdentityProviderModel model = new IdentityProviderModel();
        model.setAlias(providerId + "-alias");
        model.setProviderId(providerId);
        model.setConfig(new HashMap<>(config));
        return model;
    }
}
