package dev.scout.dht.node.requests;

import java.util.PriorityQueue;

/** Timers of one node, run by {@code NodeCore.tick()} on the node's loop. Cancelled timers are skipped. */
public final class Scheduler {
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long sequence;

    /** A scheduled action; {@link #cancel()} makes it a no-op. */
    public static final class Timer implements Comparable<Timer> {
        public final long deadline;
        public final long order;
        public final Runnable action;
        public boolean cancelled;

        public Timer(long deadline, long order, Runnable action) {
            this.deadline = deadline;
            this.order = order;
            this.action = action;
        }

        public void cancel() {
            cancelled = true;
        }

        public boolean cancelled() {
            return cancelled;
        }

        public long deadline() {
            return deadline;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    public Timer at(long deadline, Runnable action) {
        Timer t = new Timer(deadline, sequence++, action);
        queue.add(t);
        return t;
    }

    /** Runs every timer due at {@code now}, including ones those timers schedule for no later than now. */
    public void runDue(long now) {
        Timer t;
        while ((t = queue.peek()) != null && t.deadline <= now) {
            queue.poll();
            if (!t.cancelled) {
                t.action.run();
            }
        }
    }

    /** The earliest pending deadline, or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        Timer t;
        while ((t = queue.peek()) != null && t.cancelled) {
            queue.poll();
        }
        return t == null ? Long.MAX_VALUE : t.deadline;
    }
}
