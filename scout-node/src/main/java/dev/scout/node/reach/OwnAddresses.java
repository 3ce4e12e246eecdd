package dev.scout.node.reach;

import dev.scout.dht.udp.DualStackNode;
import dev.scout.node.nat.NatAwareness;

import java.net.InetSocketAddress;
import java.util.List;

/** Whether an address is this daemon's own (a relay announced at it is us: never our home relay). */
public final class OwnAddresses {
    private OwnAddresses() {
    }

    /**
     * @param a        an address, e.g. one announced as a relay
     * @param node     our DHT node
     * @param external our addresses as others see them
     * @return whether {@code a} is one of our sockets: on a port of ours at one of this host's addresses, or external
     */
    public static boolean isOurs(InetSocketAddress a, DualStackNode node, List<InetSocketAddress> external) {
        if (external.contains(a)) {
            return true;
        }
        for (InetSocketAddress local : node.localAddresses()) {
            if (local.getPort() == a.getPort() && (local.getAddress().equals(a.getAddress())
                    || a.getAddress().isLoopbackAddress() || NatAwareness.localAddresses().contains(a.getAddress()))) {
                return true;
            }
        }
        return false;
    }
}
