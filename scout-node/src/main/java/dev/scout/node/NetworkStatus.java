package dev.scout.node;

import java.time.Instant;
import java.util.Optional;

/**
 * The node's connection to the network now (issue 20): whether the DHT answers, and the last change of
 * the network under it.
 *
 * @param online       whether the DHT answers (false: our outage; the node probes with backoff)
 * @param offlineSince when the current outage began
 * @param lastChange   the last network change the node noticed
 */
public record NetworkStatus(boolean online, Optional<Instant> offlineSince, Optional<Change> lastChange) {
    /**
     * One noticed change.
     *
     * @param cause       {@code local_addresses}, {@code resumed}, {@code external_address} or {@code dht_back}
     * @param description one line saying what changed
     * @param at          when it was noticed
     */
    public record Change(String cause, String description, Instant at) {
    }
}
