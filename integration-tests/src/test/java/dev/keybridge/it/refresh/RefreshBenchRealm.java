package dev.keybridge.it.refresh;

import dev.keybridge.it.harness.Http;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * Realms of one user and one client that differ only in how refresh tokens rotate, so a measured or
 * observed difference comes from the rotation mechanism alone (RefreshChainBench measures them, tests use them too).
 */
public abstract class RefreshBenchRealm implements RealmConfig {

    public static final Http.Client BENCH_APP = new Http.Client("bench-app", RotatingRefreshTokenRealm.SECRET);

    @Override
    public RealmBuilder configure(RealmBuilder realm) {
        realm.users(RotatingRefreshTokenRealm.alice())
                .clients(ClientBuilder.create(BENCH_APP.clientId()).secret(BENCH_APP.secret()).directAccessGrantsEnabled());
        return rotation(realm);
    }

    abstract RealmBuilder rotation(RealmBuilder realm);

    /** Keycloak's stock realm-wide rotation: "Revoke Refresh Token" with max reuse 0. */
    public static final class StockRotation extends RefreshBenchRealm {
        @Override
        RealmBuilder rotation(RealmBuilder realm) {
            return realm.revokeRefreshToken(true).refreshTokenMaxReuse(0);
        }
    }

    /** The rotating-refresh-token policy on the client, reuse interval 0, realm rotation off. */
    public static final class PolicyRotation extends RefreshBenchRealm {
        @Override
        RealmBuilder rotation(RealmBuilder realm) {
            RotatingRefreshTokenRealm.policy(realm, "rrt-bench", RotatingRefreshTokenRealm.config(0, "family", 0, 0), BENCH_APP);
            return realm;
        }
    }

    /** Keycloak's realm rotation and the policy (reuse interval 30 s) together: the policy's verdict must stand. */
    static final class BothRotations extends RefreshBenchRealm {
        static final int REUSE_INTERVAL = 30;

        @Override
        RealmBuilder rotation(RealmBuilder realm) {
            RotatingRefreshTokenRealm.policy(realm.revokeRefreshToken(true).refreshTokenMaxReuse(0), "rrt-bench",
                    RotatingRefreshTokenRealm.config(REUSE_INTERVAL, "family", 0, 0), BENCH_APP);
            return realm;
        }
    }
}
