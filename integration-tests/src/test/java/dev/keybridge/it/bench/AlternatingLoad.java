package dev.keybridge.it.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A closed-loop load generator for two variants of one workload on the same server: a warm-up of
 * each, then rounds in which the two take turns (the first of a round alternates), each round
 * bounded in time. Machine noise then hits both sides alike; every request is timed on its own.
 * Durations come from system properties so bench/run.sh can lengthen a run (KEYBRIDGE_BENCH_SECONDS).
 */
public final class AlternatingLoad {

    /** One request of a workload; throws when the server's answer is not the expected one. */
    @FunctionalInterface
    public interface Request {
        void send() throws Exception;
    }

    /**
     * One side of a comparison. The factory runs once per worker and round, outside the timed part,
     * so a worker can hold state of its own (a refresh chain's latest token).
     */
    public record Variant(String label, WorkerFactory worker) {
    }

    @FunctionalInterface
    public interface WorkerFactory {
        Request create() throws Exception;
    }

    /**
     * How long a comparison runs: warm-up seconds per variant, measured seconds per variant spread over
     * the rounds.
     */
    public record Schedule(double warmupSeconds, double measuredSeconds, int rounds) {

        /** The run's default, from bench/run.sh (KEYBRIDGE_BENCH_SECONDS, _WARMUP, _ROUNDS). */
        public static final Schedule DEFAULT = new Schedule(
                Double.parseDouble(System.getProperty("keybridge.bench.warmup", "3")),
                Double.parseDouble(System.getProperty("keybridge.bench.seconds", "12")),
                Integer.getInteger("keybridge.bench.rounds", 4));

        /** This schedule, but at least as long, as many rounds and as much warm-up as {@code minimum}. */
        public Schedule atLeast(Schedule minimum) {
            return new Schedule(Math.max(warmupSeconds, minimum.warmupSeconds), Math.max(measuredSeconds, minimum.measuredSeconds),
                    Math.max(rounds, minimum.rounds));
        }
    }

    private AlternatingLoad() {
    }

    /** Measures both variants with {@code threads} concurrent workers each. */
    public static Comparison run(int threads, Variant keybridge, Variant stock) throws Exception {
        return run(threads, keybridge, stock, () -> {
        });
    }

    /** As {@link #run(int, Variant, Variant)}, calling {@code betweenRounds} after every measured round of a variant. */
    public static Comparison run(int threads, Variant keybridge, Variant stock, Runnable betweenRounds) throws Exception {
        List<Measured> measured = runAll(threads, List.of(keybridge, stock), Schedule.DEFAULT, betweenRounds);
        return new Comparison(measured.get(0), measured.get(1));
    }

    /** As {@link #runAll(int, List, Schedule, Runnable)} with nothing between rounds. */
    public static List<Measured> runAll(int threads, List<Variant> variants, Schedule schedule) throws Exception {
        return runAll(threads, variants, schedule, () -> {
        });
    }

    /**
     * Measures any number of variants the same way, in the order given: each round starts with the
     * next variant in turn, so with two variants the first of a round alternates.
     */
    public static List<Measured> runAll(int threads, List<Variant> variants, Schedule schedule, Runnable betweenRounds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Variant variant : variants) {
                round(pool, threads, variant.worker(), schedule.warmupSeconds());
            }
            List<Recorder> recorders = variants.stream().map(v -> new Recorder(v.label())).toList();
            double roundSeconds = schedule.measuredSeconds() / schedule.rounds();
            for (int round = 0; round < schedule.rounds(); round++) {
                for (int turn = 0; turn < variants.size(); turn++) {
                    int index = (round + turn) % variants.size();
                    recorders.get(index).add(round(pool, threads, variants.get(index).worker(), roundSeconds));
                    betweenRounds.run();
                }
            }
            return recorders.stream().map(Recorder::result).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Measures a single workload that has no second variant (for example the hash cost alone). */
    public static Measured runOne(int threads, Variant variant) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Schedule schedule = Schedule.DEFAULT;
            round(pool, threads, variant.worker(), schedule.warmupSeconds());
            Recorder recorder = new Recorder(variant.label());
            for (int round = 0; round < schedule.rounds(); round++) {
                recorder.add(round(pool, threads, variant.worker(), schedule.measuredSeconds() / schedule.rounds()));
            }
            return recorder.result();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The figures of rounds a bench ran itself (a fixed number of requests per round, say): each
     * round's elapsed nanoseconds and its requests' latencies in nanoseconds.
     */
    public static Measured measured(String label, List<Long> roundNanos, List<long[]> roundLatencies) {
        Recorder recorder = new Recorder(label);
        for (int i = 0; i < roundNanos.size(); i++) {
            recorder.add(new Round(roundNanos.get(i), roundLatencies.get(i), -1));
        }
        return recorder.result();
    }

    /** A round's wall time, each request's latency, and the server's CPU time in it (-1: not measured). */
    private record Round(long nanos, long[] latencies, long serverCpuNanos) {
    }

