package dev.keybridge.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time a server process has spent: every thread's run time from Linux'
 * {@code /proc/<pid>/task/<tid>/schedstat} (nanoseconds), but a JVM's JIT compiler threads'. On one machine
 * a closed-loop load generator shares the cores with the server, so throughput alone also counts the
 * client's work (reading a larger token, say), and compilation still going on after the warm-up lands
 * in whichever variant's round it happens to fall; the server's CPU time per request (GC included) is
 * what bounds a dedicated server's throughput. The harness starts the Keycloak distribution from this
 * JVM, so Keycloak is a java process among its descendants.
 */
public final class ProcessCpu {

    private final Map<String, Long> taskNanos;

    private ProcessCpu(Map<String, Long> taskNanos) {
        this.taskNanos = taskNanos;
    }

    /** The run time of every thread of the Keycloak server now; null when no server process is found. */
    public static ProcessCpu keycloak() {
        return of(ProcessHandle.current().descendants().filter(p -> commandEndsWith(p, "/java")).toList());
    }

    /** The same of the MariaDB or MySQL server on this machine; null when none runs. */
    public static ProcessCpu database() {
        return of(ProcessHandle.allProcesses().filter(p -> commandEndsWith(p, "/mariadbd") || commandEndsWith(p, "/mysqld")).toList());
    }

    private static boolean commandEndsWith(ProcessHandle process, String suffix) {
        return process.info().command().map(c -> c.endsWith(suffix)).orElse(false);
    }

    private static ProcessCpu of(List<ProcessHandle> servers) {
        if (servers.isEmpty()) {
            return null;
        }
        Map<String, Long> nanos = new HashMap<>();
        for (ProcessHandle server : servers) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(server.pid()), "task"))) {
                tasks.forEach(task -> readTask(task).ifPresent(n -> nanos.put(server.pid() + "/" + task.getFileName(), n)));
            } catch (IOException e) {
                return null;
            }
        }
        return new ProcessCpu(nanos);
    }

    /** Nanoseconds the process ran between {@code before} and this snapshot; a thread started in between counts from zero. */
    public long nanosSince(ProcessCpu before) {
        return taskNanos.entrySet().stream().mapToLong(e -> e.getValue() - before.taskNanos.getOrDefault(e.getKey(), 0L)).sum();
    }

    private static OptionalLong readTask(Path task) {
        try {
            String name = Files.readString(task.resolve("comm")).trim();
            if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty(); // the thread ended between listing and reading
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + task, e);
        }
    }
}
