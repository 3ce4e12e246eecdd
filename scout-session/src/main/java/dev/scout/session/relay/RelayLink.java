package dev.scout.session.relay;

import dev.scout.dht.DatagramFilter;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.DatagramLink;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.handshake.Wire;
import dev.scout.session.path.VirtualAddresses;
import dev.scout.session.relay.internal.RelayWire;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * A {@link DatagramLink} that can relay (docs/sessions.md, "Relaying"). It wraps another link (the DHT
 * node's socket) and handles the relay datagrams (0xF5, {@code RelayWire}) before anything else sees
 * them; every other datagram goes to the endpoint's receiver as before.
 *
 * <ul>
 * <li>{@link #serve}: forward for others, within {@link RelayLimits}; the Noise sessions run end to end
 *     through it, so it sees ciphertext, tags, addresses and volumes, nothing else.</li>
 * <li>{@link #registerAt}: be reachable through a relay under a tag derived from our key and rotated
 *     (published to contacts); the registration proves our address and key. {@link #registerStandbyAt}:
 *     through a second relay as well, so a relayed session outlives its relay.</li>
 * <li>{@link #route}: a <em>virtual address</em> that stands for "contact with tag T at relay R". A
 *     {@link SessionEndpoint} on this link connects to it like to any address; datagrams sent there
 *     travel through the relay, and the contact's answers arrive from it. Sessions relayed to us arrive
 *     from a virtual address per conversation too. Virtual addresses are in {@code 100::/64}, the IPv6
 *     discard-only prefix (RFC 6666), port 9: they can never be a real peer.</li>
 * </ul>
 * Tables are bounded ({@link VirtualRoutes}: 256 routes, 256 conversations; least recently used forgotten first).
 */
public final class RelayLink implements DatagramLink, AutoCloseable {
    private final DatagramLink inner;
    private volatile DatagramFilter receiver;
    private volatile RelayServer server;
    private volatile RelayRegistration registration;
    /** A second relay we stay registered at, so a relayed session outlives its relay ("Another relay"). */
    private volatile RelayRegistration standby;
    private final RelayProbes probes;
    private final VirtualRoutes virtuals = new VirtualRoutes();

    private RelayLink(DatagramLink inner) {
        this.inner = inner;
        this.probes = new RelayProbes(inner::send);
        inner.setReceiver(this::claim);
    }

    /**
     * Wraps {@code inner}; from now on this link installs the only receiver on it.
     *
     * @param inner the socket, e.g. {@link DatagramLink#of(dev.scout.dht.udp.DualStackNode)}
     * @return the relay-aware link
     */
    public static RelayLink over(DatagramLink inner) {
        return new RelayLink(inner);
    }

    /**
     * Starts forwarding for others (off until called).
     *
     * @param limits the bounds
     */
    public void serve(RelayLimits limits) {
        server = new RelayServer(limits, inner::send, System.nanoTime());
    }

    /** {@return whether {@link #serve} was called} */
    public boolean serving() {
        return server != null;
    }

    /**
     * What a relay did so far.
     *
     * @param clients        registrations alive now
     * @param conversations  channels held (connecting address × client)
     * @param forwardedBytes relay datagram bytes forwarded, both directions
     * @param dropped        datagrams dropped (unknown tag or channel, spoofed, over a limit, malformed)
     * @param controlBytes   bytes of CHALLENGE, REGISTERED and REFUSED replies sent
     */
    public record RelayStats(long clients, long conversations, long forwardedBytes, long dropped, long controlBytes) {
    }

    /** {@return the relay's figures, if serving} */
    public Optional<RelayStats> relayStats() {
        RelayServer s = server;
        if (s == null) {
            return Optional.empty();
        }
        long[] v = s.stats();
        return Optional.of(new RelayStats(v[0], v[1], v[2], v[3], v[4]));
    }

    /**
     * Registers at {@code relay} with tags rotated every {@link RelayRegistration#DEFAULT_TAG_PERIOD}; see
     * {@link #registerAt(InetSocketAddress, Ed25519KeyPair, Duration)}.
     *
     * @param relay    the relay daemon's public address
     * @param identity the key that signs the registration (the relay learns its public half)
     * @return the registration (its current tag is what contacts need)
     */
    public RelayRegistration registerAt(InetSocketAddress relay, Ed25519KeyPair identity) {
        return registerAt(relay, identity, RelayRegistration.DEFAULT_TAG_PERIOD);
    }

    /**
     * Registers at {@code relay} and keeps the registration fresh (every second until the relay
     * confirms, then every {@link RelayRegistration#REFRESH_MILLIS} ms), from this link's socket: the
     * client sending first opens its NAT's mapping towards the relay, even a symmetric NAT's. The
     * registration answers the relay's cookie challenge and is signed by {@code identity}. Replaces an
     * earlier registration.
     *
     * @param relay     the relay daemon's public address
     * @param identity  the key that signs the registration (the relay learns its public half)
     * @param tagPeriod how long each tag is the current one (the one before stays registered one more period)
     * @return the registration (its current tag is what contacts need)
     */
    public RelayRegistration registerAt(InetSocketAddress relay, Ed25519KeyPair identity, Duration tagPeriod) {
        RelayRegistration old = registration;
        if (old != null) {
            old.close();
        }
        RelayRegistration r = new RelayRegistration(relay, identity, tagPeriod, inner::send);
        registration = r;
        return r;
    }

    /**
     * Checks that {@code relay} answers like a relay, and how fast: a registration attempt with nothing
     * to check (no cookie, key or signature), which a relay answers with a 30-byte challenge and no state
     * (docs/sessions.md, "Finding a home relay"). At most 16 probes are out at once; more fail at once.
     *
     * @param relay   the address to probe
     * @param timeout how long to wait for the answer
     * @return the round-trip time; fails with a {@link java.util.concurrent.TimeoutException} if nothing answered
     */
    public java.util.concurrent.CompletableFuture<Duration> probe(InetSocketAddress relay, Duration timeout) {
        return probes.probe(relay, timeout);
    }

    /** Stops the current registration, if any (the relay forgets it after its lifetime). */
    public void unregister() {
        RelayRegistration old = registration;
        registration = null;
        if (old != null) {
            old.close();
        }
    }

    /**
     * Registers at a second relay as well (the standby), as {@link #registerAt} does; conversations
     * arrive through both. Replaces an earlier standby registration.
     *
     * @param relay    the standby relay's address (not the current registration's)
     * @param identity the key that signs the registration
     * @return the standby registration
     */
    public RelayRegistration registerStandbyAt(InetSocketAddress relay, Ed25519KeyPair identity) {
        RelayRegistration old = standby;
        if (old != null) {
            old.close();
        }
        RelayRegistration r = new RelayRegistration(relay, identity, RelayRegistration.DEFAULT_TAG_PERIOD, inner::send);
        standby = r;
        return r;
    }

    /** Stops the standby registration, if any. */
    public void unregisterStandby() {
        RelayRegistration old = standby;
        standby = null;
        if (old != null) {
            old.close();
        }
    }

    /**
     * The current registration's relay died: the standby becomes the current registration (it stays
     * confirmed, its tag unchanged) and the old one stops.
     *
     * @return the new current registration; empty (nothing changed) if there is no standby
     */
    public Optional<RelayRegistration> promoteStandby() {
        RelayRegistration s = standby;
        if (s == null) {
            return Optional.empty();
        }
        RelayRegistration old = registration;
        registration = s;
        standby = null;
        if (old != null) {
            old.close();
        }
        return Optional.of(s);
    }

    /** {@return the standby registration, if any} */
    public Optional<RelayRegistration> standby() {
        return Optional.ofNullable(standby);
    }

    /** {@return the current registration, if any} */
    public Optional<RelayRegistration> registration() {
        return Optional.ofNullable(registration);
    }

    /**
     * The virtual address standing for the client registered at {@code relay} under {@code tag}.
     *
     * @param relay the relay's address
     * @param tag the client's {@value RelayWire#TAG_BYTES}-byte tag
     * @return the same address for the same pair while it is remembered
     */
    public InetSocketAddress route(InetSocketAddress relay, byte[] tag) {
        if (tag.length != RelayWire.TAG_BYTES) {
            throw new IllegalArgumentException("a relay tag has " + RelayWire.TAG_BYTES + " bytes");
        }
        return virtuals.route(relay, tag);
    }

    /**
     * {@return the relay a virtual address runs through (a route or a conversation relayed to us), if known}
     *
     * @param address any address
     */
    public Optional<InetSocketAddress> relayOf(InetSocketAddress address) {
        return isVirtual(address) ? virtuals.relayOf(address) : Optional.empty();
    }

    /**
     * {@return whether {@code address} is a virtual address (a relayed peer), never a real one}
     *
     * @param address any address
     */
    public static boolean isVirtual(InetSocketAddress address) {
        return VirtualAddresses.isVirtual(address);
    }

    @Override
    public void send(byte[] datagram, InetSocketAddress to) {
        if (!isVirtual(to)) {
            inner.send(datagram, to);
            return;
        }
        VirtualRoutes.Route r = virtuals.routeAt(to);
        VirtualRoutes.ChannelKey c = r == null ? virtuals.channelAt(to) : null;
        if (r != null) {
            inner.send(RelayWire.toTag(r.tag(), datagram, 0, datagram.length), r.relay());
        } else if (c != null) {
            inner.send(RelayWire.toOwner(c.channel(), datagram, 0, datagram.length), c.relay());
        } // a forgotten virtual address: dropped, like a datagram to a vanished peer
    }

    @Override
    public void setReceiver(DatagramFilter receiver) {
        this.receiver = receiver;
    }

    @Override
    public InetSocketAddress localAddress() {
        return inner.localAddress();
    }

    /** Stops the registration's refreshes (the socket belongs to the inner link). */
    @Override
    public void close() {
        RelayRegistration r = registration;
        if (r != null) {
            r.close();
        }
        unregisterStandby();
        inner.setReceiver(null);
    }

    // ---- receiving thread

    private boolean claim(byte[] b, int len, InetSocketAddress from) {
        if (len < 1 || b[0] != RelayWire.MARK) {
            DatagramFilter r = receiver;
            return r != null && r.claim(b, len, from);
        }
        // 0xF5 is never KRPC: every relay datagram is ours, and dropped unless it fits one of the cases.
        if (len < 2) {
            return true;
        }
        long now = System.nanoTime();
        byte op = b[1];
        RelayRegistration reg = registration;
        RelayRegistration spare = standby;
        if (op == RelayWire.REGISTERED || op == RelayWire.CHALLENGE || op == RelayWire.REFUSED) {
            if (op == RelayWire.CHALLENGE && probes.onChallenge(b, len, from, now)) {
                return true;
            }
            if (reg != null) {
                reg.onReply(b, len, from, now);
            }
            if (spare != null) {
                spare.onReply(b, len, from, now); // each checks the source and its own probes
            }
            return true;
        } else if (op == RelayWire.TO_TAG && len > RelayWire.TO_TAG_HEADER && fromRoute(b, len, from)) {
            return true;
        } else if (op == RelayWire.TO_OWNER && len > RelayWire.TO_OWNER_HEADER
                && (reg != null && reg.relay().equals(from) || spare != null && spare.relay().equals(from))) {
            fromRelayToUs(b, len, from);
            return true;
        }
        RelayServer s = server;
        if (s != null) {
            s.onDatagram(b, len, from, now);
        }
        return true;
    }

    /** A contact's answer through a relay we have a route to; false if we have none for it. */
    private boolean fromRoute(byte[] b, int len, InetSocketAddress from) {
        VirtualRoutes.Route r = virtuals.routeFrom(from, RelayWire.tagKey(b, 2));
        if (r == null || !MessageDigest.isEqual(r.tag(), Arrays.copyOfRange(b, 2, 2 + RelayWire.TAG_BYTES))) {
            return false;
        }
        deliver(b, RelayWire.TO_TAG_HEADER, len - RelayWire.TO_TAG_HEADER, r.virtual());
        return true;
    }

    /** The relay forwards a conversation to us (we are registered there). */
    private void fromRelayToUs(byte[] b, int len, InetSocketAddress relay) {
        if (!RelayWire.isSessionDatagram(b, RelayWire.TO_OWNER_HEADER, len - RelayWire.TO_OWNER_HEADER)) {
            return;
        }
        InetSocketAddress virtual = virtuals.channel(relay, Wire.getLong(b, 2));
        deliver(b, RelayWire.TO_OWNER_HEADER, len - RelayWire.TO_OWNER_HEADER, virtual);
    }

    private void deliver(byte[] b, int off, int len, InetSocketAddress virtual) {
        if (!RelayWire.isSessionDatagram(b, off, len)) {
            return;
        }
        DatagramFilter r = receiver;
        if (r != null) {
            r.claim(Arrays.copyOfRange(b, off, off + len), len, virtual);
        }
    }
}
