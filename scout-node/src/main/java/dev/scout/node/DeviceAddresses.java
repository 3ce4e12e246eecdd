package dev.scout.node;

import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.udp.DualStackNode;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The addresses a device publishes in its device entry (docs/app-format.md): each family's external
 * address as other DHT nodes report it, then LAN IPv4 addresses and IPv6 addresses a contact elsewhere
 * could use — global unicast first, then unique-local; never link-local (meaningless off the link and
 * without a zone), loopback or multicast. Each carries the port of its family's DHT socket. A port
 * the home router maps goes before all of them ({@link #mappedFirst}).
 */
public final class DeviceAddresses {
    private DeviceAddresses() {}

    /**
     * {@return the node's addresses with its own ports, external ones included}
     *
     * @param node the node
     */
    public static List<InetSocketAddress> of(DualStackNode node) {
        return of(node, Ports.of(node), true, true);
    }

    /**
     * The addresses with each family's {@code ports} (the daemon's remembered ones for a one-shot node);
     * a family's external address only when its {@code external…} flag is set (not behind a symmetric NAT).
     *
     * @param node      the node
     * @param ports     each family's published port
     * @param external4 whether to publish the IPv4 external address
     * @param external6 whether to publish the IPv6 external address
     * @return the addresses, best first
     */
    public static List<InetSocketAddress> of(DualStackNode node, Ports ports, boolean external4, boolean external6) {
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            Ports own = Ports.of(node);
            for (InetSocketAddress a : node.externalAddresses().get(5, TimeUnit.SECONDS)) {
                boolean v6 = a.getAddress() instanceof Inet6Address;
                int port = v6 ? ports.ipv6() : ports.ipv4();
                if ((v6 ? external6 : external4) && port > 0) {
                    // our own socket: the port the voters saw (a NAT may map it); else the daemon's port
                    boolean ours = port == (v6 ? own.ipv6() : own.ipv4());
                    add(out, ours ? a : new InetSocketAddress(a.getAddress(), port));
                }
            }
        } catch (Exception e) {
            // unknown yet: the interface addresses still help
        }
        int port4 = node.ipv4().isPresent() ? ports.ipv4() : -1;
        int port6 = node.ipv6().isPresent() ? ports.ipv6() : -1;
        List<InetAddress> local = interfaceAddresses();
        for (InetAddress a : local) {
            if (a instanceof Inet4Address && port4 > 0) {
                add(out, new InetSocketAddress(a, port4));
            }
        }
        for (int pass = 0; pass < 2 && port6 > 0; pass++) {
            for (InetAddress a : local) {
                if (a instanceof Inet6Address v6 && usableIpv6(v6) && isUniqueLocal(v6) == (pass == 1)) {
                    add(out, new InetSocketAddress(withoutScope(v6), port6));
                }
            }
        }
        return out;
    }

    /**
     * {@code addresses} with the router's mapped address first (docs/operations.md, "Port mapping"): it
     * needs no punching, so contacts try it before any other.
     *
     * @param mapped    the mapped public address, if the router granted one
     * @param addresses the other addresses, best first
     * @return the addresses, the mapped one first
     */
    public static List<InetSocketAddress> mappedFirst(java.util.Optional<InetSocketAddress> mapped, List<InetSocketAddress> addresses) {
        if (mapped.isEmpty()) {
            return addresses;
        }
        List<InetSocketAddress> out = new ArrayList<>(List.of(mapped.get()));
        addresses.forEach(a -> add(out, a));
        return out;
    }

    /** Global unicast or unique-local: addresses that mean the same thing beyond this link. */
    static boolean usableIpv6(Inet6Address a) {
        return !a.isLinkLocalAddress() && !a.isLoopbackAddress() && !a.isMulticastAddress() && !a.isAnyLocalAddress()
                && !a.isSiteLocalAddress() && !a.isIPv4CompatibleAddress();
    }

    static boolean isUniqueLocal(Inet6Address a) {
        return (a.getAddress()[0] & 0xfe) == 0xfc;
    }

    private static InetAddress withoutScope(Inet6Address a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            return a; // cannot happen for 16 bytes
        }
    }

    private static void add(List<InetSocketAddress> out, InetSocketAddress a) {
        if (!out.contains(a)) {
            out.add(a);
        }
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp() && !nif.isLoopback()) {
                    out.addAll(Collections.list(nif.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            // no interfaces to list
        }
        return out;
    }

    /**
     * The UDP port each family's device addresses carry: the node's own, or the daemon's remembered ones.
     *
     * @param ipv4 the IPv4 port, or -1 for none
     * @param ipv6 the IPv6 port, or -1 for none
     */
    public record Ports(int ipv4, int ipv6) {
        /**
         * {@return the node's own ports}
         *
         * @param node the node
         */
        public static Ports of(DualStackNode node) {
            return new Ports(node.ipv4().map(DhtNode::localAddress).map(InetSocketAddress::getPort).orElse(-1),
                    node.ipv6().map(DhtNode::localAddress).map(InetSocketAddress::getPort).orElse(-1));
        }
    }
}
