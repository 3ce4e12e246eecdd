package dev.scout.node;

import dev.scout.session.Session;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session a {@link ScoutNode} holds with one of its contacts: the {@link Session} itself, whom it is
 * with, and how it was made. The node keeps it until it ends; an incoming one waits <em>unclaimed</em>
 * until {@link ScoutNode#sessions()} hands it to a caller that opens a session with that contact (so
 * two people who connect to each other at once end up on one session).
 */
public final class ContactSession {
    /** Made over a kept-open path (one round trip, behind NATs too). */
    public static final String VIA_PATH = "path";
    /** Made by sending to the contact's published addresses. */
    public static final String VIA_DIRECT = "direct";
    /** Made at the start time of a connect intent (ours or the contact's, answered). */
    public static final String VIA_INTENT = "intent";
    /** Opened by the contact. */
    public static final String VIA_INCOMING = "incoming";
    /** Running through a relay. */
    public static final String VIA_RELAY = "relay";

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

    ContactSession(String id, String contact, Session session, boolean incoming, long connectMillis, String via,
                   InetSocketAddress relay) {
        this(id, contact, session, incoming, connectMillis, via, relay, null);
    }

    ContactSession(String id, String contact, Session session, boolean incoming, long connectMillis, String via,
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
     * {@return how it was made, one of the {@code VIA_} constants; a session that moved from a relay to
     * the direct path says {@link #VIA_DIRECT} from then on, one that moved to a relay {@link #VIA_RELAY}}
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
    synchronized boolean movedToRelay(InetSocketAddress r) {
        if (VIA_RELAY.equals(via) && r.equals(relay)) {
            return false;
        }
        relay = r;
        via = VIA_RELAY;
        return true;
    }

    /**
     * The session left its relay for the direct path; false if it was not relayed.
     *
     * @param how how that path was punched ({@code birthday}), or null: simultaneous sends
     */
    synchronized boolean movedDirect(String how) {
        if (!VIA_RELAY.equals(via)) {
            return false;
        }
        relay = null;
        via = VIA_DIRECT;
        if (how != null) {
            punch = how;
        }
        return true;
    }

    /** Takes an incoming session for a caller; false if someone already did. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    void ended(String reason) {
        endReason = reason;
    }

    @Override
    public String toString() {
        return "session " + id + " with " + contact + " (" + (incoming ? "incoming" : "outgoing") + ", via " + via + ")";
    }
}
