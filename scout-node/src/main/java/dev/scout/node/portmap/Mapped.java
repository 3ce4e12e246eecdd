package dev.scout.node.portmap;

import java.net.InetSocketAddress;

/**
 * What a gateway granted: the public address of our mapped port, for how long, and the gateway's epoch
 * (seconds since its mapping state began; -1 when the protocol has none, as UPnP IGD).
 *
 * @param protocol        {@code pcp}, {@code nat-pmp} or {@code upnp}
 * @param external        the public address and port
 * @param lifetimeSeconds how long the gateway keeps it (0: until deleted, UPnP's permanent lease)
 * @param epoch           the gateway's epoch, or -1
 */
public record Mapped(String protocol, InetSocketAddress external, long lifetimeSeconds, long epoch) {
}
