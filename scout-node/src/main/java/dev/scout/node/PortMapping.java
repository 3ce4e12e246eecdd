package dev.scout.node;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The mapping the home router granted for the DHT socket's UDP port (docs/operations.md, "Port
 * mapping"): the node publishes {@code external} first in its device entries.
 *
 * @param protocol {@code pcp}, {@code nat-pmp} or {@code upnp}
 * @param external the public address and port
 * @param expires  when the router drops it unless renewed (the node renews it at half its lifetime);
 *                 empty for a permanent UPnP lease, which the node deletes when it stops
 */
public record PortMapping(String protocol, InetSocketAddress external, Optional<Instant> expires) {
    /**
     * Checks the fields.
     *
     * @param protocol {@code pcp}, {@code nat-pmp} or {@code upnp}
     * @param external the public address and port
     * @param expires  when the router drops it unless renewed; empty for a permanent lease
     */
    public PortMapping {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(external, "external");
        Objects.requireNonNull(expires, "expires");
    }
}
