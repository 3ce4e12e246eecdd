package dev.scout.session.relay;

import dev.scout.session.handshake.SourceBuckets;
import dev.scout.session.handshake.TokenBucket;
import dev.scout.session.handshake.Wire;
import dev.scout.session.relay.internal.RelayCookies;
import dev.scout.session.relay.internal.RelayWire;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The relay's tables (docs/sessions.md, "Relaying"): registered clients by tag, and conversations
 * ("channels") between a connecting address and a registered client. It forwards session datagrams
 * unchanged in both directions and decrypts nothing.
 *
 * <p>A registration proves its source address and its key: a REGISTER without a valid cookie
 * ({@link RelayCookies}: stateless, one HMAC) gets only a CHALLENGE back, smaller than itself and
 * within a control budget, and takes no memory; with a valid cookie, its Ed25519 signature over the
 * cookie is checked (a bounded number per second, in all and per source; a refresh that changes
 * nothing needs none). Tags are
 * derived from the key ({@link RelayWire#tagOf}), so nobody else can register them; a client holds its
 * current and its previous tag, and a channel keeps working under the tag it was opened with. Hostile
 * input is dropped: unknown tags and channels, a channel datagram not from the channel's client,
 * anything over the limits. Each datagram costs hash lookups and constant-time comparisons; tables are
 * swept only when full. Called on the link's receiving thread; synchronized for {@link #stats}.
 */
final class RelayServer {
    /** Signature checks per second at most (a check costs about 0.1 ms), and per source address. */
    static final int VERIFICATIONS_PER_SECOND = 500;
    static final int VERIFICATIONS_PER_SOURCE = 8;

    private final RelayLimits limits;
    private final BiConsumer<byte[], InetSocketAddress> send;
    private final SecureRandom random = new SecureRandom();
    private final RelayCookies cookies;
    /** By the first 8 bytes of each live tag (current and previous) of a client. */
    private final Map<Long, Registration> byTag = new HashMap<>();
    private final Set<Registration> clients = new HashSet<>();
    private final Map<Long, Channel> channels = new HashMap<>();
    private final Map<PeerKey, Channel> channelsByPeer = new HashMap<>();
    /** Live registrations per client IPv4 address or IPv6 /64, for {@link RelayLimits#maxClientsPerIp()}. */
    private final Map<InetAddress, Integer> clientsPerIp = new HashMap<>();
    private final TokenBucket total;
    /** CHALLENGE and REFUSED replies: the total budget / 64. */
    private final TokenBucket control;
    private final TokenBucket verifications;
    private final SourceBuckets<java.net.InetAddress> verificationsBySource = new SourceBuckets<>(VERIFICATIONS_PER_SOURCE, 4_096);
    private long forwardedBytes;
    private long controlBytes;
    private long lastSweep;
    private long dropped;

    private static final class Registration {
        final byte[] key;
        final TokenBucket budget;
        byte[] tag;
        byte[] previousTag; // null: none
        InetSocketAddress owner;
        long expires;
        int channels;

        Registration(byte[] key, InetSocketAddress owner, TokenBucket budget) {
            this.key = key;
            this.owner = owner;
            this.budget = budget;
        }

        boolean holds(byte[] t) {
            return MessageDigest.isEqual(tag, t) || previousTag != null && MessageDigest.isEqual(previousTag, t);
        }
    }

    private static final class Channel {
        final long id;
        final Registration registration;
        final byte[] tag;
        final InetSocketAddress peer;
        final PeerKey key;
        long lastSeen;

        Channel(long id, Registration registration, byte[] tag, InetSocketAddress peer, PeerKey key) {
            this.id = id;
            this.registration = registration;
            this.tag = tag;
            this.peer = peer;
            this.key = key;
        }
    }

    private record PeerKey(long tagKey, InetSocketAddress peer) {
    }

    RelayServer(RelayLimits limits, BiConsumer<byte[], InetSocketAddress> send, long now) {
        this.limits = limits;
        this.send = send;
        this.cookies = new RelayCookies(now);
        this.total = new TokenBucket(limits.bytesPerSecondTotal(), now);
        this.control = new TokenBucket(Math.max(RelayWire.COOKIE_REPLY_LENGTH, limits.bytesPerSecondTotal() / 64), now);
        this.verifications = new TokenBucket(VERIFICATIONS_PER_SECOND, now);
    }

    /** Handles one relay datagram addressed to the relay; false if it is not one the relay serves. */
    synchronized boolean onDatagram(byte[] b, int len, InetSocketAddress from, long now) {
        if (len < 2) {
            return false;
        }
        byte op = b[1];
        if (op == RelayWire.REGISTER && len == RelayWire.REGISTER_LENGTH) {
            register(b, from, now);
        } else if (op == RelayWire.TO_TAG && len > RelayWire.TO_TAG_HEADER) {
            toOwner(b, len, from, now);
        } else if (op == RelayWire.TO_OWNER && len > RelayWire.TO_OWNER_HEADER) {
            fromOwner(b, len, from, now);
        } else {
            dropped++;
            return false;
        }
        return true;
    }

    private void register(byte[] b, InetSocketAddress from, long now) {
        if (!cookies.valid(from, RelayWire.getInt(b, RelayWire.EPOCH_AT), b, RelayWire.COOKIE_AT, now)) {
            // The source has not shown it receives: a challenge to it, nothing else, no memory.
            control(RelayWire.cookieReply(RelayWire.CHALLENGE, b, cookies.epoch(now), cookies.mint(from, now)), from, now);
            return;
        }
        byte[] tag = RelayWire.tagOf(b, RelayWire.KEY_AT, b, RelayWire.NONCE_AT);
        byte[] previous = RelayWire.isZero(b, RelayWire.PREVIOUS_AT, RelayWire.NONCE_BYTES) ? null
                : RelayWire.tagOf(b, RelayWire.KEY_AT, b, RelayWire.PREVIOUS_AT);
        Registration r = liveByTag(tag, now);
        if (r == null && previous != null) {
            r = liveByTag(previous, now);
        }
        byte[] key = Arrays.copyOfRange(b, RelayWire.KEY_AT, RelayWire.KEY_AT + RelayWire.KEY_BYTES);
        if (r != null && (!MessageDigest.isEqual(r.key, key)
                || r.previousTag != null && MessageDigest.isEqual(r.previousTag, tag))) {
            dropped++; // another key (tags are hashes of the key: a collision), or a REGISTER from before a rotation
            return;
        }
        boolean unchanged = r != null && r.owner.equals(from) && MessageDigest.isEqual(r.tag, tag)
                && (previous == null ? r.previousTag == null : r.previousTag != null && MessageDigest.isEqual(r.previousTag, previous));
        if (!unchanged) {
            if (!verificationsBySource.take(slotKey(from.getAddress()), now) || !verifications.take(1, now) || !signed(b)) {
                dropped++;
                return;
            }
            if (r == null) {
                r = admit(key, b, from, now);
                if (r == null) {
                    return;
                }
            } else if (!move(r, b, from, now)) {
                return;
            }
            retag(r, tag, previous);
        }
        r.expires = now + limits.registrationLifetime().toNanos();
        byte[] reply = RelayWire.cookieReply(RelayWire.REGISTERED, b, cookies.epoch(now), cookies.mint(from, now));
        if (spend(r, reply.length, now)) {
            controlBytes += reply.length;
            send.accept(reply, from);
        }
    }

    private static boolean signed(byte[] b) {
        byte[] message = RelayWire.signedPart(b);
        return Ed25519.validatePublicKeyFull(b, RelayWire.KEY_AT) // a low-order key proves nothing
                && Ed25519.verify(b, RelayWire.SIGNATURE_AT, b, RelayWire.KEY_AT, message, 0, message.length);
    }

    /** A new client, if there is a slot (in all, and for its address); else REFUSED. */
    private Registration admit(byte[] key, byte[] request, InetSocketAddress from, long now) {
        if (clients.size() >= limits.maxClients() || perIp(from) >= limits.maxClientsPerIp()) {
            sweep(now);
            if (clients.size() >= limits.maxClients() || perIp(from) >= limits.maxClientsPerIp()) {
                dropped++;
                control(RelayWire.refused(request, RelayWire.REFUSED_FULL), from, now);
                return null;
            }
        }
        Registration r = new Registration(key, from, new TokenBucket(limits.bytesPerSecondPerClient(), now));
        clients.add(r);
        clientsPerIp.merge(slotKey(from.getAddress()), 1, Integer::sum);
        return r;
    }

    /** The client's address changed (a NAT rebinding, a new network): proven, so the registration follows. */
    private boolean move(Registration r, byte[] request, InetSocketAddress from, long now) {
        if (r.owner.equals(from)) {
            return true;
        }
        InetAddress before = slotKey(r.owner.getAddress());
        InetAddress after = slotKey(from.getAddress());
        if (!before.equals(after)) {
            if (perIp(from) >= limits.maxClientsPerIp()) {
                dropped++;
                control(RelayWire.refused(request, RelayWire.REFUSED_FULL), from, now);
                return false;
            }
            released(r);
            clientsPerIp.merge(after, 1, Integer::sum);
        }
        r.owner = from;
        return true;
    }

    /** Indexes the client under its current and previous tag, and no longer under older ones. */
    private void retag(Registration r, byte[] tag, byte[] previous) {
        for (byte[] old : new byte[][] {r.tag, r.previousTag}) {
            if (old != null && !MessageDigest.isEqual(old, tag) && (previous == null || !MessageDigest.isEqual(old, previous))) {
                byTag.remove(RelayWire.tagKey(old, 0), r);
            }
        }
        r.tag = tag;
        r.previousTag = previous;
        byTag.put(RelayWire.tagKey(tag, 0), r);
        if (previous != null) {
            byTag.put(RelayWire.tagKey(previous, 0), r);
        }
    }

    private Registration liveByTag(byte[] tag, long now) {
        Registration r = byTag.get(RelayWire.tagKey(tag, 0));
        return r != null && now - r.expires < 0 && r.holds(tag) ? r : null;
    }

    /** TO_TAG from a connecting side: to the tag's client, in the channel for (tag, sender). */
    private void toOwner(byte[] b, int len, InetSocketAddress from, long now) {
        int inner = len - RelayWire.TO_TAG_HEADER;
        if (!RelayWire.isSessionDatagram(b, RelayWire.TO_TAG_HEADER, inner)) {
            dropped++;
            return;
        }
        byte[] tag = RelayWire.tag(b);
        PeerKey pk = new PeerKey(RelayWire.tagKey(b, 2), from);
        Channel c = channelsByPeer.get(pk);
        if (c == null || !MessageDigest.isEqual(c.tag, tag) || now - c.registration.expires >= 0) {
            // A new conversation needs a tag the client holds now; an open one keeps its tag after a rotation.
            Registration r = liveByTag(tag, now);
            if (r == null || r.owner.equals(from)) {
                dropped++;
                return;
            }
            if (c != null) {
                removeChannel(c);
            }
            c = openChannel(r, tag, from, pk, now);
            if (c == null) {
                return;
            }
        }
        if (!spend(c.registration, len, now)) {
            return;
        }
        forwardedBytes += len;
        c.lastSeen = now;
        send.accept(RelayWire.toOwner(c.id, b, RelayWire.TO_TAG_HEADER, inner), c.registration.owner);
    }

    private Channel openChannel(Registration r, byte[] tag, InetSocketAddress from, PeerKey pk, long now) {
        if (r.channels >= limits.maxChannelsPerClient() || channels.size() >= limits.maxChannels()) {
            sweep(now);
            if (r.channels >= limits.maxChannelsPerClient() || channels.size() >= limits.maxChannels()) {
                dropped++;
                return null;
            }
        }
        long id;
        do {
            id = random.nextLong();
        } while (channels.containsKey(id));
        Channel c = new Channel(id, r, tag, from, pk);
        channels.put(id, c);
        channelsByPeer.put(pk, c);
        r.channels++;
        return c;
    }

    /** TO_OWNER from a registered client: back to the channel's connecting side, named by the channel's tag. */
    private void fromOwner(byte[] b, int len, InetSocketAddress from, long now) {
        int inner = len - RelayWire.TO_OWNER_HEADER;
        Channel c = channels.get(Wire.getLong(b, 2));
        if (c == null || !RelayWire.isSessionDatagram(b, RelayWire.TO_OWNER_HEADER, inner)
                || !c.registration.owner.equals(from) || now - c.registration.expires >= 0) {
            dropped++;
            return;
        }
        if (!spend(c.registration, len, now)) {
            return;
        }
        forwardedBytes += len;
        c.lastSeen = now;
        send.accept(RelayWire.toTag(c.tag, b, RelayWire.TO_OWNER_HEADER, inner), c.peer);
    }

    /** Takes {@code bytes} from the client's and the relay's budgets, or drops. */
    private boolean spend(Registration r, int bytes, long now) {
        if (!r.budget.has(bytes, now) || !total.has(bytes, now)) {
            dropped++;
            return false;
        }
        r.budget.take(bytes, now);
        total.take(bytes, now);
        return true;
    }

    /** A reply to an unproven or refused source: within the control budget, or not at all. */
    private void control(byte[] reply, InetSocketAddress to, long now) {
        if (control.take(reply.length, now)) {
            controlBytes += reply.length;
            send.accept(reply, to);
        } else {
            dropped++;
        }
    }

    private int perIp(InetSocketAddress from) {
        return clientsPerIp.getOrDefault(slotKey(from.getAddress()), 0);
    }

    /** An IPv4 address, or an IPv6 address's /64 (one host usually has a whole /64). */
    static InetAddress slotKey(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(a.getAddress(), 8), 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drops expired registrations (and their channels) and idle channels; only when a table is full,
     * and at most once a second, so a flood against full tables costs O(1) per datagram.
     */
    private void sweep(long now) {
        if (lastSweep != 0 && now - lastSweep < 1_000_000_000L) {
            return;
        }
        lastSweep = now;
        for (Registration r : List.copyOf(clients)) {
            if (now - r.expires >= 0) {
                clients.remove(r);
                byTag.remove(RelayWire.tagKey(r.tag, 0), r);
                if (r.previousTag != null) {
                    byTag.remove(RelayWire.tagKey(r.previousTag, 0), r);
                }
                released(r);
            }
        }
        long idle = limits.channelIdle().toNanos();
        for (Channel c : List.copyOf(channels.values())) {
            if (now - c.lastSeen >= idle || now - c.registration.expires >= 0) {
                removeChannel(c);
            }
        }
    }

    private void released(Registration r) {
        clientsPerIp.computeIfPresent(slotKey(r.owner.getAddress()), (ip, n) -> n > 1 ? n - 1 : null);
    }

    private void removeChannel(Channel c) {
        channels.remove(c.id);
        channelsByPeer.remove(c.key, c);
        if (c.registration.channels > 0) {
            c.registration.channels--;
        }
    }

    /** {@return registered clients, channels, bytes forwarded, datagrams dropped, control bytes sent} */
    synchronized long[] stats() {
        long now = System.nanoTime();
        long live = clients.stream().filter(r -> now - r.expires < 0).count();
        return new long[] {live, channels.size(), forwardedBytes, dropped, controlBytes};
    }
}
