package dev.scout.node.push;

import dev.scout.dht.Ed25519PublicKey;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs one sync per wake-up of a contact, never two at once for the same contact: wake-ups arriving
 * while its sync runs are folded into one more sync after it. So a contact poking without pause makes us
 * read its record back to back at most, one lookup at a time.
 */
public final class WakeUps {
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int AGAIN = 2;

    private final Executor executor;
    private final Consumer<Ed25519PublicKey> sync;
    private final Map<String, AtomicInteger> states = new ConcurrentHashMap<>();

    /**
     * @param executor where syncs run
     * @param sync     reads one contact's record and messages (may throw: logged by the caller's choice)
     */
    public WakeUps(Executor executor, Consumer<Ed25519PublicKey> sync) {
        this.executor = executor;
        this.sync = sync;
    }

    /** Wakes {@code contact}: a sync starts now, or runs once more after the one under way. */
    public void wake(Ed25519PublicKey contact) {
        AtomicInteger s = states.computeIfAbsent(contact.toHex(), k -> new AtomicInteger());
        while (true) {
            int v = s.get();
            if (v == IDLE && s.compareAndSet(IDLE, RUNNING)) {
                executor.execute(() -> run(contact, s));
                return;
            }
            if (v == AGAIN || v == RUNNING && s.compareAndSet(RUNNING, AGAIN)) {
                return;
            }
        }
    }

    /** Forgets a removed contact. */
    public void forget(Ed25519PublicKey contact) {
        states.remove(contact.toHex());
    }

    private void run(Ed25519PublicKey contact, AtomicInteger s) {
        do {
            s.set(RUNNING);
            try {
                sync.accept(contact);
            } catch (RuntimeException e) {
                // the safety-net poll reads this contact again later
            }
        } while (!s.compareAndSet(RUNNING, IDLE));
    }
}
