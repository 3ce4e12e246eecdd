package dev.scout.session.punch;

import java.time.Duration;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Which ports of a symmetric NAT's address the cone side probes, and when (docs/sessions.md,
 * "Birthday punching"): distinct random ports of the range a NAT hands out (1024–65535), spread
 * evenly over the probing time. Bounded: at most {@link #MAX_PROBES} probes in at most
 * {@link #MAX_DURATION}, so the rate never exceeds what those allow on average.
 */
public final class ProbeSchedule {
    /** Probes per attempt at most: with 256 mappings on the other side, ≈ 99.97 % find one. */
    public static final int MAX_PROBES = 2_048;
    /** Probing time per attempt at most. */
    public static final Duration MAX_DURATION = Duration.ofSeconds(20);
    /** The lowest port probed: NATs (Linux MASQUERADE among them) hand out 1024–65535. */
    public static final int FIRST_PORT = 1024;

    private final int[] ports;
    private final long spacingNanos;

    private ProbeSchedule(int[] ports, Duration over) {
        if (ports.length == 0 || ports.length > MAX_PROBES) {
            throw new IllegalArgumentException("a probe schedule has 1.." + MAX_PROBES + " probes, not " + ports.length);
        }
        if (over.isNegative() || over.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("probing lasts at most " + MAX_DURATION.toSeconds() + " s, not " + over);
        }
        for (int p : ports) {
            if (p < 1 || p > 65_535) {
                throw new IllegalArgumentException("not a port: " + p);
            }
        }
        this.ports = ports;
        this.spacingNanos = over.toNanos() / ports.length;
    }

    /**
     * {@code probes} distinct random ports from 1024–65535, spread over {@code over}.
     *
     * @param probes 1..{@value #MAX_PROBES}
     * @param over at most {@link #MAX_DURATION}
     * @param random the source of the ports (a secure one in production: the ports must not be predictable)
     * @return the schedule
     */
    public static ProbeSchedule random(int probes, Duration over, RandomGenerator random) {
        if (probes < 1 || probes > MAX_PROBES) {
            throw new IllegalArgumentException("a probe schedule has 1.." + MAX_PROBES + " probes, not " + probes);
        }
        // partial Fisher–Yates over the port range: distinct ports, O(probes) swaps on a 64k array
        int range = 65_536 - FIRST_PORT;
        int[] all = new int[range];
        for (int i = 0; i < range; i++) {
            all[i] = FIRST_PORT + i;
        }
        for (int i = 0; i < probes; i++) {
            int j = i + random.nextInt(range - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return new ProbeSchedule(Arrays.copyOf(all, probes), over);
    }

    /**
     * Given ports (tests), in this order, spread over {@code over}.
     *
     * @param ports 1..{@value #MAX_PROBES} ports
     * @param over at most {@link #MAX_DURATION}
     * @return the schedule
     */
    public static ProbeSchedule of(int[] ports, Duration over) {
        return new ProbeSchedule(ports.clone(), over);
    }

    /** {@return the number of probes} */
    public int size() {
        return ports.length;
    }

    /**
     * {@return the port of probe {@code i}}
     *
     * @param i 0..size()-1
     */
    public int port(int i) {
        return ports[i];
    }

    /**
     * {@return when probe {@code i} goes out, in nanoseconds after the start}
     *
     * @param i 0..size()-1
     */
    public long offsetNanos(int i) {
        return spacingNanos * i;
    }
}
