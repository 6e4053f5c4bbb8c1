package dev.keybridge.rest.openk;

/** The body of openK's GET /versionInfo; dbVersion is the Keycloak version the database schema was migrated to. */
record VersionInfo(String backendVersion, String keycloakVersion, String dbVersion) {
}
