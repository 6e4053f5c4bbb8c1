package dev.keybridge.storage;

/** What Keycloak may do with the users of the legacy table. */
public enum StorageMode {
    /** Users stay in MySQL; nothing is written there (profile and password changes are refused). */
    READ_ONLY,
    /** Users stay in MySQL; password changes, profile edits, registrations and deletions go there. */
    WRITABLE,
    /**
     * A user is copied into Keycloak on first lookup; on the first successful login the password is
     * re-hashed by Keycloak and the federation link is cut, so later logins never touch MySQL.
     */
    MIGRATE_ON_LOGIN
}
