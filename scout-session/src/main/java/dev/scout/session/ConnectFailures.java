package dev.scout.session;

import dev.scout.dht.Ed25519PublicKey;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Collectors;

/** The message of a connect that got no answer: what was tried, and the likely reason. */
final class ConnectFailures {
    private ConnectFailures() {
    }

    static NoDirectPathException noPath(Ed25519PublicKey peer, List<InetSocketAddress> addresses, NatType ours,
                                        NatType peerNat, long timeoutNanos) {
        String tried = addresses.stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                .collect(Collectors.joining(", "));
        String why;
        if (ours == NatType.SYMMETRIC || peerNat == NatType.SYMMETRIC) {
            why = "a symmetric NAT gives every destination its own port, so simultaneous sends cannot meet; "
                    + "a relay is needed, and none is known for the contact (no relay found on the DHT, or --no-relay)";
        } else {
            why = "the contact is offline, does not accept us, or a NAT/firewall drops the packets";
        }
        String within = timeoutNanos % 1_000_000_000L == 0 ? timeoutNanos / 1_000_000_000L + " s"
                : timeoutNanos / 1_000_000 + " ms";
        return new NoDirectPathException("no direct path to " + peer + ": no answer from " + tried + " within "
                + within + " (NAT: ours " + ours.label() + ", theirs " + peerNat.label() + "; " + why + ")");
    }
}
