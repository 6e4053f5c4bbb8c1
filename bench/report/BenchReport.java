import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/**
 * Turns the benches' result lines (bench/results/*.tsv, format in the integration tests'
 * dev.keybridge.it.bench.BenchResults) into bench/results/REPORT.md and one PNG per workload
 * (throughput, p50/p99), drawn with java.awt in headless mode. No network, no dependencies:
 * java -Djava.awt.headless=true bench/report/BenchReport.java bench/results
 */
public class BenchReport {

    /** The order of the report, by id prefix (sizes within a prefix: shorter ids first); others follow. */
    static final List<String> ORDER = List.of("tapis-client-credentials", "tapis-password", "password-hash-bound", "refresh-chain",
            "native-sign-in", "users-for-role-", "storage-lookup-username", "storage-lookup-email", "storage-admin-search",
            "storage-login", "startup-time", "startup-heap");

    record Variant(String label, double median, double p50, double p99, double throughput, long samples) {
    }

    static final class Workload {
        final String id;
        String title = "";
        String metric = "";
        String unit = "";
        String better = "";
        Variant keybridge;
        Variant stock;
        String targetSource = "";
        String targetText = "";
        String verdict = "no target";
        final List<String> notes = new ArrayList<>();

        Workload(String id) {
            this.id = id;
        }

        double ratio() {
            return keybridge == null || stock == null ? Double.NaN : keybridge.median / stock.median;
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/results");
        Map<String, Workload> workloads = read(dir);
        List<Workload> ordered = new ArrayList<>(workloads.values());
        ordered.sort(java.util.Comparator.<Workload>comparingInt(w -> rank(w.id)).thenComparingInt(w -> w.id.length())
                .thenComparing(w -> w.id));
        for (Workload w : ordered) {
            plot(w, dir.resolve(w.id + ".png"));
        }
        Files.writeString(dir.resolve("REPORT.md"), markdown(ordered, dir));
        System.out.println("wrote " + dir.resolve("REPORT.md") + " and " + ordered.size() + " plots");
    }

    static int rank(String id) {
        for (int i = 0; i < ORDER.size(); i++) {
            if (id.startsWith(ORDER.get(i))) {
                return i;
            }
        }
        return ORDER.size();
    }

