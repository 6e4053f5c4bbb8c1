package dev.keybridge.it.tapis;

import java.util.HashMap;
import java.util.Map;

import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * A Tapis-like tenant: a portal users log into, the "jobs" service (a confidential client with a
 * service account, allowed to exchange tokens and to mint Tapis tokens for others), the "apps"
 * service (may mint only for itself), users jdoe and the disabled olduser. Refresh tokens rotate
 * (realm "revoke refresh token" on), so a used one is dead.
 */
public class TapisRealm implements RealmConfig {

    public static final String TENANT = "dev";
    static final String PORTAL = "portal";
    static final String PORTAL_SECRET = "portal-secret";
    static final String JOBS = "jobs";
    static final String JOBS_SECRET = "jobs-secret";
    static final String APPS = "apps";
    static final String APPS_SECRET = "apps-secret";
    static final String USER = "jdoe";
    static final String PASSWORD = "jdoe-password";
    static final String DISABLED_USER = "olduser";
    public static final String TAPIS_SUB_CLAIM = "tapis_sub";
    public static final String GENERATOR_ROLE = "tapis-token-generator";

    @Override
    public RealmBuilder configure(RealmBuilder realm) {
        return realm.name("tapis")
                .eventsEnabled(true)
                .revokeRefreshToken(true)
                .realmRoles(GENERATOR_ROLE)
                .clients(
                        ClientBuilder.create(PORTAL).secret(PORTAL_SECRET).directAccessGrantsEnabled()
                                .protocolMappers(tapisMapper(Map.of()), audienceMapper(JOBS)),
                        ClientBuilder.create(JOBS).secret(JOBS_SECRET).serviceAccountsEnabled().directAccessGrantsEnabled()
                                .attribute("standard.token.exchange.enabled", "true")
                                .protocolMappers(tapisMapper(Map.of("tapis.target.site", "tacc")), audienceMapper(JOBS)),
                        ClientBuilder.create(APPS).secret(APPS_SECRET).serviceAccountsEnabled()
                                .protocolMappers(tapisMapper(Map.of("tapis.target.site", "tacc"))))
                .users(
                        UserBuilder.create(USER).password(PASSWORD).name("Jane", "Doe").email("jdoe@example.org").emailVerified(true),
                        UserBuilder.create(DISABLED_USER).password(PASSWORD).enabled(false),
                        UserBuilder.create("service-account-" + JOBS).serviceAccountId(JOBS).realmRoles(GENERATOR_ROLE));
    }

    /** The mapper as an operator configures it: tenant "dev", username@tenant under tapis_sub. */
    public static ProtocolMapperRepresentation tapisMapper(Map<String, String> extraConfig) {
        Map<String, String> config = new HashMap<>(Map.of(
                "tapis.tenant.id", TENANT,
                "tapis.sub.claim.enabled", "true",
                "tapis.sub.claim.name", TAPIS_SUB_CLAIM,
                "access.token.claim", "true",
                "introspection.token.claim", "true",
                "id.token.claim", "false",
                "userinfo.token.claim", "false"));
        config.putAll(extraConfig);
        return mapper("tapis claims", "tapis-claims", config);
    }

    static ProtocolMapperRepresentation audienceMapper(String audience) {
        return mapper("audience " + audience, "oidc-audience-mapper",
                Map.of("included.client.audience", audience, "access.token.claim", "true", "introspection.token.claim", "true"));
    }

    public static ProtocolMapperRepresentation mapper(String name, String type, Map<String, String> config) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(name);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper(type);
        mapper.setConfig(new HashMap<>(config));
        return mapper;
    }
}
