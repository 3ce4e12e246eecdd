package dev.scout.dht.lookup;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.routing.RoutingTable;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An iterative Kademlia lookup towards {@link #target}: up to alpha requests in flight, candidates kept
 * sorted by XOR distance, done when the K closest known nodes have all answered (or everything has been
 * tried). A request unanswered past the adaptive soft timeout stops counting against alpha and no longer
 * holds up termination, so stale routing entries cost one RTT-scaled wait rather than a full timeout.
 * Subclasses pick the query and interpret answers; results are delivered on the node's loop.
 *
 * @param <R> the result type
 */
public abstract class Traversal<R> {
    /** Candidates beyond this many are forgotten, farthest first. */
    private static final int MAX_CANDIDATES = 100;

    protected final LookupContext context;
    protected final NodeId target;
    private final List<Candidate> candidates = new ArrayList<>();
    private final Set<NodeId> seenIds = new HashSet<>();
    private final Set<InetSocketAddress> seenAddresses = new HashSet<>();
    private final CompletableFuture<R> future = new CompletableFuture<>();
    private final List<InetSocketAddress> bootstrap = new ArrayList<>();
    private int inFlight;
    private int slowInFlight;
    private int seedsInFlight;
    private int rpcs;
    private boolean started;
    private boolean done;

    protected Traversal(LookupContext context, NodeId target) {
        this.context = context;
        this.target = target;
    }

    /** Addresses of routers to ask as well (used when the routing table is empty). */
    public Traversal<R> withBootstrap(List<InetSocketAddress> routers) {
        bootstrap.addAll(routers);
        return this;
    }

    /** The query to send to {@code candidate}. */
    protected abstract Query query(Candidate candidate);

    /** Builds the result from the candidates that answered, closest first. */
    protected abstract R result(List<Candidate> responded);

    /** Hook for each valid answer, before its nodes are merged. */
    protected void onAnswer(Candidate candidate, KrpcResponse response) {
    }

    /** Subclasses that can finish early (an immutable item was found) return true. */
    protected boolean satisfied() {
        return false;
    }

    public NodeId target() {
        return target;
    }

    /** Requests sent so far. */
    public int rpcCount() {
        return rpcs;
    }

    public CompletableFuture<R> future() {
        return future;
    }

    /** Seeds from the routing table (and routers, if given) and sends the first requests. */
    public CompletableFuture<R> start() {
        if (started) {
            throw new IllegalStateException("lookup already started");
        }
        started = true;
        for (NodeInfo n : context.closest(target, RoutingTable.K * 2)) {
            addCandidate(n);
        }
        for (InetSocketAddress router : bootstrap) {
            if (seenAddresses.add(router)) {
                seedsInFlight++;
                rpcs++;
                context.request(router, query(new Candidate(null)), new SeedCallback(router));
            }
        }
        step();
        return future;
    }

    private void addCandidate(NodeInfo node) {
        if (node.id().equals(context.ownId()) || node.address().getPort() == 0
                || !seenIds.add(node.id()) || !seenAddresses.add(node.address())
                || context.recentlyUnresponsive(node.address())) {
            return;
        }
        int lo = 0;
        int hi = candidates.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (target.compareDistance(candidates.get(mid).node().id(), node.id()) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo >= MAX_CANDIDATES) {
            return;
        }
        candidates.add(lo, new Candidate(node));
        if (candidates.size() > MAX_CANDIDATES) {
            // Drop the farthest candidate nobody is waiting on.
            for (int i = candidates.size() - 1; i >= MAX_CANDIDATES; i--) {
                Candidate.State s = candidates.get(i).state;
                if (s != Candidate.State.PENDING && s != Candidate.State.SLOW) {
                    candidates.remove(i);
                    break;
                }
            }
        }
    }

    private void merge(KrpcResponse response) {
        for (NodeInfo n : response.nodes()) {
            addCandidate(n);
        }
        for (NodeInfo n : response.nodes6()) {
            addCandidate(n);
        }
    }

    /** Sends what alpha allows and finishes when the K closest have answered. */
    private void step() {
        if (done) {
            return;
        }
        if (satisfied()) {
            finish();
            return;
        }
        int responded = 0;
        boolean waiting = false;
        for (Candidate c : candidates) {
            if (responded >= RoutingTable.K) {
                break;
            }
            switch (c.state) {
                case RESPONDED -> responded++;
                case FAILED -> { }
                case SLOW -> { }
                case PENDING -> waiting = true;
                case FRESH -> {
                    waiting = true;
                    if (inFlight < context.alpha()) {
                        send(c);
                    }
                }
            }
        }
        if (!waiting && (responded >= RoutingTable.K || slowInFlight == 0) && seedsInFlight == 0) {
            finish();
        }
    }

    private void send(Candidate c) {
        c.state = Candidate.State.PENDING;
        inFlight++;
        rpcs++;
        context.request(c.node(), query(c), new CandidateCallback(c));
    }

    private void finish() {
        done = true;
        List<Candidate> responded = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.state == Candidate.State.RESPONDED) {
                responded.add(c);
            }
        }
        try {
            future.complete(result(responded));
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    public boolean isDone() {
        return done;
    }

    private final class CandidateCallback implements RpcCallback {
        private final Candidate candidate;

        CandidateCallback(Candidate candidate) {
            this.candidate = candidate;
        }

        private void leave() {
            if (candidate.state == Candidate.State.PENDING) {
                inFlight--;
            } else if (candidate.state == Candidate.State.SLOW) {
                slowInFlight--;
            }
        }

        @Override
        public void onSlow() {
            if (candidate.state == Candidate.State.PENDING) {
                inFlight--;
                slowInFlight++;
                candidate.state = Candidate.State.SLOW;
                step();
            }
        }

        @Override
        public void onResponse(KrpcResponse response, long rttMillis) {
            leave();
            if (done) {
                return;
            }
            if (!response.sender().equals(candidate.node().id())) {
                candidate.state = Candidate.State.FAILED; // not the node we were told about
            } else {
                candidate.state = Candidate.State.RESPONDED;
                candidate.response = response;
                onAnswer(candidate, response);
                merge(response);
            }
            step();
        }

        @Override
        public void onError(KrpcError error) {
            leave();
            candidate.state = Candidate.State.FAILED;
            step();
        }

        @Override
        public void onTimeout() {
            leave();
            candidate.state = Candidate.State.FAILED;
            step();
        }
    }

    /** Routers: their answers only contribute candidates. */
    private final class SeedCallback implements RpcCallback {
        private final InetSocketAddress address;

        SeedCallback(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public void onResponse(KrpcResponse response, long rttMillis) {
            seedsInFlight--;
            if (!done) {
                // Now that its id is known, the seed counts like any node that answered.
                NodeInfo node = new NodeInfo(response.sender(), address);
                seenAddresses.remove(address);
                addCandidate(node);
                for (Candidate c : candidates) {
                    if (c.node().equals(node) && c.state == Candidate.State.FRESH) {
                        c.state = Candidate.State.RESPONDED;
                        c.response = response;
                        onAnswer(c, response);
                    }
                }
                merge(response);
                step();
            }
        }

        @Override
        public void onError(KrpcError error) {
            seedsInFlight--;
            step();
        }

        @Override
        public void onTimeout() {
            seedsInFlight--;
            step();
        }
    }
}
