package dev.scout.dht.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Learns our external address from the BEP 42 {@code ip} field of responses. Each responder IP gets one
 * vote (its latest), so a single liar cannot outvote the rest; the address with most votes wins.
 */
final class ExternalAddressVoter {
    private static final int MAX_VOTERS = 256;
    private final Map<InetAddress, InetSocketAddress> votes = new LinkedHashMap<>();
    private InetSocketAddress winner;

    void vote(InetSocketAddress voter, InetSocketAddress reported) {
        votes.remove(voter.getAddress());
        if (votes.size() >= MAX_VOTERS) {
            votes.remove(votes.keySet().iterator().next());
        }
        votes.put(voter.getAddress(), reported);
        Map<InetSocketAddress, Integer> tally = new HashMap<>();
        int best = 0;
        for (InetSocketAddress a : votes.values()) {
            int n = tally.merge(a, 1, Integer::sum);
            if (n > best) {
                best = n;
                winner = a;
            }
        }
    }

    InetSocketAddress winner() {
        return winner;
    }
}
