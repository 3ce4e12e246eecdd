package dev.scout.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures one benchmark stage produced: an ordered map of key to number or text, written as one
 * {@code key=value} line each ({@code bench/results/parts/*.txt}); {@link Report} merges the parts into
 * {@code latest.json}. Plain text so a stage that dies half way still leaves readable output.
 */
public final class Fragment {
    private final Map<String, Object> values = new LinkedHashMap<>();

    public Fragment put(String key, Object value) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            value = null;
        }
        values.put(key, value);
        return this;
    }

    public Map<String, Object> values() {
        return values;
    }

    public void write(Path file) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            sb.append(e.getKey()).append('=').append(format(e.getValue())).append('\n');
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String format(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            double a = Math.abs(d);
            if (a != 0 && (a < 0.001 || a >= 1e9)) {
                return String.format(Locale.ROOT, "%.6g", d);
            }
            String s = String.format(Locale.ROOT, "%.4f", d);
            // trim trailing zeros but keep at least one decimal
            s = s.replaceAll("0+$", "");
            return s.endsWith(".") ? s + "0" : s;
        }
        return String.valueOf(v).replace('\n', ' ');
    }

    /** Percentile (nearest rank) of an ascending array; NaN when empty. */
    public static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static double mean(long[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (long v : values) {
            s += v;
        }
        return s / values.length;
    }

    /** Arguments of the form {@code --name value} or {@code --flag}. */
    public static Map<String, String> args(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String k = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(k, args[++i]);
            } else {
                m.put(k, "true");
            }
        }
        return m;
    }
}
