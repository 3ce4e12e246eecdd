package dev.scout.node.push;

import dev.scout.dht.DatagramFilter;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.DatagramLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Push wake-ups ({@link PokeWire}): sends pokes to a contact's daemon, and takes the pokes arriving on
 * the node's socket, directly or through our relay. A poke is taken only if its sender id names a
 * current contact (one hash lookup), its mac is right (one HMAC) and its timestamp is newer than the
 * last taken from that contact and close to our clock; then {@code onPoke} hears the contact's key.
 * Everything else is dropped without an answer, so a stranger's, forged or replayed poke costs O(1) and
 * changes nothing. Pokes are claimed on the socket's receiving thread; {@code onPoke} must be quick.
 */
public final class Pokes {
    private static final Logger LOG = LoggerFactory.getLogger(Pokes.class);

    private final Ed25519KeyPair self;
    private final Consumer<Ed25519PublicKey> onPoke;
    private final LongSupplier clock;
    /** Per contact key (hex): its derived keys, kept while it is a contact. */
    private final Map<String, Peer> byKey = new java.util.concurrent.ConcurrentHashMap<>();
    /** Replaced whole on each change of the contacts: the receiving thread reads it without a lock. */
    private volatile Map<Long, Peer> byId = Map.of();
    private final AtomicLong lastSent = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile DatagramLink link;

    private static final class Peer {
        final Ed25519PublicKey key;
        final PokeWire.PairPokeKeys keys;
        final AtomicLong lastTaken = new AtomicLong(Long.MIN_VALUE);

        Peer(Ed25519PublicKey key, PokeWire.PairPokeKeys keys) {
            this.key = key;
            this.keys = keys;
        }
    }

    /**
     * @param self   our identity
     * @param onPoke hears the key of each contact whose poke was taken (on the receiving thread)
     * @param clock  milliseconds since the epoch
     */
    public Pokes(Ed25519KeyPair self, Consumer<Ed25519PublicKey> onPoke, LongSupplier clock) {
        this.self = self;
        this.onPoke = onPoke;
        this.clock = clock;
    }

    /**
     * Wraps the link the session endpoint uses: pokes arriving there (directly, or from a relay as a
     * relayed session datagram) are taken here, everything else goes on to the endpoint. Pokes are sent
     * through it, so a virtual (relayed) address works as a destination.
     *
     * @param inner the relay-aware link on the node's socket
     * @return the link to start the endpoint on
     */
    public DatagramLink over(DatagramLink inner) {
        DatagramLink wrapped = new DatagramLink() {
            @Override
            public void send(byte[] datagram, InetSocketAddress to) {
                inner.send(datagram, to);
            }

            @Override
            public void setReceiver(DatagramFilter receiver) {
                inner.setReceiver(receiver == null ? null : (b, len, from) -> claim(b, len, from) || receiver.claim(b, len, from));
            }

            @Override
            public InetSocketAddress localAddress() {
                return inner.localAddress();
            }
        };
        this.link = wrapped;
        return wrapped;
    }

    /**
     * Sets who may poke us: the current contacts. Keys are derived once per contact and kept.
     *
     * @param contacts the contacts' keys
     */
    public synchronized void contacts(Collection<Ed25519PublicKey> contacts) {
        Map<Long, Peer> ids = new HashMap<>();
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (Ed25519PublicKey k : contacts) {
            String hex = k.toHex();
            keep.add(hex);
            Peer p = byKey.computeIfAbsent(hex, h -> new Peer(k, PokeWire.PairPokeKeys.derive(self, k)));
            ids.put(p.keys.theirId(), p);
        }
        byKey.keySet().retainAll(keep);
        byId = Map.copyOf(ids);
    }

    /**
     * Pokes a contact at each of {@code targets} (a live session's path, its devices' addresses, its
     * relay's virtual address).
     *
     * @param contact the contact's key
     * @param kind    {@link PokeWire#KIND_MESSAGE} or {@link PokeWire#KIND_RECORD}
     * @param targets where to send it
     * @return the datagram sent (the same bytes may be sent again later as a repeat), or null
     */
    public byte[] poke(Ed25519PublicKey contact, byte kind, List<InetSocketAddress> targets) {
        DatagramLink l = link;
        if (l == null || targets.isEmpty()) {
            return null;
        }
        Peer p = byKey.computeIfAbsent(contact.toHex(), h -> new Peer(contact, PokeWire.PairPokeKeys.derive(self, contact)));
        if (p == null) {
            return null;
        }
        long now = clock.getAsLong();
        long ts = lastSent.updateAndGet(last -> Math.max(now, last + 1));
        byte[] d = PokeWire.encode(p.keys, kind, ts);
        send(d, targets);
        return d;
    }

    /** Sends {@code datagram} to each target (a repeat of a poke: the receiver takes one copy). */
    public void send(byte[] datagram, List<InetSocketAddress> targets) {
        DatagramLink l = link;
        for (InetSocketAddress t : targets) {
            l.send(datagram, t);
        }
    }

    /** Takes a poke; false for anything that is not one (it goes on to the session endpoint). */
    boolean claim(byte[] b, int len, InetSocketAddress from) {
        if (len < 1 || b[0] != PokeWire.MARK) {
            return false;
        }
        // 0xF7 is never KRPC nor a session datagram: whatever happens below, it is ours and gets no answer.
        if (!PokeWire.looksLikePoke(b, len)) {
            dropped.incrementAndGet();
            return true;
        }
        Peer p = byId.get(PokeWire.senderId(b));
        if (p == null || !PokeWire.macValid(p.keys.key(), b)) {
            dropped.incrementAndGet();
            return true;
        }
        long ts = PokeWire.timestamp(b);
        long now = clock.getAsLong();
        if (Math.abs(ts - now) > PokeWire.MAX_SKEW_MILLIS || !newer(p.lastTaken, ts)) {
            dropped.incrementAndGet();
            return true;
        }
        taken.incrementAndGet();
        LOG.debug("poke (kind {}) from {} at {}", PokeWire.kind(b), p.key.toZBase32(), from);
        onPoke.accept(p.key);
        return true;
    }

    private static boolean newer(AtomicLong last, long ts) {
        long before;
        do {
            before = last.get();
            if (ts <= before) {
                return false;
            }
        } while (!last.compareAndSet(before, ts));
        return true;
    }

    /** {@return pokes taken so far} */
    public long taken() {
        return taken.get();
    }

    /** {@return datagrams starting 0xF7 dropped so far (malformed, unknown sender, wrong mac, replayed, stale)} */
    public long dropped() {
        return dropped.get();
    }
}
