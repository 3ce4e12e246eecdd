package dev.scout.node.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * This host's interface addresses, loopback aside, as sorted text: two snapshots compare cheaply and
 * their difference reads well in a log line. Listing interfaces costs a few system calls (well under a
 * millisecond), so polling every few seconds is cheap even on a phone.
 */
final class LocalAddresses {
    private LocalAddresses() {
    }

    /** The addresses of every interface that is up, loopback aside; empty if they cannot be listed. */
    static Set<String> now() {
        Set<String> out = new TreeSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    out.add(a.getHostAddress());
                }
            }
        } catch (SocketException e) {
            // none listed: looks like no network, which is what it is to us
        }
        return out;
    }

    /** "+added -removed" between two snapshots. */
    static String difference(Set<String> before, Set<String> after) {
        String added = after.stream().filter(a -> !before.contains(a)).map(a -> "+" + a).collect(Collectors.joining(" "));
        String removed = before.stream().filter(a -> !after.contains(a)).map(a -> "-" + a).collect(Collectors.joining(" "));
        return (added + " " + removed).trim();
    }
}
