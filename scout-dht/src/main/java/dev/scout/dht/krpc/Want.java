package dev.scout.dht.krpc;

/**
 * BEP 32 {@code want}: which address families the querier wants nodes for. When the querier sends no
 * {@code want}, a node answers with the family of the socket the query arrived on.
 */
public record Want(boolean ipv4, boolean ipv6) {
    public static final Want UNSPECIFIED = new Want(false, false);

    public boolean specified() {
        return ipv4 || ipv6;
    }
}
