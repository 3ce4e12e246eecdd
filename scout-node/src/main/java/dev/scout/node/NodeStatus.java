package dev.scout.node;

import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.relay.RelayLink;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link ScoutNode} knows about itself now.
 *
 * @param publicKey         the identity's public key
 * @param localAddresses    the DHT sockets' addresses (IPv4 first)
 * @param routingTableSize  nodes in the routing tables
 * @param externalAddresses each family's external address as other DHT nodes report it
 * @param reachability      the first family's reachability: {@code unknown}, {@code reachable} or {@code unreachable}
 * @param nat               the first family's NAT: {@code unknown}, {@code none}, {@code cone} or {@code symmetric}
 * @param reachabilityV6    the IPv6 family's reachability when the node runs both families
 * @param natV6             the IPv6 family's NAT when the node runs both families
 * @param relay             what the node does as a relay and as a relay's client
 * @param contacts          how many contacts it has
 * @param sessions          how many sessions it holds that have not ended
 */
public record NodeStatus(Ed25519PublicKey publicKey, List<InetSocketAddress> localAddresses, int routingTableSize,
                         List<InetSocketAddress> externalAddresses, String reachability, String nat,
                         Optional<String> reachabilityV6, Optional<String> natV6, Relay relay, int contacts,
                         int sessions) {
    /**
     * Copies the lists.
     *
     * @param publicKey         the identity's public key
     * @param localAddresses    the DHT sockets' addresses (IPv4 first)
     * @param routingTableSize  nodes in the routing tables
     * @param externalAddresses each family's external address as other DHT nodes report it
     * @param reachability      the first family's reachability: {@code unknown}, {@code reachable} or {@code unreachable}
     * @param nat               the first family's NAT: {@code unknown}, {@code none}, {@code cone} or {@code symmetric}
     * @param reachabilityV6    the IPv6 family's reachability when the node runs both families
     * @param natV6             the IPv6 family's NAT when the node runs both families
     * @param relay             what the node does as a relay and as a relay's client
     * @param contacts          how many contacts it has
     * @param sessions          how many sessions it holds that have not ended
     */
    public NodeStatus {
        localAddresses = List.copyOf(localAddresses);
        externalAddresses = List.copyOf(externalAddresses);
    }

    /**
     * The node as a relay and as a relay's client (docs/sessions.md, "Relaying").
     *
     * @param serving     whether it relays for others
     * @param stats       its figures as a relay, when serving
     * @param via         the relay it is reachable through, if any
     * @param registered  whether that relay confirmed the registration
     * @param publishedTo how many contacts' records carry its current relay entry
     * @param home        more about the home relay ({@code via}): how it was found, its round trip, the last problem
     * @param limits      when serving: {@code modest} (relaying by default) or {@code generous} ({@code --relay})
     * @param announced   whether it is announced as a relay on the DHT
     */
    public record Relay(boolean serving, Optional<RelayLink.RelayStats> stats, Optional<InetSocketAddress> via,
                        boolean registered, int publishedTo, Home home, Optional<String> limits, boolean announced) {
    }

    /**
     * The home relay (docs/sessions.md, "Finding a home relay").
     *
     * @param found     {@code dht} (found on the DHT) or {@code pinned} ({@code --relay-via}); empty without one
     * @param rttMillis the round trip to it, as its probe measured
     * @param problem   the last problem, one line ("no relay found (…)", "relay H:P refused (full)"), if one stands
     * @param standby   the second relay it is registered at, if any (docs/sessions.md, "Another relay")
     */
    public record Home(Optional<String> found, java.util.OptionalLong rttMillis, Optional<String> problem,
                       Optional<InetSocketAddress> standby) {
        /**
         * Without a standby relay.
         *
         * @param found     how the home relay was found
         * @param rttMillis its round trip
         * @param problem   the last problem
         */
        public Home(Optional<String> found, java.util.OptionalLong rttMillis, Optional<String> problem) {
            this(found, rttMillis, problem, Optional.empty());
        }
    }
}
