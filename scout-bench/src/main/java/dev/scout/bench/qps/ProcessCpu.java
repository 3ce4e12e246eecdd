package dev.scout.bench.qps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time a process has used, from {@code /proc/PID/stat} (Linux). */
final class ProcessCpu {
    private ProcessCpu() {}

    /** User plus system CPU seconds of process {@code pid}; NaN if unknown (no pid, not Linux, gone). */
    static double seconds(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat (utime, stime) are at index 11 and 12 after the command name
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks / 100.0; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
