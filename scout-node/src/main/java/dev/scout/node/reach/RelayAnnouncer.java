package dev.scout.node.reach;

import dev.scout.dht.Dht;
import dev.scout.dht.NodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Tells the DHT that this daemon relays: BEP 5 {@code announce_peer} under the one well-known
 * info-hash {@link #INFO_HASH} (docs/spec.md §7), with {@code implied_port} (the relay serves on its
 * DHT socket, so the port the storing nodes see is the right one, also behind a port-preserving
 * firewall). Announced peers live 30 minutes on the storing nodes; it is refreshed every
 * {@value #REFRESH_MILLIS} ms while the daemon serves and is publicly reachable, and retried after
 * {@value #RETRY_MILLIS} ms when no node stored it (the DHT not joined yet).
 */
final class RelayAnnouncer {
    private static final Logger LOG = LoggerFactory.getLogger(RelayAnnouncer.class);
    /** The string whose SHA-1 is the info-hash relays announce under. */
    static final String INFO_HASH_TEXT = "scout relay 1";
    /** SHA-1("scout relay 1"): where relays announce themselves and daemons behind NATs look for them. */
    static final NodeId INFO_HASH = sha1(INFO_HASH_TEXT);
    static final long REFRESH_MILLIS = 15 * 60_000L;
    static final long RETRY_MILLIS = 30_000;

    private final Dht dht;
    private long nextAt;
    private volatile boolean announced;
    private boolean inFlight;

    RelayAnnouncer(Dht dht) {
        this.dht = dht;
    }

    /** One timer step: announces when due while {@code active}; stops when not (the entries expire by themselves). */
    synchronized void tick(long nowMillis, boolean active) {
        if (!active) {
            if (announced) {
                LOG.info("no longer announcing as a relay (not publicly reachable, or not relaying)");
            }
            announced = false;
            nextAt = 0;
            return;
        }
        if (inFlight || nowMillis < nextAt) {
            return;
        }
        inFlight = true;
        dht.announce(INFO_HASH, 0).whenComplete((r, e) -> done(r == null ? 0 : r.stored(), e));
    }

    private synchronized void done(int stored, Throwable error) {
        inFlight = false;
        long now = System.currentTimeMillis();
        if (stored > 0) {
            if (!announced) {
                LOG.info("announced as a relay on the DHT ({} nodes stored it)", stored);
            }
            announced = true;
            nextAt = now + REFRESH_MILLIS;
        } else {
            LOG.info("relay announcement stored by no DHT node yet{}; again in {} s",
                    error == null ? "" : " (" + error.getMessage() + ")", RETRY_MILLIS / 1000);
            nextAt = now + RETRY_MILLIS;
        }
    }

    /** {@return whether our announcement is on the DHT (the last one was stored and is being refreshed)} */
    boolean announced() {
        return announced;
    }

    private static NodeId sha1(String s) {
        try {
            return NodeId.of(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
