package dev.scout.session.handshake;

import dev.scout.dht.Ed25519PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The anti-replay state of initiations: the newest accepted timestamp per identity <em>and device</em>
 * (one identity runs on several devices whose clocks differ; keyed by identity alone, a device whose
 * clock runs ahead would lock the others out). At most {@value #CAPACITY} entries, the least recently
 * used evicted in O(1).
 *
 * <p>A device with no entry (first contact, after our restart, or evicted) is accepted in one round
 * trip only if its timestamp is newer than {@link #floor()}: our start time, raised to the newest
 * timestamp ever evicted. An older one must first prove freshness with a cookie made by this
 * endpoint (its secret is new since the start; the cookie sits in the Noise prologue, so a captured
 * initiation cannot be given one). So a captured initiation is never answered after a restart unless
 * the device's clock was ahead of ours by more than the time from its capture to our restart, and
 * then only once. Loop thread only.
 */
public final class DeviceTimestamps {
    public static final int CAPACITY = 4_096;

    private record Device(Ed25519PublicKey identity, long device) {
    }

    private long floor;
    private final Map<Device, Long> newest = new LinkedHashMap<>(CAPACITY * 4 / 3 + 1, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Device, Long> eldest) {
            if (size() > CAPACITY) {
                floor = Math.max(floor, eldest.getValue());
                return true;
            }
            return false;
        }
    };

    public DeviceTimestamps(long startMillis) {
        this.floor = startMillis;
    }

    /** {@return the newest timestamp accepted from this device, or null if none is known} */
    public Long newest(Ed25519PublicKey identity, long device) {
        return newest.get(new Device(identity, device));
    }

    /** {@return timestamps of unknown devices above this need no cookie} */
    public long floor() {
        return floor;
    }

    public void accept(Ed25519PublicKey identity, long device, long timestamp) {
        newest.put(new Device(identity, device), timestamp);
    }
}
