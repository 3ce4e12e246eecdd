package dev.scout.session;

import dev.scout.session.internal.RelayWire;
import dev.scout.session.internal.Wire;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The relay's tables (docs/sessions.md, "Relaying"): registered clients by tag, and conversations
 * ("channels") between a connecting address and a registered client. It forwards session datagrams
 * unchanged in both directions and decrypts nothing. Hostile input is dropped: unknown tags and
 * channels, a REGISTER of a live tag from another address (the first registrant keeps it until it
 * expires), a channel datagram not from the channel's client, anything over the limits. Each datagram
 * costs hash lookups and a constant-time tag comparison; tables are swept only when full.
 * Called on the link's receiving thread; synchronized for {@link #stats}.
 */
final class RelayServer {
    private final RelayLimits limits;
    private final BiConsumer<byte[], InetSocketAddress> send;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Registration> registrations = new HashMap<>();
    private final Map<Long, Channel> channels = new HashMap<>();
    private final Map<PeerKey, Channel> channelsByPeer = new HashMap<>();
    /** Live registrations per client IP, for {@link RelayLimits#maxClientsPerIp()}. */
    private final Map<InetAddress, Integer> clientsPerIp = new HashMap<>();
    private final Budget total;
    private long forwardedBytes;
    private long lastSweep;
    private long dropped;

    private static final class Registration {
        final byte[] tag;
        final InetSocketAddress owner;
        final Budget budget;
        long expires;
        int channels;

        Registration(byte[] tag, InetSocketAddress owner, Budget budget) {
            this.tag = tag;
            this.owner = owner;
            this.budget = budget;
        }
    }

    private static final class Channel {
        final long id;
        final Registration registration;
        final InetSocketAddress peer;
        final PeerKey key;
        long lastSeen;

        Channel(long id, Registration registration, InetSocketAddress peer, PeerKey key) {
            this.id = id;
            this.registration = registration;
            this.peer = peer;
            this.key = key;
        }
    }

    private record PeerKey(long tagKey, InetSocketAddress peer) {
    }

    /** A token bucket of bytes: refills at {@code rate} per second, holds at most one second's worth. */
    private static final class Budget {
        final long rate;
        double tokens;
        long last;

        Budget(long rate, long now) {
            this.rate = rate;
            this.tokens = rate;
            this.last = now;
        }

        void refill(long now) {
            tokens = Math.min(rate, tokens + (now - last) * (rate / 1e9));
            last = now;
        }
    }

