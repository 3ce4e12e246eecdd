package dev.scout.node;

import dev.scout.node.sessions.HeldSession;
import dev.scout.session.Session;

import java.net.InetSocketAddress;
import java.util.Optional;

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

    private final HeldSession held;

    private ContactSession(HeldSession held) {
        this.held = held;
    }

    /** The API's view of {@code held}: the same object every time. */
    static ContactSession of(HeldSession held) {
        return held.view(ContactSession::new);
    }

    /** {@return this session's id: 16 hex digits, unique within the node} */
    public String id() {
        return held.id();
    }

    /** {@return the name of the contact it is with} */
    public String contact() {
        return held.contact();
    }

    /** {@return the session} */
    public Session session() {
        return held.session();
    }

    /** {@return whether the contact opened it} */
    public boolean incoming() {
        return held.incoming();
    }

    /** {@return how long the connect took, in milliseconds (0 for an incoming session)} */
    public long connectMillis() {
        return held.connectMillis();
    }

    /**
     * {@return how it was made, one of the {@code VIA_} constants; a session that moved from a relay to
     * the direct path says {@link #VIA_DIRECT} from then on, one that moved to a relay {@link #VIA_RELAY}}
     */
    public String via() {
        return held.via();
    }

    /** {@return how the direct path was punched when it needed more than simultaneous sends: {@code birthday}} */
    public Optional<String> punch() {
        return held.punch();
    }

    /** {@return the relay it runs through, if any} */
    public Optional<InetSocketAddress> relay() {
        return held.relay();
    }

    /** {@return whether a caller has taken it (always true for a session this node opened)} */
    public boolean claimed() {
        return held.claimed();
    }

    /** {@return whether it has ended} */
    public boolean ended() {
        return held.ended();
    }

    /** {@return why it ended ({@code closed} or the failure's first line), if it has} */
    public Optional<String> endReason() {
        return held.endReason();
    }

    @Override
    public String toString() {
        return held.toString();
    }
}
