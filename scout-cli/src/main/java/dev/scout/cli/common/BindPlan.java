package dev.scout.cli.common;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Which sockets a command's DHT node binds (docs/spec.md §10): an IPv4 one, an IPv6 one, or both. An
 * IPv4-literal bootstrap list needs only IPv4, an IPv6-literal one only IPv6; host names (the public
 * routers, which have A and AAAA records) get both. A loopback-only list binds the loopback addresses,
 * so a test network never listens beyond the machine.
 *
 * @param ipv4 where the IPv4 socket binds, or null for none
 * @param ipv6 where the IPv6 socket binds, or null for none
 */
public record BindPlan(InetSocketAddress ipv4, InetSocketAddress ipv6) {

    public static BindPlan forBootstrap(List<String> bootstrap, int port) {
        return forBootstrap(bootstrap, port, port);
    }

    /** As above with a port per family ({@code port6} for the IPv6 socket). */
    public static BindPlan forBootstrap(List<String> bootstrap, int port, int port6) {
        boolean v4 = bootstrap.isEmpty();
        boolean v6 = bootstrap.isEmpty();
        for (String hostPort : bootstrap) {
            String host = host(hostPort);
            if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                v4 = true;
            } else if (host.contains(":")) {
                v6 = true;
            } else {
                v4 = true;
                v6 = true;
            }
        }
        boolean loopback = !bootstrap.isEmpty() && bootstrap.stream().allMatch(Args::isLoopback);
        return new BindPlan(v4 ? new InetSocketAddress(loopback ? "127.0.0.1" : "0.0.0.0", port) : null,
                v6 ? new InetSocketAddress(loopback ? "::1" : "::", port6) : null);
    }

    /** One socket of {@code peer}'s family (loopback when the peer is). */
    public static BindPlan forPeer(InetSocketAddress peer, int port) {
        boolean loopback = peer.getAddress() != null && peer.getAddress().isLoopbackAddress();
        if (peer.getAddress() instanceof Inet6Address) {
            return new BindPlan(null, new InetSocketAddress(loopback ? "::1" : "::", port));
        }
        return new BindPlan(new InetSocketAddress(loopback ? "127.0.0.1" : "0.0.0.0", port), null);
    }

    public boolean dual() {
        return ipv4 != null && ipv6 != null;
    }

    public BindPlan onlyIpv4() {
        return new BindPlan(ipv4, null);
    }

    public BindPlan onlyIpv6() {
        return new BindPlan(null, ipv6);
    }

    private static String host(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
