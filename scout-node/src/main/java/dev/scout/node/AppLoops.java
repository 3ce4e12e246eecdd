package dev.scout.node;

import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.node.nat.NatAwareness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A node's own work over time, on one thread: it re-stores the contact records and the messages not yet
 * read about every {@code republishMillis} (±10% jitter; DHT data expires after two hours), and every
 * {@code pollMillis} checks each contact for new messages and looks at its reachability and NAT.
 */
final class AppLoops implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppLoops.class);

    private final NodeStore store;
    private final ScoutApp app;
    private final NodeEvents events;
    private final NatAwareness nat;
    private volatile long pollMillis;
    private volatile long republishMillis;
    private final Random random = new SecureRandom();
    private final CountDownLatch stop = new CountDownLatch(1);
    /** A permit asks for a republish and a poll at once (after a network change). */
    private final java.util.concurrent.Semaphore wakeups = new java.util.concurrent.Semaphore(0);
    private final Thread thread;

    AppLoops(NodeStore store, ScoutApp app, NodeEvents events, NatAwareness nat, long pollMillis, long republishMillis) {
        this.store = store;
        this.app = app;
        this.events = events;
        this.nat = nat;
        this.pollMillis = pollMillis;
        this.republishMillis = republishMillis;
        this.thread = new Thread(this::run, "scout-node-loops");
        thread.setDaemon(true);
    }

    /** Starts the loops once {@code joined} completes (at once if the node never joins). */
    void start(java.util.concurrent.CompletableFuture<Void> joined) {
        joined.whenComplete((v, e) -> thread.start());
    }

    /** Republishes (device entries with the addresses of now) and polls at once, then as usual. */
    void wake() {
        wakeups.release();
    }

    /** Changes the intervals while the loops run; they apply within a second. */
    void intervals(long pollMillis, long republishMillis) {
        this.pollMillis = pollMillis;
        this.republishMillis = republishMillis;
    }

    private void run() {
        long lastPoll = Long.MIN_VALUE / 2;
        long lastRepublish = Long.MIN_VALUE / 2; // at once: a restarted node refreshes what may be close to expiring
        double republishJitter = 1;
        try {
            while (stop.getCount() > 0) {
                long now = System.currentTimeMillis();
                if (now >= lastRepublish + (long) (republishMillis * republishJitter)) {
                    republish();
                    lastRepublish = System.currentTimeMillis();
                    republishJitter = 0.9 + 0.2 * random.nextDouble();
                }
                if (now >= lastPoll + pollMillis && stop.getCount() > 0) {
                    poll();
                    lastPoll = System.currentTimeMillis();
                }
                long next = Math.min(lastPoll + pollMillis, lastRepublish + (long) (republishMillis * republishJitter));
                long wait = Math.min(next - System.currentTimeMillis(), 1_000); // changed intervals apply within 1 s
                if (wait > 0 && wakeups.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                    wakeups.drainPermits();
                    lastPoll = Long.MIN_VALUE / 2;
                    lastRepublish = Long.MIN_VALUE / 2;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void republish() {
        if (stop.getCount() == 0) {
            return;
        }
        try {
            events.publish(new NodeEvent.Republished(app.republish()));
        } catch (RuntimeException e) {
            LOG.warn("republishing failed: {}", e.getMessage());
        }
    }

    /** Checks every contact, announces new messages, then looks at reachability. */
    private void poll() {
        List<Contact> contacts = store.contacts();
        List<String> problems = new ArrayList<>();
        int reachable = 0;
        for (Contact c : contacts) {
            if (stop.getCount() == 0) {
                return;
            }
            try {
                ScoutApp.InboxReport r = events.inbox(app, c);
                if (!app.storedDevices(c).isEmpty()) {
                    reachable++;
                }
                problems.addAll(r.problems());
            } catch (RuntimeException e) {
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                problems.add("could not check " + c.name() + ": " + m.lines().findFirst().orElse(m));
            }
        }
        if (stop.getCount() == 0) {
            return;
        }
        String verdicts = nat.check();
        if (verdicts != null) {
            events.publish(new NodeEvent.ReachabilityChanged(verdicts));
        }
        events.publish(new NodeEvent.Polled(reachable, contacts.size(), problems));
    }


    /** Stops the loops; once this returns they announce nothing more (waits ≤ 5 s for a step under way). */
    @Override
    public void close() {
        stop.countDown();
        wakeups.release();
        thread.interrupt();
        if (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
