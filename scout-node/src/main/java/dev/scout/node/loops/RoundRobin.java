package dev.scout.node.loops;

import java.util.List;
import java.util.Optional;

/**
 * Spreads a chore done for every contact once per interval (a poll, a republish) evenly over that
 * interval: one contact every interval/n, in turn, instead of all n at once. The network then sees a
 * steady trickle, and a daemon's cost at any moment does not grow with a burst of contacts. Not
 * thread-safe: one loop owns it. Times are milliseconds of any clock (tests use a fake one).
 */
final class RoundRobin {
    /** With no contacts, look again this soon (a contact may be added). */
    static final long EMPTY_RECHECK_MILLIS = 1_000;

    private long intervalMillis;
    private long nextAt;
    private int position;
    private boolean roundEnded;

    /**
     * @param intervalMillis each contact's turn comes once per interval
     * @param firstAt        when the first turn is due
     */
    RoundRobin(long intervalMillis, long firstAt) {
        this.intervalMillis = intervalMillis;
        this.nextAt = firstAt;
    }

    /** Changes the interval; the next turn keeps its time unless the new spacing brings it closer. */
    void interval(long millis, long now, int contacts) {
        if (millis != intervalMillis) {
            intervalMillis = millis;
            nextAt = Math.min(nextAt, now + spacing(contacts));
        }
    }

    /** {@return when the next turn is due} */
    long nextAt() {
        return nextAt;
    }

    /**
     * The contact whose turn it is at {@code now}, if a turn is due; the next turn is then one spacing
     * later (a late turn does not cause a burst of catching up).
     *
     * @param contacts the contacts now, in a stable order
     * @param now      the clock
     * @return the contact to do now
     */
    <T> Optional<T> next(List<T> contacts, long now) {
        roundEnded = false;
        if (now < nextAt) {
            return Optional.empty();
        }
        if (contacts.isEmpty()) {
            nextAt = now + Math.min(EMPTY_RECHECK_MILLIS, intervalMillis);
            position = 0;
            return Optional.empty();
        }
        if (position >= contacts.size()) {
            position = 0;
        }
        T c = contacts.get(position);
        position++;
        if (position == contacts.size()) {
            position = 0;
            roundEnded = true;
        }
        nextAt = now + spacing(contacts.size());
        return Optional.of(c);
    }

    /** {@return whether the last {@link #next} handed out the last contact of a round} */
    boolean roundEnded() {
        return roundEnded;
    }

    private long spacing(int contacts) {
        return Math.max(1, intervalMillis / Math.max(1, contacts));
    }
}
