package dev.scout.dht;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * A datagram the operating system refused to send, kept so that an error can say why a node stayed
 * silent: "no IPv6 route" (ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL) is not "no answer".
 *
 * @param to     where the datagram was going
 * @param reason the operating system's words, e.g. "Network is unreachable"
 * @param noRoute true when the host has no route (or no socket) for {@code to}'s address family
 */
public record SendFailure(InetSocketAddress to, String reason, boolean noRoute) {

    /**
     * Classifies a refused send.
     *
     * @param to where the datagram was going
     * @param e what the operating system said
     * @return the failure, {@code noRoute} when the words say the family has no route
     */
    public static SendFailure of(InetSocketAddress to, Exception e) {
        if (e instanceof UnsupportedAddressTypeException) {
            return new SendFailure(to, "this socket cannot send to that address family", true);
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lower = m.toLowerCase(java.util.Locale.ROOT);
        boolean noRoute = lower.contains("unreachable") || lower.contains("no route")
                || lower.contains("cannot assign requested address") || lower.contains("protocol family");
        return new SendFailure(to, m, noRoute);
    }

    /**
     * One readable line, e.g. {@code no IPv6 route to [fd00::1]:6881 (Network is unreachable)}.
     *
     * @return the line
     */
    public String describe() {
        String family = to.getAddress() instanceof Inet6Address ? "IPv6" : "IPv4";
        return (noRoute ? "no " + family + " route to " : "could not send to ") + Addresses.format(to) + " (" + reason + ")";
    }
}
