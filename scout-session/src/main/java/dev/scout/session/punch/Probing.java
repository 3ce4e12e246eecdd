package dev.scout.session.punch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The cone side's probes of one birthday attempt, sent by a thread of their own at the schedule's
 * pace; see {@link BirthdayPunch#probe} (KEEP-shaped probes before a session) and
 * {@link RelayedBirthday#fromConeSide} (the relayed session's own probes). Ends after the last probe or
 * at {@link #stop()}.
 */
public final class Probing {
    private final Consumer<InetSocketAddress> send;
    private final InetAddress target;
    private final ProbeSchedule schedule;
    private final long startNanos;
    private final AtomicInteger sent = new AtomicInteger();
    private final CompletableFuture<Integer> done = new CompletableFuture<>();
    private volatile boolean stopped;
    private final Thread thread;

    private Probing(Consumer<InetSocketAddress> send, InetAddress target, ProbeSchedule schedule, Duration delay) {
        this.send = send;
        this.target = target;
        this.schedule = schedule;
        this.startNanos = System.nanoTime() + Math.max(0, delay.toNanos());
        this.thread = new Thread(this::run, "birthday-probes");
        thread.setDaemon(true);
    }

    /** {@code send} sends one probe to the address given; called from the probing thread. */
    static Probing start(Consumer<InetSocketAddress> send, InetAddress target, ProbeSchedule schedule, Duration delay) {
        Probing p = new Probing(send, target, schedule, delay);
        p.thread.start();
        return p;
    }

    private void run() {
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
                send.accept(new InetSocketAddress(target, schedule.port(i)));
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
