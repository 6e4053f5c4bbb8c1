package dev.keybridge.rest.tapis;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.keybridge.tokens.tapis.ReservedClaims;
import dev.keybridge.tokens.tapis.TapisClaimsConfig;
import dev.keybridge.tokens.tapis.TapisClaimsMapper;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;

/**
 * The Tapis tenant a client's tokens belong to, read from the {@code tapis-claims} mapper on the client or on one of
 * its default client scopes, and the claims that client's tokens carry by their mappers.
 *
 * @param config        the settings of the client's {@code tapis-claims} mapper
 * @param mappedClaims  top-level claim names (normalized) that a protocol mapper of the client or of its default or
 *                      optional client scopes writes
 */
record TapisTenant(TapisClaimsConfig config, Set<String> mappedClaims) {

    static Optional<TapisTenant> of(RealmModel realm, ClientModel client) {
        List<ProtocolMapperModel> applied = Stream.concat(client.getProtocolMappersStream(), mappersOf(client.getClientScopes(true))).toList();
        Set<String> mappedClaims = Stream.concat(applied.stream(), mappersOf(client.getClientScopes(false)))
                .map(m -> m.getConfig().get(OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME))
                .filter(name -> name != null && !name.isBlank())
                .map(TapisTenant::topLevelClaim)
                .collect(Collectors.toUnmodifiableSet());
        return applied.stream()
                .filter(m -> TapisClaimsMapper.PROVIDER_ID.equals(m.getProtocolMapper()))
                .findFirst()
                .map(m -> new TapisTenant(TapisClaimsConfig.from(m.getConfig(), realm.getName()), mappedClaims));
    }

    private static Stream<ProtocolMapperModel> mappersOf(Map<String, ClientScopeModel> scopes) {
        return scopes.values().stream().flatMap(ClientScopeModel::getProtocolMappersStream);
    }

    /** A tenant from a mapper's config alone, with no other mappers. */
    static TapisTenant fromConfig(Map<String, String> config, String realmName) {
        return new TapisTenant(TapisClaimsConfig.from(config, realmName), Set.of());
    }

    String tenantId() {
        return config.tenantId();
    }

    /**
     * Whether an extra claim may not take {@code name}: a registered JWT/OIDC claim or a field of Keycloak's tokens, a
     * Tapis claim, or a claim one of the client's mappers writes; all compared case-insensitively.
     */
    boolean isReservedClaim(String name) {
        return ReservedClaims.isReserved(name) || config.isTapisClaim(name) || mappedClaims.contains(ReservedClaims.normalized(name));
    }

    /** The top-level claim a mapper's claim name writes: Keycloak nests at unescaped dots ({@code address.street}). */
    private static String topLevelClaim(String claimName) {
        String topLevel = claimName.trim().split("(?<!\\\\)\\.", 2)[0];
        return ReservedClaims.normalized(topLevel.replace("\\.", "."));
    }
}
