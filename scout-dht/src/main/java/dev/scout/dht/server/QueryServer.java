package dev.scout.dht.server;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.routing.RoutingTable;
import dev.scout.dht.storage.ItemStore;
import dev.scout.dht.storage.MemoryItemStore;
import dev.scout.dht.storage.PeerStore;

import java.net.InetSocketAddress;
import java.util.Random;

/**
 * The serving half of a {@code NodeCore}: write tokens, the announced peers, the BEP 44 item store and
 * the handlers that answer queries from them. Loop thread only.
 */
public final class QueryServer {
    private final PeerStore peers;
    private final ItemStore items;
    private final ItemHandler itemHandler;
    private final QueryHandler queryHandler;

    /** @param store a custom item store, or null for the in-memory one sized by the config */
    public QueryServer(NodeId ownId, DhtConfig config, RoutingTable table, Random random, long now, ItemStore store,
                ServerLimits limits) {
        TokenManager tokens = new TokenManager(random, now);
        this.peers = limits.newPeerStore();
        this.items = store != null ? store : new MemoryItemStore(ownId, config.maxItems(), config.maxItemBytes());
        this.itemHandler = new ItemHandler(ownId, tokens, items, new PutRateLimiter(config.maxPutsPerIpPerMinute()));
        this.queryHandler = new QueryHandler(ownId, table, tokens, peers, itemHandler,
                new PutRateLimiter(limits.maxAnnouncesPerIpPerMinute()), random);
    }

    /** The answer to {@code query} from {@code from} (a response or a KRPC error). */
    public KrpcMessage answer(KrpcQuery query, InetSocketAddress from, long now) {
        return queryHandler.handle(query, from, now);
    }

    /** Answers carry {@code newId} from now on (BEP 42 re-key). */
    public void ownId(NodeId newId) {
        queryHandler.ownId(newId);
        itemHandler.ownId(newId);
    }

    public ItemStore items() {
        return items;
    }

    public PeerStore peers() {
        return peers;
    }

    /** Puts refused because the item was invalid. */
    public long rejectedItems() {
        return itemHandler.rejectedItems();
    }
}
