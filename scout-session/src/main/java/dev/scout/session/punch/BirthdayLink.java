package dev.scout.session.punch;

import dev.scout.dht.DatagramFilter;
import dev.scout.session.DatagramLink;
import dev.scout.session.path.VirtualAddresses;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DatagramLink} decorator with extra UDP sockets for birthday punching (docs/sessions.md,
 * "Birthday punching"). Everything goes to and comes from the wrapped link as before, except for
 * <em>virtual addresses</em> (in {@code 100::/64}, like a relayed peer's) that each stand for "extra
 * socket i, towards peer P": a {@code SessionEndpoint} on this link connects to them like to any
 * address, datagrams sent there leave from socket i to P, and what P sends to socket i arrives from
 * the virtual address. So the session layer needs no change.
 *
 * <p>Bounded: at most {@value #MAX_SOCKETS} extra sockets of running attempts and {@value #MAX_KEPT} kept
 * ones open at once; one thread (a selector)
 * receives on all of them. A socket accepts datagrams from its peer's address only (a stranger's are
 * dropped unread by anything). A socket kept for a session ({@link SocketSet#keep}) is closed once
 * nothing arrived on it for the idle time (its session and kept-open path are then gone too); every
 * other one is closed when its set is.
 */
public final class BirthdayLink implements DatagramLink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BirthdayLink.class);
    /** Extra sockets of running attempts open at once, at most (Tailscale and HyperDHT use 256 too). */
    public static final int MAX_SOCKETS = 256;
    /**
     * Kept sockets (each a session's or kept-open path's) at most, besides those: keeping one more closes
     * the one heard from least recently.
     */
    public static final int MAX_KEPT = 64;
    /** A kept socket with nothing received for this long is closed (the kept-open path's silence limit). */
    public static final Duration KEPT_IDLE = Duration.ofSeconds(60);
    /**
     * Until its peer was heard, a socket sends at most once per this time (the NAT mapping's refresh:
     * well inside Linux conntrack's 30 s), however often the session layer resends.
     */
    static final long UNHEARD_REFRESH_NANOS = 10_000_000_000L;
    /**
     * A kept socket's buffers, as asked for the DHT socket's (the kernel caps them at its maxima): it
     * carries a whole session now, whose bursts would overflow the 208 KiB default and count as loss.
     */
    static final int KEPT_BUFFER_BYTES = 4 << 20;

    private final DatagramLink inner;
    private final long keptIdleNanos;
    private final Map<InetSocketAddress, Extra> byVirtual = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Extra> toRegister = new ConcurrentLinkedQueue<>();
    private volatile DatagramFilter receiver;
    private volatile boolean closed;
    private Selector selector; // guarded by this
    private Thread thread; // guarded by this

    private static final class Extra {
        final DatagramChannel channel;
        final InetSocketAddress peer;
        final InetSocketAddress virtual;
        volatile boolean kept;
        volatile long lastHeard;
        volatile boolean heard; // the peer's datagram arrived here: its NAT lets us through
        volatile byte[] latest; // the newest datagram the session sent while unheard
        volatile long lastSent;
        volatile boolean sentOnce;

        Extra(DatagramChannel channel, InetSocketAddress peer, InetSocketAddress virtual, long now) {
            this.channel = channel;
            this.peer = peer;
            this.virtual = virtual;
            this.lastHeard = now;
        }
    }

    private BirthdayLink(DatagramLink inner, Duration keptIdle) {
        this.inner = inner;
        this.keptIdleNanos = keptIdle.toNanos();
        inner.setReceiver((b, len, from) -> {
            DatagramFilter r = receiver;
            return r != null && r.claim(b, len, from);
        });
    }

    /**
     * Wraps {@code inner}; from now on this link installs the only receiver on it.
     *
     * @param inner the socket (e.g. the DHT node's, or a {@code RelayLink} on it)
     * @return the link
     */
    public static BirthdayLink over(DatagramLink inner) {
        return new BirthdayLink(inner, KEPT_IDLE);
    }

    /**
     * {@link #over(DatagramLink)} with another idle time for kept sockets (tests).
     *
     * @param inner the socket
     * @param keptIdle a kept socket with nothing received for this long is closed
     * @return the link
     */
    public static BirthdayLink over(DatagramLink inner, Duration keptIdle) {
        return new BirthdayLink(inner, keptIdle);
    }

    /** {@return the wrapped link's address (the extra sockets have their own ports)} */
    @Override
    public InetSocketAddress localAddress() {
        return inner.localAddress();
    }

    /**
     * Opens {@code count} extra sockets (wildcard address, ports the system picks), each towards
     * {@code peer}.
     *
     * @param peer the only address the sockets send to and accept datagrams from
     * @param count 1..{@value #MAX_SOCKETS}, and no more than are still free
     * @return the set; close it (try-with-resources) unless one socket is kept
     * @throws IOException if a socket cannot be opened (those already opened are closed)
     */
    public SocketSet open(InetSocketAddress peer, int count) throws IOException {
        if (count < 1 || count > MAX_SOCKETS) {
            throw new IllegalArgumentException("1.." + MAX_SOCKETS + " extra sockets, not " + count);
        }
        List<Extra> opened = new ArrayList<>(count);
        synchronized (this) {
            if (closed) {
                throw new IOException("the birthday link is closed");
            }
            long attempting = byVirtual.values().stream().filter(x -> !x.kept).count(); // kept ones do not count
            if (attempting + count > MAX_SOCKETS) {
                throw new IOException("at most " + MAX_SOCKETS + " extra sockets of attempts at once; " + attempting + " are open");
            }
            startSelector();
            try {
                StandardProtocolFamily family = peer.getAddress() instanceof Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
                for (int i = 0; i < count; i++) {
                    DatagramChannel ch = DatagramChannel.open(family);
                    try {
                        ch.configureBlocking(false);
                        ch.bind(null);
                    } catch (IOException | RuntimeException e) {
                        ch.close();
                        throw e;
                    }
                    Extra x = new Extra(ch, peer, VirtualAddresses.next(), System.nanoTime());
                    opened.add(x);
                    byVirtual.put(x.virtual, x);
                }
            } catch (IOException | RuntimeException e) {
                opened.forEach(this::closeOne);
                throw e;
            }
            toRegister.addAll(opened);
        }
        selector.wakeup();
        return new SocketSet(opened.stream().map(x -> x.virtual).toList());
    }

    /**
     * The extra sockets of one attempt. {@link #keep} one for the session that won, {@link #close}
     * the rest.
     */
    public final class SocketSet implements AutoCloseable {
        private final List<InetSocketAddress> addresses;

        private SocketSet(List<InetSocketAddress> addresses) {
            this.addresses = addresses;
        }

        /** {@return the virtual addresses, one per socket (connect to these)} */
        public List<InetSocketAddress> addresses() {
            return addresses;
        }

        /**
         * Keeps {@code winner}'s socket open (until idle, see {@link BirthdayLink}) and closes every other
         * socket of this set at once.
         *
         * @param winner one of {@link #addresses()}
         */
        public void keep(InetSocketAddress winner) {
            Extra x = byVirtual.get(winner);
            if (x != null && addresses.contains(winner)) {
                x.lastHeard = System.nanoTime();
                makeRoomToKeep();
                x.kept = true;
                widen(x.channel);
            }
            close();
        }

        /** Closes every socket of this set that was not kept. */
        @Override
        public void close() {
            for (InetSocketAddress a : addresses) {
                Extra x = byVirtual.get(a);
                if (x != null && !x.kept) {
                    closeOne(x);
                }
            }
        }
    }

    /** At most {@link #MAX_KEPT} kept sockets: before one more is kept, the least recently heard goes. */
    private synchronized void makeRoomToKeep() {
        List<Extra> kept = byVirtual.values().stream().filter(x -> x.kept).toList();
        if (kept.size() >= MAX_KEPT) {
            kept.stream().min(java.util.Comparator.comparingLong(x -> x.lastHeard)).ifPresent(this::closeOne);
        }
    }

    /**
     * {@return whether {@code address} stands for one of our open extra sockets}
     *
     * @param address any address
     */
    public boolean isExtraSocket(InetSocketAddress address) {
        return byVirtual.containsKey(address);
    }

    /**
     * {@return the local port an open extra socket is bound to (what its NAT mapping starts from)}
     *
     * @param virtual a virtual address of an open socket
     */
    public Optional<Integer> localPort(InetSocketAddress virtual) {
        Extra x = byVirtual.get(virtual);
        try {
            return x == null ? Optional.empty() : Optional.of(((InetSocketAddress) x.channel.getLocalAddress()).getPort());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * {@return the receive buffer of an open extra socket, in bytes, as the kernel reports it}
     *
     * @param virtual a virtual address of an open socket
     */
    public Optional<Integer> receiveBuffer(InetSocketAddress virtual) {
        Extra x = byVirtual.get(virtual);
        try {
            return x == null ? Optional.empty() : Optional.of(x.channel.getOption(StandardSocketOptions.SO_RCVBUF));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void widen(DatagramChannel ch) {
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, KEPT_BUFFER_BYTES);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, KEPT_BUFFER_BYTES);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot widen a kept socket's buffers: {}", e.toString()); // it works, with more loss under bursts
        }
    }

    /**
     * Closes a kept socket now (its session ended and its kept-open path was forgotten), instead of
     * waiting for it to go idle. Nothing happens for an address that is not an open extra socket.
     *
     * @param virtual the session's remote address
     */
    public void release(InetSocketAddress virtual) {
        Extra x = byVirtual.get(virtual);
        if (x != null) {
            closeOne(x);
        }
    }

    /** {@return the virtual addresses of the extra sockets open now} */
    public List<InetSocketAddress> openAddresses() {
        return List.copyOf(byVirtual.keySet());
    }

    /** {@return the number of extra sockets open now} */
    public int openSockets() {
        return byVirtual.size();
    }

    @Override
    public void send(byte[] datagram, InetSocketAddress to) {
        Extra x = byVirtual.get(to);
        if (x == null) {
            // not ours (a relay route's virtual address, a real peer), or a socket closed since: the
            // inner link sends it or drops it (a closed socket's address is in the discard prefix)
            inner.send(datagram, to);
            return;
        }
        if (!x.heard) {
            // Unheard, the peer's NAT drops what we send: one datagram opens (and later refreshes) our
            // mapping; the newest goes out again the moment the peer's probe shows its NAT is open.
            x.latest = datagram;
            long now = System.nanoTime();
            if (x.sentOnce && now - x.lastSent < UNHEARD_REFRESH_NANOS) {
                return;
            }
            x.sentOnce = true;
            x.lastSent = now;
        }
        transmit(x, datagram);
    }

    private static void transmit(Extra x, byte[] datagram) {
        try {
            x.channel.send(ByteBuffer.wrap(datagram), x.peer); // a full buffer drops it, like the network
        } catch (IOException | RuntimeException e) {
            LOG.debug("send from an extra socket failed: {}", e.toString());
        }
    }


    @Override
    public void setReceiver(DatagramFilter receiver) {
        this.receiver = receiver;
    }

    /** Closes every extra socket and the receiving thread (the wrapped link stays open). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        List.copyOf(byVirtual.values()).forEach(this::closeOne);
        inner.setReceiver(null);
        if (t != null) {
            selector.wakeup();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeOne(Extra x) {
        byVirtual.remove(x.virtual);
        try {
            x.channel.close();
        } catch (IOException e) {
            LOG.debug("closing an extra socket", e);
        }
    }

    // ---- the receiving thread

    private void startSelector() throws IOException {
        if (thread != null) {
            return;
        }
        selector = Selector.open();
        thread = new Thread(this::receiveLoop, "birthday-link");
        thread.setDaemon(true);
        thread.start();
    }

    private void receiveLoop() {
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        try (Selector s = selector) {
            while (!closed) {
                s.select(1_000);
                Extra x;
                while ((x = toRegister.poll()) != null) {
                    try {
                        x.channel.register(s, SelectionKey.OP_READ, x);
                    } catch (ClosedChannelException e) {
                        // closed before it was registered: nothing to receive
                    }
                }
                for (SelectionKey key : s.selectedKeys()) {
                    receive((Extra) key.attachment(), buf);
                }
                s.selectedKeys().clear();
                closeIdle(System.nanoTime());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("birthday link receiver stopped", e);
        }
    }

    private void receive(Extra x, ByteBuffer buf) {
        try {
            for (int i = 0; i < 64; i++) { // a bounded turn per socket, then the others' turn
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) x.channel.receive(buf);
                if (from == null) {
                    return;
                }
                if (!from.equals(x.peer)) {
                    continue; // only the peer may use this socket: a stranger's datagram is dropped unread
                }
                x.lastHeard = System.nanoTime();
                if (!x.heard) {
                    x.heard = true;
                    byte[] pending = x.latest;
                    x.latest = null;
                    if (pending != null) {
                        transmit(x, pending); // the probe opened the peer's NAT: the initiation now gets through
                    }
                }
                DatagramFilter r = receiver;
                if (r != null) {
                    r.claim(Arrays.copyOf(buf.array(), buf.position()), buf.position(), x.virtual);
                }
            }
        } catch (ClosedChannelException e) {
            // closed meanwhile (its set was decided)
        } catch (IOException | RuntimeException e) {
            LOG.debug("receive on an extra socket failed: {}", e.toString());
        }
    }

    private void closeIdle(long now) {
        for (Extra x : byVirtual.values()) {
            if (x.kept && now - x.lastHeard > keptIdleNanos) {
                closeOne(x);
            }
        }
    }
}
