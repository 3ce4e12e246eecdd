package dev.scout.session.path;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Which path carries a session, and the hole punching that moves it from a relay to the direct path
 * (docs/sessions.md, "Relay first, then direct"). Loop thread only; one per {@code Connection}.
 *
 * <ul>
 * <li>An authenticated packet from a real address while the session runs through a relay (a virtual
 *     address) moves it there at once: the punch worked.</li>
 * <li>A packet through a relay while the session runs direct moves it back only if the direct path is
 *     {@linkplain #failing failing}; otherwise the relay path is only remembered as the fallback.</li>
 * <li>Between two real or two virtual addresses the newest authenticated packet decides, as before (NAT
 *     rebinding; another relay).</li>
 * <li>Probes: {@value #PROBES} PING packets, one every 100 ms, to the peer's direct addresses, starting
 *     at a time the handshake chose ({@link #punch}); a new round whenever the current path fails.</li>
 * <li>Birthday punching's extra sockets ({@link #addDirectRoutes}) are virtual addresses too, but direct
 *     paths: a packet from one moves a relayed session there as a real address's would.</li>
 * </ul>
 * Only authenticated packets move a session, so a forged source address moves nothing.
 */
public final class PathChoice {
    public static final long NEVER = Long.MAX_VALUE;
    /** Probes per punch round. */
    public static final int PROBES = 20;
    public static final long PROBE_EVERY = 100_000_000L;
    /** A path that heard nothing for this long while our packets wait for acks is failing (at least; 3 RTT if longer). */
    public static final long FAILING = 1_500_000_000L;
    /** Direct addresses and other relay routes kept as alternatives, at most. */
    public static final int MAX_ALTERNATIVES = 16;

    private InetSocketAddress current;
    private long heard;
    /** The latest relay path that carried the session (a virtual address), or null. */
    private InetSocketAddress relay;
    private final List<InetSocketAddress> alternatives = new ArrayList<>();
    /** Other relay routes to the peer ({@link #addRoutes}): probed only while the relay path in use fails. */
    private final List<InetSocketAddress> otherRelays = new ArrayList<>();
    private long probeAt = NEVER;
    private int probesLeft;
    private boolean candidatesSent;
    /** The current relay path failed and nothing was heard on it since (a move away re-sends what was in flight). */
    private boolean relayFailed;
    /** Virtual addresses that are direct paths (extra sockets of a birthday attempt), at most 256. */
    private final Set<InetSocketAddress> directRoutes = new HashSet<>();
    private CompletableFuture<InetSocketAddress> directRouteTaken;
    /** The peer's direct addresses, once its CANDIDATES named some (PathProbes#peerAddresses). */
    public final CompletableFuture<List<InetSocketAddress>> peerAddresses = new CompletableFuture<>();

    public PathChoice(InetSocketAddress remote, long now) {
        this.current = remote;
        this.heard = now;
        this.relay = VirtualAddresses.isVirtual(remote) ? remote : null;
    }

    public InetSocketAddress current() {
        return current;
    }

    public boolean relayed() {
        return isRelay(current);
    }

    /** {@return whether {@code a} is a relay route (a virtual address that is not a birthday socket's direct route)} */
    public boolean isRelayPath(InetSocketAddress a) {
        return isRelay(a);
    }

    private boolean isRelay(InetSocketAddress a) {
        return VirtualAddresses.isVirtual(a) && !directRoutes.contains(a);
    }

    /**
     * Birthday punching for this session ({@link PathProbes#directRoutes}): {@code routes} are direct paths;
     * {@code taken} completes with the first one the session moves to. Replaces an earlier set.
     */
    public void addDirectRoutes(List<InetSocketAddress> routes, CompletableFuture<InetSocketAddress> taken) {
        directRoutes.clear();
        directRoutes.addAll(routes);
        directRouteTaken = taken;
    }

    /** Forgets the direct routes but the one in use, if any (the attempt ended). */
    public void dropDirectRoutes() {
        directRoutes.retainAll(List.of(current));
        directRouteTaken = null;
    }

    /**
     * An authenticated packet arrived from {@code from}.
     *
     * @param newest whether its packet number is the highest seen
     * @return whether the session moved to {@code from}
     */
    public boolean onPacket(InetSocketAddress from, boolean newest, long now, long failingAfter) {
        if (from.equals(current)) {
            heard = now;
            relayFailed = false;
            return false;
        }
        boolean fromRelay = isRelay(from);
        boolean onRelay = relayed();
        if (fromRelay) {
            relay = from; // works: the fallback if the direct path fails
        }
        boolean move;
        if (onRelay && !fromRelay) {
            move = true; // the punch worked: direct wins
        } else if (!onRelay && fromRelay) {
            move = now - heard >= failingAfter;
        } else {
            move = newest;
        }
        if (!move) {
            return false;
        }
        current = from;
        heard = now;
        if (!fromRelay) {
            probesLeft = 0;
            probeAt = NEVER;
        }
        if (directRouteTaken != null && directRoutes.contains(from)) {
            directRouteTaken.complete(from);
        }
        return true;
    }

    /**
     * Adds direct addresses (or other relay routes) of the peer and schedules a punch round at
     * {@code at} unless one is already scheduled.
     */
    public void punch(List<InetSocketAddress> addresses, long at) {
        List<InetSocketAddress> real = addresses.stream().filter(a -> !VirtualAddresses.isVirtual(a)).toList();
        if (!real.isEmpty()) {
            peerAddresses.complete(real);
        }
        for (InetSocketAddress a : addresses) {
            if (!a.equals(current) && !alternatives.contains(a) && alternatives.size() < MAX_ALTERNATIVES) {
                alternatives.add(a);
            }
        }
        if (relayed() && !alternatives.isEmpty() && probesLeft == 0) {
            probesLeft = PROBES;
            probeAt = at;
        }
    }

    /**
     * Other relay routes to the peer (docs/sessions.md, "Another relay"): kept as alternatives, and probed
     * at once if the relay path in use already failed; otherwise at its next failure.
     */
    public void addRoutes(List<InetSocketAddress> routes, long now) {
        for (InetSocketAddress a : routes) {
            if (!otherRelays.contains(a)) {
                if (otherRelays.size() >= MAX_ALTERNATIVES) {
                    otherRelays.remove(0); // the oldest: routes named now are the current ones
                }
                otherRelays.add(a);
            }
        }
        if (relayFailed && probesLeft == 0) {
            probesLeft = PROBES;
            probeAt = now;
        }
    }

    /** {@return whether the relay path in use failed (then a move away counts as a failed path's); clears it} */
    public boolean takeRelayFailed() {
        boolean f = relayFailed;
        relayFailed = false;
        return f;
    }

    /** {@return whether the session runs through a relay whose path failed and was not heard since} */
    public boolean relayFailing() {
        return relayFailed;
    }

    /** Whether our own addresses were sent to the peer already (then true from now on). */
    public boolean takeCandidatesTurn() {
        boolean first = !candidatesSent;
        candidatesSent = true;
        return first;
    }

    /** Whether the current path heard nothing for {@code failingAfter} while our packets wait for acks. */
    public boolean failing(long now, boolean inFlight, long failingAfter) {
        return inFlight && now - heard >= failingAfter;
    }

    /**
     * The current path is failing: back to the relay if we are direct and know one (true: moved),
     * else a new punch round towards the alternatives at once (false).
     */
    public boolean onFailing(long now) {
        if (!relayed() && relay != null) {
            if (!alternatives.contains(current) && alternatives.size() < MAX_ALTERNATIVES) {
                alternatives.add(current);
            }
            current = relay;
            heard = now;
            return true;
        }
        heard = now; // judged again one failing period from now, not on every timer
        relayFailed = relayed();
        if (probesLeft == 0 && (!alternatives.isEmpty() || relayFailed && !otherRelays.isEmpty())) {
            probesLeft = PROBES;
            probeAt = now;
        }
        return false;
    }

    /** Where probes go now (empty if none is due); moves the schedule on. */
    public List<InetSocketAddress> probesDue(long now) {
        if (probesLeft == 0 || now < probeAt) {
            return List.of();
        }
        probesLeft--;
        probeAt = probesLeft == 0 ? NEVER : now + PROBE_EVERY;
        List<InetSocketAddress> out = new ArrayList<>(alternatives);
        if (relayFailed) {
            out.addAll(otherRelays); // not while the relay works: a probe through another relay would move the peer there
        }
        out.remove(current);
        return out;
    }

    /** When {@link #probesDue} has something next, or the failing check is due ({@link #NEVER}: nothing). */
    public long deadline(boolean inFlight, long failingAfter) {
        long next = probesLeft > 0 ? probeAt : NEVER;
        return inFlight ? Math.min(next, heard + failingAfter) : next;
    }
}
