package dev.keybridge.rest.ertis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keybridge.rest.support.ApiException;
import org.junit.jupiter.api.Test;

class MigrationModelTest {

    private static final String USER = "\"user\":{\"username\":\"ertugrul\",\"firstname\":\"E\",\"lastname\":\"O\","
            + "\"email_address\":\"e@example.com\",\"password\":\"pw\",\"user_type\":\"User\"}";

    private static String body(String membership, String application) {
        return "{\"membership\":" + membership + "," + USER + (application == null ? "" : ",\"application\":" + application) + "}";
    }

    private static String refusal(String body) {
        ApiException refused = assertThrows(ApiException.class, () -> MigrationModel.parse(body));
        assertEquals(400, refused.status());
        assertEquals("ModelValidationError", refused.error());
        return refused.description();
    }

    @Test
    void readsTheOriginalsFields() {
        MigrationModel model = MigrationModel.parse(body("{\"name\":\"shop\",\"expires_in\":1800,\"refresh_token_expires_in\":86400,"
                + "\"hash_algorithm\":\"SHA2-256\",\"encoding\":\"UTF-8\"}", "{\"name\":\"backend\",\"role\":\"admin\"}"));
        assertEquals(new MigrationModel.Membership("shop", 1800, 86400, "SHA2-256", "UTF-8"), model.membership());
        assertEquals(new MigrationModel.User("ertugrul", "E", "O", "e@example.com", "pw"), model.user());
        assertEquals(new MigrationModel.Application("backend", "admin"), model.application());
        assertNull(MigrationModel.parse(body("{\"name\":\"shop\",\"expires_in\":1,\"refresh_token_expires_in\":1}", null)).application());
    }

    @Test
    void namesEveryMissingOrMistypedField() {
        String problems = refusal("{\"membership\":{\"name\":7,\"expires_in\":\"60\",\"refresh_token_expires_in\":0},"
                + "\"user\":{\"username\":\"\"},\"application\":[]}");
        for (String field : new String[] {"membership.name must be a string", "membership.expires_in", "membership.refresh_token_expires_in",
                "user.username must not be blank", "user.password is required", "application must be an object"}) {
            assertTrue(problems.contains(field), field + " in " + problems);
        }
        assertTrue(refusal("{}").contains("membership is required"));
        assertTrue(refusal("[1]").contains("JSON object"));
        assertTrue(refusal(body("{\"name\":\"shop\",\"expires_in\":1.5,\"refresh_token_expires_in\":3000000000}", null))
                .contains("whole number"));
    }

    /** Keycloak's reserved realm-name characters need its JAX-RS runtime: ErtisMigrateTest covers them. */
    @Test
    void refusesHostileNames() {
        for (String name : new String[] {" shop", "shop\\t", "m".repeat(256)}) {
            refusal(body("{\"name\":\"" + name + "\",\"expires_in\":60,\"refresh_token_expires_in\":60}", null));
        }
        assertTrue(refusal(body("{\"name\":\"shop\",\"expires_in\":60,\"refresh_token_expires_in\":60}", "{\"name\":\"a:b\"}"))
                .contains("':'"));
        refusal(body("{\"name\":\"shop\",\"expires_in\":60,\"refresh_token_expires_in\":60}", "{\"name\":\"app\",\"role\":\"r\\u0000\"}"));
    }
}
