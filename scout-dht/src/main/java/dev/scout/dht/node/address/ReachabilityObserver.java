package dev.scout.dht.node.address;

import dev.scout.dht.Reachability;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * What a node learns about its own reachability: the address responders say they see (BEP 42
 * {@code ip} votes) and, once observing, the queries that came from addresses it had not recently
 * sent to (unsolicited ones reach only a reachable node). Loop thread only.
 */
public final class ReachabilityObserver {
    private final LongSupplier clock;
    private final ExternalAddressVoter externalAddress = new ExternalAddressVoter();
    /** Null unless {@link #observe()} was called: simulations of many nodes pay nothing. */
    private RecentDestinations recentDestinations;
    private long unsolicitedQueries;

    public ReachabilityObserver(LongSupplier clock) {
        this.clock = clock;
    }

    /** Starts counting unsolicited queries; costs one map entry per recent destination. */
    public void observe() {
        if (recentDestinations == null) {
            recentDestinations = new RecentDestinations();
        }
    }

    public void queriedBy(InetSocketAddress from) {
        if (recentDestinations != null && !recentDestinations.contains(from, clock.getAsLong())) {
            unsolicitedQueries++;
        }
    }

    public void sentTo(InetSocketAddress to) {
        if (recentDestinations != null) {
            recentDestinations.sent(to, clock.getAsLong());
        }
    }

    /** A responder's report ({@code ip}) of the address it sees us at. */
    public void vote(InetSocketAddress responder, InetSocketAddress reported) {
        externalAddress.vote(responder, reported);
    }

    /** Forgets the external address votes: after a network change they are learned afresh. */
    public void forgetVotes() {
        externalAddress.clear();
    }

    public InetSocketAddress externalAddress() {
        return externalAddress.winner();
    }

    /** Whether enough responders agree on {@code ip} as ours (see {@link ExternalAddressVoter#settledIp}). */
    public boolean settledIp(InetAddress ip, int minVoters) {
        return externalAddress.settledIp(ip, minVoters);
    }

    public Reachability reachability(boolean readOnly) {
        return new Reachability(unsolicitedQueries, externalAddress.tally(), readOnly);
    }
}
