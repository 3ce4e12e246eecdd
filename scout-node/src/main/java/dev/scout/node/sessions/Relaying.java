package dev.scout.node.sessions;

import dev.scout.node.reach.Relays;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * How the node relays: when it relays for others, the relay it is pinned to, whether it finds a home
 * relay, and whether it is publicly reachable or behind a NAT.
 *
 * @param serve    when to relay for others
 * @param via      the relay to register at, if pinned
 * @param findHome whether to find a home relay through the DHT
 * @param network  whether the node is publicly reachable or behind a NAT
 */
public record Relaying(Relays.Serve serve, Optional<InetSocketAddress> via, boolean findHome, Relays.Network network) {
}
