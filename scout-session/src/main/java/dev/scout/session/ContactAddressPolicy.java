package dev.scout.session;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Optional;

/**
 * Which addresses a contact may make this daemon send to (docs/sessions.md, "Addresses from contacts"):
 * the one check for every address a contact supplies (connect intents, relay entries), so a contact
 * cannot aim our datagrams at arbitrary targets. Never allowed: port 0, the unspecified address,
 * multicast, broadcast and reserved IPv4 (0/8, 240/4), link-local (169.254/16, fe80::/10) and the
 * discard-only prefix 100::/64 (our own virtual addresses for relayed peers). Loopback and private
 * networks (10/8, 172.16/12, 192.168/16, the carrier-grade NAT range 100.64/10, fc00::/7 and the old
 * fec0::/10) are allowed only when this node itself is on such a network: {@link #forHost}.
 */
public enum ContactAddressPolicy {
    /** Public addresses only: a node with public addresses only. */
    PUBLIC_ONLY,
    /** Public and private networks: a node on a LAN (a home behind a NAT; the NAT lab). */
    ALLOW_PRIVATE,
    /** Public, private and loopback: a node whose DHT is on loopback (a test network). */
    ALLOW_LOOPBACK;

    /**
     * The policy for a node: loopback if any bootstrap address is loopback (a test network on this
     * host), private networks if any of this host's non-loopback addresses is on one, else public only.
     *
     * @param ownAddresses this host's interface addresses (loopback ones are ignored)
     * @param bootstrap    the resolved addresses of the DHT nodes the node bootstraps from
     * @return the policy
     */
    public static ContactAddressPolicy forHost(Collection<InetAddress> ownAddresses, Collection<InetAddress> bootstrap) {
        if (bootstrap.stream().anyMatch(InetAddress::isLoopbackAddress)) {
            return ALLOW_LOOPBACK;
        }
        return ownAddresses.stream().anyMatch(a -> !a.isLoopbackAddress() && isPrivate(a)) ? ALLOW_PRIVATE : PUBLIC_ONLY;
    }

    /**
     * {@return why {@code address} is refused under this policy, or empty if it is allowed}
     *
     * @param address a resolved address from a contact
     */
    public Optional<String> refusal(InetSocketAddress address) {
        if (address.isUnresolved()) {
            return Optional.of("unresolved address");
        }
        InetAddress a = address.getAddress();
        String what = a.getHostAddress() + ":" + address.getPort();
        if (address.getPort() == 0) {
            return Optional.of("port 0 in " + what);
        }
        if (a.isAnyLocalAddress()) {
            return Optional.of("unspecified address " + what);
        }
        if (a.isMulticastAddress()) {
            return Optional.of("multicast address " + what);
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address && ((b[0] & 0xFF) == 0 || (b[0] & 0xF0) == 0xF0)) {
            return Optional.of("broadcast or reserved address " + what);
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("link-local address " + what);
        }
        if (b.length == 16 && b[0] == 1 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) {
            return Optional.of("discard-only address " + what);
        }
        if (a.isLoopbackAddress()) {
            return this == ALLOW_LOOPBACK ? Optional.empty() : Optional.of("loopback address " + what + " (this node is not on a test network)");
        }
        if (isPrivate(a)) {
            return this != PUBLIC_ONLY ? Optional.empty() : Optional.of("private address " + what + " (this node is on no private network)");
        }
        return Optional.empty();
    }

    /**
     * {@return whether {@code address} is allowed}
     *
     * @param address a resolved address from a contact
     */
    public boolean allows(InetSocketAddress address) {
        return refusal(address).isEmpty();
    }

    /** RFC 1918, RFC 6598 (100.64/10), fc00::/7 and fec0::/10. */
    static boolean isPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return a.isSiteLocalAddress() || (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
        }
        return (b[0] & 0xFE) == 0xFC || a.isSiteLocalAddress();
    }
}
