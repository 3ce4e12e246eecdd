package dev.scout.session.relay;

import dev.scout.session.handshake.Wire;
import dev.scout.session.relay.internal.RelayWire;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Checks that an address is a relay and measures the round trip, for {@link RelayLink#probe}: a
 * {@code REGISTER} with no cookie, key or signature, which a relay answers with a {@code CHALLENGE}
 * (30 bytes for 158, no state kept there) echoing our random probe. Only a {@code CHALLENGE} from the
 * probed address with a probe we sent counts; at most {@value #MAX_PENDING} probes are out at once
 * (more fail at once), so a list of fake relays costs a bounded number of datagrams.
 */
final class RelayProbes {
    /** Probes out at once. */
    static final int MAX_PENDING = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BiConsumer<byte[], InetSocketAddress> send;
    private final Map<Long, Pending> pending = new HashMap<>();

    private record Pending(InetSocketAddress relay, long sentAt, CompletableFuture<Duration> rtt) {
    }

    RelayProbes(BiConsumer<byte[], InetSocketAddress> send) {
        this.send = send;
    }

    CompletableFuture<Duration> probe(InetSocketAddress relay, Duration timeout) {
        byte[] probe = new byte[RelayWire.PROBE_BYTES];
        long id;
        CompletableFuture<Duration> rtt = new CompletableFuture<>();
        synchronized (this) {
            if (pending.size() >= MAX_PENDING) {
                return CompletableFuture.failedFuture(new IllegalStateException("too many relay probes out (at most "
                        + MAX_PENDING + ")"));
            }
            do {
                RANDOM.nextBytes(probe);
                id = Wire.getLong(probe, 0);
            } while (pending.containsKey(id));
            pending.put(id, new Pending(relay, System.nanoTime(), rtt));
        }
        long key = id;
        rtt.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            synchronized (this) {
                pending.remove(key);
            }
        });
        byte[] zeros16 = new byte[RelayWire.COOKIE_BYTES];
        send.accept(RelayWire.register(probe, 0, zeros16, new byte[RelayWire.KEY_BYTES], zeros16, zeros16), relay);
        return rtt.exceptionallyCompose(e -> CompletableFuture.failedFuture(e instanceof TimeoutException
                ? new TimeoutException("no answer from " + relay + " within " + timeout.toMillis() + " ms") : e));
    }

    /** Receiving thread: a CHALLENGE; true if it answered one of our probes. */
    boolean onChallenge(byte[] b, int len, InetSocketAddress from, long now) {
        if (len != RelayWire.COOKIE_REPLY_LENGTH) {
            return false;
        }
        Pending p;
        synchronized (this) {
            p = pending.get(Wire.getLong(b, RelayWire.PROBE_AT));
            if (p == null || !p.relay().equals(from)) {
                return false;
            }
            pending.remove(Wire.getLong(b, RelayWire.PROBE_AT));
        }
        p.rtt().complete(Duration.ofNanos(now - p.sentAt()));
        return true;
    }
}
