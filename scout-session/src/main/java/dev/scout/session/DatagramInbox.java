package dev.scout.session;

import dev.scout.session.handshake.NoiseCipher;
import dev.scout.session.handshake.Wire;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session side of the shared socket: {@link #claim} (link thread) takes a datagram only if it is a
 * session's — a well-formed INIT, a RESPONSE or COOKIE for a pending handshake, DATA for a known
 * connection id, a KEEP — and leaves the rest (KRPC) to the DHT; the loop thread then hands each one
 * to the {@link Handshaker}, the {@link PathKeeper} or its {@link Connection}.
 */
final class DatagramInbox {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramInbox.class);
    /** Datagrams waiting for the loop beyond this are dropped (a flood cannot exhaust memory). */
    private static final int MAX_QUEUED = 20_000;

    private final SessionEndpoint endpoint;
    private final Executor loop;
    private final Handshaker handshaker;
    private final HandshakeInbox handshakes;
    private final PathKeeper paths;
    private final Map<Long, Connection> connections;
    private final AtomicInteger queued = new AtomicInteger();
    private final ConcurrentLinkedQueue<Arrival> inbox = new ConcurrentLinkedQueue<>();
    private final BooleanSupplier closed;

    /** {@code closed} says whether the endpoint closed: datagrams are still claimed then, but dropped. */
    DatagramInbox(SessionEndpoint endpoint, Executor loop, Handshaker handshaker, PathKeeper paths,
                  Map<Long, Connection> connections, BooleanSupplier closed) {
        this.endpoint = endpoint;
        this.closed = closed;
        this.loop = loop;
        this.handshaker = handshaker;
        this.handshakes = new HandshakeInbox(loop, handshaker);
        this.paths = paths;
        this.connections = connections;
    }

    /** Takes session datagrams; everything else (KRPC starts with 'd') is left to the DHT. */
    boolean claim(byte[] buffer, int length, InetSocketAddress from) {
        if (length < 1) {
            return false;
        }
        byte type = buffer[0];
        boolean ours;
        if (type == Wire.INIT) {
            if (length == Wire.INIT_LENGTH && buffer[1] == Wire.VERSION) {
                if (!closed.getAsBoolean()) {
                    handshakes.offer(buffer, length, from);
                }
                return true;
            }
            ours = false;
        } else if (type == Wire.RESPONSE) {
            ours = length == Wire.RESPONSE_LENGTH && handshaker.isPending(Wire.receiverId(buffer));
        } else if (type == Wire.COOKIE) {
            ours = length == Wire.COOKIE_LENGTH && handshaker.isPending(Wire.receiverId(buffer));
        } else if (type == Wire.DATA) {
            ours = length >= Wire.DATA_HEADER + NoiseCipher.TAG_BYTES && length <= Wire.MAX_DATAGRAM
                    && connections.containsKey(Wire.receiverId(buffer));
        } else if (type == Wire.KEEP && length == Wire.KEEP_LENGTH) {
            ours = true; // no KRPC starts with 0xF4: an unknown KEEP is ours to drop, not the DHT's
            if (!paths.knows(buffer)) {
                return true;
            }
        } else {
            ours = false;
        }
        if (!ours) {
            return false;
        }
        if (closed.getAsBoolean() || queued.get() >= MAX_QUEUED) {
            return true;
        }
        inbox.add(new Arrival(Arrays.copyOf(buffer, length), from));
        // One loop task drains whatever arrived meanwhile: no task per datagram under load.
        if (queued.getAndIncrement() == 0) {
            try {
                loop.execute(this::drain);
            } catch (RejectedExecutionException e) {
                LOG.debug("endpoint closed; datagram dropped");
            }
        }
        return true;
    }

    private record Arrival(byte[] datagram, InetSocketAddress from) {
    }

    private void drain() {
        Arrival a;
        int n = 0;
        try {
            while ((a = inbox.poll()) != null) {
                n++;
                dispatch(a.datagram(), a.from());
            }
        } finally {
            if (queued.addAndGet(-n) > 0) {
                endpoint.runOnLoop(this::drain); // more came after the last poll
            }
        }
    }

    private void dispatch(byte[] b, InetSocketAddress from) {
        try {
            if (b[0] == Wire.COOKIE) {
                handshaker.onCookie(b, from);
            } else if (b[0] == Wire.RESPONSE) {
                handshaker.onResponse(b, from);
            } else if (b[0] == Wire.KEEP) {
                paths.onKeep(b, from, endpoint.now());
            } else {
                Connection c = connections.get(Wire.receiverId(b));
                if (c != null) {
                    SessionEndpoint.guarded(c, () -> c.onDatagram(b, from, endpoint.now()));
                }
            }
        } catch (Throwable e) { // even an OutOfMemoryError: one datagram is lost, the endpoint goes on
            LOG.warn("session datagram from {} failed", from, e);
        }
    }
}
