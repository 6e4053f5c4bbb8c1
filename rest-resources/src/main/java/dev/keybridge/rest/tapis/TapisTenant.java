package dev.keybridge.rest.tapis;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;

/**
 * The Tapis tenant a client's tokens belong to, read from the {@code tapis-claims} mapper on the
 * client or on one of its default client scopes (token-policies module). The config keys are that
 * mapper's; this module reads them as stored model data and does not depend on token-policies.
 *
 * @param tenantId    the tenant id the mapper writes (the realm name when not configured)
 * @param claimPrefix the mapper's claim prefix
 */
record TapisTenant(String tenantId, String claimPrefix) {

    static final String MAPPER_TYPE = "tapis-claims";
    private static final String TENANT_ID = "tapis.tenant.id";
    private static final String CLAIM_PREFIX = "tapis.claim.prefix";
    private static final String DEFAULT_PREFIX = "tapis/";

    static Optional<TapisTenant> of(RealmModel realm, ClientModel client) {
        Stream<ProtocolMapperModel> mappers = Stream.concat(client.getProtocolMappersStream(),
                client.getClientScopes(true).values().stream().flatMap(scope -> scope.getProtocolMappersStream()));
        return mappers.filter(m -> MAPPER_TYPE.equals(m.getProtocolMapper()))
                .findFirst()
                .map(m -> fromConfig(m.getConfig(), realm.getName()));
    }

    static TapisTenant fromConfig(Map<String, String> config, String realmName) {
        String tenant = config.get(TENANT_ID);
        String prefix = config.get(CLAIM_PREFIX);
        return new TapisTenant(tenant == null || tenant.isBlank() ? realmName : tenant.trim(),
                prefix == null || prefix.isBlank() ? DEFAULT_PREFIX : prefix.trim());
    }
}
