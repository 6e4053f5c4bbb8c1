package dev.keybridge.tokens.refresh;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.jboss.logging.Logger;
import org.keycloak.common.Profile;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyConditionConfigurationRepresentation;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.representations.idm.ClientPolicyExecutorRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.ClientPolicyMode;
import org.keycloak.services.clientpolicy.ClientPolicyVote;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProvider;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProviderFactory;
import org.keycloak.services.clientpolicy.context.TokenRefreshContext;
import org.keycloak.util.JsonSerialization;

/**
 * Tells, before a refresh, whether the realm's client policies put a client's refreshes under a
 * {@code rotating-refresh-token} executor, and whether every such executor rotates. Conditions are evaluated for a
 * refresh of the client ({@link TokenRefreshContext}) with the rules Keycloak applies when it triggers the policies:
 * enabled policies only, at least one condition voting yes, none voting no (after negative logic), an abstention
 * failing a policy in strict mode. For compatibility endpoints that must never hand out a non-rotating refresh token.
 */
public final class RotationCoverage {

    private static final Logger LOG = Logger.getLogger(RotationCoverage.class);

    private RotationCoverage() {
    }

    /**
     * @return empty when no {@code rotating-refresh-token} executor applies to the client's refreshes; else whether all
     *         that apply have rotation on (one with rotation off means refreshed tokens stay valid)
     */
    public static Optional<Boolean> rotatesRefreshTokensOf(KeycloakSession session, ClientModel client) {
        List<RotatingRefreshTokenConfig> executors = executorsOf(session, client);
        return executors.isEmpty() ? Optional.empty()
                : Optional.of(executors.stream().allMatch(RotatingRefreshTokenConfig::isRotate));
    }

    /** The configurations of every {@code rotating-refresh-token} executor that applies to the client's refreshes. */
    public static List<RotatingRefreshTokenConfig> executorsOf(KeycloakSession session, ClientModel client) {
        if (!Profile.isFeatureEnabled(Profile.Feature.CLIENT_POLICIES)) {
            return List.of();
        }
        RealmModel realm = session.getContext().getRealm();
        try {
            ClientPoliciesRepresentation policies = session.clientPolicy().getClientPolicies(realm, true);
            ClientProfilesRepresentation profiles = session.clientPolicy().getClientProfiles(realm, true);
            ClientPolicyContext refresh = new TokenRefreshContext(new MultivaluedHashMap<>(), client, null);
            Set<String> applying = new HashSet<>();
            for (ClientPolicyRepresentation policy : concat(policies.getPolicies(), policies.getGlobalPolicies())) {
                if (Boolean.TRUE.equals(policy.isEnabled()) && policy.getProfiles() != null && satisfied(session, policy, refresh)) {
                    applying.addAll(policy.getProfiles());
                }
            }
            return concat(profiles.getProfiles(), profiles.getGlobalProfiles()).stream()
                    .filter(profile -> applying.contains(profile.getName()) && profile.getExecutors() != null)
                    .flatMap(profile -> profile.getExecutors().stream())
                    .filter(executor -> RotatingRefreshTokenExecutorFactory.PROVIDER_ID.equals(executor.getExecutorProviderId()))
                    .map(RotationCoverage::config)
                    .collect(Collectors.toList());
        } catch (ClientPolicyException | RuntimeException unreadable) {
            // a policy that cannot be evaluated proves nothing: treat the client as not covered
            LOG.warnf(unreadable, "Client policies of realm %s could not be evaluated for client %s", realm.getName(), client.getClientId());
            return List.of();
        }
    }

    private static boolean satisfied(KeycloakSession session, ClientPolicyRepresentation policy, ClientPolicyContext context)
            throws ClientPolicyException {
        boolean strict = policy.getMode() != null && ClientPolicyMode.STRICT.name().equalsIgnoreCase(policy.getMode());
        boolean yes = false;
        for (ClientPolicyConditionRepresentation conditionRep : Optional.ofNullable(policy.getConditions()).orElse(List.of())) {
            ClientPolicyConditionProvider<ClientPolicyConditionConfigurationRepresentation> condition = condition(session, conditionRep);
            ClientPolicyVote vote = condition.applyPolicy(context);
            if (condition.isNegativeLogic() && vote != ClientPolicyVote.ABSTAIN) {
                vote = vote == ClientPolicyVote.YES ? ClientPolicyVote.NO : ClientPolicyVote.YES;
            }
            if (vote == ClientPolicyVote.NO || (vote == ClientPolicyVote.ABSTAIN && strict)) {
                return false;
            }
            yes |= vote == ClientPolicyVote.YES;
        }
        return yes;
    }

    @SuppressWarnings("unchecked")
    private static ClientPolicyConditionProvider<ClientPolicyConditionConfigurationRepresentation> condition(
            KeycloakSession session, ClientPolicyConditionRepresentation rep) {
        ClientPolicyConditionProviderFactory factory = (ClientPolicyConditionProviderFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(ClientPolicyConditionProvider.class, rep.getConditionProviderId());
        if (factory == null) {
            throw new IllegalStateException("Unknown client-policy condition " + rep.getConditionProviderId());
        }
        ClientPolicyConditionProvider<ClientPolicyConditionConfigurationRepresentation> condition =
                factory.create(session);
        JsonNode configuration = rep.getConfiguration();
        condition.setupConfiguration(JsonSerialization.mapper.convertValue(
                configuration == null ? JsonSerialization.mapper.createObjectNode() : configuration,
                condition.getConditionConfigurationClass()));
        return condition;
    }

    private static RotatingRefreshTokenConfig config(ClientPolicyExecutorRepresentation executor) {
        JsonNode configuration = executor.getConfiguration();
        return configuration == null ? new RotatingRefreshTokenConfig()
                : JsonSerialization.mapper.convertValue(configuration, RotatingRefreshTokenConfig.class);
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>();
        Optional.ofNullable(first).ifPresent(all::addAll);
        Optional.ofNullable(second).ifPresent(all::addAll);
        return all;
    }
}
