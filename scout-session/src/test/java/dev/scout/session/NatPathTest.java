package dev.scout.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.handshake.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kept-open NAT permissions (PathKeeper) between endpoints on real UDP sockets on 127.0.0.1: KEEP
 * datagrams after a session, liveness and giving up after silence, forged tokens, removed contacts.
 * Timings are short (a KEEP every 150 ms); every wait is on a condition.
 */
class NatPathTest {
    private static final Duration EVERY = Duration.ofMillis(150);
    private static final Duration SILENCE = Duration.ofMillis(1_200);
    private final List<Peers> all = new CopyOnWriteArrayList<>();
    /** KEEP datagrams sent, per (sender's port, destination). */
    private final Map<String, AtomicLong> keepsSent = new ConcurrentHashMap<>();
    private final Map<Peers, InetSocketAddress> addresses = new ConcurrentHashMap<>(); // also once closed

    @AfterEach
    void closeAll() {
        all.forEach(Peers::close);
    }

    private Peers peer(SessionConfig config) throws IOException {
        Peers p = new Peers(config);
        all.add(p);
        addresses.put(p, p.address());
        String from = String.valueOf(p.address().getPort());
        p.tap.outgoing = (b, to) -> {
            if (b[0] == Wire.KEEP) {
                keepsSent.computeIfAbsent(from + ">" + to, k -> new AtomicLong()).incrementAndGet();
            }
            return List.of(b);
        };
        return p;
    }

    private long keeps(Peers from, Peers to) {
        AtomicLong n = keepsSent.get(addresses.get(from).getPort() + ">" + addresses.get(to));
        return n == null ? 0 : n.get();
    }

    private Peers[] pair(SessionConfig config) throws IOException {
        Peers[] p = {peer(config), peer(config)};
        p[0].trust(p[1]);
        p[1].trust(p[0]);
        return p;
    }

    private static SessionConfig quick() {
        return Peers.fast().withPathKeeping(EVERY, SILENCE);
    }

