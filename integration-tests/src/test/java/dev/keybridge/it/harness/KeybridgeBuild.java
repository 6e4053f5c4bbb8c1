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
 * What the build put into the all-in-one provider jar: read from the jar itself, so the smoke test
 * checks exactly what an operator drops into {@code providers/}.
 */
public final class KeybridgeBuild {

    public static final String GROUP_ID = "dev.keybridge";

    /** The all-in-one jar (module {@code bundle}) holding every provider module and the themes. */
    public static final String PROVIDER_ARTIFACT = "keybridge";

    private static final String SERVICES_DIR = "META-INF/services/";

    private KeybridgeBuild() {
    }

    public static Path rootDir() {
        return Path.of(System.getProperty("keybridge.root.dir", "..")).toAbsolutePath().normalize();
    }

    public static String version() {
        return System.getProperty("keybridge.version");
    }

    public static Path providerJar() {
        return rootDir().resolve("bundle").resolve("target").resolve(PROVIDER_ARTIFACT + "-" + version() + ".jar");
    }

    /** A provider the build registers: the SPI name as Keycloak's server info lists it, and its id. */
    public record ProviderId(String spi, String id) {
    }

    /** Every provider registered in META-INF/services of the provider jar. */
    public static List<ProviderId> providerIds() throws IOException, ReflectiveOperationException {
        Map<String, String> spiNameByFactoryInterface = new HashMap<>();
        for (Spi spi : ServiceLoader.load(Spi.class)) {
            spiNameByFactoryInterface.put(spi.getProviderFactoryClass().getName(), spi.getName());
        }
        List<ProviderId> ids = new ArrayList<>();
        try (JarFile jar = new JarFile(providerJar().toFile())) {
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
        return ids;
    }

    /** Every theme the provider jar declares in META-INF/keycloak-themes.json: type to theme names. */
    public static Map<String, List<String>> themes() throws IOException {
        Map<String, List<String>> themes = new HashMap<>();
        try (JarFile jar = new JarFile(providerJar().toFile())) {
            JarEntry entry = jar.getJarEntry("META-INF/keycloak-themes.json");
            if (entry == null) {
                return themes;
            }
            try (InputStream in = jar.getInputStream(entry)) {
                for (JsonNode theme : JsonSerialization.mapper.readTree(in).path("themes")) {
                    for (JsonNode type : theme.path("types")) {
                        themes.computeIfAbsent(type.asText(), t -> new ArrayList<>()).add(theme.path("name").asText());
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
