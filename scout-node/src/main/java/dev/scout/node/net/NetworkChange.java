package dev.scout.node.net;

/**
 * The network under a node changed: the one signal every part that depends on the network subscribes
 * to ({@link NetworkWatch#subscribe}): external address and NAT type, device entries, the relay
 * registration, port mappings.
 *
 * @param cause       what was noticed
 * @param description one line for the log, e.g. "local addresses changed: +10.0.0.7 -192.168.1.20"
 */
public record NetworkChange(Cause cause, String description) {
    /** What was noticed. */
    public enum Cause {
        /** An interface address appeared or went away (another Wi-Fi, a new DHCP lease, a cable). */
        LOCAL_ADDRESSES,
        /** The wall clock jumped against the monotonic clock: the machine slept and resumed. */
        RESUMED,
        /** The DHT's nodes report another external address for us (the router's WAN address changed). */
        EXTERNAL_ADDRESS,
        /** The DHT answers again after an outage (something on the way may have changed meanwhile). */
        DHT_BACK;

        /** {@return the cause's name for logs, the event stream and the status: e.g. {@code local_addresses}} */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
