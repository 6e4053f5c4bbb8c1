package dev.keybridge.rest.ertis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.JsonObjectBody;
import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

class ErtisSocialCredentialsTest {

    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String TOKEN = jwt(Map.of("tid", TENANT, "oid", "oid-1", "sub", "pairwise", "aud", "app-id"));

    @Test
    void microsoftReadsTheRawIdTokenAndNeverTheBodysClaims() throws Exception {
        ErtisSocialCredentials credentials = read("microsoft", Map.of("token", Map.of("idToken", TOKEN, "tenantId", TENANT.toUpperCase(),
                "uniqueId", "oid-1", "idTokenClaims", Map.of("oid", "someone-else")), "clientId", "app-id"));
        assertEquals(TOKEN, credentials.idToken());
        assertNull(credentials.disagreement(), "the body agrees with the token (GUIDs compare without case)");
        assertEquals(TOKEN, read("microsoft", Map.of("token", Map.of("account", Map.of("idToken", TOKEN)))).idToken(),
                "the account's copy of the ID token serves when the result has none");
    }

    @Test
    void microsoftBodyThatDescribesAnotherTokenIsReported() throws Exception {
        String disagreement = read("microsoft", Map.of("token", Map.of("idToken", TOKEN, "tenantId", "other-tenant", "uniqueId", "oid-2"),
                "clientId", "other-app")).disagreement();
        assertTrue(disagreement.contains("token.tenantId 'other-tenant'") && disagreement.contains("token.uniqueId 'oid-2'")
                && disagreement.contains("clientId 'other-app'"), disagreement);
        assertNull(read("microsoft", Map.of("token", Map.of("idToken", "not-a-jwt", "tenantId", TENANT))).disagreement(),
                "an unreadable token is left to native sign-in, which refuses it");
    }

    @Test
    void missingOrMistypedFieldsAreValidationErrors() {
        for (Map<String, Object> body : java.util.List.<Map<String, Object>>of(Map.of("clientId", "app-id"),
                Map.of("token", Map.of("idToken", " ")), Map.of("token", Map.of("idToken", 7)),
                Map.of("token", Map.of("idToken", TOKEN, "tenantId", 5)))) {
            ApiException refused = assertThrows(ApiException.class, () -> read("microsoft", body), body.toString());
            assertEquals("ModelValidationError", refused.error());
            assertEquals(400, refused.status());
        }
        assertEquals("ModelValidationError", assertThrows(ApiException.class,
                () -> read("google", Map.of("token", Map.of("account", Map.of("idToken", TOKEN))))).error(), "only Microsoft has an account");
        assertNull(new ErtisSocialCredentials(TOKEN, Map.of()).disagreement());
    }

    private static ErtisSocialCredentials read(String provider, Map<String, Object> body) throws Exception {
        return ErtisSocialCredentials.read(provider, JsonObjectBody.parse(JsonSerialization.writeValueAsString(body)));
    }

    private static String jwt(Map<String, Object> claims) {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(JsonSerialization.writeValueAsBytes(claims)) + ".c2ln";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
