package org.keycloak.testframework.server;

import java.util.List;

/**
 * The framework keeps the command line it builds package-private; the container mode needs the same
 * arguments the distribution mode passes to kc.sh, so this bridge lives in the framework's package.
 */
public final class ServerCommandLine {

    private ServerCommandLine() {
    }

    public static List<String> of(KeycloakServerConfigBuilder config) {
        return config.toArgs();
    }
}
