package dev.keybridge.it.tapis;

import static dev.keybridge.it.tapis.TapisRealm.JOBS;
import static dev.keybridge.it.tapis.TapisRealm.JOBS_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.keybridge.it.harness.Http;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;

/**
 * Rows of the Tapis table (docs/tapis.md) replayed from the original's code: the "Unable to create token" message
 * and what answers a route the API does not have.
 */
@KeycloakIntegrationTest
class TapisContractReplayTest {

    static final String UNMAPPED = "unmapped";
    static final String UNMAPPED_SECRET = "unmapped-secret";

    @InjectRealm(config = ReplayRealm.class)
    ManagedRealm realm;

    /** The Tapis tenant, plus a confidential client whose tokens carry no Tapis claims (no tapis-claims mapper). */
    static class ReplayRealm extends TapisRealm {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return super.configure(realm).name("tapis-replay")
                    .clients(ClientBuilder.create(UNMAPPED).secret(UNMAPPED_SECRET).serviceAccountsEnabled());
        }
    }

    private String url(String path) {
        return realm.getBaseUrl() + "/tapis/" + path;
    }

    /** The original answers a tenant it cannot mint for with "Unable to create token. Please contact system administrator.". */
    @Test
    void callerWhoseTokensCarryNoTapisClaimsGetsTheOriginalsMessage() throws Exception {
        Http.Response reply = Http.plain().json("POST", url("v3/tokens"), """
                {"token_tenant_id": "dev", "account_type": "service", "token_username": "unmapped", "target_site_id": "tacc"}""",
                Http.basic(UNMAPPED, UNMAPPED_SECRET));
        TapisTokensApiTest.assertError(reply, "Unable to create token. Please contact system administrator.");
    }

    /**
     * The original answers every route it lacks with 405; here Keycloak's router answers the requests below the realm
     * that no route takes: 405 for another method on {@code /v3/tokens}, else 404 (difference on purpose, docs/tapis.md).
     */
    @Test
    void routesTheApiLacksAreAnsweredByKeycloaksRouter() throws Exception {
        String jobs = Http.basic(JOBS, JOBS_SECRET);
        Map<String, Integer> statuses = new LinkedHashMap<>();
        statuses.put("DELETE v3/tokens", Http.plain().json("DELETE", url("v3/tokens"), "{}", jobs).status());
        statuses.put("POST v3/tokens/hello", Http.plain().json("POST", url("v3/tokens/hello"), "{}", jobs).status());
        statuses.put("PUT v3/tokens/keys", Http.plain().json("PUT", url("v3/tokens/keys"), "{}", jobs).status());
        statuses.put("GET v3/nothing-here", Http.plain().json("GET", url("v3/nothing-here"), "", jobs).status());
        assertEquals(Map.of("DELETE v3/tokens", 405, "POST v3/tokens/hello", 404, "PUT v3/tokens/keys", 404,
                "GET v3/nothing-here", 404), statuses);
    }
}
