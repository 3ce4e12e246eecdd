package dev.scout.dht.lookup;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.krpc.Want;
import dev.scout.dht.routing.RoutingTable;

import java.util.List;

/** BEP 5 {@code find_node} lookup: the K closest live nodes to a target. */
public final class FindNodeLookup extends Traversal<List<NodeInfo>> {
    public FindNodeLookup(LookupContext context, NodeId target) {
        super(context, target);
    }

    @Override
    protected Query query(Candidate candidate) {
        return new Query.FindNode(target, Want.UNSPECIFIED);
    }

    @Override
    protected List<NodeInfo> result(List<Candidate> responded) {
        return responded.stream().limit(RoutingTable.K).map(Candidate::node).toList();
    }
}
