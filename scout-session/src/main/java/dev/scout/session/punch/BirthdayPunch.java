package dev.scout.session.punch;

import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.DatagramLink;
import dev.scout.session.NatType;
import dev.scout.session.NoDirectPathException;
import dev.scout.session.Session;
import dev.scout.session.SessionEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Birthday punching when exactly one side is behind a symmetric NAT (docs/sessions.md, "Birthday
 * punching"). At the rendezvous time:
 * <ul>
 * <li>the <b>symmetric</b> side ({@link #fromSymmetricSide}) opens up to {@value BirthdayLink#MAX_SOCKETS}
 *     extra sockets and sends its Noise initiation from each to the cone side's address, so its NAT
 *     holds that many random mappings towards it;</li>
 * <li>the <b>cone</b> side ({@link #probe}) sends small probes from its usual socket to random ports of
 *     the symmetric side's IP ({@link ProbeSchedule}: ≤ 2,048 in ≤ 20 s). A probe that hits one of the
 *     mappings opens the cone NAT towards it and reaches that extra socket; the initiation that socket
 *     sends next gets through and is answered by the handshake as any other.</li>
 * </ul>
 * The first authenticated answer completes the connect; that socket is kept for the session (and its
 * kept-open path), every other one is closed at once. Two symmetric sides would need ~170k probes:
 * {@link #applies} says no, and nothing extra is sent (a relay carries that pair).
 */
public final class BirthdayPunch {
    /** Extra sockets the symmetric side opens (Tailscale's and HyperDHT's number). */
    public static final int SOCKETS = BirthdayLink.MAX_SOCKETS;
    /** How long an attempt lasts at most (the probing time; the symmetric side's connect timeout). */
    public static final Duration TIME = ProbeSchedule.MAX_DURATION;
    private static final int PROBE_LENGTH = 17; // a KEEP's length, 0xF4 first: claimed and dropped by a scout endpoint
    private static final byte KEEP = (byte) 0xF4;

    private BirthdayPunch() {
    }

    /**
     * {@return whether birthday punching is worth trying: exactly one side symmetric, the other behind a
     * cone NAT} A public side needs none (the symmetric side's first packet reaches it); two symmetric
     * sides would need ~170k probes.
     *
     * @param ours our NAT as NAT awareness found it
     * @param theirs the contact's (from its connect intent or relay entry)
     */
    public static boolean applies(NatType ours, NatType theirs) {
        return ours == NatType.SYMMETRIC && theirs == NatType.CONE
                || ours == NatType.CONE && theirs == NatType.SYMMETRIC;
    }

    /**
     * The symmetric side: opens {@code sockets} extra sockets on {@code link} and connects to
     * {@code peer} through all of them towards {@code coneAddress}. On success the winning socket is
     * kept (the session's {@link Session#remoteAddress()} is its virtual address); on failure, or when
     * the session came by another way, all are closed. Never leaves a socket open otherwise.
     *
     * @param endpoint an endpoint whose link is {@code link}
     * @param link the extra-socket link under {@code endpoint}
     * @param peer the contact
     * @param coneAddress its published address (behind its cone NAT)
     * @param sockets 1..{@value BirthdayLink#MAX_SOCKETS}
     * @param timeout at most {@link #TIME}
     * @return the session, or a failed future ({@code NoDirectPathException} after the timeout, or the
     *         reason the sockets could not be opened)
     */
    public static CompletableFuture<Session> fromSymmetricSide(SessionEndpoint endpoint, BirthdayLink link,
                                                               Ed25519PublicKey peer, InetSocketAddress coneAddress,
                                                               int sockets, Duration timeout) {
        if (timeout.compareTo(TIME) > 0) {
            throw new IllegalArgumentException("a birthday attempt lasts at most " + TIME.toSeconds() + " s");
        }
        BirthdayLink.SocketSet set;
        try {
            set = link.open(coneAddress, sockets);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Session> f;
        try {
            f = endpoint.connect(peer, set.addresses(), NatType.CONE, timeout);
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
        CompletableFuture<Session> out = new CompletableFuture<>();
        f.whenComplete((s, e) -> {
            if (s != null && set.addresses().contains(s.remoteAddress())) {
                set.keep(s.remoteAddress());
            } else {
                set.close();
            }
            if (s != null) {
                out.complete(s);
            } else {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                // one line, not the 256 virtual addresses the endpoint would name
                out.completeExceptionally(cause instanceof NoDirectPathException
                        ? new NoDirectPathException("no answer on any of " + sockets + " extra sockets towards "
                                + coneAddress.getAddress().getHostAddress() + ":" + coneAddress.getPort() + " within "
                                + timeout.toSeconds() + " s (birthday punching: the contact's probes met none of our "
                                + "NAT's mappings)")
                        : cause);
            }
        });
        return out;
    }

    /**
     * The cone side: probes {@code schedule}'s ports of {@code symmetricIp} from {@code socket} (the one
     * whose mapping the contact knows), starting after {@code delay}. Each probe is 17 bytes shaped like
     * a KEEP with a random token: a scout endpoint claims and drops it, a DHT node ignores it.
     *
     * @param socket our usual socket (the DHT node's)
     * @param symmetricIp the contact's public IP, as its connect intent or relay entry gave it
     * @param policy where we may send; the IP must pass it (any port)
     * @param schedule the ports and pace
     * @param delay until the rendezvous time
     * @return the running probes ({@link Probing#stop} once a session with the contact exists)
     * @throws IllegalArgumentException if the policy refuses the IP
     */
    public static Probing probe(DatagramLink socket, InetAddress symmetricIp, ContactAddressPolicy policy,
                                ProbeSchedule schedule, Duration delay) {
        requireAllowed(symmetricIp, policy);
        SecureRandom random = new SecureRandom();
        return Probing.start(to -> {
            byte[] probe = new byte[PROBE_LENGTH];
            random.nextBytes(probe);
            probe[0] = KEEP;
            socket.send(probe, to);
        }, symmetricIp, schedule, delay);
    }

    /**
     * {@return the first IPv4 address of {@code addresses} the policy allows: birthday punching's target,
     * probed on random ports (IPv6 needs no guessing: no NAT)}
     *
     * @param addresses a contact's addresses, in its order of preference
     * @param policy where the contact's addresses may lead us
     */
    public static java.util.Optional<InetSocketAddress> firstUsableIpv4(java.util.List<InetSocketAddress> addresses,
                                                                      ContactAddressPolicy policy) {
        return addresses.stream().filter(a -> a.getAddress() instanceof java.net.Inet4Address && policy.allows(a)).findFirst();
    }

    /** Probes go only to an IP {@code policy} allows (any port). */
    static void requireAllowed(InetAddress ip, ContactAddressPolicy policy) {
        policy.refusal(new InetSocketAddress(ip, ProbeSchedule.FIRST_PORT)).ifPresent(r -> {
            throw new IllegalArgumentException("not probing " + ip.getHostAddress() + ": " + r);
        });
    }
}
