package dev.scout.session;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Initiations wait in a queue of their own, apart from the sessions' datagrams, and are drained in
 * small turns, each queued behind whatever the sessions queued meanwhile: a flood of initiations
 * delays a live session by at most one turn (at most {@value #DECRYPTIONS_PER_TURN} Diffie-Hellman
 * handshakes, ≈ 1 ms), and beyond {@value #MAX_QUEUED} waiting ones they are dropped on arrival,
 * before any work. The queue's length tells the handshake gate when the endpoint is under load.
 */
final class HandshakeInbox {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeInbox.class);
    static final int MAX_QUEUED = 1_024;
    static final int PER_TURN = 64;
    static final int DECRYPTIONS_PER_TURN = 2;

    private final Executor loop;
    private final Handshaker handshaker;
    private final AtomicInteger queued = new AtomicInteger();
    private final ConcurrentLinkedQueue<Arrival> queue = new ConcurrentLinkedQueue<>();

    private record Arrival(byte[] datagram, InetSocketAddress from) {
    }

    HandshakeInbox(Executor loop, Handshaker handshaker) {
        this.loop = loop;
        this.handshaker = handshaker;
    }

    /** Link thread: queues one INIT (copied), or drops it if too many wait. */
    void offer(byte[] buffer, int length, InetSocketAddress from) {
        if (queued.get() >= MAX_QUEUED) {
            return;
        }
        queue.add(new Arrival(java.util.Arrays.copyOf(buffer, length), from));
        if (queued.getAndIncrement() == 0) {
            schedule();
        }
    }

    private void schedule() {
        try {
            loop.execute(this::drain);
        } catch (RejectedExecutionException e) {
            LOG.debug("endpoint closed; handshakes dropped");
        }
    }

    private void drain() {
        int seen = 0;
        int decrypted = 0;
        Arrival a;
        try {
            while (seen < PER_TURN && decrypted < DECRYPTIONS_PER_TURN && (a = queue.poll()) != null) {
                seen++;
                handshaker.noteQueued(queued.get() - seen);
                try {
                    if (handshaker.onInit(a.datagram(), a.from())) {
                        decrypted++;
                    }
                } catch (Throwable e) { // even an OutOfMemoryError ends only this initiation, never the queue
                    LOG.warn("handshake initiation from {} failed", a.from(), e);
                }
            }
        } finally {
            if (queued.addAndGet(-seen) > 0) {
                schedule(); // behind whatever the sessions queued meanwhile
            }
        }
    }
}
