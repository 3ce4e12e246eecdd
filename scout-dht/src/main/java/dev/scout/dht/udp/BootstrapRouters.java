package dev.scout.dht.udp;

import dev.scout.dht.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Resolves the configured bootstrap routers to one address family's addresses. */
final class BootstrapRouters {
    private static final Logger LOG = LoggerFactory.getLogger(DhtNode.class);

    private BootstrapRouters() {
    }

    /**
     * The routers' addresses of the given family; bad or unresolvable names are logged and skipped.
     * May block on DNS for seconds: never call it on the I/O thread.
     */
    static List<InetSocketAddress> resolve(List<String> bootstrap, boolean ipv6) {
        List<InetSocketAddress> routers = new ArrayList<>();
        for (String hostPort : bootstrap) {
            try {
                // A and AAAA records: each family's socket bootstraps through its own family's routers.
                List<InetSocketAddress> all = Addresses.resolveAll(hostPort);
                List<InetSocketAddress> ours = all.stream()
                        .filter(a -> (a.getAddress() instanceof Inet6Address) == ipv6).toList();
                routers.addAll(ours);
                if (ours.isEmpty()) {
                    LOG.info("bootstrap host {} has no {} address", hostPort, ipv6 ? "IPv6" : "IPv4");
                }
            } catch (RuntimeException e) {
                LOG.info("bad bootstrap address {}: {}", hostPort, e.getMessage());
            }
        }
        return routers;
    }
}
