package dev.scout.node.nat;

import dev.scout.dht.udp.DualStackNode;
import dev.scout.session.ContactAddressPolicy;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the daemon's IPv4 socket almost surely sits behind a NAT before any node told it so: every
 * IPv4 address of this host (loopback aside) is private (RFC 1918 or link-local) while a bootstrap node
 * is public. Such a daemon starts its IPv4 DHT node read-only (BEP 43): a node that other nodes put in
 * their tables during its first minutes would be handed out to other devices behind NATs, whose
 * unsolicited queries take the conntrack tuples that hole punching needs (docs/sessions.md, "Conntrack
 * takes the port"). {@link NatMonitor} re-probes it as a regular node every re-probe interval.
 */
public final class PrivateNetwork {
    private PrivateNetwork() {}

    /** Decides from this host's interface addresses. */
    public static boolean behindNat(List<String> bootstrap) {
        return behindNat(resolve(bootstrap), new ArrayList<>(NatAwareness.localAddresses()));
    }

    static boolean behindNat(List<InetAddress> bootstrap, List<InetAddress> local) {
        boolean publicBootstrap = bootstrap.stream().anyMatch(a -> a instanceof Inet4Address && isPublic(a));
        List<InetAddress> own = local.stream().filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).toList();
        return publicBootstrap && !own.isEmpty() && own.stream().allMatch(a -> a.isSiteLocalAddress() || a.isLinkLocalAddress());
    }

    /**
     * {@return {@link #contactAddressPolicy(List)} for the bootstrap routers of both of {@code dht}'s
     * families: they tell loopback test networks from the Internet}
     */
    public static ContactAddressPolicy contactAddressPolicy(DualStackNode dht) {
        List<String> bootstrap = new ArrayList<>();
        dht.ipv4().ifPresent(n -> bootstrap.addAll(n.config().bootstrap()));
        dht.ipv6().ifPresent(n -> bootstrap.addAll(n.config().bootstrap()));
        return contactAddressPolicy(bootstrap);
    }

    /**
     * Which addresses contacts may make this daemon send to: loopback ones on a loopback test network,
     * private ones when this host is on a private network (a home, the NAT lab), else public ones only.
     */
    public static ContactAddressPolicy contactAddressPolicy(List<String> bootstrap) {
        List<InetAddress> resolved = new ArrayList<>(resolve(bootstrap));
        for (String hostPort : bootstrap) {
            int end = hostPort.indexOf(']');
            if (hostPort.startsWith("[") && end > 0) {
                try {
                    resolved.add(InetAddress.getByName(hostPort.substring(1, end)));
                } catch (UnknownHostException e) {
                    // an IPv6 literal that does not parse: the bootstrap itself will say so
                }
            }
        }
        return ContactAddressPolicy.forHost(NatAwareness.localAddresses(), resolved);
    }

    private static boolean isPublic(InetAddress a) {
        return !a.isLoopbackAddress() && !a.isSiteLocalAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress()
                && !a.isMulticastAddress();
    }

    private static List<InetAddress> resolve(List<String> bootstrap) {
        List<InetAddress> out = new ArrayList<>();
        for (String hostPort : bootstrap) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
            if (host.startsWith("[") && host.endsWith("]")) {
                continue; // IPv6: says nothing about IPv4 NAT
            }
            try {
                out.add(InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                // unresolvable now: the bootstrap itself will say so
            }
        }
        return out;
    }
}
