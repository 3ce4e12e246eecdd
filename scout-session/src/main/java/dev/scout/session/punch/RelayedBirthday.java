package dev.scout.session.punch;

import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.NoDirectPathException;
import dev.scout.session.PathProbes;
import dev.scout.session.Session;
import dev.scout.session.path.VirtualAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Birthday punching alongside a session that runs through a relay (docs/sessions.md, "Birthday
 * punching"): the same session moves to the direct path, no second one is made. Users get data
 * through the relay at once; the direct path replaces it when a probe meets a mapping.
 * <ul>
 * <li>The <b>symmetric</b> side ({@link #fromSymmetricSide}) opens extra sockets towards the cone
 *     side's address and sends one of the session's probes from each, so its NAT holds that many
 *     mappings towards the cone side.</li>
 * <li>The <b>cone</b> side ({@link #fromConeSide}) sends the session's probes to random ports of the
 *     symmetric side's IP ({@link ProbeSchedule}: ≤ 2,048 in ≤ 20 s).</li>
 * </ul>
 * A probe that hits a mapping reaches its extra socket; the session authenticates it and moves there
 * (the socket's virtual address is a direct path, {@link PathProbes#directRoutes}), answers on it, and
 * the cone side, hearing the answer from the symmetric NAT's mapping, moves too. That socket is kept,
 * every other one closes at once. Only authenticated packets move a session.
 */
public final class RelayedBirthday {
    /** Attempts per relayed session at most: a miss (≈ 0.03 % each in theory, more on a real network) is tried again. */
    public static final int ATTEMPTS = 3;
    /** Between the end of a missed attempt and the next. */
    public static final Duration PAUSE = Duration.ofSeconds(5);

    private RelayedBirthday() {
    }

    /**
     * The symmetric side of a relayed session, with up to {@code attempts} attempts: after a miss, and a
     * {@code pause}, while the session still runs through the relay, new extra sockets open and our
     * addresses go to the peer again ({@link PathProbes#resendCandidates}), which starts the cone side's
     * probes anew ({@link #fromConeSide(Session, ContactAddressPolicy, Supplier, int, BiConsumer)}).
     *
     * @param session a session with the contact (running through a relay)
     * @param link the extra-socket link under the session's endpoint
     * @param coneAddress the contact's published address (behind its cone NAT)
     * @param sockets 1..{@value BirthdayLink#MAX_SOCKETS}
     * @param timeout each attempt's, at most {@link BirthdayPunch#TIME}
     * @param attempts at least 1
     * @param pause between a miss and the next attempt
     * @return completes with the extra socket the session moved to; fails as the last attempt did
     */
    public static CompletableFuture<InetSocketAddress> fromSymmetricSide(Session session, BirthdayLink link,
                                                                         InetSocketAddress coneAddress, int sockets,
                                                                         Duration timeout, int attempts, Duration pause) {
        if (attempts < 1) {
            throw new IllegalArgumentException("at least one attempt, not " + attempts);
        }
        CompletableFuture<InetSocketAddress> out = new CompletableFuture<>();
        attempt(session, link, coneAddress, sockets, timeout, attempts, pause, 1, out);
        return out;
    }

    private static void attempt(Session session, BirthdayLink link, InetSocketAddress coneAddress, int sockets, Duration timeout,
                                int attempts, Duration pause, int n, CompletableFuture<InetSocketAddress> out) {
        CompletableFuture<InetSocketAddress> one = fromSymmetricSide(session, link, coneAddress, sockets, timeout);
        if (n > 1) {
            PathProbes.resendCandidates(session); // the sockets are open: the peer's probes may start
        }
        one.whenComplete((winner, e) -> {
            if (winner != null) {
                out.complete(winner);
            } else if (n < attempts && !session.closed().isDone() && VirtualAddresses.isVirtual(session.remoteAddress())
                    && !link.isExtraSocket(session.remoteAddress())) {
                CompletableFuture.delayedExecutor(pause.toNanos(), TimeUnit.NANOSECONDS).execute(() ->
                        attempt(session, link, coneAddress, sockets, timeout, attempts, pause, n + 1, out));
            } else {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                out.completeExceptionally(n > 1 && cause instanceof NoDirectPathException
                        ? new NoDirectPathException(cause.getMessage() + " (attempt " + n + " of " + attempts + ")") : cause);
            }
        });
    }

    /**
     * The cone side of a relayed session, with up to {@code attempts} attempts: each time the peer names
     * its addresses while the session is relayed (its first {@code CANDIDATES}, or one it sends again for
     * a new attempt), and no probing of ours runs, probes random ports of the first allowed IPv4 address
     * anew ({@link #fromConeSide(Session, InetAddress, ContactAddressPolicy, ProbeSchedule, Duration)}).
     *
     * @param session a session with the contact (running through a relay)
     * @param policy where the peer's addresses may lead us
     * @param schedules a new schedule per attempt
     * @param attempts at most this many
     * @param started hears each attempt's target and probes (for the log)
     */
    public static void fromConeSide(Session session, ContactAddressPolicy policy, Supplier<ProbeSchedule> schedules,
                                    int attempts, BiConsumer<InetAddress, Probing> started) {
        ConeAttempts a = new ConeAttempts(session, policy, schedules, attempts, started);
        PathProbes.onPeerCandidates(session, a::named);
        PathProbes.peerAddresses(session).thenAccept(a::named); // named before we listened
    }

    /**
     * The symmetric side of a relayed session.
     *
     * @param session a session with the contact (running through a relay)
     * @param link the extra-socket link under the session's endpoint
     * @param coneAddress the contact's published address (behind its cone NAT)
     * @param sockets 1..{@value BirthdayLink#MAX_SOCKETS}
     * @param timeout at most {@link BirthdayPunch#TIME}
     * @return completes with the extra socket's virtual address the session moved to; fails with
     *         {@link NoDirectPathException} after the timeout (all sockets closed, the session stays on the
     *         relay), with the reason the sockets could not be opened, or when the session ended
     */
    public static CompletableFuture<InetSocketAddress> fromSymmetricSide(Session session, BirthdayLink link,
                                                                         InetSocketAddress coneAddress, int sockets,
                                                                         Duration timeout) {
        if (timeout.compareTo(BirthdayPunch.TIME) > 0) {
            throw new IllegalArgumentException("a birthday attempt lasts at most " + BirthdayPunch.TIME.toSeconds() + " s");
        }
        BirthdayLink.SocketSet set;
        try {
            set = link.open(coneAddress, sockets);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<InetSocketAddress> taken = PathProbes.directRoutes(session, set.addresses());
        PathProbes.send(session, set.addresses()); // one each: opens the mappings (BirthdayLink holds later ones back)
        session.closed().whenComplete((v, e) -> taken.completeExceptionally(
                new NoDirectPathException("the session ended during birthday punching")));
        CompletableFuture<InetSocketAddress> out = new CompletableFuture<>();
        taken.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenCompleteAsync((winner, e) -> {
            if (winner != null) {
                // every other socket closes now; this one outlives the session as its kept-open path's (the
                // next connect then takes one round trip) and closes after 60 s of silence (BirthdayLink)
                set.keep(winner);
                out.complete(winner);
                return;
            }
            set.close();
            PathProbes.dropDirectRoutes(session);
            out.completeExceptionally(e instanceof TimeoutException
                    ? new NoDirectPathException("birthday punching: no probe met any of " + sockets
                            + " mappings within " + timeout.toSeconds() + " s; the session stays on the relay")
                    : e);
        });
        return out;
    }

    /**
     * The cone side of a relayed session: as {@link BirthdayPunch#probe}, but each probe is one of the
     * session's own (authenticated), and they stop once the session runs direct or ended.
     *
     * @param session a session with the contact (running through a relay)
     * @param symmetricIp the contact's public IP (its {@code CANDIDATES})
     * @param policy the IP must pass it
     * @param schedule ports and pace
     * @param delay until the first probe
     * @return the running probes
     * @throws IllegalArgumentException if the policy refuses the IP
     */
    public static Probing fromConeSide(Session session, InetAddress symmetricIp, ContactAddressPolicy policy,
                                       ProbeSchedule schedule, Duration delay) {
        BirthdayPunch.requireAllowed(symmetricIp, policy);
        AtomicReference<Probing> self = new AtomicReference<>();
        Probing p = Probing.start(to -> {
            if (session.closed().isDone() || !VirtualAddresses.isVirtual(session.remoteAddress())) {
                Probing me = self.get();
                if (me != null) {
                    me.stop(); // direct already (or over): nothing more to find
                }
                return;
            }
            PathProbes.send(session, List.of(to));
        }, symmetricIp, schedule, delay);
        self.set(p);
        session.closed().whenComplete((v, e) -> p.stop());
        return p;
    }
}
