package dev.keybridge.it.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import dev.keybridge.it.harness.KeybridgeBuild;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * Two Keycloak nodes from the keycloak-quarkus-dist zip with Keybridge's jars in providers/, built once
 * for PostgreSQL with Keycloak's clustered caches (ispn, jdbc-ping), sharing a database made for this
 * run and dropped at its end. Everything lives under integration-tests/target/cluster/.
 */
public final class KeycloakCluster implements AutoCloseable {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
    private static final int LOG_TAIL_LINES = 60;
    /** The cluster's public URL (a load balancer's in production): node A's address stands in. */
    private static final String PUBLIC_URL = "http://127.0.0.1:8181";

    private final String database;
    private final ClusterNode a;
    private final ClusterNode b;

    private KeycloakCluster(String database, ClusterNode a, ClusterNode b) {
        this.database = database;
        this.a = a;
        this.b = b;
    }

    /** Node A: http 8181, management 9101 (the single-server suite keeps 8080/9000). */
    public ClusterNode a() {
        return a;
    }

    /** Node B: http 8282, management 9202. */
    public ClusterNode b() {
        return b;
    }

    public List<ClusterNode> nodes() {
        return List.of(a, b);
    }

    static KeycloakCluster start() throws IOException, InterruptedException, SQLException {
        Path dir = Path.of(System.getProperty("keybridge.cluster.dir", "target/cluster")).toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        long started = System.nanoTime();

        Path homeA = unpackDistribution(dir.resolve("node-a"));
        Path jar = KeybridgeBuild.providerJar();
        Files.copy(jar, homeA.resolve("providers").resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        run(dir.resolve("build.log"), homeA, homeA.resolve("bin/kc.sh").toString(), "build",
                "--db=postgres", "--cache=ispn", "--cache-stack=jdbc-ping", "--health-enabled=true");
        // the copy keeps file times, so node B's server sees the same providers as at build time
        Path homeB = copyTree(homeA, dir.resolve("node-b").resolve(homeA.getFileName()));
        long built = System.nanoTime();

        String database = "keybridge_cluster_" + ProcessHandle.current().pid();
        dropDatabase(database);
        try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        KeycloakCluster cluster = new KeycloakCluster(database,
                new ClusterNode("node-a", homeA, 8181, 9101, 7811, dir.resolve("node-a.log")),
                new ClusterNode("node-b", homeB, 8282, 9202, 7812, dir.resolve("node-b.log")));
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::killNodes));
        try {
            cluster.startNodes(cluster.nodes());
        } catch (RuntimeException | InterruptedException | IOException e) {
            cluster.close();
            throw e;
        }
        System.out.printf("keycloak cluster: unpack and build %.1f s, start of both nodes %.1f s%n",
                (built - started) / 1e9, (System.nanoTime() - built) / 1e9);
        return cluster;
    }

    /**
     * Starts the given nodes and waits until each is ready and every running node sees all of them in
     * its cluster view. The first node starts alone: two nodes started together with an empty cluster
     * can each form a cluster of their own (seen after a whole-cluster restart) until JGroups merges
     * them, and a session revoked on one would live on in the other meanwhile.
     */
    void startNodes(List<ClusterNode> nodes) throws IOException, InterruptedException {
        ClusterNode first = nodes.get(0);
        first.start(POSTGRES + database, PUBLIC_URL);
        first.awaitReady();
        List<ClusterNode> others = nodes.subList(1, nodes.size());
        for (ClusterNode node : others) {
            node.start(POSTGRES + database, PUBLIC_URL);
        }
        for (ClusterNode node : others) {
            node.awaitReady();
        }
        List<ClusterNode> running = nodes().stream().filter(ClusterNode::isRunning).toList();
        for (ClusterNode node : running) {
            node.awaitClusterView(running.size());
        }
    }

    /** Makes a realm from a test realm configuration, through node A's admin REST API. */
    public void createRealm(String name, RealmConfig config) {
        a.admin().realms().create(config.configure(RealmBuilder.create().name(name)).build());
    }

    /** Both nodes' log tails, for a failure report. */
    String logTails() {
        StringBuilder out = new StringBuilder();
        for (ClusterNode node : nodes()) {
            out.append("\n===== last ").append(LOG_TAIL_LINES).append(" lines of ").append(node.log()).append(" =====\n");
            node.tail(LOG_TAIL_LINES).forEach(line -> out.append(line).append('\n'));
        }
        return out.append("===== end of cluster log tails =====").toString();
    }

    @Override
    public void close() throws InterruptedException, SQLException {
        for (ClusterNode node : nodes()) {
            node.stop();
        }
        dropDatabase(database);
    }

    private void killNodes() {
        try {
            for (ClusterNode node : nodes()) {
                node.kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void dropDatabase(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static Path unpackDistribution(Path target) throws IOException {
        Path zip = Path.of(System.getProperty("keybridge.keycloak.dist.zip"));
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : archive.stream().toList()) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, out);
                }
                if (out.getFileName().toString().endsWith(".sh")) {
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        return target.resolve("keycloak-" + System.getProperty("keybridge.keycloak.dist.version"));
    }

    private static void run(Path log, Path workDir, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("JAVA_OPTS_APPEND");
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed, see " + log + "\n"
                    + String.join("\n", Files.readAllLines(log)));
        }
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
        return to;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
