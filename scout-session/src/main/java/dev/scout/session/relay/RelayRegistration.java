package dev.scout.session.relay;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.relay.internal.RelayWire;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Being reachable through a relay ({@link RelayLink#registerAt}). The registration proves our address
 * (it echoes the relay's cookie: a REGISTER without one only gets a CHALLENGE carrying it) and our key
 * (it is signed by the identity key, over the cookie). Our tag at the relay is derived from that key
 * and a random nonce, so nobody else can register it; the nonce, and with it the tag, is replaced every
 * tag period, and the tag before stays registered for one more period, so a published tag ({@link
 * #tag()}) works for at least one period and a tag learned once stops working after two. It is
 * refreshed every second until the relay confirms and then every {@value #REFRESH_MILLIS} ms (well
 * within the relay's 30 s lifetime, its cookies' 30 s and NATs' 30 s UDP timeouts).
 */
public final class RelayRegistration implements AutoCloseable {
    /** Refresh interval once the relay confirmed. */
    public static final long REFRESH_MILLIS = 10_000;
    /** How long one tag is the current one unless configured otherwise ({@link RelayLink#registerAt}). */
    public static final Duration DEFAULT_TAG_PERIOD = Duration.ofHours(1);
    private static final long RETRY_MILLIS = 1_000;
    /** Confirmed within this: {@link #registered()}. */
    private static final long FRESH_NANOS = 25_000_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final InetSocketAddress relay;
    private final Ed25519KeyPair identity;
    private final long periodNanos;
    private final BiConsumer<byte[], InetSocketAddress> send;
    private final ScheduledExecutorService timer;
    // Written by the timer thread under the lock; the receiving thread reads them under it.
    private byte[] nonce = new byte[RelayWire.NONCE_BYTES];
    private byte[] previousNonce = new byte[RelayWire.NONCE_BYTES];
    private volatile byte[] tag;
    private long periodStart;
    private byte[] probe = new byte[RelayWire.PROBE_BYTES];
    private byte[] previousProbe = new byte[RelayWire.PROBE_BYTES];
    private int epoch;
    private byte[] cookie = new byte[RelayWire.COOKIE_BYTES];
    private long lastSent;
    private long lastAnswered;
    private volatile long confirmedAt;
    private volatile boolean everConfirmed;
    private volatile boolean refused;
    /** When {@link #check} asked for a confirmation (0: no check pending). */
    private volatile long checkSince;
    private final long createdAt = System.nanoTime();
    /** A first confirmation normally comes within this (one challenge round trip and a retry): {@link #pending}. */
    private static final long PENDING_NANOS = 6_000_000_000L;
    /** A check unanswered for this long: {@link #checkFailed}. */
    static final long CHECK_NANOS = 3_000_000_000L;

    RelayRegistration(InetSocketAddress relay, Ed25519KeyPair identity, Duration tagPeriod, BiConsumer<byte[], InetSocketAddress> send) {
        if (tagPeriod.isNegative() || tagPeriod.isZero()) {
            throw new IllegalArgumentException("the tag period must be positive: " + tagPeriod);
        }
        this.relay = relay;
        this.identity = identity;
        this.periodNanos = tagPeriod.toNanos();
        this.send = send;
        long now = System.nanoTime();
        RANDOM.nextBytes(nonce);
        tag = RelayWire.tagOf(identity.publicKey().bytes(), 0, nonce, 0);
        periodStart = now;
        lastSent = now - REFRESH_MILLIS * 1_000_000;
        lastAnswered = now - RETRY_MILLIS * 1_000_000;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-registration");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, 0, Math.min(RETRY_MILLIS, Math.max(1, periodNanos / 4_000_000)),
                TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        byte[] datagram;
        synchronized (this) {
            boolean rotated = now - periodStart >= periodNanos;
            if (rotated) {
                previousNonce = nonce;
                nonce = new byte[RelayWire.NONCE_BYTES];
                RANDOM.nextBytes(nonce);
                tag = RelayWire.tagOf(identity.publicKey().bytes(), 0, nonce, 0);
                periodStart = now;
            }
            boolean fresh = everConfirmed && now - confirmedAt < FRESH_NANOS;
            long every = (fresh ? REFRESH_MILLIS : RETRY_MILLIS) * 1_000_000;
            if (!rotated && now - lastSent < every - 1_000_000) {
                return;
            }
            datagram = next(now);
        }
        send.accept(datagram, relay);
    }

    /** A signed REGISTER with a new probe and the latest cookie. */
    private byte[] next(long now) {
        lastSent = now;
        previousProbe = probe;
        probe = new byte[RelayWire.PROBE_BYTES];
        RANDOM.nextBytes(probe);
        byte[] b = RelayWire.register(probe, epoch, cookie, identity.publicKey().bytes(), nonce, previousNonce);
        System.arraycopy(identity.sign(RelayWire.signedPart(b)), 0, b, RelayWire.SIGNATURE_AT, RelayWire.SIGNATURE_BYTES);
        return b;
    }

    /** Receiving thread: CHALLENGE, REGISTERED or REFUSED from {@code from}; anything not answering our probes is ignored. */
    void onReply(byte[] b, int len, InetSocketAddress from, long now) {
        byte op = b[1];
        boolean cookieReply = (op == RelayWire.CHALLENGE || op == RelayWire.REGISTERED) && len == RelayWire.COOKIE_REPLY_LENGTH;
        if (!relay.equals(from) || !(cookieReply || op == RelayWire.REFUSED && len == RelayWire.REFUSED_LENGTH)) {
            return;
        }
        byte[] again = null;
        synchronized (this) {
            byte[] p = Arrays.copyOfRange(b, RelayWire.PROBE_AT, RelayWire.PROBE_AT + RelayWire.PROBE_BYTES);
            if (!MessageDigest.isEqual(p, probe) && !MessageDigest.isEqual(p, previousProbe)) {
                return;
            }
            if (op == RelayWire.REFUSED) {
                refused = true;
                return;
            }
            epoch = RelayWire.getInt(b, RelayWire.EPOCH_AT);
            cookie = Arrays.copyOfRange(b, RelayWire.COOKIE_AT, RelayWire.COOKIE_AT + RelayWire.COOKIE_BYTES);
            if (op == RelayWire.REGISTERED) {
                confirmedAt = now;
                checkSince = 0;
                everConfirmed = true;
                refused = false;
            } else if (now - lastAnswered >= RETRY_MILLIS * 1_000_000) {
                // Answer the challenge at once (at most once a second: a REGISTER is bigger than a CHALLENGE).
                lastAnswered = now;
                again = next(now);
            }
        }
        if (again != null) {
            send.accept(again, relay);
        }
    }

    /**
     * Registers again within a second, whatever the refresh interval: our address changed (a network
     * change), and the relay must learn where we are now before contacts try to reach us through it.
     */
    public void renew() {
        synchronized (this) {
            lastSent = System.nanoTime() - REFRESH_MILLIS * 1_000_000;
            confirmedAt = 0;
            everConfirmed = false;
        }
    }

    /**
     * Refreshes within a second, whatever the refresh interval, to learn quickly whether the relay still
     * answers (a session through it went silent); {@link #checkFailed} tells. A check already pending is kept.
     */
    public void check() {
        synchronized (this) {
            if (checkSince != 0) {
                return;
            }
            checkSince = System.nanoTime();
            lastSent = checkSince - REFRESH_MILLIS * 1_000_000;
        }
    }

    /** {@return whether a {@link #check} got no confirmation within 3 s: the relay is taken for dead} */
    public boolean checkFailed() {
        long since = checkSince;
        return since != 0 && System.nanoTime() - since > CHECK_NANOS;
    }

    /** {@return the relay's address} */
    public InetSocketAddress relay() {
        return relay;
    }

    /**
     * {@return a copy of our current tag at the relay: what contacts need; it stays registered for at
     * least one tag period from now}
     */
    public byte[] tag() {
        return tag.clone();
    }

    /** {@return whether the relay confirmed the registration within the last 25 s} */
    public boolean registered() {
        return everConfirmed && System.nanoTime() - confirmedAt < FRESH_NANOS;
    }

    /**
     * {@return whether the registration is new and still waiting for its first confirmation (at most 6 s):
     * worth waiting for before telling contacts, so they learn both relays in one record write}
     */
    public boolean pending() {
        return !everConfirmed && !refused && System.nanoTime() - createdAt < PENDING_NANOS;
    }

    /** {@return whether the relay ever confirmed this registration} */
    public boolean confirmedOnce() {
        return everConfirmed;
    }

    /** {@return whether the relay's latest answer was a refusal (it has no slot for us)} */
    public boolean refused() {
        return refused;
    }

    /** Stops refreshing (the relay forgets us after its lifetime). */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