    /** A session from {@code a} to {@code b}, closed again; returns once both sides had it. */
    private static void session(Peers a, Peers b) throws Exception {
        Session s = a.endpoint.connect(b.key(), List.of(b.address())).get(5, TimeUnit.SECONDS);
        Session theirs = b.incoming.poll(5, TimeUnit.SECONDS);
        assertThat(theirs).isNotNull();
        s.close();
        theirs.closed().get(5, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Runs nothing on the endpoint's loop and returns when it did: everything queued before has been handled. */
    private static void drained(SessionEndpoint e) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        e.runOnLoop(() -> done.complete(null));
        done.get(5, TimeUnit.SECONDS);
    }

    @Test
    void afterASessionBothSidesKeepThePathOpenAndSeeItLive() throws Exception {
        Peers[] p = pair(quick());
        assertThat(p[0].endpoint.livePath(p[1].key())).isEmpty();
        session(p[0], p[1]);
        // The session is over; KEEPs flow both ways to the addresses the session saw, and count as heard.
        await("KEEPs both ways", () -> keeps(p[0], p[1]) >= 5 && keeps(p[1], p[0]) >= 5);
        await("live both ways", () -> p[0].endpoint.livePath(p[1].key()).equals(Optional.of(p[1].address()))
                && p[1].endpoint.livePath(p[0].key()).equals(Optional.of(p[0].address())));
        long heard = p[0].endpoint.paths.path(p[1].key()).orElseThrow().heard;
        await("a KEEP from b heard", () -> p[0].endpoint.paths.path(p[1].key()).orElseThrow().heard != heard);
        // A connect to the live path is one round trip to that address.
        Session again = p[1].endpoint.connect(p[0].key(), List.of(p[1].endpoint.livePath(p[0].key()).orElseThrow()),
                NatType.CONE, Duration.ofSeconds(3)).get(5, TimeUnit.SECONDS);
        assertThat(again.remoteAddress()).isEqualTo(p[0].address());
        again.close();
        forgetOnRequest(p[0], p[1].key());
    }

    @Test
    void aSilentPeersPathStopsBeingLiveThenIsForgottenAndGetsNoMoreKeeps() throws Exception {
        Peers a = peer(quick());
        Peers b = peer(quick());
        Peers clock = peer(quick()); // a second contact whose KEEPs show that time passes for a
        for (Peers other : List.of(b, clock)) {
            a.trust(other);
            other.trust(a);
            session(other, a);
        }
        await("b's path live at a", () -> a.endpoint.livePath(b.key()).isPresent() && keeps(b, a) >= 2);
        b.close(); // b vanishes without a word
        await("b's path no longer live", () -> a.endpoint.livePath(b.key()).isEmpty());
        assertThat(a.endpoint.paths.path(b.key())).as("not live, but still kept a while").isPresent();
        await("b's path forgotten", () -> a.endpoint.paths.path(b.key()).isEmpty());
        long toB = keeps(a, b);
        long toClock = keeps(a, clock);
        await("three more KEEP rounds at a", () -> keeps(a, clock) >= toClock + 3);
        assertThat(keeps(a, b)).as("KEEPs to the silent peer stopped").isEqualTo(toB);
        assertThat(a.endpoint.paths.path(clock.key())).as("the other contact's path stays").isPresent();
    }

    @Test
    void forgedOrMisplacedKeepsAreClaimedButChangeNothing() throws Exception {
        // One KEEP round per hour: within the test only our injected datagrams can touch the path.
        SessionConfig slow = Peers.fast().withPathKeeping(Duration.ofHours(1), Duration.ofHours(2));
        Peers[] p = pair(slow);
        session(p[0], p[1]);
        Peers a = p[0];
        Peers b = p[1];
        await("both paths", () -> a.endpoint.paths.path(b.key()).isPresent() && b.endpoint.paths.path(a.key()).isPresent());
        PathKeeper.Path path = a.endpoint.paths.path(b.key()).orElseThrow();
        byte[] genuine = b.endpoint.paths.path(a.key()).orElseThrow().keep;
        long heard = path.heard;

        byte[] unknown = new byte[Wire.KEEP_LENGTH];
        unknown[0] = Wire.KEEP;
        for (int i = 1; i < unknown.length; i++) {
            unknown[i] = (byte) (i * 37);
        }
        byte[] sameIndexWrongTail = genuine.clone();
        sameIndexWrongTail[Wire.KEEP_LENGTH - 1] ^= 1;
        byte[] ours = path.keep.clone(); // a's own KEEP reflected back: the other direction's token
        // Claimed (never handed to the DHT: no KRPC starts with 0xF4) and without effect; so is the
        // genuine token from another address (someone who saw it on the wire).
        InetSocketAddress elsewhere = new InetSocketAddress("127.0.0.1", b.address().getPort() ^ 1);
        for (byte[] forged : List.of(unknown, sameIndexWrongTail, ours)) {
            assertThat(a.endpoint.claim(forged.clone(), forged.length, b.address())).isTrue();
        }
        assertThat(a.endpoint.claim(genuine.clone(), genuine.length, elsewhere)).isTrue();
        drained(a.endpoint); // whatever claim queued has been handled
        assertThat(path.heard).isEqualTo(heard);
        // The same forgeries over the wire, then the genuine KEEP from b's own socket: only that one counts.
        b.tap.inject(sameIndexWrongTail, a.address());
        b.tap.inject(unknown, a.address());
        b.tap.inject(genuine, a.address());
        await("the genuine KEEP heard", () -> path.heard != heard);
        assertThat(a.endpoint.paths.path(b.key())).containsSame(path);
        // A KEEP of the wrong length is not ours: the DHT gets it.
        assertThat(a.endpoint.claim(java.util.Arrays.copyOf(genuine, Wire.KEEP_LENGTH + 1), Wire.KEEP_LENGTH + 1,
                b.address())).isFalse();
    }

    @Test
    void aRemovedContactsPathIsDroppedAndItsKeepsIgnored() throws Exception {
        Peers[] p = pair(quick());
        Peers clock = peer(quick()); // a second contact whose KEEPs show that a's keep rounds go on
        p[0].trust(clock);
        clock.trust(p[0]);
        session(p[0], p[1]);
        session(clock, p[0]);
        Ed25519PublicKey bob = p[1].key();
        await("path live", () -> p[0].endpoint.livePath(bob).isPresent());
        p[0].contacts.remove(bob); // contacts remove (or bob's key replaced)
        assertThat(p[0].endpoint.livePath(bob)).isEmpty();
        await("path forgotten at the next KEEP round", () -> p[0].endpoint.paths.path(bob).isEmpty());
        long sent = keeps(p[0], p[1]);
        long rounds = keeps(p[0], clock);
        await("three more KEEP rounds at a", () -> keeps(p[0], clock) >= rounds + 3);
        assertThat(keeps(p[0], p[1])).as("no KEEPs to the removed contact").isEqualTo(sent);
        assertThat(p[0].endpoint.paths.path(bob)).as("b's KEEPs revive nothing").isEmpty();
        // Re-adding the key does not revive anything by itself: a new session makes a new path.
        p[0].contacts.add(bob);
        assertThat(p[0].endpoint.livePath(bob)).isEmpty();
    }

    private static void forgetOnRequest(Peers owner, Ed25519PublicKey peer) throws Exception {
        assertThat(owner.endpoint.paths.path(peer)).isPresent();
        owner.endpoint.forgetPath(peer);
        drained(owner.endpoint);
        assertThat(owner.endpoint.paths.path(peer)).isEmpty();
        assertThat(owner.endpoint.livePath(peer)).isEmpty();
    }

    @Test
    void aConnectWithItsOwnTimeoutGivesUpAndStopsSendingSoALaterConnectStartsAfresh() throws Exception {
        Peers[] p = pair(quick());
        InetSocketAddress dead;
        try (UdpLink hole = UdpLink.start(new InetSocketAddress("127.0.0.1", 0))) {
            dead = hole.localAddress();
        }
        long t0 = System.nanoTime();
        CompletableFuture<Session> tryPath = p[0].endpoint.connect(p[1].key(), List.of(dead), NatType.CONE,
                Duration.ofMillis(400));
        assertThatThrownBy(() -> tryPath.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NoDirectPathException.class).hasMessageContaining("within 400 ms");
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(4));
        // Not joined to the finished attempt: this one goes to the address it names.
        Session s = p[0].endpoint.connect(p[1].key(), List.of(p[1].address())).get(5, TimeUnit.SECONDS);
        assertThat(s.remoteAddress()).isEqualTo(p[1].address());
        assertThat(Optional.ofNullable(p[1].incoming.poll(5, TimeUnit.SECONDS))).isPresent();
    }
}
