package dev.scout.dht.routing;

import dev.scout.dht.NodeId;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Up to K live entries plus a replacement cache of up to K candidates, newest last. */
final class Bucket {
    final List<RoutingEntry> entries = new ArrayList<>(RoutingTable.K);
    final List<RoutingEntry> replacements = new ArrayList<>(RoutingTable.K);
    long lastChanged;

    Bucket(long now) {
        this.lastChanged = now;
    }

    RoutingEntry find(NodeId id) {
        for (RoutingEntry e : entries) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        return null;
    }

    RoutingEntry findReplacement(NodeId id) {
        for (RoutingEntry e : replacements) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        return null;
    }

    RoutingEntry findByAddress(InetSocketAddress address) {
        for (RoutingEntry e : entries) {
            if (e.hasAddress(address)) {
                return e;
            }
        }
        return null;
    }

    boolean full() {
        return entries.size() >= RoutingTable.K;
    }

    void addReplacement(RoutingEntry entry) {
        replacements.removeIf(r -> r.id().equals(entry.id()));
        if (replacements.size() >= RoutingTable.K) {
            replacements.remove(0);
        }
        replacements.add(entry);
    }

    /** The most recently heard replacement that has answered us, if any. */
    RoutingEntry bestReplacement() {
        for (int i = replacements.size() - 1; i >= 0; i--) {
            if (replacements.get(i).lastResponse() >= 0) {
                return replacements.get(i);
            }
        }
        return null;
    }
}