    RelayServer(RelayLimits limits, BiConsumer<byte[], InetSocketAddress> send, long now) {
        this.limits = limits;
        this.send = send;
        this.total = new Budget(limits.bytesPerSecondTotal(), now);
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
            return false;
        }
        return true;
    }

    private void register(byte[] b, InetSocketAddress from, long now) {
        long key = RelayWire.tagKey(b, 2);
        byte[] tag = RelayWire.tag(b);
        Registration r = registrations.get(key);
        if (r != null && now - r.expires < 0) {
            if (!MessageDigest.isEqual(r.tag, tag) || !r.owner.equals(from)) {
                dropped++; // the first registrant keeps its tag until it expires
                return;
            }
        } else {
            if (r != null) {
                removeRegistration(key, r);
            }
            if (registrations.size() >= limits.maxClients()) {
                sweep(now);
                if (registrations.size() >= limits.maxClients()) {
                    dropped++;
                    return;
                }
            }
            if (clientsPerIp.getOrDefault(from.getAddress(), 0) >= limits.maxClientsPerIp()) {
                sweep(now);
                if (clientsPerIp.getOrDefault(from.getAddress(), 0) >= limits.maxClientsPerIp()) {
                    dropped++;
                    return;
                }
            }
            r = new Registration(tag, from, new Budget(limits.bytesPerSecondPerClient(), now));
            registrations.put(key, r);
            clientsPerIp.merge(from.getAddress(), 1, Integer::sum);
        }
        r.expires = now + limits.registrationLifetime().toNanos();
        send.accept(RelayWire.control(RelayWire.REGISTERED, tag), from);
    }

    /** TO_TAG from a connecting side: to the tag's client, in the channel for (tag, sender). */
    private void toOwner(byte[] b, int len, InetSocketAddress from, long now) {
        int inner = len - RelayWire.TO_TAG_HEADER;
        if (!RelayWire.isSessionDatagram(b, RelayWire.TO_TAG_HEADER, inner)) {
            dropped++;
            return;
        }
        long key = RelayWire.tagKey(b, 2);
        Registration r = registrations.get(key);
        if (r == null || now - r.expires >= 0 || !MessageDigest.isEqual(r.tag, RelayWire.tag(b)) || r.owner.equals(from)) {
            dropped++;
            return;
        }
        PeerKey pk = new PeerKey(key, from);
        Channel c = channelsByPeer.get(pk);
        if (c != null && c.registration != r) {
            removeChannel(c);
            c = null;
        }
        if (c == null) {
            if (r.channels >= limits.maxChannelsPerClient() || channels.size() >= limits.maxChannels()) {
                sweep(now);
                if (r.channels >= limits.maxChannelsPerClient() || channels.size() >= limits.maxChannels()) {
                    dropped++;
                    return;
                }
            }
            long id;
            do {
                id = random.nextLong();
            } while (channels.containsKey(id));
            c = new Channel(id, r, from, pk);
            channels.put(id, c);
            channelsByPeer.put(pk, c);
            r.channels++;
        }
        if (!spend(r, len, now)) {
            return;
        }
        c.lastSeen = now;
        send.accept(RelayWire.toOwner(c.id, b, RelayWire.TO_TAG_HEADER, inner), r.owner);
    }

    /** TO_OWNER from a registered client: back to the channel's connecting side, named by the tag. */
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
        c.lastSeen = now;
        send.accept(RelayWire.toTag(c.registration.tag, b, RelayWire.TO_OWNER_HEADER, inner), c.peer);
    }

    private boolean spend(Registration r, int bytes, long now) {
        r.budget.refill(now);
        total.refill(now);
        if (r.budget.tokens < bytes || total.tokens < bytes) {
            dropped++;
            return false;
        }
        r.budget.tokens -= bytes;
        total.tokens -= bytes;
        forwardedBytes += bytes;
        return true;
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
        for (Iterator<Map.Entry<Long, Registration>> it = registrations.entrySet().iterator(); it.hasNext(); ) {
            Registration r = it.next().getValue();
            if (now - r.expires >= 0) {
                it.remove();
                released(r);
            }
        }
        long idle = limits.channelIdle().toNanos();
        for (Channel c : java.util.List.copyOf(channels.values())) {
            if (now - c.lastSeen >= idle || now - c.registration.expires >= 0) {
                removeChannel(c);
            }
        }
    }

    private void removeRegistration(long key, Registration r) {
        registrations.remove(key);
        released(r);
        for (Channel c : java.util.List.copyOf(channels.values())) {
            if (c.registration == r) {
                removeChannel(c);
            }
        }
    }

    private void released(Registration r) {
        clientsPerIp.computeIfPresent(r.owner.getAddress(), (ip, n) -> n > 1 ? n - 1 : null);
    }

    private void removeChannel(Channel c) {
        channels.remove(c.id);
        channelsByPeer.remove(c.key, c);
        if (c.registration.channels > 0) {
            c.registration.channels--;
        }
    }

    /** {@return registered clients, channels, bytes forwarded, datagrams dropped} */
    synchronized long[] stats() {
        long now = System.nanoTime();
        long live = registrations.values().stream().filter(r -> now - r.expires < 0).count();
        return new long[] {live, channels.size(), forwardedBytes, dropped};
    }
}
