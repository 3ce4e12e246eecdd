package dev.scout.dht.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Token bucket per source IP for BEP 44 puts, so one host cannot fill the store. The map of buckets is
 * itself bounded: when it grows past its cap, idle buckets (full again) are forgotten.
 */
public final class PutRateLimiter {
    private static final int MAX_TRACKED_IPS = 10_000;

    private final double perMillis;
    private final double burst;
    private final Map<InetAddress, double[]> buckets = new HashMap<>();

    /** @param perMinute sustained puts per minute per IP (also the burst size) */
    public PutRateLimiter(int perMinute) {
        this.perMillis = perMinute / 60_000.0;
        this.burst = Math.max(1, perMinute);
    }

    public boolean allow(InetAddress ip, long now) {
        if (buckets.size() > MAX_TRACKED_IPS) {
            buckets.values().removeIf(b -> b[0] + (now - (long) b[1]) * perMillis >= burst);
        }
        double[] b = buckets.computeIfAbsent(ip, k -> new double[] {burst, now});
        b[0] = Math.min(burst, b[0] + (now - (long) b[1]) * perMillis);
        b[1] = now;
        if (b[0] < 1) {
            return false;
        }
        b[0] -= 1;
        return true;
    }
}
