package dev.keybridge.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import dev.keybridge.it.harness.KeybridgeBuild;
import org.junit.jupiter.api.Test;

/**
 * The all-in-one jar and the release zip as `mvn package` leaves them: every module's classes and
 * provider registrations in one jar with no Keycloak classes inside, and a zip that `docker compose up`
 * can run as it is.
 */
class ReleasePackageTest {

    private static final List<String> MODULE_PACKAGES = List.of(
            "dev/keybridge/broker/", "dev/keybridge/tokens/", "dev/keybridge/rest/", "dev/keybridge/storage/");

    @Test
    void theProviderJarHoldsEveryModuleAndNoKeycloakClass() throws IOException {
        try (JarFile jar = new JarFile(KeybridgeBuild.providerJar().toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            for (String modulePackage : MODULE_PACKAGES) {
                assertTrue(names.stream().anyMatch(n -> n.startsWith(modulePackage) && n.endsWith(".class")),
                        "no class under " + modulePackage);
            }
            assertTrue(names.contains("META-INF/keycloak-themes.json"), "themes missing");
            List<String> foreign = names.stream()
                    .filter(n -> n.endsWith(".class") && !n.startsWith("dev/keybridge/"))
                    .toList();
            assertEquals(List.of(), foreign, "classes that are not Keybridge's");
        }
    }

    @Test
    void servicesFilesOfAllModulesAreMerged() throws IOException {
        try (JarFile jar = new JarFile(KeybridgeBuild.providerJar().toFile())) {
            String factories = new String(jar.getInputStream(
                    jar.getEntry("META-INF/services/org.keycloak.services.resource.RealmResourceProviderFactory"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            for (String resource : List.of("openk", "tapis", "ertis", "timelapseme", "watcherex")) {
                assertTrue(factories.contains("dev.keybridge.rest." + resource + "."), resource + " not registered: " + factories);
            }
        }
    }

    @Test
    void theReleaseZipRunsWithDockerComposeAsItIs() throws IOException {
        Path zip = KeybridgeBuild.rootDir().resolve("bundle/target/keybridge-" + KeybridgeBuild.version() + "-release.zip");
        String base = "keybridge-" + KeybridgeBuild.version() + "/";
        try (ZipFile release = new ZipFile(zip.toFile())) {
            Set<String> names = new TreeSet<>(release.stream().map(ZipEntry::getName).toList());
            for (String expected : List.of("providers/keybridge-" + KeybridgeBuild.version() + ".jar",
                    "docker-compose.yml", ".env", "README.md", "LICENSE", "realms/keybridge-demo-realm.json")) {
                assertTrue(names.contains(base + expected), expected + " missing from " + names);
            }
            String env = new String(release.getInputStream(release.getEntry(base + ".env")).readAllBytes(),
                    StandardCharsets.UTF_8);
            for (String line : env.lines().filter(l -> l.startsWith("KEYBRIDGE_")).toList()) {
                String path = line.substring(line.indexOf("=./") + 3);
                assertTrue(names.contains(base + path) || names.stream().anyMatch(n -> n.startsWith(base + path + "/")),
                        ".env points at " + path + ", which the zip lacks");
            }
            assertTrue(Files.size(zip) > 0);
        }
    }
}
