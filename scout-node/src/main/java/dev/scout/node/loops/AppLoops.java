package dev.scout.node.loops;

import dev.scout.node.threads.DaemonThreads;
import dev.scout.app.AppStore;
import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;
import dev.scout.node.nat.NatAwareness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A node's own work over time, on one thread. At start it re-stores every contact record and the
 * messages not yet read (a restarted node refreshes what may be close to expiring; DHT data lives about
 * two hours) and checks every contact for new messages. From then on both chores are spread evenly
 * ({@link RoundRobin}): one contact's republish every {@code republishMillis}/n and one contact's poll
 * every {@code pollMillis}/n, so each contact has its turn once per interval and the network sees a
 * steady trickle instead of bursts. Push wake-ups ({@link dev.scout.node.push.NodePush}) bring news at once; the poll is the
 * slow safety net for contacts that cannot poke us. Reachability and NAT are looked at every
 * {@value #NAT_CHECK_MILLIS} ms (no network traffic).
 */
public final class AppLoops implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppLoops.class);
    static final long NAT_CHECK_MILLIS = 60_000;
    /** The node's default poll interval (15 min; {@code ScoutNodeBuilder} starts from it). */
    public static final long DEFAULT_POLL_MILLIS = 900_000;
    /** The node's default republish interval (1 h; {@code ScoutNodeBuilder} starts from it). */
    public static final long DEFAULT_REPUBLISH_MILLIS = 3_600_000;

    private final AppStore store;
    private final ScoutApp app;
    private final LoopEvents events;
    private final NatAwareness nat;
    private volatile long pollMillis;
    private volatile long republishMillis;
    private final java.util.concurrent.atomic.AtomicBoolean republishSoon = new java.util.concurrent.atomic.AtomicBoolean();
    private final CountDownLatch stop = new CountDownLatch(1);
    /** A permit asks for a republish and a poll at once (after a network change). */
    private final java.util.concurrent.Semaphore wakeups = new java.util.concurrent.Semaphore(0);
    private final Thread thread;
    /** Problems met and contacts reachable during the current poll round (announced when it ends). */
    private final List<String> problems = new ArrayList<>();
    private int reachable;

    /**
     * @param store           the node's store: its contacts
     * @param app             republishes and reads records
     * @param events          fetches a contact's messages and hears what the loops found
     * @param nat             the node's NAT awareness, checked every {@value #NAT_CHECK_MILLIS} ms
     * @param pollMillis      between two polls of every contact
     * @param republishMillis between two republish rounds
     */
    public AppLoops(AppStore store, ScoutApp app, LoopEvents events, NatAwareness nat, long pollMillis, long republishMillis) {
        this.store = store;
        this.app = app;
        this.events = events;
        this.nat = nat;
        this.pollMillis = pollMillis;
        this.republishMillis = republishMillis;
        this.thread = DaemonThreads.thread("scout-node-loops", this::run);
    }

    /** Starts the loops once {@code joined} completes (at once if the node never joins). */
    public void start(java.util.concurrent.CompletableFuture<Void> joined) {
        joined.whenComplete((v, e) -> thread.start());
    }

    /** Republishes (device entries with the addresses of now) and polls at once, then as usual. */
    public void wake() {
        wakeups.release();
    }

    /** Changes the intervals while the loops run; they apply within a second. */
    public void intervals(long pollMillis, long republishMillis) {
        this.pollMillis = pollMillis;
        this.republishMillis = republishMillis;
    }

    private void run() {
        try {
            List<Contact> contacts = sweep();
            long now = System.currentTimeMillis();
            RoundRobin polls = new RoundRobin(pollMillis, firstTurn(now, pollMillis, contacts.size()));
            RoundRobin republishes = new RoundRobin(republishMillis, firstTurn(now, republishMillis, contacts.size()));
            long lastNatCheck = now;
            while (stop.getCount() > 0) {
                now = System.currentTimeMillis();
                if (republishSoon.getAndSet(false)) { // our addresses changed: every contact's record now
                    republishAll();
                }
                if (now >= Math.min(polls.nextAt(), republishes.nextAt())) {
                    contacts = store.contacts();
                    polls.interval(pollMillis, now, contacts.size());
                    republishes.interval(republishMillis, now, contacts.size());
                    republishes.next(contacts, now).ifPresent(this::republish);
                    polls.next(contacts, now).ifPresent(this::poll);
                    if (polls.roundEnded()) {
                        endRound(contacts.size());
                    }
                }
                if (now >= lastNatCheck + NAT_CHECK_MILLIS) {
                    checkNat();
                    lastNatCheck = now;
                }
                long next = Math.min(Math.min(polls.nextAt(), republishes.nextAt()), lastNatCheck + NAT_CHECK_MILLIS);
                long wait = Math.min(next - System.currentTimeMillis(), 1_000); // changed intervals apply within 1 s
                if (wait > 0 && wakeups.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                    wakeups.drainPermits();
                    sweep(); // woken (a network change): everything at once, as at start
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Republishes every contact's record, then polls each: at start and after a network change. */
    private List<Contact> sweep() {
        republishAll();
        List<Contact> contacts = store.contacts();
        for (Contact c : contacts) {
            if (stop.getCount() == 0) {
                return contacts;
            }
            poll(c);
        }
        endRound(contacts.size());
        return contacts;
    }

    /** One spacing after the start-up sweep; soon if there was nobody to sweep (contacts may come). */
    private static long firstTurn(long now, long interval, int contacts) {
        return now + (contacts == 0 ? Math.min(RoundRobin.EMPTY_RECHECK_MILLIS, interval) : interval / contacts);
    }

    private void republishAll() {
        if (stop.getCount() == 0) {
            return;
        }
        try {
            events.republished(app.republish());
        } catch (RuntimeException e) {
            LOG.warn("republishing failed: {}", e.getMessage());
        }
    }

    private void republish(Contact c) {
        if (stop.getCount() == 0) {
            return;
        }
        try {
            app.republish(c);
        } catch (RuntimeException e) {
            LOG.warn("republishing for {} failed: {}", c.name(), e.getMessage());
        }
    }

    /** Checks one contact for new messages (announced as they are found). */
    private void poll(Contact c) {
        if (stop.getCount() == 0) {
            return;
        }
        try {
            ScoutApp.InboxReport r = events.inbox(c);
            if (!app.storedDevices(c).isEmpty()) {
                reachable++;
            }
            problems.addAll(r.problems());
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            problems.add("could not check " + c.name() + ": " + m.lines().findFirst().orElse(m));
        }
    }

    /** A round of polls ended: reachability, then the round's summary. */
    private void endRound(int contacts) {
        if (stop.getCount() == 0) {
            return;
        }
        checkNat();
        events.polled(reachable, contacts, List.copyOf(problems));
        problems.clear();
        reachable = 0;
    }

    private void checkNat() {
        String verdicts = nat.check();
        if (verdicts != null) {
            events.reachabilityChanged(verdicts);
        }
    }


    /** Republishes within a second (the addresses changed: a port mapping came or went). */
    public void republishSoon() {
        republishSoon.set(true);
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
