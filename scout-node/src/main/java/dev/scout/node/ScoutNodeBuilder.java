package dev.scout.node;

import dev.scout.node.loops.AppLoops;
import dev.scout.node.threads.DaemonThreads;
import dev.scout.dht.DhtConfig;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.ScoutException;
import dev.scout.dht.udp.DualStackNode;
import dev.scout.dht.udp.LoopbackTestnet;
import dev.scout.node.nat.PrivateNetwork;
import dev.scout.session.NatType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * How to start a {@link ScoutNode}; every setting has a default. Get one from {@link ScoutNode#builder()}.
 *
 * <ul>
 * <li>the identity: a new one, or {@link #identity}, or the one of the {@link #store};</li>
 * <li>the store: an {@link InMemoryStore}, or {@link #store} (e.g. {@code dev.scout.sqlite.StateStore});</li>
 * <li>the DHT: the public Mainline DHT on a free port of each family, or {@link #dht}, {@link #testnet}
 * or an already started node ({@link #node});</li>
 * <li>the loops: contacts polled every 15 min (push wake-ups bring news at once), records re-stored every
 * hour, both spread evenly over the interval.</li>
 * </ul>
 */
public final class ScoutNodeBuilder {
    private Ed25519KeyPair identity;
    private NodeStore store;
    private DhtConfig v4 = DhtConfig.builder().bindAddress(new InetSocketAddress(0)).build();
    private DhtConfig v6 = DhtConfig.builder().bindAddress(new InetSocketAddress(anyIpv6(), 0)).build();
    private DualStackNode node;
    private Executor listenerExecutor;
    /**
     * The safety-net poll: push wake-ups bring news at once, so polling only catches what a poke could
     * not bring. 15 min keeps a 100-contact daemon at one record read every 9 s (docs/benchmarks.md, "idle").
     */
    static final long DEFAULT_POLL_MILLIS = AppLoops.DEFAULT_POLL_MILLIS;
    static final long DEFAULT_REPUBLISH_MILLIS = AppLoops.DEFAULT_REPUBLISH_MILLIS;
    private long pollMillis = DEFAULT_POLL_MILLIS;
    private long republishMillis = DEFAULT_REPUBLISH_MILLIS;
    private long probeWindowMillis = 600_000;
    private boolean portMapping = true;
    private long reprobeMillis = 3_600_000;
    private RelayOptions relay = RelayOptions.CLIENT;
    private NatType assumedNat;

    ScoutNodeBuilder() {
    }

    /**
     * Uses this identity (with an {@link InMemoryStore} unless a store is given).
     *
     * @param identity the identity
     * @return this builder
     */
    public ScoutNodeBuilder identity(Ed25519KeyPair identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
        return this;
    }

    /**
     * Keeps contacts, records and messages in {@code store}; the identity is the store's.
     *
     * @param store the store
     * @return this builder
     */
    public ScoutNodeBuilder store(NodeStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * Runs the DHT node with this configuration (IPv4 only, or IPv6 only if it binds an IPv6 address).
     *
     * @param config the node's configuration
     * @return this builder
     */
    public ScoutNodeBuilder dht(DhtConfig config) {
        boolean ipv6 = config.bindAddress().getAddress() instanceof java.net.Inet6Address;
        this.v4 = ipv6 ? null : config;
        this.v6 = ipv6 ? config : null;
        this.node = null;
        return this;
    }

    /**
     * Runs the DHT node on {@code testnet} (127.0.0.1, a free port, the testnet's short timeouts).
     *
     * @param testnet a loopback testnet
     * @return this builder
     */
    public ScoutNodeBuilder testnet(LoopbackTestnet testnet) {
        return dht(testnet.nodeConfig().build());
    }

    /**
     * Uses a DHT node already started; the ScoutNode owns it from then on and closes it.
     *
     * @param node the running node
     * @return this builder
     */
    public ScoutNodeBuilder node(DualStackNode node) {
        this.node = Objects.requireNonNull(node, "node");
        return this;
    }

    /**
     * Runs listeners on {@code executor} (default: one thread of the node's, so they run one at a time
     * and in order).
     *
     * @param executor the executor
     * @return this builder
     */
    public ScoutNodeBuilder listenerExecutor(Executor executor) {
        this.listenerExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * How often every contact is checked for new messages (default 15 min, at least 1 s): the safety net
     * behind push wake-ups, one contact at a time, spread over the interval.
     *
     * @param interval the interval
     * @return this builder
     */
    public ScoutNodeBuilder pollInterval(Duration interval) {
        this.pollMillis = atLeast(interval, 1_000, "poll interval");
        return this;
    }

    /**
     * How often records and unread messages are re-stored (default 1 h, at least 10 s; DHT data lives ~2 h).
     *
     * @param interval the interval
     * @return this builder
     */
    public ScoutNodeBuilder republishInterval(Duration interval) {
        this.republishMillis = atLeast(interval, 10_000, "republish interval");
        return this;
    }

    /**
     * No longer used: contacts' records are not read for connect intents any more (a contact's relay
     * carries the initiation; intents, the fallback, are seen in the records the message poll reads).
     * Kept so that existing callers compile; the interval is checked and ignored.
     *
     * @param interval ignored (at least 100 ms)
     * @return this builder
     */
    public ScoutNodeBuilder sessionPollInterval(Duration interval) {
        atLeast(interval, 100, "session poll interval");
        return this;
    }

    /**
     * Reachability: a window this long with no unsolicited query means unreachable (default 10 min), and
     * an unreachable node looks again every {@code reprobe} (default 1 h).
     *
     * @param window  the probe window, at least 1 s
     * @param reprobe the re-probe interval, at least 1 s
     * @return this builder
     */
    public ScoutNodeBuilder probing(Duration window, Duration reprobe) {
        this.probeWindowMillis = atLeast(window, 1_000, "probe window");
        this.reprobeMillis = atLeast(reprobe, 1_000, "re-probe interval");
        return this;
    }

    /**
     * Relaying: when to relay for others, a pinned relay, whether to find a home relay on the DHT behind a
     * NAT (default {@link RelayOptions#CLIENT}: find a home relay behind a NAT, never relay for others; the
     * daemon uses {@link RelayOptions#DEFAULT}, which also relays while publicly reachable).
     *
     * @param relay the relay settings
     * @return this builder
     */
    public ScoutNodeBuilder relay(RelayOptions relay) {
        this.relay = Objects.requireNonNull(relay, "relay");
        return this;
    }

    /**
     * Port mapping (docs/operations.md): whether to ask the home router, by PCP, NAT-PMP or UPnP IGD, to
     * map the IPv4 DHT socket's UDP port and publish the mapped address first (default on; never for a
     * node on a loopback network).
     *
     * @param enabled false to leave the router alone ({@code scout daemon --no-port-mapping})
     * @return this builder
     */
    public ScoutNodeBuilder portMapping(boolean enabled) {
        this.portMapping = enabled;
        return this;
    }

    /**
     * Acts as if behind this NAT instead of the measured one (tests).
     *
     * @param nat the NAT type to assume
     * @return this builder
     */
    public ScoutNodeBuilder assumeNat(NatType nat) {
        this.assumedNat = Objects.requireNonNull(nat, "nat");
        return this;
    }

    /**
     * Starts the node: binds its sockets, joins the DHT in the background and starts its loops.
     *
     * @return the running node
     * @throws UncheckedIOException if a socket cannot be bound
     */
    public ScoutNode start() {
        NodeStore s = store != null ? store : new InMemoryStore(identity != null ? identity : Ed25519KeyPair.generate());
        if (store != null && identity != null && !store.requireIdentity().publicKey().equals(identity.publicKey())) {
            throw new ScoutException("the identity given is not the store's");
        }
        DualStackNode dht = node != null ? node : startDht();
        try {
            return new ScoutNode(this, s, dht);
        } catch (RuntimeException e) {
            dht.close();
            throw e;
        }
    }

    private DualStackNode startDht() {
        // Behind a NAT almost surely: the IPv4 node starts read-only (see PrivateNetwork).
        DhtConfig four = v4 == null ? null : v4.toBuilder().readOnly(v4.readOnly() || PrivateNetwork.behindNat(v4.bootstrap())).build();
        try {
            return DualStackNode.start(four, v6);
        } catch (IOException | RuntimeException e) {
            if (four == null || v6 == null) {
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
            try {
                return DualStackNode.start(four, null); // a host without IPv6 runs IPv4 only
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        }
    }

    /**
     * Whether a node bootstrapping from {@code bootstrap} should start its IPv4 node read-only (BEP 43):
     * every IPv4 address of this host is private while a bootstrap node is public, so it sits behind a
     * NAT almost surely (what {@link #start()} does for the node it starts; for a node given with
     * {@link #node}, its maker decides).
     *
     * @param bootstrap the bootstrap nodes, {@code host:port}
     * @return whether to start read-only
     */
    public static boolean startsReadOnly(java.util.List<String> bootstrap) {
        return PrivateNetwork.behindNat(bootstrap);
    }

    private static InetAddress anyIpv6() {
        try {
            return InetAddress.getByName("::");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long atLeast(Duration d, long millis, String what) {
        if (d.toMillis() < millis) {
            throw new IllegalArgumentException("the " + what + " must be at least " + millis + " ms, not " + d.toMillis());
        }
        return d.toMillis();
    }

    Executor listenerExecutor() {
        if (listenerExecutor == null) {
            listenerExecutor = DaemonThreads.serial("scout-node-listeners");
        }
        return listenerExecutor;
    }

    long pollMillis() {
        return pollMillis;
    }

    long republishMillis() {
        return republishMillis;
    }


    long probeWindowMillis() {
        return probeWindowMillis;
    }

    long reprobeMillis() {
        return reprobeMillis;
    }

    RelayOptions relay() {
        return relay;
    }

    boolean portMapping() {
        return portMapping;
    }

    Optional<NatType> assumedNat() {
        return Optional.ofNullable(assumedNat);
    }
}
