package dev.scout.session.transport;

import java.util.ArrayDeque;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The MESSAGE frames of one session: numbering, deduplication of incoming ones by id, and a limit on
 * outgoing ones: a new id goes out only while it is less than half a replay window above the oldest
 * unacknowledged one. So every message that may still be sent again lies within the receiver's
 * window, and one it has not seen is never refused as too old. Loop thread only.
 */
public final class Messages {
    private static final int MAX_SPREAD = ReplayWindow.WINDOW / 2;

    private final ReplayWindow seen = new ReplayWindow();
    private final TreeSet<Long> unacked = new TreeSet<>();
    private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
    private long nextId;

    /** Numbers {@code data} and passes it to {@code out} now, or once older messages are acknowledged. */
    public void send(byte[] data, Consumer<Frame> out) {
        waiting.add(data);
        release(out);
    }

    /** Message {@code id} arrived; waiting ones may go to {@code out}. */
    public void acked(long id, Consumer<Frame> out) {
        unacked.remove(id);
        release(out);
    }

    private void release(Consumer<Frame> out) {
        while (!waiting.isEmpty() && (unacked.isEmpty() || nextId - unacked.first() < MAX_SPREAD)) {
            long id = nextId++;
            unacked.add(id);
            out.accept(new Frame.Message(id, waiting.poll()));
        }
    }

    /**
     * An incoming message: offered to {@code deliver} unless seen before. False if {@code deliver}
     * could not take it (the packet must stay unacknowledged, so the peer sends it again).
     */
    public boolean receive(Frame.Message m, Predicate<byte[]> deliver) {
        if (!seen.check(m.id())) {
            return true; // a copy of one delivered before, or older than any the peer may still send
        }
        if (!deliver.test(m.data())) {
            return false;
        }
        seen.mark(m.id());
        return true;
    }
}
