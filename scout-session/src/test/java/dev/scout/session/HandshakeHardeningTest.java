package dev.scout.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.core.crypto.KeyExchange;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.handshake.HandshakeGate;
import dev.scout.session.handshake.Initiation;
import dev.scout.session.handshake.NoiseIK;
import dev.scout.session.handshake.SourceLimiter;
import dev.scout.session.handshake.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hostile initiations (issue 19): floods, replays across restarts, devices' clocks, rewritten headers. */
class HandshakeHardeningTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final List<AutoCloseable> all = new CopyOnWriteArrayList<>();

    private Peers peer() throws IOException {
        Peers p = new Peers(Peers.fast());
        all.add(p);
        return p;
    }

    private UdpLink socket(String ip, LinkedBlockingQueue<byte[]> answers) throws IOException {
        UdpLink l = UdpLink.start(new InetSocketAddress(ip, 0));
        all.add(l);
        if (answers != null) {
            l.setReceiver((buf, len, from) -> answers.add(Arrays.copyOf(buf, len)));
        }
        return l;
    }

    /** Alice and Bob, each in the other's contacts. */
    private Peers[] contacts() throws IOException {
        Peers a = peer();
        Peers b = peer();
        a.trust(b);
        b.trust(a);
        return new Peers[] {a, b};
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : all) {
            c.close();
        }
    }

    /** A valid initiation by {@code from} (any device) to {@code to}, as a contact's daemon would send it. */
    static byte[] initiation(Ed25519KeyPair from, long device, long timestamp, Peers to) throws Exception {
        return Initiation.build(KeyExchange.curve25519PrivateKey(from), from.publicKey(), device, timestamp,
                RANDOM.nextLong(), NoiseIK.newPrivateKey(RANDOM), to.key(), null).datagram();
    }

    @Test
    void oneContactFloodingValidInitiationsCannotBlockOtherContacts() throws Exception {
        Peers bob = peer();
        Peers alice = peer();
        Ed25519KeyPair mallory = Ed25519KeyPair.generate();
        bob.contacts.add(mallory.publicKey());
        alice.trust(bob);
        bob.trust(alice);
        // Mallory (a contact, or a stolen contact key) sends 300 valid initiations from 16 addresses,
        // paced under every rate limit, each with a new timestamp.
        LinkedBlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
        List<UdpLink> sources = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sources.add(socket("127.0.0." + (10 + i), answers));
        }
        long device = RANDOM.nextLong();
        long t = System.currentTimeMillis();
        for (int i = 0; i < 300; i++) {
            sources.get(i % 16).send(initiation(mallory, device, t + i, bob), bob.address());
            Thread.sleep(10);
        }
        // Alice still gets in.
        Session s = alice.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS);
        assertThat(s.peer()).isEqualTo(bob.key());
        assertThat(bob.incoming.poll(5, TimeUnit.SECONDS)).isNotNull();
        long responses = answers.stream().filter(b -> b[0] == Wire.RESPONSE).count();
        assertThat(responses).as("sessions answered for one peer").isBetween(1L, (long) Handshaker.MAX_UNCONFIRMED_PER_PEER);
    }

    @Test
    void twoDevicesOfOneIdentityWithDifferentClocksBothConnect() throws Exception {
        Peers bob = peer();
        Peers alicePhone = peer();
        bob.trust(alicePhone);
        alicePhone.trust(bob);
        // Alice's laptop (same identity, another device) has a clock one hour ahead and connected first.
        LinkedBlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
        UdpLink laptop = socket("127.0.0.1", answers);
        long ahead = System.currentTimeMillis() + 3_600_000;
        laptop.send(initiation(alicePhone.identity, RANDOM.nextLong(), ahead, bob), bob.address());
        byte[] answer = answers.poll(5, TimeUnit.SECONDS);
        assertThat(answer).isNotNull();
        assertThat(answer[0]).isEqualTo(Wire.RESPONSE);
        // The phone, on the right time, is not locked out.
        Session s = alicePhone.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS);
        assertThat(s.peer()).isEqualTo(bob.key());
    }

    @Test
    void aCapturedInitiationIsNotAnsweredAfterTheResponderRestarts() throws Exception {
        Peers[] ab = contacts();
        Peers alice = ab[0];
        Peers bob = ab[1];
        AtomicReference<byte[]> captured = new AtomicReference<>();
        alice.tap.outgoing = (d, to) -> {
            if (d[0] == Wire.INIT) {
                captured.compareAndSet(null, d.clone());
            }
            return List.of(d);
        };
        alice.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS).close();
        // Bob's daemon restarts (same identity, same contacts, state in memory gone).
        bob.endpoint.close();
        UdpLink bobAgainLink = socket("127.0.0.1", null);
        SessionEndpoint bobAgain = SessionEndpoint.start(bob.identity, bobAgainLink, bob.contacts::contains, Peers.fast());
        all.add(bobAgain);
        AtomicInteger incoming = new AtomicInteger();
        bobAgain.onSession(x -> incoming.incrementAndGet());
        LinkedBlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
        UdpLink eve = socket("127.0.0.1", answers);
        eve.send(captured.get(), bobAgainLink.localAddress());
        // Eve gets a cookie (a fresh challenge the replay cannot answer), never a RESPONSE.
        byte[] answer = answers.poll(5, TimeUnit.SECONDS);
        assertThat(answer).isNotNull();
        assertThat(answer[0]).isEqualTo(Wire.COOKIE);
        assertThat(bobAgain.unconfirmedCount()).isZero();
        // Alice herself connects to the restarted Bob at once (her initiation is newer than its start).
        Session s = alice.endpoint.connect(bob.key(), List.of(bobAgainLink.localAddress())).get(5, TimeUnit.SECONDS);
        assertThat(s.peer()).isEqualTo(bob.key());
        assertThat(answers.stream().noneMatch(b -> b[0] == Wire.RESPONSE)).isTrue();
    }

    @Test
    void aRewrittenResponseSenderIdFailsTheHandshake() throws Exception {
        Peers[] ab = contacts();
        Peers alice = ab[0];
        Peers bob = ab[1];
        // An on-path attacker rewrites bytes 9..16 of Bob's response (the sender id before issue 19).
        bob.tap.outgoing = (d, to) -> {
            if (d[0] == Wire.RESPONSE) {
                byte[] x = d.clone();
                x[9] ^= 0x5A;
                x[16] ^= 0x01;
                return List.of(x);
            }
            return List.of(d);
        };
        assertThatThrownBy(() -> alice.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(NoDirectPathException.class);
    }

    @Test
    void aRewrittenInitiationSenderIdOrVersionGetsNoSession() throws Exception {
        Peers[] ab = contacts();
        Peers alice = ab[0];
        Peers bob = ab[1];
        LinkedBlockingQueue<byte[]> seen = new LinkedBlockingQueue<>();
        alice.tap.outgoing = (d, to) -> {
            if (d[0] == Wire.INIT) {
                byte[] x = d.clone();
                x[2] ^= 0x01; // sender id
                byte[] y = d.clone();
                y[1] = (byte) (Wire.VERSION + 1); // version
                seen.add(x);
                return List.of(x, y);
            }
            return List.of(d);
        };
        assertThatThrownBy(() -> alice.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(NoDirectPathException.class);
        assertThat(seen).isNotEmpty();
        assertThat(bob.endpoint.unconfirmedCount()).as("half-open sessions at Bob").isZero();
    }

    /** Waits until {@code condition} holds, up to 10 s. */
    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < end).as("timed out waiting for: " + what).isTrue();
            Thread.sleep(5);
        }
    }

    @Test
    void initiationsBeyondASourcesRateGetCookiesNotDiffieHellman() throws Exception {
        Peers bob = peer();
        LinkedBlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
        UdpLink stranger = socket("127.0.0.1", answers);
        Ed25519KeyPair key = Ed25519KeyPair.generate();
        List<byte[]> flood = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            flood.add(initiation(key, 7, System.currentTimeMillis(), bob));
        }
        for (byte[] b : flood) {
            stranger.send(b, bob.address());
        }
        HandshakeGate gate = bob.endpoint.handshakeGate();
        await(() -> bob.endpoint.onLoop(() -> gate.decrypted() + gate.cookiesSent()) == 200, "all 200 looked at");
        assertThat(bob.endpoint.onLoop(gate::decrypted)).as("decrypted").isLessThanOrEqualTo((long) SourceLimiter.BURST);
        await(() -> answers.size() >= 180, "cookie replies");
        assertThat(answers).allSatisfy(b -> {
            assertThat(b[0]).isEqualTo(Wire.COOKIE);
            assertThat(b).hasSize(Wire.COOKIE_LENGTH);
        });
    }

    @Test
    void junkWithoutMac1CostsNoStateAndNoAnswer() throws Exception {
        Peers bob = peer();
        LinkedBlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
        UdpLink stranger = socket("127.0.0.1", answers);
        byte[] init = initiation(Ed25519KeyPair.generate(), 7, System.currentTimeMillis(), bob);
        init[Wire.INIT_LENGTH - 1] ^= 1;
        byte[] forOther = initiation(Ed25519KeyPair.generate(), 7, System.currentTimeMillis(), peer());
        for (int i = 0; i < 100; i++) {
            stranger.send(i % 2 == 0 ? init : forOther, bob.address());
        }
        Peers alice = peer();
        alice.trust(bob);
        bob.trust(alice);
        alice.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS);
        HandshakeGate gate = bob.endpoint.handshakeGate();
        assertThat(bob.endpoint.onLoop(gate::decrypted)).as("only Alice's initiation was decrypted").isEqualTo(1L);
        assertThat(answers).as("no cookie, no response for junk").isEmpty();
    }

    @Test
    void underAFloodAContactConnectsThroughACookieRoundAndLiveSessionsGoOn() throws Exception {
        Peers bob = peer();
        Peers carol = peer();
        Peers alice = peer();
        for (Peers p : List.of(alice, carol)) {
            p.trust(bob);
            bob.trust(p);
        }
        Session live = carol.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS);
        Session liveAtBob = bob.incoming.poll(5, TimeUnit.SECONDS);
        assertThat(liveAtBob).isNotNull();
        LinkedBlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        liveAtBob.onMessage(messages::add);
        // Strangers flood Bob with initiations (valid mac1: they know his key) from 32 addresses.
        List<UdpLink> sources = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            sources.add(socket("127.0.1." + (i + 1), null));
        }
        List<byte[]> junk = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            junk.add(initiation(Ed25519KeyPair.generate(), i, System.currentTimeMillis(), bob));
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread flooder = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                sources.get(i % 32).send(junk.get(i % 256), bob.address());
                if (i % 64 == 63) {
                    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // ≈ 12,000/s
                }
            }
        });
        flooder.start();
        try {
            HandshakeGate gate = bob.endpoint.handshakeGate();
            await(() -> bob.endpoint.onLoop(() -> gate.underLoad(bob.endpoint.now())), "Bob under load");
            List<byte[]> sent = new CopyOnWriteArrayList<>();
            alice.tap.outgoing = (d, to) -> {
                sent.add(d.clone());
                return List.of(d);
            };
            Session s = alice.endpoint.connect(bob.key(), List.of(bob.address())).get(5, TimeUnit.SECONDS);
            assertThat(s.peer()).isEqualTo(bob.key());
            assertThat(sent).as("Alice repeated her initiation with Bob's cookie")
                    .anyMatch(d -> d[0] == Wire.INIT && !Arrays.equals(new byte[Wire.COOKIE_BYTES],
                            Arrays.copyOfRange(d, Wire.INIT_COOKIE, Wire.INIT_NOISE)));
            live.sendMessage(new byte[] {42});
            assertThat(messages.poll(5, TimeUnit.SECONDS)).containsExactly(42);
            assertThat(bob.endpoint.onLoop(gate::cookiesSent)).isGreaterThan(100L);
        } finally {
            stop.set(true);
            flooder.join();
        }
    }
}
