package dev.scout.sqlite;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the daemon last reported, for {@code scout status}. Empty fields were never reported.
 *
 * @param lastRepublish when the daemon last re-stored records and messages
 * @param lastPoll when it last polled contacts
 * @param routingTableSize nodes in its routing table at the last report
 * @param externalAddress its external address as the DHT reported it ("ip:port", IPv6 in brackets)
 * @param updatedAt the newest update of any status value (a heartbeat)
 * @param other any other status values, by key
 */
public record DaemonStatus(Optional<Instant> lastRepublish, Optional<Instant> lastPoll, OptionalInt routingTableSize,
                           Optional<String> externalAddress, Optional<Instant> updatedAt, Map<String, String> other) {
    public DaemonStatus {
        other = Map.copyOf(other);
    }
}
