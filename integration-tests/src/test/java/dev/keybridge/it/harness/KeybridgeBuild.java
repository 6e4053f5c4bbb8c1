package dev.keybridge.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;
import org.keycloak.util.JsonSerialization;

/**
 * What the build put into the provider jars: read from the jars themselves, so the smoke test
 * checks exactly what an operator would drop into {@code providers/}.
 */
public final class KeybridgeBuild {

    public static final String GROUP_ID = "dev.keybridge";

    /** The modules whose jar goes into Keycloak's providers/ directory. */
    public static final List<String> PROVIDER_MODULES =
            List.of("authenticators", "token-policies", "rest-resources", "storage-provider", "themes");

    private static final String SERVICES_DIR = "META-INF/services/";

    private KeybridgeBuild() {
    }

    public static Path rootDir() {
        return Path.of(System.getProperty("keybridge.root.dir", "..")).toAbsolutePath().normalize();
    }

    public static String version() {
        return System.getProperty("keybridge.version");
    }

    public static Path moduleJar(String module) {
        return rootDir().resolve(module).resolve("target").resolve(module + "-" + version() + ".jar");
    }

    /** A provider the build registers: the SPI name as Keycloak's server info lists it, and its id. */
    public record ProviderId(String spi, String id) {
    }

    /** Every provider registered in META-INF/services of the module jars. */
    public static List<ProviderId> providerIds() throws IOException, ReflectiveOperationException {
        Map<String, String> spiNameByFactoryInterface = new HashMap<>();
        for (Spi spi : ServiceLoader.load(Spi.class)) {
            spiNameByFactoryInterface.put(spi.getProviderFactoryClass().getName(), spi.getName());
        }
        List<ProviderId> ids = new ArrayList<>();
        for (String module : PROVIDER_MODULES) {
            try (JarFile jar = new JarFile(moduleJar(module).toFile())) {
                for (JarEntry entry : jar.stream().toList()) {
                    String name = entry.getName();
                    if (!name.startsWith(SERVICES_DIR) || entry.isDirectory()) {
                        continue;
                    }
                    String spiName = spiNameByFactoryInterface.get(name.substring(SERVICES_DIR.length()));
                    if (spiName == null) {
                        continue; // not a Keycloak provider factory (e.g. an SPI definition)
                    }
                    for (String className : readLines(jar, entry)) {
                        ProviderFactory<?> factory = (ProviderFactory<?>) Class.forName(className)
                                .getDeclaredConstructor().newInstance();
                        ids.add(new ProviderId(spiName, factory.getId()));
                    }
                }
            }
        }
        return ids;
    }

    /** Every theme the module jars declare in META-INF/keycloak-themes.json: type to theme names. */
    public static Map<String, List<String>> themes() throws IOException {
        Map<String, List<String>> themes = new HashMap<>();
        for (String module : PROVIDER_MODULES) {
            try (JarFile jar = new JarFile(moduleJar(module).toFile())) {
                JarEntry entry = jar.getJarEntry("META-INF/keycloak-themes.json");
                if (entry == null) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    for (JsonNode theme : JsonSerialization.mapper.readTree(in).path("themes")) {
                        for (JsonNode type : theme.path("types")) {
                            themes.computeIfAbsent(type.asText(), t -> new ArrayList<>()).add(theme.path("name").asText());
                        }
                    }
                }
            }
        }
        return themes;
    }

    public static List<Path> realmFiles() throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("keybridge.realm.dir")))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static List<String> readLines(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(line -> line.replaceFirst("#.*", "").trim())
                    .filter(line -> !line.isEmpty())
                    .toList();
        }
    }
}
