package dev.scout.session;

import java.time.Duration;

/**
 * Timing of a {@link SessionEndpoint}.
 *
 * @param connectTimeout how long {@code connect} tries before failing with {@link NoDirectPathException}
 * @param idleTimeout    a session whose peer sends nothing (not even keep-alive acks) this long ends
 * @param keepAlive      an idle session sends a keep-alive this often (also keeps NAT mappings open)
 */
public record SessionConfig(Duration connectTimeout, Duration idleTimeout, Duration keepAlive) {

    /** {@return 10 s to connect (so a failure is reported within the 15 s promised), 15 s idle, 5 s keep-alive} */
    public static SessionConfig defaults() {
        return new SessionConfig(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(5));
    }

    /**
     * Checks the timings.
     *
     * @param connectTimeout positive
     * @param idleTimeout    longer than {@code keepAlive}
     * @param keepAlive      positive
     * @throws IllegalArgumentException otherwise
     */
    public SessionConfig {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || idleTimeout.compareTo(keepAlive) <= 0
                || keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive and the idle timeout longer than the keep-alive");
        }
    }

    /**
     * {@return this config with another connect timeout}
     *
     * @param d the new connect timeout, positive
     */
    public SessionConfig withConnectTimeout(Duration d) {
        return new SessionConfig(d, idleTimeout, keepAlive);
    }

    /**
     * {@return this config with another idle timeout and keep-alive interval}
     *
     * @param idle the new idle timeout, longer than {@code keepAliveEvery}
     * @param keepAliveEvery the new keep-alive interval, positive
     */
    public SessionConfig withIdleTimeout(Duration idle, Duration keepAliveEvery) {
        return new SessionConfig(connectTimeout, idle, keepAliveEvery);
    }
}
