package dev.scout.dht.transport;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.node.NodeCore;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * An in-memory network of {@link NodeCore}s with virtual time: datagrams are delivered after a delay
 * drawn from a {@link LinkModel}, timers fire when virtual time reaches them, and nothing depends on the
 * wall clock, so a run is reproducible from its seed. Thousands of nodes fit in one JVM.
 *
 * <pre>{@code
 * SimNetwork net = new SimNetwork(42, LinkModel.uniform(10, 40));
 * for (int i = 0; i < 500; i++) net.addNode(DhtConfig.builder().build());
 * net.bootstrapAll();
 * var future = net.node(3).startLookup(new FindNodeLookup(net.node(3), target)).future();
 * net.runUntil(future::isDone, 60_000);
 * }</pre>
 */
public final class SimNetwork {
    private final Random random;
    private final LinkModel links;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<InetSocketAddress, Integer> byAddress = new HashMap<>();
    private long now;
    private long sequence;
    private long delivered;
    private long dropped;

    private record Event(long time, long order, int node, byte[] data, InetSocketAddress from, Runnable action)
            implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(order, o.order);
        }

        boolean isWake() {
            return data == null && action == null;
        }
    }

    private static final class SimNode {
        NodeCore core;
        InetSocketAddress address;
        long wakeAt = Long.MAX_VALUE;
        boolean online = true;
    }

    public SimNetwork(long seed, LinkModel links) {
        this.random = new Random(seed);
        this.links = links;
    }

    /** Adds a node with a random id; returns its index. */
    public int addNode(DhtConfig config) {
        return addNode(NodeId.random(random), config);
    }

    public int addNode(NodeId id, DhtConfig config) {
        return addNode(id, config, null);
    }

    /** As {@link #addNode(NodeId, DhtConfig)} with a custom item store (null = the default in-memory one). */
    public int addNode(NodeId id, DhtConfig config, dev.scout.dht.storage.ItemStore store) {
        int index = nodes.size();
        SimNode n = new SimNode();
        n.address = config.bindAddress() != null && config.bindAddress().getAddress() instanceof java.net.Inet6Address
                ? ipv6AddressOf(index) : addressOf(index);
        n.core = new NodeCore(id, config, () -> now, new Random(random.nextLong()),
                (data, to) -> send(index, data, to), store);
        nodes.add(n);
        byAddress.put(n.address, index);
        n.core.start();
        reschedule(index);
        return index;
    }

    /**
     * The node at {@code index} restarts under a new id at the same address, with an empty routing table
     * and store (libtorrent picks a new id after start-up; other nodes' tables still list the old one).
     * Bootstrap it afterwards like any new node.
     */
    public void restartWithNewId(int index, NodeId id, DhtConfig config) {
        SimNode n = nodes.get(index);
        n.core = new NodeCore(id, config, () -> now, new Random(random.nextLong()),
                (data, to) -> send(index, data, to));
        n.wakeAt = Long.MAX_VALUE;
        n.core.start();
        reschedule(index);
    }

    /** Simulated addresses live in 127.0.0.0/8 so nothing could ever route them off this machine. */
    private static InetSocketAddress addressOf(int index) {
        int host = index + 1;
        try {
            InetAddress ip = InetAddress.getByAddress(new byte[] {127, (byte) (host >>> 16), (byte) (host >>> 8), (byte) host});
            return new InetSocketAddress(ip, 6881);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * IPv6 nodes (a config binding an IPv6 address) live in fd00:5c::/64, unique-local space that is never
     * routed off a site (and exempt from BEP 42 checks, like the IPv4 loopback addresses).
     */
    private static InetSocketAddress ipv6AddressOf(int index) {
        int host = index + 1;
        byte[] ip = new byte[16];
        ip[0] = (byte) 0xfd;
        ip[2] = 0x5c;
        ip[13] = (byte) (host >>> 16);
        ip[14] = (byte) (host >>> 8);
        ip[15] = (byte) host;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 6881);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes nodes {@code ipv4} and {@code ipv6} one dual-stack node (BEP 32), as {@code DualStackNode}
     * does on UDP: each answers {@code want} for the other family from the other's table and hands it
     * the other family's contacts it hears of.
     */
    public void pairFamilies(int ipv4, int ipv6) {
        nodes.get(ipv4).core.sibling(new SimSibling(ipv6));
        nodes.get(ipv6).core.sibling(new SimSibling(ipv4));
    }

    /** The other family's core, read directly: every simulated core runs on this one thread. */
    private final class SimSibling implements dev.scout.dht.node.FamilyPolicy.Sibling {
        private final int other;

        SimSibling(int other) {
            this.other = other;
        }

        @Override
        public List<dev.scout.dht.NodeInfo> closest(dev.scout.dht.NodeId target, int count) {
            NodeCore core = nodes.get(other).core;
            return core.routingTable().closest(target, count, now);
        }

        @Override
        public boolean wantsContacts() {
            return nodes.get(other).core.routingTable().size() < 16;
        }

        @Override
        public void learned(List<dev.scout.dht.NodeInfo> contacts) {
            List<dev.scout.dht.NodeInfo> copy = List.copyOf(contacts.subList(0, Math.min(8, contacts.size())));
            schedule(0, () -> onNode(other, core -> {
                for (dev.scout.dht.NodeInfo n : copy) {
                    if (core.routingTable().size() < 16 && core.routingTable().entry(n.id()).isEmpty()) {
                        new dev.scout.dht.node.DhtOperations(core).ping(n.address());
                    }
                }
                return null;
            }));
        }
    }

    private void send(int from, byte[] data, InetSocketAddress to) {
        Integer target = byAddress.get(to);
        if (target != null && (to.getAddress() instanceof java.net.Inet6Address)
                != (nodes.get(from).address.getAddress() instanceof java.net.Inet6Address)) {
            target = null; // a socket of one family cannot send to the other
        }
        long delay = target == null ? -1 : links.delayMillis(from, target, random);
        if (delay < 0) {
            dropped++;
            return;
        }
        events.add(new Event(now + delay, sequence++, target, data, nodes.get(from).address, null));
    }

    private void reschedule(int index) {
        SimNode n = nodes.get(index);
        long deadline = n.core.nextDeadline();
        if (deadline < n.wakeAt) {
            n.wakeAt = deadline;
            events.add(new Event(Math.max(deadline, now), sequence++, index, null, null, null));
        }
    }

    /** Processes the next event; false when nothing is left to do. */
    private boolean step(long until) {
        Event e = events.peek();
        if (e == null || e.time > until) {
            return false;
        }
        events.poll();
        now = Math.max(now, e.time);
        if (e.action != null) {
            e.action.run();
            return true;
        }
        SimNode n = nodes.get(e.node);
        if (e.isWake()) {
            if (e.time != n.wakeAt) {
                return true; // superseded by an earlier wake-up
            }
            n.wakeAt = Long.MAX_VALUE;
            n.core.tick();
        } else if (n.online) {
            delivered++;
            n.core.handleDatagram(e.data, e.data.length, e.from);
        } else {
            dropped++;
        }
        reschedule(e.node);
        return true;
    }

    /** Runs until {@code condition} holds or {@code maxMillis} of virtual time pass; returns the condition. */
    public boolean runUntil(BooleanSupplier condition, long maxMillis) {
        long deadline = now + maxMillis;
        while (!condition.getAsBoolean()) {
            if (!step(deadline)) {
                now = Math.max(now, Math.min(deadline, nextEventTime()));
                if (now >= deadline || events.isEmpty()) {
                    return condition.getAsBoolean();
                }
            }
        }
        return true;
    }

    /**
     * Joins every node as a real network grows: node {@code i} bootstraps through node 0 and one random
     * earlier node; then every node looks up its own id once more so early joiners learn of later ones.
     *
     * @throws IllegalStateException if a bootstrap does not finish within the virtual time allowed
     */
    public void bootstrapAll() {
        for (int i = 1; i < nodes.size(); i++) {
            int via = random.nextInt(i);
            List<InetSocketAddress> routers = List.of(address(0), address(via));
            java.util.concurrent.CompletableFuture<?> f = onNode(i, n -> n.bootstrap(routers).future());
            if (!runUntil(f::isDone, 120_000)) {
                throw new IllegalStateException("bootstrap of node " + i + " did not finish");
            }
        }
        List<java.util.concurrent.CompletableFuture<?>> again = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            again.add(onNode(i, n -> n.bootstrap(List.of()).future()));
        }
        if (!runUntil(() -> again.stream().allMatch(java.util.concurrent.CompletableFuture::isDone), 600_000)) {
            throw new IllegalStateException("refresh after bootstrap did not finish");
        }
    }

    /**
     * Runs {@code action} on the simulation's thread once {@code delayMillis} of virtual time have
     * passed: the simulated counterpart of a scheduled executor (e.g. retry back-off).
     */
    public void schedule(long delayMillis, Runnable action) {
        events.add(new Event(now + Math.max(0, delayMillis), sequence++, -1, null, null, action));
    }

    /** Runs for {@code millis} of virtual time. */
    public void runFor(long millis) {
        long deadline = now + millis;
        while (step(deadline)) {
            // keep going
        }
        now = deadline;
    }

    private long nextEventTime() {
        Event e = events.peek();
        return e == null ? Long.MAX_VALUE : e.time;
    }

    /**
     * Work on a node's loop from outside (start a lookup, read state), then let the network react.
     * Call between {@code run*} calls, never from inside a callback.
     */
    public <T> T onNode(int index, java.util.function.Function<NodeCore, T> action) {
        T result = action.apply(nodes.get(index).core);
        reschedule(index);
        return result;
    }

    public NodeCore node(int index) {
        return nodes.get(index).core;
    }

    public InetSocketAddress address(int index) {
        return nodes.get(index).address;
    }

    public int size() {
        return nodes.size();
    }

    /** Takes a node off the network (its datagrams are lost) or brings it back. */
    public void setOnline(int index, boolean online) {
        nodes.get(index).online = online;
    }

    public long now() {
        return now;
    }

    public long delivered() {
        return delivered;
    }

    public long dropped() {
        return dropped;
    }

    public Random random() {
        return random;
    }
}
