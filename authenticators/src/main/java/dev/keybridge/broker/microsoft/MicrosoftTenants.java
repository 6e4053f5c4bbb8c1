package dev.keybridge.broker.microsoft;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.keybridge.broker.nativesignin.IdTokenRejectedException;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.social.microsoft.MicrosoftIdentityProviderFactory;

/**
 * The tenant rules of Microsoft ID tokens (v2.0 endpoint). Every tenant's tokens are signed with the same keys, so a
 * valid signature proves only that some tenant issued the token: its {@code tid} must be a tenant the IdP allows, and
 * its {@code iss} must be the issuer of exactly that tenant (a token naming one tenant in {@code iss} and another in
 * {@code tid} is refused). The person is {@code oid}, the key Keycloak's own Microsoft login stores (Microsoft
 * Graph's {@code id} of the user); the {@code email} claim is not proven by Microsoft unless {@code xms_edov} is true.
 *
 * @param issuerTemplate the expected {@code iss}, with {@value #TENANT_PLACEHOLDER} standing for the token's {@code tid}
 * @param allowed        lower-case tenant ids whose tokens sign in, {@value #ANY_TENANT} for any; empty = native sign-in refused
 */
public record MicrosoftTenants(String issuerTemplate, Set<String> allowed) {

    public static final String PROVIDER_ID = MicrosoftIdentityProviderFactory.PROVIDER_ID;
    /** Keycloak's own setting of the Microsoft IdP; when it names one tenant, browser and native logins are pinned to it. */
    public static final String TENANT_ID = "tenantId";
    public static final String ALLOWED_TENANTS = "keybridge.microsoft.allowedTenants";
    public static final String ISSUER_TEMPLATE = "keybridge.microsoft.issuerTemplate";
    public static final String TENANT_PLACEHOLDER = "{tenantid}";
    public static final String DEFAULT_ISSUER_TEMPLATE = "https://login.microsoftonline.com/" + TENANT_PLACEHOLDER + "/v2.0";
    public static final String DEFAULT_JWKS_URL = "https://login.microsoftonline.com/common/discovery/v2.0/keys";
    /** The tenant of every personal Microsoft account (outlook.com, live.com, …). */
    public static final String PERSONAL_ACCOUNTS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
    public static final String ANY_TENANT = "*";

    /** Keycloak's tenantId values that name a group of tenants, not one. */
    private static final Set<String> TENANT_GROUPS = Set.of("common", "organizations");
    private static final String CONSUMERS = "consumers";
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Reads the IdP's config: a tenantId naming one tenant pins it; otherwise the allowed-tenants list applies. */
    public static MicrosoftTenants of(Map<String, String> config) {
        String template = config.get(ISSUER_TEMPLATE);
        template = template == null || template.isBlank() ? DEFAULT_ISSUER_TEMPLATE : template.trim();
        String tenantId = config.get(TENANT_ID) == null ? "" : config.get(TENANT_ID).trim().toLowerCase(Locale.ROOT);
        Set<String> allowed;
        if (!tenantId.isEmpty() && !TENANT_GROUPS.contains(tenantId)) {
            allowed = Set.of(CONSUMERS.equals(tenantId) ? PERSONAL_ACCOUNTS_TENANT : tenantId);
        } else {
            allowed = NativeSignInSettings.list(config.get(ALLOWED_TENANTS)).stream()
                    .map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        }
        return new MicrosoftTenants(template, allowed);
    }

    /** The IdP settings of Microsoft's native sign-in, as the admin console shows them. */
    public static List<ProviderConfigProperty> configProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(ALLOWED_TENANTS).label("Native sign-in: allowed tenants")
                .helpText("Tenant ids (GUIDs) whose ID tokens native sign-in accepts, used when Tenant ID is empty or 'common'/'organizations' "
                        + "(a Tenant ID naming one tenant pins native sign-in to it). '*' accepts any tenant, personal accounts (tenant "
                        + PERSONAL_ACCOUNTS_TENANT + ") included. With neither, native sign-in refuses every Microsoft token.")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
                .property().name(ISSUER_TEMPLATE).label("Native sign-in: issuer template")
                .helpText("Expected iss of ID tokens, " + TENANT_PLACEHOLDER + " standing for the token's tid. Default "
                        + DEFAULT_ISSUER_TEMPLATE + "; change only for tests or national clouds.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(DEFAULT_ISSUER_TEMPLATE).add()
                .build();
    }

    /** Refuses before any key is fetched when the IdP allows no tenant: safe default for a multi-tenant app id. */
    public void requireConfigured(String alias) throws IdTokenRejectedException {
        if (allowed.isEmpty()) {
            throw new IdTokenRejectedException("identity provider '" + alias + "' allows no Microsoft tenant for native sign-in: set its "
                    + "Tenant ID, or list tenant ids in 'Native sign-in: allowed tenants' ('" + ANY_TENANT + "' for any tenant)");
        }
    }

    /** The token's tenant must be allowed and its issuer must be that tenant's issuer. */
    public void check(Map<String, Object> claims, String alias) throws IdTokenRejectedException {
        String tid = claims.get("tid") instanceof String s ? s : null;
        if (tid == null || !GUID.matcher(tid).matches()) {
            throw new IdTokenRejectedException("ID token has no tenant id (tid) in GUID form: '" + tid + "'");
        }
        if (!allowed.contains(ANY_TENANT) && !allowed.contains(tid.toLowerCase(Locale.ROOT))) {
            throw new IdTokenRejectedException("ID token tenant (tid) '" + tid + "' is not allowed for identity provider '" + alias + "'");
        }
        String expected = issuerTemplate.replace(TENANT_PLACEHOLDER, tid);
        Object issuer = claims.get("iss");
        if (!expected.equals(issuer)) {
            throw new IdTokenRejectedException("ID token issuer '" + issuer + "' is not the issuer of its tenant '" + tid + "' (" + expected + ")");
        }
    }

    /** The person: {@code oid}, which Microsoft Graph reports as the user's {@code id} and Keycloak's browser login stores. */
    public static String subject(Map<String, Object> claims) throws IdTokenRejectedException {
        if (claims.get("oid") instanceof String oid && !oid.isBlank()) {
            return oid;
        }
        throw new IdTokenRejectedException("ID token has no object id (oid); the app must request the 'profile' scope");
    }

    /**
     * Whether Microsoft vouches for the {@code email} claim: only with {@code xms_edov} ("email domain owner verified").
     * Any tenant admin can set a user's email to any address, so without it the email proves nothing ("nOAuth").
     */
    public static boolean emailProven(Map<String, Object> claims) {
        Object edov = claims.get("xms_edov");
        return Boolean.TRUE.equals(edov) || "true".equals(edov);
    }
}
