package dev.scout.node;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The daemon's relay settings (docs/sessions.md, "Relaying"; docs/operations.md): {@code serve} = forward
 * for others ({@code scout daemon --relay}, within {@link dev.scout.session.RelayLimits#defaults()});
 * {@code via} = be reachable through that relay ({@code --relay-via HOST:PORT}).
 *
 * @param serve whether this daemon relays for others
 * @param via   the relay this daemon registers at, if any
 */
public record RelayOptions(boolean serve, Optional<InetSocketAddress> via) {
    /** Neither relaying nor using a relay. */
    public static final RelayOptions NONE = new RelayOptions(false, Optional.empty());
}
