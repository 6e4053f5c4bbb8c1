package dev.keybridge.it.refresh;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.keybridge.it.harness.Http;
import dev.keybridge.tokens.refresh.RotatingRefreshTokenConfig;
import dev.keybridge.tokens.refresh.RotatingRefreshTokenExecutorFactory;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.services.clientpolicy.condition.ClientRolesCondition;
import org.keycloak.services.clientpolicy.condition.ClientRolesConditionFactory;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ClientPolicyBuilder;
import org.keycloak.testframework.realm.ClientProfileBuilder;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * One user and confidential clients, each selected into a {@code rotating-refresh-token} profile by a
 * client role (the per-client switch an operator flips in the admin console), plus a client outside
 * every policy. Keycloak's realm-wide rotation stays off, its default.
 */
public class RotatingRefreshTokenRealm implements RealmConfig {

    public static final String USER = "alice";
    public static final String PASSWORD = "alice-password";
    public static final String SECRET = "rrt-secret";

    /** Reuse interval 3 s, breach revokes the login (two clients share that profile). */
    public static final Http.Client LEEWAY_APP = new Http.Client("leeway-app", SECRET);
    public static final Http.Client LEEWAY_WEB = new Http.Client("leeway-web", SECRET);
    static final int LEEWAY_SECONDS = 3;
    /** Reuse interval 0: any reuse is a breach. */
    public static final Http.Client STRICT_APP = new Http.Client("strict-app", SECRET);
    /** Reuse interval 60 s, for parallel refreshes on a busy machine. */
    public static final Http.Client PARALLEL_APP = new Http.Client("parallel-app", SECRET);
    /** Absolute lifetime 6 s, idle lifetime 4 s. */
    static final Http.Client LIFETIME_APP = new Http.Client("lifetime-app", SECRET);
    static final int ABSOLUTE_SECONDS = 6;
    static final int IDLE_SECONDS = 4;
    /** On breach only this client's session goes, as in stock Keycloak. */
    static final Http.Client CLIENT_SCOPED_APP = new Http.Client("client-scoped-app", SECRET);
    /** Rotation off: refreshes return no new refresh token. */
    static final Http.Client NO_ROTATION_APP = new Http.Client("no-rotation-app", SECRET);
    /** In no policy: stock behaviour. */
    static final Http.Client STOCK_APP = new Http.Client("stock-app", SECRET);

    @Override
    public RealmBuilder configure(RealmBuilder realm) {
        realm.eventsEnabled(true)
                .enabledEventTypes("REFRESH_TOKEN", "REFRESH_TOKEN_ERROR", "LOGIN", "CODE_TO_TOKEN")
                .users(alice());
        for (Http.Client client : List.of(LEEWAY_APP, LEEWAY_WEB, STRICT_APP, PARALLEL_APP, LIFETIME_APP, CLIENT_SCOPED_APP,
                NO_ROTATION_APP, STOCK_APP)) {
            realm.clients(ClientBuilder.create(client.clientId()).secret(client.secret())
                    .directAccessGrantsEnabled().redirectUris(Http.REDIRECT_URI)
                    .protocolMappers(ownAudience(client.clientId())));
        }
        policy(realm, "rrt-leeway", config(LEEWAY_SECONDS, "family", 0, 0), LEEWAY_APP, LEEWAY_WEB);
        policy(realm, "rrt-strict", config(0, "family", 0, 0), STRICT_APP);
        policy(realm, "rrt-parallel", config(60, "family", 0, 0), PARALLEL_APP);
        policy(realm, "rrt-lifetime", config(0, "family", ABSOLUTE_SECONDS, IDLE_SECONDS), LIFETIME_APP);
        policy(realm, "rrt-client-scoped", config(0, "client", 0, 0), CLIENT_SCOPED_APP);
        RotatingRefreshTokenConfig noRotation = config(0, "family", 0, 0);
        noRotation.setRotate(false);
        policy(realm, "rrt-no-rotation", noRotation, NO_ROTATION_APP);
        return realm;
    }

    /** The test user; offline_access lets her ask for offline tokens. */
    public static UserBuilder alice() {
        return UserBuilder.create(USER).password(PASSWORD).email("alice@example.org").emailVerified(true)
                .firstName("Alice").lastName("Liddell").enabled(true).realmRoles("offline_access");
    }

    /** Keycloak 26.7 introspects a token for a client only when that client is in its audience. */
    private static ProtocolMapperRepresentation ownAudience(String clientId) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName("own audience");
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-audience-mapper");
        mapper.setConfig(Map.of("included.client.audience", clientId, "access.token.claim", "true",
                "introspection.token.claim", "true"));
        return mapper;
    }

    public static RotatingRefreshTokenConfig config(int reuseInterval, String onBreach, int absolute, int idle) {
        RotatingRefreshTokenConfig config = new RotatingRefreshTokenConfig();
        config.setReuseIntervalSeconds(reuseInterval);
        config.setOnBreach(onBreach);
        config.setAbsoluteLifetimeSeconds(absolute);
        config.setIdleLifetimeSeconds(idle);
        return config;
    }

    /** A profile with the executor and a policy choosing the clients that carry {@code role}. */
    static void policy(RealmBuilder realm, String role, RotatingRefreshTokenConfig config, Http.Client... clients) {
        policy(realm, role, config, Arrays.stream(clients).map(Http.Client::clientId).toArray(String[]::new));
    }

    /** A profile with the executor and a policy choosing the clients (by clientId) that carry {@code role}. */
    public static void policy(RealmBuilder realm, String role, RotatingRefreshTokenConfig config, String... clientIds) {
        for (String clientId : clientIds) {
            realm.clientRoles(clientId, role);
        }
        realm.clientProfile(ClientProfileBuilder.create().name(role)
                .executor(RotatingRefreshTokenExecutorFactory.PROVIDER_ID, config).build());
        ClientRolesCondition.Configuration condition = new ClientRolesCondition.Configuration();
        condition.setRoles(List.of(role));
        realm.clientPolicy(ClientPolicyBuilder.create().name(role).enabled(true)
                .condition(ClientRolesConditionFactory.PROVIDER_ID, condition).profile(role).build());
    }
}
