package dev.keybridge.it.harness;

import org.keycloak.testframework.server.KeycloakServerConfig;
import org.keycloak.testframework.server.KeycloakServerConfigBuilder;

/**
 * The one server configuration of the test run (selected in keycloak-test.properties): the
 * all-in-one provider jar in providers/ (as an operator installs it), the realm-export/ realms imported at start-up, and the
 * server log written to a file under target/ as well as to the console.
 */
public class KeybridgeServerConfig implements KeycloakServerConfig {

    @Override
    public KeycloakServerConfigBuilder configure(KeycloakServerConfigBuilder config) {
        config.dependency(KeybridgeBuild.GROUP_ID, KeybridgeBuild.PROVIDER_ARTIFACT);
        config.log().handlers(KeycloakServerConfigBuilder.LogHandlers.FILE);
        // Keycloak strips the JDBC drivers of database kinds no datasource uses; the mysql-users
        // storage provider needs MariaDB's and MySQL's, so declare (disabled) datasources of both
        config.option("db-kind-legacy-mariadb", "mariadb").option("db-enabled-legacy-mariadb", "false");
        config.option("db-kind-legacy-mysql", "mysql").option("db-enabled-legacy-mysql", "false");
        // The realm import needs no option here: kc.sh gets -Dkeycloak.migration.dir=realm-export/realms
        // through JAVA_OPTS_APPEND (see the pom), which is what --import-realm sets for data/import.
        return config.option("log-file", ServerLog.path().toString());
    }
}
