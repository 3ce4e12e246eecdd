package dev.scout.session.punch;

import dev.scout.session.DatagramLink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The cone side's probes of one birthday attempt, sent by a thread of their own at the schedule's
 * pace; see {@link BirthdayPunch#probe}. Ends after the last probe or at {@link #stop()}.
 */
public final class Probing {
    private static final int PROBE_LENGTH = 17; // a KEEP's length, 0xF4 first: claimed and dropped by a scout endpoint
    private static final byte KEEP = (byte) 0xF4;

    private final DatagramLink socket;
    private final InetAddress target;
    private final ProbeSchedule schedule;
    private final long startNanos;
    private final AtomicInteger sent = new AtomicInteger();
    private final CompletableFuture<Integer> done = new CompletableFuture<>();
    private volatile boolean stopped;
    private final Thread thread;

    private Probing(DatagramLink socket, InetAddress target, ProbeSchedule schedule, Duration delay) {
        this.socket = socket;
        this.target = target;
        this.schedule = schedule;
        this.startNanos = System.nanoTime() + Math.max(0, delay.toNanos());
        this.thread = new Thread(this::run, "birthday-probes");
        thread.setDaemon(true);
    }

    static Probing start(DatagramLink socket, InetAddress target, ProbeSchedule schedule, Duration delay) {
        Probing p = new Probing(socket, target, schedule, delay);
        p.thread.start();
        return p;
    }

    private void run() {
        SecureRandom random = new SecureRandom();
        byte[] probe = new byte[PROBE_LENGTH];
        try {
            for (int i = 0; i < schedule.size() && !stopped; i++) {
                long at = startNanos + schedule.offsetNanos(i);
                long wait;
                while (!stopped && (wait = at - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(this, wait); // pacing, not waiting for a condition
                }
                if (stopped) {
                    break;
                }
                random.nextBytes(probe);
                probe[0] = KEEP;
                socket.send(probe.clone(), new InetSocketAddress(target, schedule.port(i)));
                sent.incrementAndGet();
            }
        } finally {
            done.complete(sent.get());
        }
    }

    /** Stops sending (a session with the contact exists, or the attempt is abandoned). */
    public void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** {@return probes sent so far} */
    public int sent() {
        return sent.get();
    }

    /** {@return completes with the number of probes sent, once the last went out or {@link #stop()} ended them} */
    public CompletableFuture<Integer> done() {
        return done;
    }

    /**
     * Waits until probing ended.
     *
     * @param timeout how long to wait
     * @return whether it ended
     * @throws InterruptedException if interrupted
     */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
