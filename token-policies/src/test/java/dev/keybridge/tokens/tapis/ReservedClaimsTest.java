package dev.keybridge.tokens.tapis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ReservedClaimsTest {

    @Test
    void registeredClaimsAndKeycloakTokenFieldsAreReservedInAnyCase() {
        for (String claim : List.of("sub", "Sub", "EMAIL", "email_verified", "preferred_username", "groups", "nonce", "cnf",
                "amr", "act", "may_act", "auth_time", "acr", "realm_access", "Realm_Access", "resource_access",
                "allowed-origins", "authorization", "trusted-certs", "session_state", "typ", "scope", "client_id")) {
            assertTrue(ReservedClaims.isReserved(claim), claim);
        }
    }

    @Test
    void applicationClaimsAreNot() {
        for (String claim : List.of("project", "quota", "tapis_project", "department_code")) {
            assertFalse(ReservedClaims.isReserved(claim), claim);
        }
    }
}
