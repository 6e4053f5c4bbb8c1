package dev.keybridge.rest.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import dev.keybridge.rest.support.RoleReference.ClientRoleName;
import org.junit.jupiter.api.Test;

class RoleReferenceTest {

    @Test
    void plainNameHasNoClientReading() {
        assertEquals(List.of(), RoleReference.clientRoleCandidates("dispatcher"));
    }

    @Test
    void everySlashIsATriedSplitLeftmostFirst() {
        assertEquals(List.of(new ClientRoleName("https:", "/app.example/admin"),
                        new ClientRoleName("https:/", "app.example/admin"),
                        new ClientRoleName("https://app.example", "admin")),
                RoleReference.clientRoleCandidates("https://app.example/admin"));
    }

    @Test
    void slashAtAnEndGivesNoEmptyClientOrRole() {
        assertEquals(List.of(), RoleReference.clientRoleCandidates("/admin"));
        assertEquals(List.of(), RoleReference.clientRoleCandidates("app/"));
    }
}
