package dev.scout.session;

/** What is known about a device's NAT, as the DHT's external-address votes show it. */
public enum NatType {
    /** Not known. */
    UNKNOWN("unknown"),
    /** Publicly reachable: the external address is the socket's own. */
    NONE("no NAT"),
    /** Endpoint-independent mapping (full, restricted or port-restricted cone): hole punching works. */
    CONE("cone NAT"),
    /** A new external port per destination: the published port is useless to others. */
    SYMMETRIC("symmetric NAT");

    private final String label;

    NatType(String label) {
        this.label = label;
    }

    /**
     * The type a NAT verdict names, as {@code scout status} prints it.
     *
     * @param verdict {@code none}, {@code cone} or {@code symmetric}; anything else is unknown
     * @return the type
     */
    public static NatType ofVerdict(String verdict) {
        return switch (verdict) {
            case "none" -> NONE;
            case "cone" -> CONE;
            case "symmetric" -> SYMMETRIC;
            default -> UNKNOWN;
        };
    }

    /** {@return a short human name ("symmetric NAT")} */
    public String label() {
        return label;
    }
}
