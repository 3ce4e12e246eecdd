package dev.scout.natlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A process the {@link NatLab} started: its output lines (kept as a transcript) and its exit. */
public final class Proc {
    private final String name;
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    Proc(String name, Process process, InputStream output) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    transcript.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                transcript.add("(output closed: " + e.getMessage() + ")");
            }
        }, "natlab-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    /** The first line containing {@code text} within {@code seconds}; fails with the transcript otherwise. */
    public String await(String text, long seconds) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (true) {
                long left = until - System.nanoTime();
                String line = left > 0 ? lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS) : null;
                if (line != null && line.contains(text)) {
                    return line;
                }
                if (line == null && (left <= 0 || (!process.isAlive() && !reader.isAlive() && lines.isEmpty()))) {
                    throw new AssertionError(name + ": no line with '" + text + "' within " + seconds + " s"
                            + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; output: " + transcript());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for the exit (at most {@code seconds}, then kills it and fails); the exit code. */
    public int awaitExit(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not exit within " + seconds + " s; output: " + transcript());
            }
            reader.join(TimeUnit.SECONDS.toMillis(5)); // the last lines
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Every line so far. */
    public List<String> transcript() {
        synchronized (transcript) {
            return List.copyOf(transcript);
        }
    }
}
