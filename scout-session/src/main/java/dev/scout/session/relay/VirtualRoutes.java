package dev.scout.session.relay;

import dev.scout.session.path.VirtualAddresses;
import dev.scout.session.relay.internal.RelayWire;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link RelayLink}'s virtual addresses: on the connecting side one per route (relay, contact's tag), on
 * the owner side one per conversation a relay opened to us (relay, channel). At most {@value #MAX_VIRTUAL}
 * of each, least recently used forgotten first; every lookup is a hash-map lookup (the whole tag then
 * compared in constant time by the caller or here).
 */
final class VirtualRoutes {
    /** Routes and relayed conversations kept at once. */
    static final int MAX_VIRTUAL = 256;

    record RouteKey(InetSocketAddress relay, long tagKey) {
    }

    record Route(InetSocketAddress relay, byte[] tag, InetSocketAddress virtual) {
    }

    record ChannelKey(InetSocketAddress relay, long channel) {
    }

    private final Map<RouteKey, Route> routes = lru();
    private final Map<InetSocketAddress, Route> routesByVirtual = new HashMap<>();
    private final Map<ChannelKey, InetSocketAddress> channels = lru();
    private final Map<InetSocketAddress, ChannelKey> channelsByVirtual = new HashMap<>();

    /** The virtual address for the client with {@code tag} at {@code relay}: the same one while remembered. */
    synchronized InetSocketAddress route(InetSocketAddress relay, byte[] tag) {
        RouteKey key = new RouteKey(relay, RelayWire.tagKey(tag, 0));
        Route r = routes.get(key);
        if (r != null && MessageDigest.isEqual(r.tag(), tag)) {
            return r.virtual();
        }
        if (r != null) {
            routesByVirtual.remove(r.virtual());
        }
        Route fresh = new Route(relay, tag.clone(), VirtualAddresses.next());
        routes.put(key, fresh);
        routesByVirtual.put(fresh.virtual(), fresh);
        trim(routes, routesByVirtual, Route::virtual);
        return fresh.virtual();
    }

    /** The relay a virtual address runs through (a route or a conversation), if known. */
    synchronized Optional<InetSocketAddress> relayOf(InetSocketAddress virtual) {
        Route r = routesByVirtual.get(virtual);
        if (r != null) {
            return Optional.of(r.relay());
        }
        ChannelKey c = channelsByVirtual.get(virtual);
        return c == null ? Optional.empty() : Optional.of(c.relay());
    }

    synchronized Route routeAt(InetSocketAddress virtual) {
        return routesByVirtual.get(virtual);
    }

    synchronized ChannelKey channelAt(InetSocketAddress virtual) {
        return channelsByVirtual.get(virtual);
    }

    /** The route whose tag starts with {@code tagKey} at {@code relay}, or null (the caller compares the whole tag). */
    synchronized Route routeFrom(InetSocketAddress relay, long tagKey) {
        return routes.get(new RouteKey(relay, tagKey));
    }

    /** The virtual address of a conversation {@code relay} opened to us, made on first use. */
    synchronized InetSocketAddress channel(InetSocketAddress relay, long channel) {
        ChannelKey key = new ChannelKey(relay, channel);
        InetSocketAddress virtual = channels.get(key);
        if (virtual == null) {
            virtual = VirtualAddresses.next();
            channels.put(key, virtual);
            channelsByVirtual.put(virtual, key);
            trim(channels, channelsByVirtual, v -> v);
        }
        return virtual;
    }

    private static <K, V> void trim(Map<K, V> lru, Map<InetSocketAddress, ?> byVirtual, Function<V, InetSocketAddress> virtualOf) {
        Iterator<Map.Entry<K, V>> it = lru.entrySet().iterator();
        while (lru.size() > MAX_VIRTUAL && it.hasNext()) {
            V eldest = it.next().getValue();
            it.remove();
            byVirtual.remove(virtualOf.apply(eldest));
        }
    }

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true);
    }
}
