package dev.scout.dht;

import dev.scout.dht.routing.RoutingTableFile;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Every tunable of a DHT node in one place. Build with {@link #builder()}; the defaults suit the public
 * Mainline DHT.
 *
 * <pre>{@code
 * DhtConfig config = DhtConfig.builder()
 *         .port(6881)
 *         .stateFile(Path.of("dht-state.bencode"))
 *         .build();
 * }</pre>
 *
 * @param bindAddress          local UDP address (port 0 = any free port)
 * @param bootstrap            {@code host:port} routers used when the routing table is empty
 * @param stateStore           where the node id and routing table are saved (null = not saved)
 * @param nodeId               fixed node id, or null to load it from the state file or pick one
 * @param readOnly             BEP 43: announce {@code ro=1} and answer no queries
 * @param alpha                parallel requests per lookup
 * @param requestTimeoutMillis a request unanswered this long has failed
 * @param minSoftTimeoutMillis lower bound of the adaptive "slow request" timeout after which a lookup
 *                             stops waiting for a request and queries the next node
 * @param maxItems             BEP 44 items kept at most
 * @param maxItemBytes         total bytes of BEP 44 values kept at most
 * @param maxPutsPerIpPerMinute BEP 44 puts accepted from one IP per minute
 * @param saveIntervalMillis   how often the routing table is saved while running
 */
public record DhtConfig(InetSocketAddress bindAddress, List<String> bootstrap, RoutingTableStore stateStore, NodeId nodeId,
                        boolean readOnly, int alpha, long requestTimeoutMillis, long minSoftTimeoutMillis,
                        int maxItems, long maxItemBytes, int maxPutsPerIpPerMinute, long saveIntervalMillis) {

    /** The well-known Mainline routers. */
    public static final List<String> DEFAULT_BOOTSTRAP = List.of(
            "router.bittorrent.com:6881",
            "router.utorrent.com:6881",
            "dht.transmissionbt.com:6881",
            "dht.libtorrent.org:25401");

    public DhtConfig {
        bootstrap = List.copyOf(bootstrap);
        if (alpha < 1) {
            throw new IllegalArgumentException("alpha must be at least 1");
        }
        if (requestTimeoutMillis < 1 || minSoftTimeoutMillis < 1) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.bootstrap = bootstrap;
        b.stateStore = stateStore;
        b.nodeId = nodeId;
        b.readOnly = readOnly;
        b.alpha = alpha;
        b.requestTimeoutMillis = requestTimeoutMillis;
        b.minSoftTimeoutMillis = minSoftTimeoutMillis;
        b.maxItems = maxItems;
        b.maxItemBytes = maxItemBytes;
        b.maxPutsPerIpPerMinute = maxPutsPerIpPerMinute;
        b.saveIntervalMillis = saveIntervalMillis;
        return b;
    }

    /** Mutable builder for {@link DhtConfig}. */
    public static final class Builder {
        private InetSocketAddress bindAddress = new InetSocketAddress("0.0.0.0", 0);
        private List<String> bootstrap = DEFAULT_BOOTSTRAP;
        private RoutingTableStore stateStore;
        private NodeId nodeId;
        private boolean readOnly;
        // Measured in the 5,000-node simulation (30 % stale entries, 1 % loss, median RTT 80 ms):
        // alpha 4 → 8 and a 250 → 100 ms soft-timeout floor take mutable-get p50 from 726 to 469 ms and
        // p99 from 1683 to 1033 ms for 28 instead of 20 RPCs per get (docs/benchmarks.md).
        private int alpha = 8;
        private long requestTimeoutMillis = 5_000;
        private long minSoftTimeoutMillis = 100;
        private int maxItems = 10_000;
        private long maxItemBytes = 16L << 20;
        private int maxPutsPerIpPerMinute = 300;
        private long saveIntervalMillis = 5 * 60_000L;

        private Builder() {
        }

        public Builder bindAddress(InetSocketAddress address) {
            this.bindAddress = address;
            return this;
        }

        /** Binds all interfaces on {@code port} (0 = any free port). */
        public Builder port(int port) {
            this.bindAddress = new InetSocketAddress(bindAddress.getAddress(), port);
            return this;
        }

        public Builder bootstrap(List<String> hostPorts) {
            this.bootstrap = hostPorts;
            return this;
        }

        /** Saves the routing table to {@code file} (atomically replaced); null = not saved. */
        public Builder stateFile(Path file) {
            this.stateStore = file == null ? null : RoutingTableStore.file(file);
            return this;
        }

        /** Saves the routing table through a custom store; null = not saved. */
        public Builder stateStore(RoutingTableStore store) {
            this.stateStore = store;
            return this;
        }

        public Builder nodeId(NodeId id) {
            this.nodeId = id;
            return this;
        }

        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        public Builder alpha(int alpha) {
            this.alpha = alpha;
            return this;
        }

        public Builder requestTimeoutMillis(long millis) {
            this.requestTimeoutMillis = millis;
            return this;
        }

        public Builder minSoftTimeoutMillis(long millis) {
            this.minSoftTimeoutMillis = millis;
            return this;
        }

        public Builder maxItems(int count) {
            this.maxItems = count;
            return this;
        }

        public Builder maxItemBytes(long bytes) {
            this.maxItemBytes = bytes;
            return this;
        }

        public Builder maxPutsPerIpPerMinute(int count) {
            this.maxPutsPerIpPerMinute = count;
            return this;
        }

        public Builder saveIntervalMillis(long millis) {
            this.saveIntervalMillis = millis;
            return this;
        }

        public DhtConfig build() {
            return new DhtConfig(bindAddress, bootstrap, stateStore, nodeId, readOnly, alpha, requestTimeoutMillis,
                    minSoftTimeoutMillis, maxItems, maxItemBytes, maxPutsPerIpPerMinute, saveIntervalMillis);
        }
    }
}
