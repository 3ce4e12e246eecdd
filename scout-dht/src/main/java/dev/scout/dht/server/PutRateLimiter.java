package dev.scout.dht.server;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token bucket per source IP, for BEP 44 puts and for announces (one instance each), so one host
 * cannot fill a store. The map of buckets is itself bounded: past its cap the least recently seen
 * IP is forgotten (it starts again with a full bucket), which costs O(1) per call however many IPs
 * write.
 */
public final class PutRateLimiter {
    private static final int MAX_TRACKED_IPS = 10_000;

    private final double perMillis;
    private final double burst;
    /** Least recently seen first. */
    private final Map<InetAddress, double[]> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, double[]> eldest) {
            return size() > MAX_TRACKED_IPS;
        }
    };

    /** @param perMinute sustained operations per minute per IP (also the burst size) */
    public PutRateLimiter(int perMinute) {
        this.perMillis = perMinute / 60_000.0;
        this.burst = Math.max(1, perMinute);
    }

    public boolean allow(InetAddress ip, long now) {
        double[] b = buckets.computeIfAbsent(ip, k -> new double[] {burst, now});
        b[0] = Math.min(burst, b[0] + (now - (long) b[1]) * perMillis);
        b[1] = now;
        if (b[0] < 1) {
            return false;
        }
        b[0] -= 1;
        return true;
    }

    /** IPs currently tracked (at most 10,000). */
    public int trackedIps() {
        return buckets.size();
    }
}
