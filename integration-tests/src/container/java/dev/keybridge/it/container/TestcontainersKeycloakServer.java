package dev.keybridge.it.container;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import dev.keybridge.it.harness.KeybridgeBuild;
import dev.keybridge.it.harness.ServerLog;
import org.keycloak.testframework.server.KeycloakServer;
import org.keycloak.testframework.server.KeycloakServerConfigBuilder;
import org.keycloak.testframework.server.ServerCommandLine;
import org.testcontainers.utility.MountableFile;

/**
 * The same server as the distribution mode, run from the official image through
 * testcontainers-keycloak: the module jars in providers/, realm-export/ as data/import, and the
 * options the test configuration asks for. The container's output goes to the run's server log.
 */
class TestcontainersKeycloakServer implements KeycloakServer {

    private static final String IMAGE = "quay.io/keycloak/keycloak:";

    private KeycloakContainer container;

    @Override
    public void start(KeycloakServerConfigBuilder config, boolean tlsEnabled) {
        if (tlsEnabled) {
            throw new IllegalStateException("TLS is not supported in the testcontainers mode");
        }
        container = new KeycloakContainer(IMAGE + System.getProperty("keybridge.keycloak.dist.version"))
                .withProviderLibsFrom(KeybridgeBuild.PROVIDER_MODULES.stream()
                        .map(module -> KeybridgeBuild.moduleJar(module).toFile()).toList())
                .withCopyFileToContainer(MountableFile.forHostPath(System.getProperty("keybridge.realm.dir")),
                        "/opt/keycloak/data/import")
                .withStartupTimeout(Duration.ofMinutes(5))
                .withLogConsumer(frame -> appendToServerLog(frame.getUtf8String()));
        List<String> args = ServerCommandLine.of(config);
        // args[0] is the command (start-dev), which the container sets itself; log files stay on the host
        args.stream().skip(1)
                .filter(arg -> !arg.startsWith("--log=") && !arg.startsWith("--log-file="))
                .forEach(container::withCustomCommand);
        container.start();
    }

    private static void appendToServerLog(String text) {
        try {
            Path log = ServerLog.path();
            Files.createDirectories(log.getParent());
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (container != null) {
            container.stop();
        }
    }

    @Override
    public String getBaseUrl() {
        return stripTrailingSlash(container.getAuthServerUrl());
    }

    @Override
    public String getManagementBaseUrl() {
        return stripTrailingSlash(container.getMgmtServerUrl());
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
