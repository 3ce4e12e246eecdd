package dev.scout.bench.sim;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the lookup latency distribution as a PNG with plain {@code java.awt} (headless): left, the CDF
 * of each operation on a log time axis with the p50/p99 targets marked; right, a histogram of the same
 * samples in log-spaced bins.
 */
public final class LatencyChart {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd)};
    private static final int W = 1200;
    private static final int H = 560;

    private LatencyChart() {}

    /**
     * Redraws a chart from {@code sim_latencies.csv}:
     * {@code LatencyChart CSV PNG NODES [STALE LOSS RTT CHURN]}.
     */
    public static void main(String[] args) throws IOException {
        Map<String, java.util.List<Long>> byOp = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.split(",");
            if (f.length < 2 || f[0].equals("op") || Long.parseLong(f[1]) < 0) {
                continue;
            }
            byOp.computeIfAbsent(f[0], k -> new java.util.ArrayList<>()).add(Long.parseLong(f[1]));
        }
        Map<String, long[]> sorted = new java.util.LinkedHashMap<>();
        byOp.forEach((k, v) -> sorted.put(k, v.stream().mapToLong(Long::longValue).sorted().toArray()));
        double stale = args.length > 3 ? Double.parseDouble(args[3]) : 0.3;
        double loss = args.length > 4 ? Double.parseDouble(args[4]) : 0.01;
        double rtt = args.length > 5 ? Double.parseDouble(args[5]) : 80;
        double churn = args.length > 6 ? Double.parseDouble(args[6]) : 0.02;
        write(Path.of(args[1]), sorted, Integer.parseInt(args[2]), stale, loss, rtt, churn);
    }

    public static void write(Path file, Map<String, long[]> sortedLatencies, int nodes, double stale, double loss,
                             double rtt, double churn) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(String.format(Locale.ROOT,
                "Scout simulated lookups: %,d nodes, median RTT %.0f ms, %.0f%% stale entries, %.0f%% loss, churn %.0f%%/min",
                nodes, rtt, stale * 100, loss * 100, churn * 100), 20, 28);

        double minMs = 10;
        double maxMs = 10;
        for (long[] l : sortedLatencies.values()) {
            if (l.length > 0) {
                maxMs = Math.max(maxMs, l[l.length - 1]);
            }
        }
        maxMs = Math.pow(10, Math.ceil(Math.log10(Math.max(maxMs, 2000))));

        // ---- CDF panel
        int x0 = 70;
        int y0 = 60;
        int pw = 500;
        int ph = 420;
        axes(g, x0, y0, pw, ph, minMs, maxMs, "cumulative share of operations");
        for (int t = 0; t <= 10; t += 2) {
            int y = y0 + ph - (int) (ph * t / 10.0);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(x0, y, x0 + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.1f", t / 10.0), x0 - 32, y + 5);
        }
        target(g, x0, y0, pw, ph, minMs, maxMs, 300, "p50 goal");
        target(g, x0, y0, pw, ph, minMs, maxMs, 1000, "p99 goal");
        int series = 0;
        for (Map.Entry<String, long[]> e : sortedLatencies.entrySet()) {
            long[] l = e.getValue();
            g.setColor(COLORS[series % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < l.length; i++) {
                int x = xOf(Math.max(l[i], minMs), x0, pw, minMs, maxMs);
                int y = y0 + ph - (int) Math.round(ph * (i + 1) / (double) l.length);
                if (px >= 0) {
                    g.drawLine(px, py, x, py);
                    g.drawLine(x, py, x, y);
                }
                px = x;
                py = y;
            }
            g.setStroke(new BasicStroke(1f));
            legend(g, series, e.getKey(), l, x0 + 12, y0 + 18);
            series++;
        }

        // ---- histogram panel
        int hx0 = 660;
        int bins = 40;
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = minMs * Math.pow(maxMs / minMs, i / (double) bins);
        }
        double maxShare = 0.01;
        double[][] shares = new double[sortedLatencies.size()][bins];
        series = 0;
        for (long[] l : sortedLatencies.values()) {
            for (long v : l) {
                int b = (int) Math.floor(Math.log(Math.max(v, minMs) / minMs) / Math.log(maxMs / minMs) * bins);
                shares[series][Math.max(0, Math.min(bins - 1, b))] += 1.0 / l.length;
            }
            for (double s : shares[series]) {
                maxShare = Math.max(maxShare, s);
            }
            series++;
        }
        maxShare = Math.ceil(maxShare * 20) / 20;
        axes(g, hx0, y0, pw, ph, minMs, maxMs, "share of operations per bin");
        for (int t = 0; t <= 5; t++) {
            int y = y0 + ph - (int) (ph * t / 5.0);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(hx0, y, hx0 + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.2f", maxShare * t / 5.0), hx0 - 40, y + 5);
        }
        target(g, hx0, y0, pw, ph, minMs, maxMs, 300, "");
        target(g, hx0, y0, pw, ph, minMs, maxMs, 1000, "");
        for (int s = 0; s < shares.length; s++) {
            g.setColor(COLORS[s % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (int b = 0; b < bins; b++) {
                int xa = xOf(edges[b], hx0, pw, minMs, maxMs);
                int xb = xOf(edges[b + 1], hx0, pw, minMs, maxMs);
                int y = y0 + ph - (int) Math.round(ph * shares[s][b] / maxShare);
                if (px >= 0) {
                    g.drawLine(px, py, xa, y);
                }
                g.drawLine(xa, y, xb, y);
                px = xb;
                py = y;
            }
            g.setStroke(new BasicStroke(1f));
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static void legend(Graphics2D g, int series, String name, long[] l, int x, int y) {
        int yy = y + series * 18;
        g.fillRect(x, yy - 9, 18, 4);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(String.format(Locale.ROOT, "%s (n=%d, p50 %s, p99 %s)", name, l.length, ms(l, 50), ms(l, 99)),
                x + 24, yy - 3);
    }

    private static String ms(long[] sorted, double p) {
        if (sorted.length == 0) {
            return "-";
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] + " ms";
    }

    private static void axes(Graphics2D g, int x0, int y0, int pw, int ph, double minMs, double maxMs, String yLabel) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double d = minMs; d <= maxMs * 1.001; d *= 10) {
            for (int m = 1; m < 10; m++) {
                double v = d * m;
                if (v > maxMs * 1.001) {
                    break;
                }
                int x = xOf(v, x0, pw, minMs, maxMs);
                g.setColor(m == 1 ? new Color(0xc8c8c8) : new Color(0xf0f0f0));
                g.drawLine(x, y0, x, y0 + ph);
                if (m == 1) {
                    g.setColor(Color.DARK_GRAY);
                    String label = v >= 1000 ? String.format(Locale.ROOT, "%.0f s", v / 1000) : String.format(Locale.ROOT, "%.0f ms", v);
                    g.drawString(label, x - 14, y0 + ph + 18);
                }
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0, y0, pw, ph);
        g.drawString("latency (virtual time, log scale)", x0 + pw / 2 - 90, y0 + ph + 40);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString(yLabel, -(y0 + ph / 2 + 80), x0 - 44);
        r.dispose();
    }

    private static void target(Graphics2D g, int x0, int y0, int pw, int ph, double minMs, double maxMs, double v,
                               String label) {
        int x = xOf(v, x0, pw, minMs, maxMs);
        g.setColor(new Color(0x888888));
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        g.drawLine(x, y0, x, y0 + ph);
        g.setStroke(new BasicStroke(1f));
        if (!label.isEmpty()) {
            g.drawString(label, x + 4, y0 + ph - 8 - (v >= 1000 ? 0 : 16));
        }
    }

    private static int xOf(double v, int x0, int pw, double minMs, double maxMs) {
        return x0 + (int) Math.round(pw * Math.log(v / minMs) / Math.log(maxMs / minMs));
    }
}
