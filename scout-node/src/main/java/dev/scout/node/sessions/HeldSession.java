package dev.scout.node.sessions;

import dev.scout.node.reach.Rendezvous;
import dev.scout.session.Session;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * What the node knows about one session it holds with a contact (the state behind the API's
 * {@code dev.scout.node.ContactSession}): the {@link Session}, whom it is with, how it was made, whether a
 * caller claimed it and why it ended. {@link SessionService} changes it; the API only reads it.
 */
public final class HeldSession {
    private final String id;
    private final String contact;
    private final Session session;
    private final boolean incoming;
    private final long connectMillis;
    private volatile String via;
    private volatile InetSocketAddress relay;
    private volatile String punch;
    private final AtomicBoolean claimed;
    private volatile String endReason;
    /** When it was registered: the newest of a contact's devices is chosen ({@link DeviceChoice}). */
    final long createdNanos = System.nanoTime();
    /** The API's view of this session, made once (callers may compare sessions by identity). */
    private Object view;

    HeldSession(String id, String contact, Session session, boolean incoming, long connectMillis, String via,
                   InetSocketAddress relay) {
        this(id, contact, session, incoming, connectMillis, via, relay, null);
    }

    HeldSession(String id, String contact, Session session, boolean incoming, long connectMillis, String via,
                   InetSocketAddress relay, String punch) {
        this.punch = punch;
        this.id = id;
        this.contact = contact;
        this.session = session;
        this.incoming = incoming;
        this.connectMillis = connectMillis;
        this.via = via;
        this.relay = relay;
        this.claimed = new AtomicBoolean(!incoming);
    }

    /** {@return this session's id: 16 hex digits, unique within the node} */
    public String id() {
        return id;
    }

    /** {@return the name of the contact it is with} */
    public String contact() {
        return contact;
    }

    /** {@return the session} */
    public Session session() {
        return session;
    }

    /** {@return whether the contact opened it} */
    public boolean incoming() {
        return incoming;
    }

    /** {@return how long the connect took, in milliseconds (0 for an incoming session)} */
    public long connectMillis() {
        return connectMillis;
    }

    /**
     * {@return how it was made, one of the {@code Rendezvous.VIA_} constants; a session that moved from a relay to
     * the direct path says {@code direct} from then on, one that moved to a relay {@code relay}}
     */
    public String via() {
        return via;
    }

    /** {@return how the direct path was punched when it needed more than simultaneous sends: {@code birthday}} */
    public Optional<String> punch() {
        return Optional.ofNullable(punch);
    }

    /** {@return the relay it runs through, if any} */
    public Optional<InetSocketAddress> relay() {
        return Optional.ofNullable(relay);
    }

    /** {@return whether a caller has taken it (always true for a session this node opened)} */
    public boolean claimed() {
        return claimed.get();
    }

    /** {@return whether it has ended} */
    public boolean ended() {
        return endReason != null;
    }

    /** {@return why it ended ({@code closed} or the failure's first line), if it has} */
    public Optional<String> endReason() {
        return Optional.ofNullable(endReason);
    }

    /** The session now runs through {@code r}; false if it already did. */
    public synchronized boolean movedToRelay(InetSocketAddress r) {
        if (Rendezvous.VIA_RELAY.equals(via) && r.equals(relay)) {
            return false;
        }
        relay = r;
        via = Rendezvous.VIA_RELAY;
        return true;
    }

    /**
     * The session left its relay for the direct path; false if it was not relayed.
     *
     * @param how how that path was punched ({@code birthday}), or null: simultaneous sends
     */
    public synchronized boolean movedDirect(String how) {
        if (!Rendezvous.VIA_RELAY.equals(via)) {
            return false;
        }
        relay = null;
        via = Rendezvous.VIA_DIRECT;
        if (how != null) {
            punch = how;
        }
        return true;
    }

    /** Takes an incoming session for a caller; false if someone already did. */
    public boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    public void ended(String reason) {
        endReason = reason;
    }

    /**
     * {@return the API's view of this session: made by {@code make} the first time, the same object after}
     *
     * @param <T>  the view's type
     * @param make makes the view
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> T view(Function<HeldSession, T> make) {
        if (view == null) {
            view = make.apply(this);
        }
        return (T) view;
    }

    @Override
    public String toString() {
        return "session " + id + " with " + contact + " (" + (incoming ? "incoming" : "outgoing") + ", via " + via + ")";
    }
}
