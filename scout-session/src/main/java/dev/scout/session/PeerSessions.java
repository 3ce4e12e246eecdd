package dev.scout.session;

import dev.scout.dht.Ed25519PublicKey;
import java.util.HashMap;
import java.util.Map;

/**
 * How many sessions each peer has (both roles) and how many of them are unconfirmed responder
 * sessions (half-open: we answered, the initiator has not yet proved it holds the keys), kept as
 * counters so checking a cap costs O(1) per initiation. Loop thread only.
 */
final class PeerSessions {
    private final Map<Long, Connection> counted = new HashMap<>();
    private final Map<Long, Connection> unconfirmed = new HashMap<>();
    private final Map<Ed25519PublicKey, int[]> perPeer = new HashMap<>(); // {sessions, unconfirmed}

    void added(Connection c) {
        if (counted.put(c.localId, c) != null) {
            return;
        }
        int[] n = perPeer.computeIfAbsent(c.peer(), k -> new int[2]);
        n[0]++;
        if (!c.confirmed()) {
            unconfirmed.put(c.localId, c);
            n[1]++;
        }
    }

    void confirmed(Connection c) {
        if (unconfirmed.remove(c.localId, c)) {
            perPeer.get(c.peer())[1]--;
        }
    }

    void removed(Connection c) {
        if (!counted.remove(c.localId, c)) {
            return;
        }
        confirmed(c);
        int[] n = perPeer.get(c.peer());
        if (--n[0] == 0) {
            perPeer.remove(c.peer());
        }
    }

    int sessions(Ed25519PublicKey peer) {
        int[] n = perPeer.get(peer);
        return n == null ? 0 : n[0];
    }

    int unconfirmed(Ed25519PublicKey peer) {
        int[] n = perPeer.get(peer);
        return n == null ? 0 : n[1];
    }

    int unconfirmedTotal() {
        return unconfirmed.size();
    }
}
