package dev.scout.node;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's relay settings (docs/sessions.md, "Relaying" and "Finding a home relay"; docs/operations.md).
 *
 * @param serve    when to forward encrypted session datagrams for others
 * @param via      the relay this node registers at, pinned ({@code --relay-via}); empty: none pinned
 * @param findHome whether a node behind a NAT finds a home relay on the DHT by itself (unless one is pinned)
 */
public record RelayOptions(Serve serve, Optional<InetSocketAddress> via, boolean findHome) {
    /** Neither relaying nor using a relay ({@code --no-relay}). */
    public static final RelayOptions NONE = new RelayOptions(Serve.NEVER, Optional.empty(), false);
    /**
     * The library's default: behind a NAT, find a home relay on the DHT (so contacts behind any router can
     * reach this node), but never relay for others: an application donates its users' bandwidth only when
     * it asks to ({@link #DEFAULT} or {@link Serve#ALWAYS}).
     */
    public static final RelayOptions CLIENT = new RelayOptions(Serve.NEVER, Optional.empty(), true);
    /** The daemon's default: relay within modest limits when publicly reachable; behind a NAT, find a home relay. */
    public static final RelayOptions DEFAULT = new RelayOptions(Serve.WHEN_PUBLIC, Optional.empty(), true);

    /** When a node relays for others. */
    public enum Serve {
        /** Never ({@code --no-relay}, and the library's default {@link #CLIENT}). */
        NEVER,
        /** While it finds itself publicly reachable (NAT none), within {@link dev.scout.session.relay.RelayLimits#modest()}. */
        WHEN_PUBLIC,
        /** Always ({@code --relay}), within {@link dev.scout.session.relay.RelayLimits#defaults()}. */
        ALWAYS
    }

    /**
     * @param serve    when to relay for others
     * @param via      the pinned relay, if any
     * @param findHome whether to find a home relay on the DHT behind a NAT
     */
    public RelayOptions {
        Objects.requireNonNull(serve, "serve");
        Objects.requireNonNull(via, "via");
    }
}