    private static Round round(ExecutorService pool, int threads, WorkerFactory factory, double seconds) throws Exception {
        List<Request> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(factory.create());
        }
        ProcessCpu cpuBefore = ProcessCpu.keycloak();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        List<Future<long[]>> results = new ArrayList<>();
        for (Request worker : workers) {
            results.add(pool.submit(() -> {
                long[] latencies = new long[64];
                int count = 0;
                // at least one request, so a request slower than the round still counts
                do {
                    long sent = System.nanoTime();
                    worker.send();
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = System.nanoTime() - sent;
                } while (System.nanoTime() < deadline);
                return Arrays.copyOf(latencies, count);
            }));
        }
        List<long[]> perWorker = new ArrayList<>();
        for (Future<long[]> result : results) {
            perWorker.add(result.get());
        }
        long elapsed = System.nanoTime() - start;
        ProcessCpu cpuAfter = ProcessCpu.keycloak();
        return new Round(elapsed, perWorker.stream().flatMapToLong(Arrays::stream).toArray(),
                cpuBefore == null || cpuAfter == null ? -1 : cpuAfter.nanosSince(cpuBefore));
    }

    private static final class Recorder {
        private final String label;
        private final List<Double> roundThroughputs = new ArrayList<>();
        private final List<Double> roundServerCpuMicros = new ArrayList<>();
        private final List<long[]> latencies = new ArrayList<>();
        private long nanos;

        Recorder(String label) {
            this.label = label;
        }

        void add(Round round) {
            roundThroughputs.add(round.latencies().length / (round.nanos() / 1e9));
            if (round.serverCpuNanos() >= 0) {
                roundServerCpuMicros.add(round.serverCpuNanos() / 1e3 / round.latencies().length);
            }
            latencies.add(round.latencies());
            nanos += round.nanos();
        }

        Measured result() {
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            double[] rounds = roundThroughputs.stream().mapToDouble(Double::doubleValue).toArray();
            double[] cpu = roundServerCpuMicros.stream().mapToDouble(Double::doubleValue).toArray();
            return new Measured(label, median(rounds), all.length / (nanos / 1e9), percentileMillis(all, 50),
                    percentileMillis(all, 99), all.length, rounds, cpu.length == 0 ? Double.NaN : median(cpu), cpu);
        }
    }

    /**
     * One variant's figures: the median of the per-round throughputs (what the ratio compares), the
     * overall throughput, latency percentiles in milliseconds, the number of requests, the median of the
     * rounds' server CPU time per request in microseconds (NaN when the server's process was not found),
     * and the per-round figures in the order the rounds ran.
     */
    public record Measured(String label, double medianThroughput, double throughput, double p50Millis, double p99Millis,
            int requests, double[] roundThroughputs, double serverCpuMicrosPerRequest, double[] roundServerCpuMicros) {

        /** The same figures under another name, for a comparison that reuses them. */
        public Measured labelled(String newLabel) {
            return new Measured(newLabel, medianThroughput, throughput, p50Millis, p99Millis, requests, roundThroughputs,
                    serverCpuMicrosPerRequest, roundServerCpuMicros);
        }
    }

    /**
     * The median over rounds of {@code a}'s figure over {@code b}'s in the same round: rounds of two
     * variants of one run follow each other, so a slow drift of the machine cancels out of each pair.
     */
    public static double medianPairedRatio(double[] a, double[] b) {
        double[] ratios = pairedRatios(a, b);
        return ratios.length == 0 ? Double.NaN : median(ratios);
    }

    /** {@code a[i] / b[i]} for every round; empty when the two did not run the same rounds. */
    private static double[] pairedRatios(double[] a, double[] b) {
        if (a.length != b.length) {
            return new double[0];
        }
        double[] ratios = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            ratios[i] = a[i] / b[i];
        }
        return ratios;
    }

    /** Keybridge's side and stock Keycloak's (or the feature off). */
    public record Comparison(Measured keybridge, Measured stock) {
        public double throughputRatio() {
            return keybridge.medianThroughput() / stock.medianThroughput();
        }
    }

    /**
     * A 95 % interval of {@link #medianPairedRatio}: the 2.5th and 97.5th percentiles of the median over
     * 2,000 resamples of the round pairs (bootstrap, fixed seed so a run's report is reproducible).
     */
    public static double[] pairedRatioInterval(double[] a, double[] b) {
        double[] ratios = pairedRatios(a, b);
        if (ratios.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Random random = new Random(42);
        double[] medians = new double[2000];
        double[] resample = new double[ratios.length];
        for (int i = 0; i < medians.length; i++) {
            for (int j = 0; j < resample.length; j++) {
                resample[j] = ratios[random.nextInt(ratios.length)];
            }
            medians[i] = median(resample);
        }
        Arrays.sort(medians);
        return new double[] {medians[(int) (medians.length * 0.025)], medians[(int) (medians.length * 0.975) - 1]};
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    public static double percentileMillis(long[] sortedNanos, double percent) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }
}
