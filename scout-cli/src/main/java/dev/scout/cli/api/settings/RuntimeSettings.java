package dev.scout.cli.api.settings;

import dev.scout.cli.api.ApiException;
import dev.scout.cli.api.Jackson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.BiConsumer;

/**
 * The daemon's intervals that {@code PATCH /v1/settings} changes while it runs: how often it polls
 * contacts and how often it re-stores what must stay in the DHT. They start from the command-line
 * options and last until the daemon stops. Read by the daemon's loop at every turn.
 */
public final class RuntimeSettings {
    /** Bounds (seconds): as the command-line options, and at most a day. */
    static final long MIN_POLL = 1;
    static final long MIN_REPUBLISH = 10;
    static final long MAX_SECONDS = 86_400;

    private volatile long pollSeconds;
    private volatile long republishSeconds;

    private final BiConsumer<Long, Long> apply;

    public RuntimeSettings(long pollSeconds, long republishSeconds) {
        this(pollSeconds, republishSeconds, (p, r) -> { });
    }

    /** @param apply told every change (poll seconds, republish seconds): the node's loops */
    public RuntimeSettings(long pollSeconds, long republishSeconds, BiConsumer<Long, Long> apply) {
        this.pollSeconds = pollSeconds;
        this.republishSeconds = republishSeconds;
        this.apply = apply;
    }

    public long pollMillis() {
        return pollSeconds * 1000;
    }

    public long republishMillis() {
        return republishSeconds * 1000;
    }

    synchronized void pollSeconds(long seconds) {
        pollSeconds = check("poll_interval_seconds", seconds, MIN_POLL);
        apply.accept(pollSeconds, republishSeconds);
    }

    synchronized void republishSeconds(long seconds) {
        republishSeconds = check("republish_interval_seconds", seconds, MIN_REPUBLISH);
        apply.accept(pollSeconds, republishSeconds);
    }

    private static long check(String field, long seconds, long min) {
        if (seconds < min || seconds > MAX_SECONDS) {
            throw ApiException.badRequest("invalid_field", "\"" + field + "\" must be from " + min + " to " + MAX_SECONDS + " seconds");
        }
        return seconds;
    }

    /** {"poll_interval_seconds", "republish_interval_seconds"}. */
    public ObjectNode json() {
        return Jackson.object().put("poll_interval_seconds", pollSeconds).put("republish_interval_seconds", republishSeconds);
    }
}
