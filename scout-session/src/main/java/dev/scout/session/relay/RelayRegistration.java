package dev.scout.session;

import dev.scout.session.internal.RelayWire;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Being reachable through a relay ({@link RelayLink#registerAt}): a random, unguessable 16-byte tag
 * registered at the relay, refreshed every second until confirmed and then every
 * {@value #REFRESH_MILLIS} ms (well within the relay's 30 s lifetime and NATs' 30 s UDP timeouts).
 * Contacts who learn relay and tag (from the pair's encrypted record) reach us through it.
 */
public final class RelayRegistration implements AutoCloseable {
    /** Refresh interval once the relay confirmed. */
    public static final long REFRESH_MILLIS = 10_000;
    private static final long RETRY_MILLIS = 1_000;
    /** Confirmed within this: {@link #registered()}. */
    private static final long FRESH_NANOS = 25_000_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final InetSocketAddress relay;
    private final byte[] tag = new byte[RelayWire.TAG_BYTES];
    private final BiConsumer<byte[], InetSocketAddress> send;
    private final ScheduledExecutorService timer;
    private volatile long confirmedAt;
    private volatile boolean everConfirmed;
    private long lastSent;

    RelayRegistration(InetSocketAddress relay, BiConsumer<byte[], InetSocketAddress> send) {
        this.relay = relay;
        this.send = send;
        RANDOM.nextBytes(tag);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-registration");
            t.setDaemon(true);
            return t;
        });
        lastSent = System.nanoTime() - REFRESH_MILLIS * 1_000_000;
        timer.scheduleWithFixedDelay(this::tick, 0, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        boolean fresh = everConfirmed && now - confirmedAt < FRESH_NANOS;
        long every = (fresh ? REFRESH_MILLIS : RETRY_MILLIS) * 1_000_000;
        if (now - lastSent >= every - 1_000_000) {
            lastSent = now;
            send.accept(RelayWire.control(RelayWire.REGISTER, tag), relay);
        }
    }

    /** Receiving thread: the relay's confirmation. */
    void onRegistered(byte[] b, InetSocketAddress from, long now) {
        if (relay.equals(from) && MessageDigest.isEqual(tag, RelayWire.tag(b))) {
            confirmedAt = now;
            everConfirmed = true;
        }
    }

    /** {@return the relay's address} */
    public InetSocketAddress relay() {
        return relay;
    }

    /** {@return a copy of our tag at the relay} */
    public byte[] tag() {
        return tag.clone();
    }

    /** {@return whether the relay confirmed the registration within the last 25 s} */
    public boolean registered() {
        return everConfirmed && System.nanoTime() - confirmedAt < FRESH_NANOS;
    }

    /** Stops refreshing (the relay forgets us after its lifetime). */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
