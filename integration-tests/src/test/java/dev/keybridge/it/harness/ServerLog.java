package dev.keybridge.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The Keycloak server log of this test run, kept under integration-tests/target/keycloak/. */
public final class ServerLog {

    private ServerLog() {
    }

    public static Path path() {
        return Path.of(System.getProperty("keybridge.server.log", "target/keycloak/server.log")).toAbsolutePath();
    }

    public static List<String> tail(int lines) {
        return tail(path(), lines);
    }

    /** The last lines of a Keycloak log file, or a line saying why there are none. */
    public static List<String> tail(Path log, int lines) {
        if (!Files.isRegularFile(log)) {
            return List.of("(no server log at " + log + ": Keycloak did not get as far as writing one)");
        }
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(server log unreadable: " + e.getMessage() + ")");
        }
    }

    /** Every line written so far; a test notes the count before it acts and reads what follows. */
    public static List<String> lines() {
        try {
            return Files.readAllLines(path(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("server log " + path() + " unreadable", e);
        }
    }
}
