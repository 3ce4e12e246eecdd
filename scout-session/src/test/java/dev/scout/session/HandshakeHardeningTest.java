package dev.scout.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.core.crypto.KeyExchange;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.internal.NoiseIK;
import dev.scout.session.internal.Wire;
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
        UdpLink l = UdpLink.open(new InetSocketAddress(ip, 0));
        all.add(l);
        if (answers != null) {
            l.setReceiver((buf, len, from) -> answers.add(Arrays.copyOf(buf, len)));
        }
        return l;
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
        Peers alice = peer();
        Peers bob = peer();
        alice.trust(bob);
        bob.trust(alice);
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
        SessionEndpoint bobAgain = SessionEndpoint.open(bob.identity, bobAgainLink, bob.contacts::contains, Peers.fast());
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
        Peers alice = peer();
        Peers bob = peer();
        alice.trust(bob);
        bob.trust(alice);
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
        Peers alice = peer();
        Peers bob = peer();
        alice.trust(bob);
        bob.trust(alice);
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
}
