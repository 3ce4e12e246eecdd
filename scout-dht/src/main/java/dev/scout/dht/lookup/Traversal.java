package dev.scout.dht.lookup;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.routing.RoutingTable;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An iterative Kademlia lookup towards {@link #target}: up to alpha requests in flight, candidates kept
 * sorted by XOR distance, done when the K closest known nodes that count have all answered (or everything
 * has been tried). A request unanswered past the adaptive soft timeout stops counting against alpha and
 * never holds up termination (only while nothing at all has answered is a slow answer waited for), so a
 * stale routing entry costs one RTT-scaled wait, never the hard timeout.
 *
 * <p>Two rules make the result hard to bend: a node that answers from a known address with a new id is
 * taken at its new id (libtorrent changes its id after start-up; it is alive, not failed), and nodes whose
 * id is suspiciously close to the target (far closer than the network's size makes likely: a Sybil
 * cluster placed next to it) are queried but do not count towards K, so the lookup goes on until K
 * ordinary nodes answered. See docs/protocol-notes.md.
 * Subclasses pick the query and interpret answers; results are delivered on the node's loop.
 *
 * @param <R> the result type
 */
public abstract class Traversal<R> {
    /**
     * When fewer than K ordinary nodes answered and only slow requests are left, they get this much more
     * time (once per lookup) before the lookup ends without them: in a small or overloaded network the
     * slow ones may be most of the nodes there are. Far below the hard timeout.
     */
    static final long SLOW_GRACE_MILLIS = 500;

    protected final LookupContext context;
    protected final NodeId target;
    private final CandidateList candidates;
    private final CandidateAdmission admission;
    private final CompletableFuture<R> future = new CompletableFuture<>();
    private final List<InetSocketAddress> bootstrap = new ArrayList<>();
    private final List<NodeInfo> savedSeeds = new ArrayList<>();
    private int inFlight;
    private int slowInFlight;
    /** Router requests neither answered nor slow: these hold up termination. */
    private int seedsInFlight;
    private int slowSeeds;
    /** Candidates that answered (any distance), routers included. */
    private int answered;
    private final SybilGuard sybils;
    /** 0 = no grace period yet, 1 = running, 2 = over. */
    private int grace;
    private int rpcs;
    private boolean started;
    private boolean done;

    protected Traversal(LookupContext context, NodeId target) {
        this.context = context;
        this.target = target;
        this.candidates = new CandidateList(target);
        this.sybils = new SybilGuard(target);
        this.admission = new CandidateAdmission(context, candidates, sybils);
    }

    /** Addresses of routers to ask as well (used when the routing table is empty). */
    public Traversal<R> withBootstrap(List<InetSocketAddress> routers) {
        bootstrap.addAll(routers);
        return this;
    }

    /**
     * Nodes to ask whose ids we knew before (a saved routing table): they become ordinary candidates,
     * queried closest first alongside the routing table's nodes and the routers.
     */
    public Traversal<R> withSeeds(List<NodeInfo> nodes) {
        savedSeeds.addAll(nodes);
        return this;
    }

    /** The query to send to {@code candidate}. */
    protected abstract Query query(Candidate candidate);

    /** Builds the result from the candidates that answered, closest first. */
    protected abstract R result(List<Candidate> responded);

    /** Hook for each valid answer, before its nodes are merged. */
    protected void onAnswer(Candidate candidate, KrpcResponse response) {
    }

    /**
     * The K/2 closest known candidates are always asked at once, past alpha, so requests to dead entries
     * further out cannot hold them back; once this returns true (the lookup has reached the target's
     * neighbourhood, e.g. a copy of the item was found) all K closest known are. They must be asked
     * anyway; before that, the closest known still change with every answer, and asking all K would
     * spend requests on nodes that soon drop out.
     */
    protected boolean askClosestAtOnce() {
        return false;
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
        sybils.start(context.suspiciousPrefixBits());
        admission.seed(context.closest(target, RoutingTable.K * 2));
        admission.seed(savedSeeds);
        for (InetSocketAddress router : bootstrap) {
            if (candidates.claimAddress(router)) {
                seedsInFlight++;
                rpcs++;
                context.request(router, query(new Candidate(null)), new SeedCallback(router));
            }
        }
        if (candidates.all().isEmpty() && seedsInFlight == 0) {
            // Every one we know went silent (or failed): the silence is more likely ours than theirs.
            context.nothingToAsk();
            admission.admitSkippedSilent();
        }
        step();
        return future;
    }

    /** An answer: {@code responder} (null if it could not be placed) responded; its nodes are merged. */
    private void answeredBy(Candidate responder, KrpcResponse response) {
        if (responder != null) {
            responder.state = Candidate.State.RESPONDED;
            responder.response = response;
            onAnswer(responder, response);
        }
        admission.merge(response);
        step();
    }

    /** Sends what alpha allows and finishes when the K closest that count have answered. */
    private void step() {
        if (done) {
            return;
        }
        if (satisfied()) {
            finish();
            return;
        }
        int counted = 0;
        int wanted = wanted();
        boolean burst = askClosestAtOnce();
        int position = 0; // among candidates that could count (not failed, not suspicious)
        boolean waiting = false;
        for (Candidate c : candidates.all()) {
            if (counted >= wanted) {
                break;
            }
            if (c.state != Candidate.State.FAILED && !c.suspicious) {
                position++;
            }
            switch (c.state) {
                case RESPONDED -> counted += c.suspicious ? 0 : 1;
                case FAILED, SLOW -> { }
                case PENDING -> waiting = true;
                case FRESH -> {
                    waiting = true;
                    if (inFlight < context.alpha() || position <= (burst ? RoutingTable.K : RoutingTable.K / 2)) {
                        send(c);
                    }
                }
            }
        }
        if (waiting || seedsInFlight > 0) {
            return;
        }
        // Slow requests never hold up the end for long. While nothing at all has answered, a late answer
        // is the only way forward (a first contact slower than the initial estimate); with fewer than K
        // answers they get one bounded grace period; otherwise the window has already moved past them.
        boolean slowLeft = slowInFlight > 0 || slowSeeds > 0;
        if (slowLeft && answered == 0) {
            return;
        }
        if (slowLeft && counted < wanted && grace < 2) {
            if (grace == 0) {
                grace = 1;
                context.after(SLOW_GRACE_MILLIS, () -> {
                    grace = 2;
                    step();
                });
            }
            return;
        }
        finish();
    }

    /**
     * The {@code count} closest candidates known now that could count towards K: not failed, not
     * suspicious, in any other state (answered, being asked, slow, not yet asked). Lets a lookup stop
     * early when enough of them agree.
     */
    protected List<Candidate> closestKnown(int count) {
        return candidates.closestKnown(count);
    }

    /** How many candidates this lookup knows (any state). */
    protected int knownCount() {
        return candidates.all().size();
    }

    /**
     * Ordinary nodes the lookup must hear from: K, or 2K once a suspiciously close node turned up. A
     * Sybil cluster larger than K hides the honest nodes next to the target (every answer lists the
     * cluster first), so writer and reader each find only some of them; twice as many on both sides
     * makes their sets overlap.
     */
    protected int wanted() {
        return sybils.wanted();
    }

    /**
     * Responders closest first, up to and including the {@link #wanted()}-th that counts (mainline's
     * {@code take_until_secure}): suspiciously close nodes come along but do not use up the places, so
     * a write reaches K (2K under attack) ordinary nodes however many Sybils sit next to the target.
     */
    protected List<Candidate> untilKCounted(List<Candidate> responded) {
        return sybils.untilKCounted(responded);
    }

    private void send(Candidate c) {
        c.state = Candidate.State.PENDING;
        inFlight++;
        rpcs++;
        context.request(c.node(), query(c), new CandidateCallback(c));
    }

    private void finish() {
        done = true;
        try {
            future.complete(result(candidates.responded()));
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
            answered++;
            Candidate responder = candidate;
            if (!response.sender().equals(candidate.node().id())) {
                // The node at this address now has another id (libtorrent picks a new one after start-up):
                // it is alive; take it at its new id. The old id is gone.
                candidate.state = Candidate.State.FAILED;
                responder = response.sender().equals(context.ownId()) ? null
                        : admission.insert(new NodeInfo(response.sender(), candidate.node().address()));
            }
            answeredBy(responder, response);
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

    /** Routers (ids unknown): once one answers it counts like any node that answered. */
    private final class SeedCallback implements RpcCallback {
        private final InetSocketAddress address;
        private boolean slow;

        SeedCallback(InetSocketAddress address) {
            this.address = address;
        }

        private void leave() {
            if (slow) {
                slowSeeds--;
            } else {
                seedsInFlight--;
            }
        }

        @Override
        public void onSlow() {
            if (!slow) {
                slow = true;
                seedsInFlight--;
                slowSeeds++;
                step();
            }
        }

        @Override
        public void onResponse(KrpcResponse response, long rttMillis) {
            leave();
            if (!done) {
                answered++;
                // Its address was recorded when it was asked; the id is free unless another address
                // claimed it first (then the router's answer only contributes nodes).
                Candidate c = response.sender().equals(context.ownId()) ? null
                        : admission.insert(new NodeInfo(response.sender(), address));
                answeredBy(c, response);
            }
        }

        @Override
        public void onError(KrpcError error) {
            leave();
            step();
        }

        @Override
        public void onTimeout() {
            leave();
            step();
        }
    }
}
