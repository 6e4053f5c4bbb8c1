package dev.keybridge.storage;

import java.util.Map;

/**
 * One row of the legacy users table, as mapped by the component's settings. Columns that are not
 * configured are null.
 */
public record LegacyUser(
        String id,
        String username,
        String email,
        String passwordHash,
        String hashAlgorithm,
        String firstName,
        String lastName,
        Boolean enabled,
        Long createdTimestamp,
        Map<String, String> attributes) {
}
