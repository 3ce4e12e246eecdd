package dev.scout.dht.server;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.routing.RoutingTable;
import dev.scout.dht.storage.PeerStore;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;

/**
 * Answers incoming queries: the server half of the node. Pure with respect to I/O — it returns the
 * message to send back and the caller sends it.
 */
public final class QueryHandler {
    /** Peers returned per get_peers answer; keeps the datagram well under a typical MTU. */
    static final int MAX_PEERS_PER_REPLY = 50;

    private NodeId ownId;
    private final RoutingTable table;
    private final TokenManager tokens;
    private final PeerStore peers;
    private final ItemHandler items;
    private final PutRateLimiter announces;
    private final Random random;
    private long refusedAnnounces;

    /** @param announces rate limit on announce_peer per source IP */
    public QueryHandler(NodeId ownId, RoutingTable table, TokenManager tokens, PeerStore peers, ItemHandler items,
                        PutRateLimiter announces, Random random) {
        this.ownId = ownId;
        this.table = table;
        this.tokens = tokens;
        this.peers = peers;
        this.items = items;
        this.announces = announces;
        this.random = random;
    }

    /** The node re-keyed (BEP 42): answers carry {@code newId} from now on. Loop thread only, like every call. */
    public void ownId(NodeId newId) {
        this.ownId = newId;
    }

    /** Announces answered with an error because of a rate limit or a full peer store. */
    public long refusedAnnounces() {
        return refusedAnnounces;
    }

    public KrpcMessage handle(KrpcQuery message, InetSocketAddress from, long now) {
        byte[] t = message.transactionId();
        Query q = message.query();
        if (q instanceof Query.Ping) {
            return KrpcResponse.simple(t, ownId);
        }
        if (q instanceof Query.FindNode f) {
            return nodesReply(t, f.target(), now, null, null);
        }
        if (q instanceof Query.GetPeers g) {
            List<InetSocketAddress> found = peers.peers(g.infoHash(), MAX_PEERS_PER_REPLY, now, random);
            return nodesReply(t, g.infoHash(), now, tokens.tokenFor(from.getAddress(), now), found);
        }
        if (q instanceof Query.AnnouncePeer a) {
            if (!tokens.isValid(a.token(), from.getAddress(), now)) {
                return new KrpcError(t, KrpcError.PROTOCOL, "invalid token");
            }
            int port = a.impliedPort() ? from.getPort() : a.port();
            if (port < 1 || port > 65535) {
                return new KrpcError(t, KrpcError.PROTOCOL, "invalid port");
            }
            // Refusals are errors, not silent successes: the announcer learns the peer was not stored.
            if (!announces.allow(from.getAddress(), now)) {
                refusedAnnounces++;
                return new KrpcError(t, KrpcError.SERVER, "too many announces, slow down");
            }
            if (!peers.announce(a.infoHash(), new InetSocketAddress(from.getAddress(), port), now)) {
                refusedAnnounces++;
                return new KrpcError(t, KrpcError.SERVER, "peer store full");
            }
            return KrpcResponse.simple(t, ownId);
        }
        if (q instanceof Query.Get g) {
            return items.get(t, g, from, now, closest(g.target(), now));
        }
        if (q instanceof Query.Put p) {
            return items.put(t, p, from, now);
        }
        Query.Unknown u = (Query.Unknown) q;
        if (u.target() != null) {
            // BEP 5: treat an unknown method that names a target like find_node.
            return nodesReply(t, u.target(), now, null, null);
        }
        return new KrpcError(t, KrpcError.METHOD_UNKNOWN, "method unknown");
    }

    private List<NodeInfo> closest(NodeId target, long now) {
        return table.closest(target, RoutingTable.K, now);
    }

    private KrpcResponse nodesReply(byte[] t, NodeId target, long now, byte[] token, List<InetSocketAddress> values) {
        return new KrpcResponse(t, ownId, closest(target, now), null, values, token, null, null, null, null, null, null);
    }
}
