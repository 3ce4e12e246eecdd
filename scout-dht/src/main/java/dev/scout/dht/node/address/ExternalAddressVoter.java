package dev.scout.dht.node.address;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Learns our external address from the BEP 42 {@code ip} field of responses. Each responder IP gets one
 * vote (its latest), so a single liar cannot outvote the rest; the address with most votes wins.
 *
 * <p>The tally is kept up to date per vote (O(1)) instead of being recounted from all votes, and equal
 * reported addresses share one object, so a full table of votes costs one map entry each.
 */
public final class ExternalAddressVoter {
    private static final int MAX_VOTERS = 256;
    private final Map<InetAddress, InetSocketAddress> votes = new LinkedHashMap<>();
    private final Map<InetSocketAddress, Count> tally = new HashMap<>();
    /** Voters per reported IP, ports aside: behind a symmetric NAT each responder sees another port. */
    private final Map<InetAddress, Integer> ipTally = new HashMap<>();
    private InetSocketAddress winner;
    private int winnerVotes;

    /** Votes for one address; {@code address} is the one object all its votes share. */
    private static final class Count {
        public final InetSocketAddress address;
        public int n;

        public Count(InetSocketAddress address) {
            this.address = address;
        }
    }

    public void vote(InetSocketAddress voter, InetSocketAddress reported) {
        InetSocketAddress previous = votes.remove(voter.getAddress());
        if (previous != null) {
            unvote(previous);
        } else if (votes.size() >= MAX_VOTERS) {
            Iterator<InetSocketAddress> oldest = votes.values().iterator();
            unvote(oldest.next());
            oldest.remove();
        }
        ipTally.merge(reported.getAddress(), 1, Integer::sum);
        Count count = tally.computeIfAbsent(reported, Count::new);
        reported = count.address;
        votes.put(voter.getAddress(), reported);
        count.n++;
        if (count.n > winnerVotes || reported.equals(winner)) {
            winner = reported;
            winnerVotes = count.n;
        }
    }

    private void unvote(InetSocketAddress a) {
        ipTally.computeIfPresent(a.getAddress(), (ip, n) -> n > 1 ? n - 1 : null);
        Count c = tally.get(a);
        if (c != null && --c.n == 0) {
            tally.remove(a);
        }
        if (a.equals(winner)) {
            // the leader lost a vote: it may no longer lead
            winnerVotes--;
            for (Count c2 : tally.values()) {
                if (c2.n > winnerVotes) {
                    winner = c2.address;
                    winnerVotes = c2.n;
                }
            }
            if (winnerVotes <= 0 && tally.isEmpty()) {
                winner = null;
                winnerVotes = 0;
            }
        }
    }

    /** Forgets every vote (the network changed: the old address may no longer be ours). */
    public void clear() {
        votes.clear();
        tally.clear();
        ipTally.clear();
        winner = null;
        winnerVotes = 0;
    }

    public InetSocketAddress winner() {
        return winner;
    }

    /**
     * Whether {@code ip} is our settled external IP: at least {@code minVoters} responders report it
     * (whatever port each sees) and they are more than half of all current voters (a plurality among
     * scattered reports is not enough). O(1).
     */
    public boolean settledIp(InetAddress ip, int minVoters) {
        int n = ipTally.getOrDefault(ip, 0);
        return n >= minVoters && 2 * n > votes.size();
    }

    /** Every reported address with its number of voters (a copy). */
    public java.util.Map<InetSocketAddress, Integer> tally() {
        java.util.Map<InetSocketAddress, Integer> out = new HashMap<>();
        tally.forEach((a, c) -> out.put(a, c.n));
        return out;
    }
}
