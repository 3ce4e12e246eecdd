package dev.scout.session;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Hole punching for a session that already runs, from outside the endpoint: birthday punching
 * alongside a relayed session ({@code dev.scout.session.punch.RelayedBirthday}, docs/sessions.md
 * "Birthday punching"). The session's own rules decide what happens: only an authenticated packet
 * from a direct path moves a relayed session there ({@code Session#onPathChange}).
 */
public final class PathProbes {
    /** Addresses one call may name, at most (one birthday attempt's extra sockets). */
    public static final int MAX_ADDRESSES = 256;

    private PathProbes() {
    }

    /**
     * Sends one authenticated probe of {@code session} (a PING, not counted in flight) to each address,
     * on the endpoint's loop thread. Nothing is sent once the session ended.
     *
     * @param session a session of a {@link SessionEndpoint}
     * @param to at most {@value #MAX_ADDRESSES} addresses
     */
    public static void send(Session session, List<InetSocketAddress> to) {
        Connection c = connection(session, to);
        List<InetSocketAddress> copy = List.copyOf(to);
        c.endpoint.runOnLoop(() -> {
            if (!c.closed().isDone()) {
                for (InetSocketAddress a : copy) {
                    c.endpoint.transmit(c.sender.sealProbe(), a);
                }
            }
        });
    }

    /**
     * Makes {@code routes} — virtual addresses of birthday punching's extra sockets — direct paths of
     * {@code session}: an authenticated packet arriving from one moves a relayed session there, as from
     * a real address. Replaces an earlier set.
     *
     * @param session a session of a {@link SessionEndpoint}
     * @param routes at most {@value #MAX_ADDRESSES} virtual addresses
     * @return completes with the route the session moves to first (never, if it moves to none)
     */
    public static CompletableFuture<InetSocketAddress> directRoutes(Session session, List<InetSocketAddress> routes) {
        Connection c = connection(session, routes);
        List<InetSocketAddress> copy = List.copyOf(routes);
        CompletableFuture<InetSocketAddress> taken = new CompletableFuture<>();
        c.endpoint.runOnLoop(() -> c.paths.addDirectRoutes(copy, taken));
        return taken;
    }

    /**
     * Forgets the direct routes {@link #directRoutes} named, except the one the session uses now.
     *
     * @param session a session of a {@link SessionEndpoint}
     */
    public static void dropDirectRoutes(Session session) {
        Connection c = connection(session, List.of());
        c.endpoint.runOnLoop(c.paths::dropDirectRoutes);
    }

    /**
     * Names other relay routes to the peer (virtual addresses of {@code dev.scout.session.relay.RelayLink}:
     * the peer's other relay, or a conversation through our own standby relay): when the relay path in
     * use fails — nothing heard for max(1.5 s, 3 RTT) while our packets wait for acks — the session probes
     * them, and the first authenticated answer moves it there (docs/sessions.md, "Another relay").
     * Probed at once if the path already failed.
     *
     * @param session a session of a {@link SessionEndpoint}
     * @param routes at most {@value #MAX_ADDRESSES} virtual addresses
     */
    public static void relayRoutes(Session session, List<InetSocketAddress> routes) {
        Connection c = connection(session, routes);
        List<InetSocketAddress> copy = List.copyOf(routes);
        c.endpoint.runOnLoop(() -> {
            if (!c.closed().isDone()) {
                c.paths.addRoutes(copy, c.endpoint.now());
                c.flush(); // reschedules: the probes start now if the path already failed
            }
        });
    }

    /**
     * Hears (on the endpoint's callback thread) each time the relay path {@code session} runs on fails,
     * so the caller can name the peer's current relay routes ({@link #relayRoutes}). Replaces an earlier
     * listener.
     *
     * @param session a session of a {@link SessionEndpoint}
     * @param listener called once per failing period while the relay path stays silent, with that path
     *                 (the virtual address the session sent to)
     */
    public static void onRelayFailing(Session session, java.util.function.Consumer<InetSocketAddress> listener) {
        connection(session, List.of()).pathSwitch.relayFailingListener = listener;
    }

    /**
     * Tells the peer our direct addresses ({@link SessionEndpoint#setHolePunching}'s, in a
     * {@code CANDIDATES} frame inside the session) unless we did already: a relayed peer probes them
     * and answers with its own ({@link #peerAddresses}). Nothing once the session runs direct.
     *
     * @param session a session of a {@link SessionEndpoint}
     */
    public static void sendCandidates(Session session) {
        Connection c = connection(session, List.of());
        c.endpoint.runOnLoop(() -> {
            if (c.paths.relayed() && c.paths.takeCandidatesTurn()) {
                c.sender.queue(new dev.scout.session.transport.Frame.Candidates(c.endpoint.candidates.local()));
                c.flush();
            }
        });
    }

    /**
     * Tells the peer our direct addresses again, in a new {@code CANDIDATES} frame, while the session is
     * relayed: a new birthday attempt of ours (its extra sockets are open now), whose probes the peer
     * starts anew ({@link #onPeerCandidates}). Nothing once the session runs direct.
     *
     * @param session a session of a {@link SessionEndpoint}
     */
    public static void resendCandidates(Session session) {
        Connection c = connection(session, List.of());
        c.endpoint.runOnLoop(() -> {
            c.pathSwitch.resendCandidates();
            c.flush();
        });
    }

    /**
     * {@code listener} hears the direct addresses (the ones our policy allows) of every {@code CANDIDATES}
     * frame the peer sends while the session is relayed, from now on, on the endpoint's callback thread;
     * one listener per session (a later one replaces it).
     *
     * @param session a session of a {@link SessionEndpoint}
     * @param listener hears each frame's addresses
     */
    public static void onPeerCandidates(Session session, Consumer<List<InetSocketAddress>> listener) {
        connection(session, List.of()).pathSwitch.candidatesListener = listener;
    }

    /**
     * {@return completes with the direct addresses the peer named in its {@code CANDIDATES} frame (the
     * ones our policy allows), if it ever sends one while the session is relayed}
     *
     * @param session a session of a {@link SessionEndpoint}
     */
    public static CompletableFuture<List<InetSocketAddress>> peerAddresses(Session session) {
        return connection(session, List.of()).paths.peerAddresses.copy();
    }

    private static Connection connection(Session session, List<InetSocketAddress> addresses) {
        if (!(session instanceof Connection c)) {
            throw new IllegalArgumentException("not a session of a SessionEndpoint: " + session);
        }
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("at most " + MAX_ADDRESSES + " addresses, not " + addresses.size());
        }
        return c;
    }
}
