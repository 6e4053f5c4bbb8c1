package dev.keybridge.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keybridge.it.harness.KeybridgeBuild;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so this checks what `docker compose up` would need from the build:
 * every host path the compose file mounts exists after `mvn package`, the all-in-one provider jar
 * is mounted into providers/, and the image is the distribution version the tests run.
 */
class DockerComposeTest {

    /** {@code - ./host:/container:ro}, or {@code - ${VARIABLE:-./host}:/container:ro} (the release zip's .env sets the variable) */
    private static final Pattern BIND_MOUNT =
            Pattern.compile("^\\s*-\\s*\"?(?:\\$\\{[A-Z_]+:-)?(\\./[^:\"}]+)}?:(/[^:\"]+)(?::ro)?\"?\\s*$");
    private static final Pattern IMAGE = Pattern.compile("^\\s*image:\\s*quay\\.io/keycloak/keycloak:(\\S+)\\s*$");

    private static final Map<String, Path> mounts = new LinkedHashMap<>();
    private static String keycloakImageTag;

    @BeforeAll
    static void readComposeFile() throws IOException {
        Path compose = Path.of(System.getProperty("keybridge.compose.file"));
        for (String line : Files.readAllLines(compose)) {
            Matcher mount = BIND_MOUNT.matcher(line);
            if (mount.matches()) {
                mounts.put(mount.group(2), KeybridgeBuild.rootDir().resolve(mount.group(1)).normalize());
            }
            Matcher image = IMAGE.matcher(line);
            if (image.matches()) {
                keycloakImageTag = image.group(1);
            }
        }
    }

    @Test
    void everyMountedHostPathExists() {
        assertTrue(!mounts.isEmpty(), "docker-compose.yml mounts nothing");
        mounts.forEach((container, host) ->
                assertTrue(Files.exists(host), host + " (mounted at " + container + ") does not exist"));
    }

    @Test
    void theProviderJarIsMountedIntoProviders() throws IOException {
        Path jar = KeybridgeBuild.providerJar();
        String container = "/opt/keycloak/providers/" + KeybridgeBuild.PROVIDER_ARTIFACT + ".jar";
        assertEquals(jar, mounts.get(container), "compose should mount " + jar + " at " + container);
        try (JarFile opened = new JarFile(jar.toFile())) {
            assertTrue(opened.size() > 1, jar + " is empty");
        }
    }

    @Test
    void realmExportIsTheImportDirectory() {
        Path realms = Path.of(System.getProperty("keybridge.realm.dir")).toAbsolutePath().normalize();
        assertEquals(realms, mounts.get("/opt/keycloak/data/import"));
    }

    @Test
    void imageIsTheDistributionVersionUnderTest() {
        assertEquals(System.getProperty("keybridge.keycloak.dist.version"), keycloakImageTag);
    }
}
