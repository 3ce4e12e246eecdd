package dev.scout.dht.lookup;

import dev.scout.dht.NodeId;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.krpc.Want;
import dev.scout.dht.routing.RoutingTable;

import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** BEP 5 {@code get_peers} lookup: the peers stored for an info-hash plus the closest nodes' tokens. */
public final class GetPeersLookup extends Traversal<GetPeersLookup.Result> {
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();

    /**
     * @param peers   every distinct peer returned, in order of arrival
     * @param closest the K closest nodes that answered, with their write tokens
     */
    public record Result(List<InetSocketAddress> peers, List<Candidate> closest, int rpcs) {
    }

    public GetPeersLookup(LookupContext context, NodeId infoHash) {
        super(context, infoHash);
    }

    @Override
    protected Query query(Candidate candidate) {
        return new Query.GetPeers(target, Want.UNSPECIFIED);
    }

    @Override
    protected void onAnswer(Candidate candidate, KrpcResponse response) {
        peers.addAll(response.values());
    }

    @Override
    protected Result result(List<Candidate> responded) {
        return new Result(List.copyOf(peers), responded.stream().limit(RoutingTable.K).toList(), rpcCount());
    }
}
