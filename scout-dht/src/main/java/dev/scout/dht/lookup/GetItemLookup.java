package dev.scout.dht.lookup;

import dev.scout.dht.NodeId;
import dev.scout.dht.item.Hashes;
import dev.scout.dht.ItemException;
import dev.scout.dht.MutableItem;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.krpc.Want;
import dev.scout.dht.routing.RoutingTable;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * BEP 44 {@code get} lookup. For an immutable target it stops at the first value whose SHA-1 is the
 * target; for a mutable one it visits the K closest nodes and keeps the valid item with the highest
 * seq. Every value is verified before it is kept; invalid ones are counted and dropped. The answering
 * nodes' tokens come back with the result, ready for a put: the K closest ordinary responders plus any
 * suspiciously close ones before them (see {@link Traversal}).
 */
public final class GetItemLookup extends Traversal<GetItemLookup.Result> {
    private final byte[] publicKey;
    private final byte[] salt;
    private final Runnable onInvalid;
    /** Distinct valid versions can only come from the key's owner, but keep the list bounded anyway. */
    private static final int MAX_VERSIONS = 16;

    private byte[] immutableValue;
    private MutableItem best;
    private final List<MutableItem> versions = new ArrayList<>();
    /** Signatures already verified in this lookup: the same item from K nodes is checked once. */
    private final Map<ByteBuffer, MutableItem> verified = new HashMap<>();
    private int invalid;
    /** Of the K closest known candidates, how many must have answered with the newest version for an early stop. */
    static final int AGREEING = 3;
    private boolean stopWhenClosestAgree;

    /**
     * @param immutable the value of an immutable item, if found
     * @param mutable   the highest-seq valid mutable item, if found
     * @param versions  every distinct valid mutable version seen, highest seq first (equal seqs: greater
     *                  value first), so a reader can merge versions that diverged at the same seq
     * @param closest   the K closest nodes that answered, with their tokens
     * @param invalid   values dropped because they failed verification
     */
    public record Result(Optional<byte[]> immutable, Optional<MutableItem> mutable, List<MutableItem> versions,
                         List<Candidate> closest, int invalid, int rpcs) {
    }

    /** An immutable get of {@code target}. */
    public static GetItemLookup immutable(LookupContext context, NodeId target, Runnable onInvalid) {
        return new GetItemLookup(context, target, null, null, onInvalid);
    }

    /** A mutable get of the item signed by {@code publicKey} under {@code salt}. */
    public static GetItemLookup mutable(LookupContext context, byte[] publicKey, byte[] salt, Runnable onInvalid) {
        byte[] s = salt == null ? new byte[0] : salt.clone();
        return new GetItemLookup(context, NodeId.of(Hashes.sha1(publicKey, s)), publicKey.clone(), s, onInvalid);
    }

    private GetItemLookup(LookupContext context, NodeId target, byte[] publicKey, byte[] salt, Runnable onInvalid) {
        super(context, target);
        this.publicKey = publicKey;
        this.salt = salt;
        this.onInvalid = onInvalid;
    }

    /**
     * A mutable read that may end before all K closest answered: as soon as {@value #AGREEING} of the K
     * closest candidates known (that count towards K) answered with the same newest version and none of
     * them answered with an older one (a mixed picture means a write is still spreading). The rest of the
     * K are typically dead entries still waiting for their soft timeout; a newer version would have to
     * live only on those few. Only when the lookup knows more than 2K nodes (in a tiny network the full
     * lookup costs nothing more). Not for the read before a write: a put needs the K closest nodes' tokens,
     * nor after a conflict (301/302): a write is then still spreading; read with the full lookup.
     */
    public GetItemLookup stopWhenClosestAgree() {
        stopWhenClosestAgree = true;
        return this;
    }

    private boolean isMutable() {
        return publicKey != null;
    }

    @Override
    protected Query query(Candidate candidate) {
        // Nodes holding nothing newer than best.seq - 1 skip the value; equal seqs still come back, so a
        // version that diverged at the same seq is seen too.
        return new Query.Get(target, best == null || best.seq() == Long.MIN_VALUE ? null : best.seq() - 1,
                Want.UNSPECIFIED);
    }

    @Override
    protected void onAnswer(Candidate candidate, KrpcResponse response) {
        byte[] v = response.value();
        if (v == null) {
            return;
        }
        if (!isMutable()) {
            if (Arrays.equals(Hashes.sha1(v), target.bytes()) && v.length <= dev.scout.dht.Limits.MAX_VALUE_BYTES) {
                immutableValue = v;
            } else {
                rejected();
            }
            return;
        }
        if (response.key() == null || !Arrays.equals(response.key(), publicKey) || response.signature() == null
                || response.seq() == null) {
            rejected();
            return;
        }
        MutableItem item;
        try {
            item = new MutableItem(response.key(), salt, response.seq(), v, response.signature());
        } catch (ItemException e) {
            rejected();
            return;
        }
        ByteBuffer signature = ByteBuffer.wrap(response.signature());
        MutableItem seen = verified.get(signature);
        boolean known = seen != null && seen.seq() == item.seq() && Arrays.equals(seen.value(), v);
        if (!known) {
            if (!item.verify()) {
                rejected();
                return;
            }
            verified.put(signature, item);
            if (versions.size() < MAX_VERSIONS) {
                versions.add(item);
            }
        }
        if (best == null || NEWEST_FIRST.compare(item, best) < 0) {
            // Equal seq with different values: pick the same one everywhere so readers agree.
            best = item;
        }
    }

    private void rejected() {
        invalid++;
        onInvalid.run();
    }

    @Override
    protected boolean askClosestAtOnce() {
        return best != null;
    }

    @Override
    protected boolean satisfied() {
        if (immutableValue != null) {
            return true;
        }
        // In a network of a few dozen nodes the K closest are most of it: stopping early saves nothing
        // there, and a write still spreading could make the first answers agree on the older version.
        if (!stopWhenClosestAgree || best == null || knownCount() <= 2 * RoutingTable.K) {
            return false;
        }
        int agreeing = 0;
        for (Candidate c : closestKnown(RoutingTable.K)) {
            KrpcResponse r = c.response();
            if (c.state() != Candidate.State.RESPONDED || r.seq() == null) {
                continue; // not heard from, or holds nothing
            }
            if (r.seq() != best.seq()) {
                return false;
            }
            if (r.value() != null && Arrays.equals(r.value(), best.value())) {
                agreeing++;
            }
        }
        return agreeing >= AGREEING;
    }

    /** Highest seq first; equal seqs: greater value bytes first. */
    static final Comparator<MutableItem> NEWEST_FIRST = Comparator.comparingLong(MutableItem::seq).reversed()
            .thenComparing((a, b) -> Arrays.compareUnsigned(b.value(), a.value()));

    @Override
    protected Result result(List<Candidate> responded) {
        List<MutableItem> sorted = new ArrayList<>(versions);
        sorted.sort(NEWEST_FIRST);
        return new Result(Optional.ofNullable(immutableValue), Optional.ofNullable(best), List.copyOf(sorted),
                untilKCounted(responded), invalid, rpcCount());
    }
}