    static Map<String, Workload> read(Path dir) throws IOException {
        Map<String, Workload> workloads = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".tsv")).sorted().toList();
        }
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                Workload w = workloads.computeIfAbsent(f[0], Workload::new);
                switch (f[1]) {
                    case "workload" -> {
                        w.title = f[2];
                        w.metric = f[3];
                        w.unit = f[4];
                        w.better = f[5];
                    }
                    case "variant" -> {
                        Variant v = new Variant(f[3], num(f[4]), num(f[5]), num(f[6]), num(f[7]), Long.parseLong(f[8]));
                        if ("keybridge".equals(f[2])) {
                            w.keybridge = v;
                        } else {
                            w.stock = v;
                        }
                    }
                    case "target" -> {
                        w.targetSource = f[2];
                        w.targetText = f[3];
                        w.verdict = f[4];
                    }
                    case "note" -> w.notes.add(f[2]);
                    default -> throw new IllegalArgumentException(file + ": unknown line kind " + f[1]);
                }
            }
        }
        return workloads;
    }

    static double num(String s) {
        return s.isEmpty() || "nan".equalsIgnoreCase(s) ? Double.NaN : Double.parseDouble(s);
    }

    static String markdown(List<Workload> workloads, Path dir) throws IOException {
        StringBuilder md = new StringBuilder("# Keybridge benchmark report\n\n");
        md.append("Generated by `bench/run.sh` on ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(". Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores");
        Path settings = dir.resolve("run.txt");
        if (Files.exists(settings)) {
            md.append("; ").append(String.join("; ", Files.readAllLines(settings).stream().filter(l -> !l.isBlank()).toList()));
        }
        md.append(".\n\n");
        md.append("Each workload ran both variants in the same run on loopback, after a warm-up, in alternating time-bounded rounds. ")
                .append("*Median* is the workload's headline metric (unit column): the median of the per-round throughputs, or the median ")
                .append("latency. *Ratio* is Keybridge's median over the other variant's. Latencies are per request, in ms.\n\n");
        md.append("| Workload | Unit | Keybridge median | Stock / off median | Ratio | Keybridge p50 / p99 | Stock p50 / p99 | ")
                .append("Throughput Keybridge / stock (req/s) | Target (source) | Met |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Workload w : workloads) {
            md.append("| ").append(w.id).append(" | ").append(w.unit).append(" (").append(w.better).append(" is better) | ")
                    .append(median(w.keybridge)).append(" | ").append(median(w.stock)).append(" | ").append(fmt(w.ratio(), 2)).append(" | ")
                    .append(latencies(w.keybridge)).append(" | ").append(latencies(w.stock)).append(" | ")
                    .append(throughput(w.keybridge)).append(" / ").append(throughput(w.stock)).append(" | ")
                    .append(w.targetText.isEmpty() ? "no target" : w.targetText).append(" (").append(w.targetSource).append(") | ")
                    .append(verdict(w.verdict)).append(" |\n");
        }
        md.append("\n## Workloads\n");
        for (Workload w : workloads) {
            md.append("\n### ").append(w.id).append("\n\n").append(w.title).append(".\n\n");
            if (w.keybridge != null) {
                md.append("- Keybridge: ").append(w.keybridge.label).append(" (").append(w.keybridge.samples).append(" samples)\n");
            }
            if (w.stock != null) {
                md.append("- Compared with: ").append(w.stock.label).append(" (").append(w.stock.samples).append(" samples)\n");
            }
            for (String note : w.notes) {
                md.append("- ").append(note).append("\n");
            }
            md.append("\n![").append(w.id).append("](").append(w.id).append(".png)\n");
        }
        return md.toString();
    }

    static String verdict(String verdict) {
        return switch (verdict) {
            case "met" -> "**met**";
            case "not met" -> "**not met**";
            default -> verdict;
        };
    }

    static String median(Variant v) {
        return v == null ? "—" : fmt(v.median, v.median >= 100 ? 0 : 1);
    }

    static String latencies(Variant v) {
        return v == null || Double.isNaN(v.p50) ? "—" : fmt(v.p50, 1) + " / " + fmt(v.p99, 1);
    }

    static String throughput(Variant v) {
        return v == null || Double.isNaN(v.throughput) ? "—" : fmt(v.throughput, 1);
    }

    static String fmt(double value, int decimals) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static final Color KEYBRIDGE = new Color(0x1f77b4);
    static final Color STOCK = new Color(0xaaaaaa);

    /** Left: throughput of both variants; right: p50 and p99 of both (or the headline value where there are no latencies). */
    static void plot(Workload w, Path file) throws IOException {
        int width = 900;
        int height = 400;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(w.id + (w.verdict.equals("no target") ? "" : "  (target " + w.verdict + ")"), 16, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(clip(w.title, 130), 16, 44);
        boolean hasLatency = (w.keybridge != null && !Double.isNaN(w.keybridge.p50)) || (w.stock != null && !Double.isNaN(w.stock.p50));
        boolean hasThroughput = (w.keybridge != null && !Double.isNaN(w.keybridge.throughput));
        String leftTitle = hasThroughput ? "throughput (req/s)" : w.metric + " (" + w.unit + ")";
        panel(g, 16, 60, 400, 320, leftTitle, List.of(""),
                List.<double[]>of(new double[] {value(w.keybridge, hasThroughput), value(w.stock, hasThroughput)}));
        if (hasLatency) {
            panel(g, 470, 60, 410, 320, "latency (ms)", List.of("p50", "p99"), List.of(
                    new double[] {p(w.keybridge, true), p(w.stock, true)}, new double[] {p(w.keybridge, false), p(w.stock, false)}));
        }
        legend(g, w, hasLatency ? 470 : 450, hasLatency ? 394 : 80);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    static double value(Variant v, boolean throughput) {
        return v == null ? Double.NaN : throughput ? v.throughput : v.median;
    }

    static double p(Variant v, boolean p50) {
        return v == null ? Double.NaN : p50 ? v.p50 : v.p99;
    }

    static void legend(Graphics2D g, Workload w, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int lx = x;
        if (w.keybridge != null) {
            g.setColor(KEYBRIDGE);
            g.fillRect(lx, y - 9, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString("Keybridge", lx + 14, y);
            lx += 90;
        }
        if (w.stock != null) {
            g.setColor(STOCK);
            g.fillRect(lx, y - 9, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString("stock / off", lx + 14, y);
        }
    }

    /** Grouped bars: one group per label, in each the Keybridge bar then the stock bar; NaN draws nothing. */
    static void panel(Graphics2D g, int x, int y, int w, int h, String title, List<String> labels, List<double[]> groups) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(title, x + 40, y + 14);
        double max = groups.stream().flatMapToDouble(java.util.Arrays::stream).filter(d -> !Double.isNaN(d)).max().orElse(1);
        max = niceCeiling(max <= 0 ? 1 : max);
        int left = x + 60;
        int top = y + 30;
        int bottom = y + h - 30;
        int plotWidth = w - 70;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i <= 4; i++) {
            int ty = bottom - (bottom - top) * i / 4;
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(left, ty, left + plotWidth, ty);
            g.setColor(Color.DARK_GRAY);
            double tick = max * i / 4;
            g.drawString(fmt(tick, tick == Math.rint(tick) ? 0 : 1), x, ty + 4);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, bottom, left + plotWidth, bottom);
        int groupWidth = plotWidth / groups.size();
        int bar = Math.min(70, groupWidth / 3);
        for (int i = 0; i < groups.size(); i++) {
            int gx = left + i * groupWidth + (groupWidth - 2 * bar - 10) / 2;
            double[] pair = groups.get(i);
            for (int j = 0; j < pair.length; j++) {
                if (Double.isNaN(pair[j])) {
                    continue;
                }
                int barHeight = (int) Math.round((bottom - top) * pair[j] / max);
                int bx = gx + j * (bar + 10);
                g.setColor(j == 0 ? KEYBRIDGE : STOCK);
                g.fillRect(bx, bottom - barHeight, bar, barHeight);
                g.setColor(Color.BLACK);
                g.drawString(fmt(pair[j], pair[j] >= 100 ? 0 : 1), bx, bottom - barHeight - 3);
            }
            g.drawString(labels.get(i), gx + bar - 5, bottom + 14);
        }
    }

    static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
