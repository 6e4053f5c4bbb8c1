package dev.keybridge.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One workload's figures in the line format bench/report/BenchReport.java reads: tab-separated,
 * first field the workload id, second the kind of line. Written to
 * {@code <keybridge.bench.results>/<id>.tsv} (the file is replaced) and echoed to stdout.
 * <pre>
 * id  workload  title  headline metric  unit  higher|lower
 * id  variant   keybridge|stock  label  median  p50_ms  p99_ms  throughput_per_s  samples
 * id  target    source  target text  met|not met|no target
 * id  note      text
 * </pre>
 * The variant's median is of the headline metric: per-round throughput, or latency.
 */
public final class BenchResults {

    public enum Headline {
        THROUGHPUT("throughput, median of rounds", "req/s", "higher"),
        LATENCY("latency, median", "ms", "lower");

        final String metric;
        final String unit;
        final String better;

        Headline(String metric, String unit, String better) {
            this.metric = metric;
            this.unit = unit;
            this.better = better;
        }
    }

    private final String id;
    private final Headline headline;
    private final StringBuilder lines = new StringBuilder();

    private BenchResults(String id, String title, Headline headline) {
        this.id = id;
        this.headline = headline;
        line("workload", title, headline.metric, headline.unit, headline.better);
    }

    public static BenchResults workload(String id, String title, Headline headline) {
        return new BenchResults(id, title, headline);
    }

    public BenchResults keybridge(AlternatingLoad.Measured measured) {
        return variant("keybridge", measured);
    }

    public BenchResults stock(AlternatingLoad.Measured measured) {
        return variant("stock", measured);
    }

    private BenchResults variant(String side, AlternatingLoad.Measured m) {
        double median = headline == Headline.THROUGHPUT ? m.medianThroughput() : m.p50Millis();
        return line("variant", side, m.label(), number(median), number(m.p50Millis()), number(m.p99Millis()),
                number(m.throughput()), Integer.toString(m.requests()));
    }

    /** A target stated in a feature issue, with the verdict of this run. */
    public BenchResults target(String source, String text, boolean met) {
        return line("target", source, text, met ? "met" : "not met");
    }

    /** The feature issue states no figure for this workload. */
    public BenchResults noTarget(String source) {
        return line("target", source, "", "no target");
    }

    public BenchResults note(String format, Object... args) {
        return line("note", String.format(Locale.ROOT, format, args));
    }

    /** Writes the file when bench/run.sh asked for results, and prints the lines either way. */
    public void write() {
        System.out.print(lines);
        String dir = System.getProperty("keybridge.bench.results");
        if (dir == null) {
            return;
        }
        try {
            Path file = Path.of(dir).resolve(id + ".tsv");
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BenchResults line(String kind, String... fields) {
        lines.append(id).append('\t').append(kind);
        for (String field : fields) {
            lines.append('\t').append(field.replace('\t', ' ').replace('\n', ' '));
        }
        lines.append('\n');
        return this;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
