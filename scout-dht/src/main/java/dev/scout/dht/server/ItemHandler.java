package dev.scout.dht.server;

import dev.scout.dht.NodeId;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.item.Hashes;
import dev.scout.dht.Limits;
import dev.scout.dht.MutableItem;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.storage.ItemStore;
import dev.scout.dht.storage.StoredItem;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Server side of BEP 44: answers {@code get} and validates and stores {@code put}. */
public final class ItemHandler {
    private NodeId ownId;
    private final TokenManager tokens;
    private final ItemStore store;
    private final PutRateLimiter rateLimiter;
    private long rejectedItems;

    public ItemHandler(NodeId ownId, TokenManager tokens, ItemStore store, PutRateLimiter rateLimiter) {
        this.ownId = ownId;
        this.tokens = tokens;
        this.store = store;
        this.rateLimiter = rateLimiter;
    }

    /** The node re-keyed (BEP 42): answers carry {@code newId} from now on. Loop thread only, like every call. */
    public void ownId(NodeId newId) {
        this.ownId = newId;
    }

    /** Puts refused because the item was invalid (bad signature, hash, size). */
    public long rejectedItems() {
        return rejectedItems;
    }

    KrpcMessage get(byte[] t, Query.Get get, InetSocketAddress from, long now, List<NodeInfo> closest) {
        byte[] token = tokens.tokenFor(from.getAddress(), now);
        Optional<StoredItem> stored = store.get(get.target(), now);
        if (stored.isEmpty()) {
            return new KrpcResponse(t, ownId, closest, null, null, token, null, null, null, null, null, null);
        }
        StoredItem item = stored.get();
        if (!item.isMutable()) {
            return new KrpcResponse(t, ownId, closest, null, null, token, item.value(), null, null, null, null, null);
        }
        MutableItem m = item.mutable();
        if (get.seq() != null && m.seq() <= get.seq()) {
            // The querier already has this version: say which seq we hold, skip the value.
            return new KrpcResponse(t, ownId, closest, null, null, token, null, null, null, m.seq(), null, null);
        }
        return new KrpcResponse(t, ownId, closest, null, null, token, m.value(), m.publicKey().bytes(), m.signature(),
                m.seq(), null, null);
    }

    KrpcMessage put(byte[] t, Query.Put put, InetSocketAddress from, long now) {
        if (!tokens.isValid(put.token(), from.getAddress(), now)) {
            return new KrpcError(t, KrpcError.PROTOCOL, "invalid token");
        }
        byte[] v = put.value();
        if (v.length > Limits.MAX_VALUE_BYTES) {
            rejectedItems++;
            return new KrpcError(t, KrpcError.VALUE_TOO_BIG, "message (v field) too big");
        }
        if (!rateLimiter.allow(from.getAddress(), now)) {
            return new KrpcError(t, KrpcError.SERVER, "too many puts, slow down");
        }
        StoredItem item;
        if (!put.mutable()) {
            item = new StoredItem(NodeId.of(Hashes.sha1(v)), v, null, now, 1);
        } else {
            if (put.salt() != null && put.salt().length > Limits.MAX_SALT_BYTES) {
                rejectedItems++;
                return new KrpcError(t, KrpcError.SALT_TOO_BIG, "salt (salt field) too big");
            }
            if (put.key() == null || put.key().length != 32 || put.signature() == null
                    || put.signature().length != 64 || put.seq() == null) {
                rejectedItems++;
                return new KrpcError(t, KrpcError.PROTOCOL, "mutable put needs k (32 bytes), sig (64 bytes) and seq");
            }
            if (put.seq() < 0) {
                rejectedItems++;
                return new KrpcError(t, KrpcError.PROTOCOL, "seq must not be negative");
            }
            MutableItem m = new MutableItem(put.key(), put.salt(), put.seq(), v, put.signature());
            Optional<StoredItem> existing = store.get(m.target(), now);
            // A byte-identical re-put of what we verified before (keep-alive refreshes) needs no new check.
            boolean alreadyVerified = existing.isPresent() && existing.get().isMutable()
                    && existing.get().mutable().seq() == m.seq()
                    && Arrays.equals(existing.get().mutable().signature(), m.signature())
                    && Arrays.equals(existing.get().mutable().value(), v)
                    && existing.get().mutable().publicKey().equals(m.publicKey());
            if (!alreadyVerified && !m.verify()) {
                rejectedItems++;
                return new KrpcError(t, KrpcError.INVALID_SIGNATURE, "invalid signature");
            }
            if (existing.isPresent() && existing.get().isMutable()) {
                MutableItem old = existing.get().mutable();
                if (put.cas() != null && put.cas() != old.seq()) {
                    return new KrpcError(t, KrpcError.CAS_MISMATCH, "CAS mismatch, re-read value and try again");
                }
                boolean identical = m.seq() == old.seq() && Arrays.equals(m.value(), old.value());
                if (m.seq() < old.seq() || m.seq() == old.seq() && !identical) {
                    return new KrpcError(t, KrpcError.SEQ_TOO_OLD, "sequence number less than current");
                }
            }
            // cas only guards a version we hold: a node that has none stores the item (as libtorrent does),
            // otherwise an item could never spread to nodes that joined after its first put.
            item = new StoredItem(m.target(), null, m, now, 1);
        }
        if (!store.put(item, from.getAddress(), now)) {
            return new KrpcError(t, KrpcError.SERVER, "storage full");
        }
        return KrpcResponse.simple(t, ownId);
    }
}
