package dev.scout.session;

import java.time.Duration;

/**
 * Timing of a {@link SessionEndpoint}.
 *
 * @param connectTimeout how long {@code connect} tries before failing with {@link NoDirectPathException}
 * @param idleTimeout    a session whose peer sends nothing (not even keep-alive acks) this long ends
 * @param keepAlive      an idle session sends a keep-alive this often (also keeps NAT mappings open)
 * @param pathKeepEvery  after a session, a KEEP datagram goes to the contact this often, so later
 *                       connects find the NAT path open; the path is live while the contact's KEEPs
 *                       arrived within 2.5 of these intervals
 * @param pathSilence    KEEPs to a contact stop (and the path is forgotten) once it was silent this long
 */
public record SessionConfig(Duration connectTimeout, Duration idleTimeout, Duration keepAlive, Duration pathKeepEvery,
                            Duration pathSilence) {

    /**
     * {@return 10 s to connect (so a failure is reported within the 15 s promised), 15 s idle, 5 s keep-alive,
     * a path KEEP every 15 s (well inside Linux conntrack's 30 s UDP timeout), given up after 60 s of silence}
     */
    public static SessionConfig defaults() {
        return new SessionConfig(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(5));
    }

    /**
     * Default path keeping (a KEEP every 15 s, given up after 60 s of silence) with these timings.
     *
     * @param connectTimeout positive
     * @param idleTimeout    longer than {@code keepAlive}
     * @param keepAlive      positive
     */
    public SessionConfig(Duration connectTimeout, Duration idleTimeout, Duration keepAlive) {
        this(connectTimeout, idleTimeout, keepAlive, Duration.ofSeconds(15), Duration.ofSeconds(60));
    }

    /**
     * Checks the timings.
     *
     * @param connectTimeout positive
     * @param idleTimeout    longer than {@code keepAlive}
     * @param keepAlive      positive
     * @param pathKeepEvery  positive
     * @param pathSilence    longer than {@code pathKeepEvery}
     * @throws IllegalArgumentException otherwise
     */
    public SessionConfig {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || idleTimeout.compareTo(keepAlive) <= 0
                || keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive and the idle timeout longer than the keep-alive");
        }
        if (pathKeepEvery.isNegative() || pathKeepEvery.isZero() || pathSilence.compareTo(pathKeepEvery) <= 0) {
            throw new IllegalArgumentException("the path keep interval must be positive and shorter than the path silence");
        }
    }

    /**
     * {@return this config with another connect timeout}
     *
     * @param d the new connect timeout, positive
     */
    public SessionConfig withConnectTimeout(Duration d) {
        return new SessionConfig(d, idleTimeout, keepAlive, pathKeepEvery, pathSilence);
    }

    /**
     * {@return this config with another idle timeout and keep-alive interval}
     *
     * @param idle the new idle timeout, longer than {@code keepAliveEvery}
     * @param keepAliveEvery the new keep-alive interval, positive
     */
    public SessionConfig withIdleTimeout(Duration idle, Duration keepAliveEvery) {
        return new SessionConfig(connectTimeout, idle, keepAliveEvery, pathKeepEvery, pathSilence);
    }

    /**
     * {@return this config with other path-keeping timings (docs/sessions.md, "Kept-open NAT permission")}
     *
     * @param every a KEEP to each contact with a path this often, positive
     * @param silence stop and forget the path once the contact was silent this long, longer than {@code every}
     */
    public SessionConfig withPathKeeping(Duration every, Duration silence) {
        return new SessionConfig(connectTimeout, idleTimeout, keepAlive, every, silence);
    }
}
