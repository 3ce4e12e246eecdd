package dev.scout.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a JFR recording: the hottest methods by CPU samples (self and inclusive) and the biggest
 * allocation sites, optionally only for threads whose name contains a filter.
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.JfrTop recording.jfr [threadFilter] [rows]</pre>
 */
public final class JfrTop {
    private JfrTop() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        String thread = args.length > 1 && !args[1].isEmpty() ? args[1] : null;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Long> allocByFrame = new HashMap<>();
        Map<String, Long> allocByClass = new HashMap<>();
        int samples = 0;
        long allocTotal = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                boolean cpu = type.equals("jdk.ExecutionSample");
                boolean alloc = type.equals("jdk.ObjectAllocationSample");
                if (!cpu && !alloc) {
                    continue;
                }
                if (thread != null) {
                    var t = e.getThread(cpu ? "sampledThread" : "eventThread");
                    if (t == null || t.getJavaName() == null || !t.getJavaName().contains(thread)) {
                        continue;
                    }
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = st.getFrames();
                if (cpu) {
                    samples++;
                    self.merge(name(frames.get(0)), 1, Integer::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : frames) {
                        String n = name(f);
                        if (seen.add(n)) {
                            inclusive.merge(n, 1, Integer::sum);
                        }
                    }
                } else {
                    long w = e.getLong("weight");
                    allocTotal += w;
                    String cls = e.getClass("objectClass").getName();
                    allocByClass.merge(cls, w, Long::sum);
                    // the first frame outside java.* is the allocation site worth fixing
                    String site = name(frames.get(0));
                    for (RecordedFrame f : frames) {
                        String n = name(f);
                        if (!n.startsWith("java.") && !n.startsWith("jdk.") && !n.startsWith("sun.")) {
                            site = n;
                            break;
                        }
                    }
                    allocByFrame.merge(site, w, Long::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d CPU samples%s%n", file.getFileName(), samples,
                thread == null ? "" : " (threads matching '" + thread + "')");
        print("self CPU", self, samples, rows);
        print("inclusive CPU", inclusive, samples, rows);
        if (allocTotal > 0) {
            System.out.printf(Locale.ROOT, "allocation (sampled weight %.1f MB)%n", allocTotal / 1e6);
            printLong("  by allocating frame (first non-JDK frame)", allocByFrame, allocTotal, rows);
            printLong("  by class", allocByClass, allocTotal, rows);
        }
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> m, int total, int rows) {
        System.out.println(title);
        m.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(rows)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
    }

    private static void printLong(String title, Map<String, Long> m, long total, int rows) {
        System.out.println(title);
        m.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(rows)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
    }
}
