package dev.scout.node.nat;

import dev.scout.dht.Reachability;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.udp.DualStackNode;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A node's view of its own reachability and NAT, per address family (docs/operations.md): each family's
 * {@link DhtNode} has its own {@link NatMonitor}, runs read-only while that family is unreachable (an
 * IPv6 firewall blocks strangers as surely as an IPv4 NAT), and publishes its external address unless
 * that family sits behind a symmetric NAT. The first family is IPv4 when present.
 */
public final class NatAwareness {
    private final DualStackNode node;
    /** One monitor per family node, IPv4 first. */
    private final Map<DhtNode, NatMonitor> monitors = new LinkedHashMap<>();
    /** Whether the router maps the IPv4 DHT port (PCP, NAT-PMP or UPnP IGD): then strangers reach us. */
    private final BooleanSupplier ipv4Mapped;

    /**
     * {@return whether {@code dht}'s IPv4 node is read-only (BEP 43), asked for at most 5 s; false when it
     * does not say or there is none}
     */
    public static boolean ipv4ReadOnly(DualStackNode dht) {
        return dht.ipv4().map(n -> {
            try {
                return n.reachability().get(5, TimeUnit.SECONDS).readOnly();
            } catch (Exception e) {
                return false;
            }
        }).orElse(false);
    }

    /** @param ipv4ReadOnly the IPv4 node started read-only ({@link PrivateNetwork}); its monitor keeps it so */
    public NatAwareness(DualStackNode node, long probeWindowMillis, long reprobeMillis, boolean ipv4ReadOnly) {
        this(node, probeWindowMillis, reprobeMillis, ipv4ReadOnly, () -> false);
    }

    /**
     * @param ipv4ReadOnly the IPv4 node started read-only ({@link PrivateNetwork}); its monitor keeps it so
     * @param ipv4Mapped   whether the router maps the IPv4 DHT port now: a mapped node is reachable and
     *                     serves the DHT normally, whatever the votes say (docs/operations.md, "Port mapping")
     */
    public NatAwareness(DualStackNode node, long probeWindowMillis, long reprobeMillis, boolean ipv4ReadOnly,
                        BooleanSupplier ipv4Mapped) {
        this.node = node;
        this.ipv4Mapped = ipv4Mapped;
        for (DhtNode n : node.families()) {
            monitors.put(n, new NatMonitor(probeWindowMillis, reprobeMillis, ipv4ReadOnly && !isIpv6(n)));
        }
    }

    /** One family's verdicts: {@code reachability} is unknown, reachable or unreachable; {@code nat} unknown, none, cone or symmetric. */
    public record Verdict(String reachability, String nat) {
    }

    /**
     * Looks at each family's reachability: switches that family read-only while unreachable (and back).
     * Returns a line describing the verdicts when one changed, else null.
     */
    public synchronized String check() {
        String before = verdicts();
        Set<InetAddress> local = localAddresses();
        for (Map.Entry<DhtNode, NatMonitor> e : monitors.entrySet()) {
            DhtNode n = e.getKey();
            try {
                Reachability r = n.reachability().get(5, TimeUnit.SECONDS);
                int table = n.stats().get(5, TimeUnit.SECONDS).routingTableSize();
                boolean readOnly = e.getValue().update(System.currentTimeMillis(), r, table, n.localAddress().getPort(), local)
                        && !(ipv4Mapped.getAsBoolean() && !isIpv6(n));
                if (readOnly != r.readOnly()) {
                    n.setReadOnly(readOnly).get(5, TimeUnit.SECONDS);
                }
            } catch (Exception ex) {
                // the node is busy or closing: look again at the next check
            }
        }
        if (verdicts().equals(before)) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<DhtNode, NatMonitor> e : monitors.entrySet()) {
            NatMonitor nat = e.getValue();
            String family = monitors.size() > 1 ? (isIpv6(e.getKey()) ? "IPv6 " : "IPv4 ") : "";
            String reach = reachability(e.getKey(), nat);
            parts.add(family + "reachability: " + reach + (reach.equals(NatMonitor.UNREACHABLE)
                    ? " (no stranger reached us in a whole probe window; running read-only)" : "")
                    + ", NAT: " + nat.nat() + (nat.publishExternal() ? "" : " (its external port is not published)"));
        }
        return String.join("; ", parts);
    }

    /** Forgets every family's verdicts (the network changed); the next {@link #check()} learns them afresh. */
    public synchronized void relearn() {
        monitors.values().forEach(NatMonitor::reset);
    }

    private String verdicts() {
        StringBuilder b = new StringBuilder();
        monitors.forEach((n, m) -> b.append(reachability(n, m)).append('/').append(m.nat()).append(' '));
        return b.toString();
    }

    /** The monitor's verdict, or reachable while the router maps the IPv4 port. */
    private String reachability(DhtNode n, NatMonitor m) {
        return !isIpv6(n) && ipv4Mapped.getAsBoolean() ? NatMonitor.REACHABLE : m.reachability();
    }

    /** Whether that family's external address is worth publishing (not behind a symmetric NAT). */
    public synchronized boolean publishExternal(boolean ipv6) {
        return monitor(ipv6).map(NatMonitor::publishExternal).orElse(true);
    }

    /** {@return the first family's verdicts (IPv4 when present): the family direct sessions punch through} */
    public synchronized Verdict first() {
        Map.Entry<DhtNode, NatMonitor> e = monitors.entrySet().iterator().next();
        return new Verdict(reachability(e.getKey(), e.getValue()), e.getValue().nat());
    }

    /** {@return the IPv6 family's verdicts when the node runs both families} */
    public synchronized Optional<Verdict> secondIpv6() {
        return (monitors.size() > 1 ? monitor(true) : Optional.<NatMonitor>empty())
                .map(m -> new Verdict(m.reachability(), m.nat()));
    }

    private Optional<NatMonitor> monitor(boolean ipv6) {
        return monitors.entrySet().stream().filter(e -> isIpv6(e.getKey()) == ipv6).map(Map.Entry::getValue).findFirst();
    }

    private static boolean isIpv6(DhtNode n) {
        return n.localAddress().getAddress() instanceof Inet6Address;
    }

    /** This host's interface addresses (none if they cannot be listed). */
    public static Set<InetAddress> localAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(nif.getInetAddresses()));
            }
        } catch (SocketException e) {
            // none listed
        }
        return out;
    }

    @Override
    public String toString() {
        return "NatAwareness[" + node.localAddresses() + "]";
    }
}
