package dev.keybridge.it.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keybridge.it.harness.ServerLog;
import org.keycloak.admin.client.Keycloak;

/**
 * One Keycloak node of the test cluster: its own copy of the built distribution, its own HTTP,
 * management and JGroups ports on loopback, and its own log file (appended to across restarts).
 */
public final class ClusterNode {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-cluster";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration VIEW_TIMEOUT = Duration.ofMinutes(2);
    private static final String START_MARKER = "===== starting ";
    /** Infinispan's "ISPN000094: Received new cluster view for channel ISPN: [node-a|1] (2) [node-a, node-b]" */
    private static final Pattern CLUSTER_VIEW = Pattern.compile("ISPN000094: .*\\] \\((\\d+)\\) \\[");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Path home;
    private final int httpPort;
    private final int managementPort;
    private final int jgroupsPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private Keycloak admin;

    ClusterNode(String name, Path home, int httpPort, int managementPort, int jgroupsPort, Path log) {
        this.name = name;
        this.home = home;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.jgroupsPort = jgroupsPort;
        this.log = log;
    }

    public String name() {
        return name;
    }

    public String realmUrl(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Starts the node without waiting for it; {@link #awaitReady()} waits. */
    void start(String jdbcUrl, String publicUrl) throws IOException {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                // one public URL for the cluster, as behind a load balancer: tokens name one issuer
                "--hostname=" + publicUrl,
                "--db-url=" + jdbcUrl, "--db-username=postgres", "--db-password=postgres",
                // JGroups on loopback, one port per node; discovery through the shared database (jdbc-ping)
                "--cache-embedded-network-bind-address=127.0.0.1", "--cache-embedded-network-bind-port=" + jgroupsPort,
                // both nodes run on one host, whose name would otherwise be both nodes' name
                "--spi-cache-embedded--default--node-name=" + name));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        // the single-server suite's realm import (set for the test JVM) must not run on the cluster nodes
        env.remove("JAVA_OPTS_APPEND");
        env.put("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx768m");
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        Files.writeString(log, START_MARKER + name + " =====\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = builder.start();
    }

    /** Waits until /health/ready on the management port answers 200 (database and cluster caches up). */
    void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isRunning()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready\n" + tail(60));
            }
            if (ready()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " not ready after " + READY_TIMEOUT + "\n" + tail(60));
    }

    /** Waits until the node's latest Infinispan cluster view since its last start has {@code members} members. */
    void awaitClusterView(int members) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + VIEW_TIMEOUT.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            seen = latestViewSize();
            if (seen == members) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " sees " + seen + " cluster members, not " + members + ", after " + VIEW_TIMEOUT
                + "\n" + tail(60));
    }

    private int latestViewSize() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        int size = 0;
        for (String line : lines) {
            if (line.startsWith(START_MARKER + name)) {
                size = 0;
            }
            Matcher view = CLUSTER_VIEW.matcher(line);
            if (view.find()) {
                size = Integer.parseInt(view.group(1));
            }
        }
        return size;
    }

    private boolean ready() throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** kill -9 of the server JVM (kc.sh runs it as a child): no shutdown hook, no cache hand-over. */
    void kill() throws InterruptedException {
        closeAdmin();
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
    }

    /** Graceful stop: SIGTERM to kc.sh, which forwards it to the server; kill -9 if it hangs. */
    void stop() throws InterruptedException {
        closeAdmin();
        if (!isRunning()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** The admin REST API of this node, as the bootstrap admin. */
    public Keycloak admin() {
        if (admin == null) {
            admin = Keycloak.getInstance(baseUrl(), "master", ADMIN, ADMIN_PASSWORD, "admin-cli");
        }
        return admin;
    }

    private void closeAdmin() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    Path log() {
        return log;
    }

    List<String> tail(int lines) {
        return ServerLog.tail(log, lines);
    }

    @Override
    public String toString() {
        return name + " (" + baseUrl() + ")";
    }
}
