package dev.scout.node.reach;

import dev.scout.node.threads.DaemonThreads;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.DatagramLink;
import dev.scout.session.NatType;
import dev.scout.session.NoDirectPathException;
import dev.scout.session.Session;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.punch.BirthdayLink;
import dev.scout.session.punch.BirthdayPunch;
import dev.scout.session.punch.ProbeSchedule;
import dev.scout.session.punch.Probing;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Birthday punching as part of a rendezvous (docs/sessions.md, "Birthday punching"): when exactly one
 * side is behind a symmetric NAT (ours from NAT awareness, theirs from the contact's connect intent or
 * relay entry), it runs alongside the usual attempt from the rendezvous time on: our extra sockets
 * (symmetric side) or our probes of the contact's IP (cone side). {@link Rendezvous} calls
 * {@link #alongside} and nothing else; the session service asks {@link #arrived} and
 * {@link #madeByBirthday} to label sessions ({@code via direct}, {@code punch birthday}).
 */
public final class BirthdayRendezvous implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BirthdayRendezvous.class);
    /** The API's {@code punch} detail of a session made this way. */
    public static final String PUNCH_BIRTHDAY = "birthday";

    private final SessionEndpoint endpoint;
    private final BirthdayLink link;
    private final ContactAddressPolicy policy;
    private final SecureRandom random = new SecureRandom();
    /** Cone side: the contact (key hex) whose IP we probe now, and the attempt's future. */
    private final Map<String, ConeAttempt> probing = new ConcurrentHashMap<>();
    /** Cone side: sessions {@link #arrived} recognised (weak: forgotten with the session). */
    private final java.util.Set<Session> recognised = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("scout-birthday");

    private record ConeAttempt(InetAddress ip, Probing probes, CompletableFuture<Session> result) {
    }

    /**
     * @param endpoint the daemon's endpoint, on {@code link}
     * @param link     the extra-socket link under the endpoint (over the DHT socket)
     * @param policy   where contacts' addresses may lead us
     */
    public BirthdayRendezvous(SessionEndpoint endpoint, BirthdayLink link, ContactAddressPolicy policy) {
        this.endpoint = endpoint;
        this.link = link;
        this.policy = policy;
    }

    /**
     * Starts birthday punching towards {@code peer} at the rendezvous time if exactly one side is symmetric.
     *
     * @param peer       the contact
     * @param ours       our NAT
     * @param theirs     the contact's NAT as its intent or relay entry says
     * @param addresses  the contact's addresses, its external one first (device entry or intent)
     * @param delayMillis until the rendezvous time
     * @return the attempt's session (completed on success; failed after ≤ 20 s), or empty when it does not apply
     */
    public Optional<CompletableFuture<Session>> alongside(Ed25519PublicKey peer, NatType ours, NatType theirs,
                                                          List<InetSocketAddress> addresses, long delayMillis) {
        if (!BirthdayPunch.applies(ours, theirs)) {
            return Optional.empty();
        }
        Optional<InetSocketAddress> target = addresses.stream()
                .filter(a -> a.getAddress() instanceof Inet4Address && policy.allows(a)).findFirst();
        if (target.isEmpty()) {
            return Optional.empty();
        }
        CompletableFuture<Session> result = new CompletableFuture<>();
        if (ours == NatType.SYMMETRIC) {
            LOG.info("birthday punching towards {} at {} in {} ms: {} extra sockets", peer, target.get(), delayMillis,
                    BirthdayPunch.SOCKETS);
            timer.schedule(() -> BirthdayPunch.fromSymmetricSide(endpoint, link, peer, target.get(), BirthdayPunch.SOCKETS,
                    BirthdayPunch.TIME).whenComplete((s, e) -> complete(result, s, e)), delayMillis, TimeUnit.MILLISECONDS);
            return Optional.of(result);
        }
        String key = peer.toHex();
        if (probing.containsKey(key)) {
            return Optional.empty(); // one attempt per contact at a time (both people's intents may meet)
        }
        InetAddress ip = target.get().getAddress();
        LOG.info("birthday punching towards {}: probing {} from the rendezvous time in {} ms", peer, ip.getHostAddress(),
                delayMillis);
        Probing probes = BirthdayPunch.probe(link, ip, policy,
                ProbeSchedule.random(ProbeSchedule.MAX_PROBES, ProbeSchedule.MAX_DURATION, random), Duration.ofMillis(delayMillis));
        ConeAttempt attempt = new ConeAttempt(ip, probes, result);
        probing.put(key, attempt);
        // the symmetric side's last initiation may still be on its way when the last probe leaves
        probes.done().thenRun(() -> timer.schedule(() -> {
            probing.remove(key, attempt);
            result.completeExceptionally(new NoDirectPathException("birthday punching: " + probes.sent()
                    + " probes of " + ip.getHostAddress() + " met none of its NAT's mappings"));
        }, 2, TimeUnit.SECONDS));
        return Optional.of(result);
    }

    private static void complete(CompletableFuture<Session> f, Session s, Throwable e) {
        if (s != null) {
            f.complete(s);
        } else {
            f.completeExceptionally(e);
        }
    }

    /**
     * A session with {@code peer} exists by another way: the probes towards it stop (the symmetric
     * side's sockets close with the attempt they joined).
     *
     * @param peer the contact
     */
    public void stop(Ed25519PublicKey peer) {
        ConeAttempt a = probing.remove(peer.toHex());
        if (a != null) {
            a.probes().stop();
            a.result().completeExceptionally(new NoDirectPathException("birthday punching stopped: a session exists"));
        }
    }

    /**
     * An incoming session arrived: if it comes from the contact we probe, from the probed IP, it is the
     * birthday attempt's, and the probes stop at once.
     *
     * @param s the session
     * @return whether it was made by birthday punching
     */
    public boolean arrived(Session s) {
        ConeAttempt a = probing.get(s.peer().toHex());
        if (a == null || !a.ip().equals(s.remoteAddress().getAddress())) {
            return false;
        }
        a.probes().stop();
        probing.remove(s.peer().toHex(), a);
        recognised.add(s);
        a.result().complete(s);
        return true;
    }

    /**
     * {@return whether {@code s} was made by birthday punching (it runs on one of our extra sockets, or
     * {@link #arrived} said so)}
     *
     * @param s a session of the endpoint
     */
    public boolean madeByBirthday(Session s) {
        return link.isExtraSocket(s.remoteAddress()) || recognised.contains(s);
    }

    @Override
    public void close() {
        probing.values().forEach(a -> a.probes().stop());
        probing.clear();
        timer.shutdownNow();
    }
}
