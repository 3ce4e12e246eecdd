package dev.scout.node;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A node's relay settings (docs/sessions.md, "Relaying"; docs/operations.md): {@code serve} = forward
 * encrypted session datagrams for others, within {@link dev.scout.session.relay.RelayLimits#defaults()};
 * {@code via} = be reachable through that relay.
 *
 * @param serve whether this node relays for others
 * @param via   the relay this node registers at, if any
 */
public record RelayOptions(boolean serve, Optional<InetSocketAddress> via) {
    /** Neither relaying nor using a relay. */
    public static final RelayOptions NONE = new RelayOptions(false, Optional.empty());
}
