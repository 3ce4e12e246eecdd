package dev.scout.session.relay;

import static dev.scout.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.UdpLink;
import dev.scout.session.relay.internal.RelayWire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Registration at a relay proves the source address and the key (docs/sessions.md, "Relaying"): spoofed,
 * squatted and replayed REGISTERs get nothing, tags rotate, and no reply is larger than its request.
 * "Spoofed" here: the attacker's bytes leave from the victim's socket, and the attacker never reads
 * what the relay sends back, which is exactly what a forged source address gives an attacker.
 */
@Timeout(60)
class RelayRegistrationTest {
    private static final byte[] INIT = init();

    private static byte[] init() {
        byte[] b = new byte[146];
        b[0] = (byte) 0xF1;
        return b;
    }

    /** A relay on a real UDP socket. */
    private static final class Relay implements AutoCloseable {
        final UdpLink udp;
        final RelayLink link;

        Relay(RelayLimits limits) throws IOException {
            udp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
            link = RelayLink.over(udp);
            link.serve(limits);
        }

        InetSocketAddress address() {
            return udp.localAddress();
        }

        RelayLink.RelayStats stats() {
            return link.relayStats().orElseThrow();
        }

        @Override
        public void close() {
            link.close();
            udp.close();
        }
    }


    private static RelayLimits limits(int clients, int perIp) {
        return new RelayLimits(clients, perIp, 4, 64, 1 << 20, 4 << 20, Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    @Test
    void aRegisterSpoofedFromAVictimGetsTheVictimOneSmallChallengeAndNothingForwarded() throws Exception {
        try (Relay relay = new Relay(RelayLimits.defaults()); RawClient victim = new RawClient("127.0.0.1", 1);
             RawClient attacker = new RawClient("127.0.0.1", 2)) {
            // The attacker's REGISTER (its key, its tag) with no cookie, then with a forged one, "from" the victim.
            byte[] spoofed = attacker.register();
            victim.send(spoofed, relay.address());
            byte[] first = victim.receive(5_000);
            assertThat(first).isNotNull();
            assertThat(first[1]).isEqualTo(RelayWire.CHALLENGE);
            assertThat(first.length).isLessThan(spoofed.length);
            attacker.epoch = RelayWire.getInt(first, RelayWire.EPOCH_AT);
            new Random(3).nextBytes(attacker.cookie);
            victim.send(attacker.register(), relay.address());
            byte[] second = victim.receive(5_000);
            assertThat(second).isNotNull();
            assertThat(second[1]).as("a forged cookie: another challenge, no registration").isEqualTo(RelayWire.CHALLENGE);
            assertThat(relay.stats().clients()).isZero();

            // Whoever knows the attacker's tag now sends to it: nothing reaches the victim.
            long dropped = relay.stats().dropped();
            attacker.send(RelayWire.toTag(attacker.tag(), INIT, 0, INIT.length), relay.address());
            await(() -> relay.stats().dropped() == dropped + 1, "the datagram to the unregistered tag dropped");
            assertThat(relay.stats().forwardedBytes()).isZero();
            assertThat(victim.receive(200)).isNull();
        }
    }

    @Test
    void sixtyFourSpoofedRegistersAndMoreTakeNoSlot() throws Exception {
        try (Relay relay = new Relay(limits(4, 4)); RawClient honest = new RawClient("127.0.0.2", 99)) {
            List<RawClient> spoofers = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    RawClient c = new RawClient("127.0.0.1", 1_000 + i);
                    spoofers.add(c);
                    c.send(c.register(), relay.address()); // the challenge goes to an address the attacker cannot read
                }
                long t0 = System.nanoTime();
                await(() -> relay.stats().controlBytes() + relay.stats().dropped() > 0, "the flood handled");
                assertThat(relay.stats().clients()).isZero();
                // With every REGISTER refreshed as often as the attacker likes, an honest client still gets in.
                for (RawClient c : spoofers) {
                    c.send(c.register(), relay.address());
                }
                byte[] answer = honest.registerAt(relay.address());
                assertThat(answer).isNotNull();
                assertThat(answer[1]).isEqualTo(RelayWire.REGISTERED);
                assertThat(relay.stats().clients()).isEqualTo(1);
                System.out.printf("100 spoofed registrations, twice: no slot taken (%.0f ms)%n", (System.nanoTime() - t0) / 1e6);
            } finally {
                for (RawClient c : spoofers) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aSquatterWhoKnowsATagGetsNothingNotEvenAfterItExpires() throws Exception {
        RelayLimits quick = new RelayLimits(8, 8, 4, 64, 1 << 20, 4 << 20, Duration.ofMillis(500), Duration.ofSeconds(60));
        try (Relay relay = new Relay(quick); RawClient bob = new RawClient("127.0.0.1", 7); RawClient squatter = new RawClient("127.0.0.1", 8);
             RawClient contact = new RawClient("127.0.0.1", 9)) {
            assertThat(bob.registerAt(relay.address())[1]).isEqualTo(RelayWire.REGISTERED);
            byte[] captured = bob.register(); // what someone on the path saw

            // Bob's captured REGISTER replayed from the squatter's address: the cookie is bob's address's, not his.
            squatter.send(captured, relay.address());
            byte[] reply = squatter.receive(5_000);
            assertThat(reply[1]).isEqualTo(RelayWire.CHALLENGE);
            // With the squatter's own valid cookie put into it: the signature no longer matches.
            squatter.take(reply);
            byte[] resealed = captured.clone();
            ByteBuffer.wrap(resealed).putInt(RelayWire.EPOCH_AT, squatter.epoch);
            System.arraycopy(squatter.cookie, 0, resealed, RelayWire.COOKIE_AT, RelayWire.COOKIE_BYTES);
            long dropped = relay.stats().dropped();
            squatter.send(resealed, relay.address());
            await(() -> relay.stats().dropped() == dropped + 1, "the resealed REGISTER dropped");
            assertThat(squatter.receive(200)).isNull();
            assertThat(relay.stats().clients()).isEqualTo(1);

            // Bob's nonce under the squatter's own key: another tag, never bob's.
            System.arraycopy(bob.nonce, 0, squatter.nonce, 0, 16);
            assertThat(squatter.registerAt(relay.address())[1]).isEqualTo(RelayWire.REGISTERED);
            assertThat(squatter.tag()).isNotEqualTo(bob.tag());
            contact.send(RelayWire.toTag(bob.tag(), INIT, 0, INIT.length), relay.address());
            byte[] atBob = bob.receive(5_000);
            assertThat(atBob).isNotNull();
            assertThat(atBob[1]).isEqualTo(RelayWire.TO_OWNER);

            // Bob leaves; his tag expires, and the squatter still cannot take it.
            await(() -> relay.stats().clients() == 0, "both registrations expired");
            assertThat(squatter.registerAt(relay.address())[1]).isEqualTo(RelayWire.REGISTERED);
            long before = relay.stats().dropped();
            contact.send(RelayWire.toTag(bob.tag(), INIT, 0, INIT.length), relay.address());
            await(() -> relay.stats().dropped() == before + 1, "the expired tag dropped");
            assertThat(squatter.receive(200)).as("nothing for the squatter").isNull();
            assertThat(relay.stats().forwardedBytes()).isEqualTo(RelayWire.TO_TAG_HEADER + INIT.length);
        }
    }

    @Test
    void oneAddressCannotTakeEveryClientSlotAndARefusalSaysSo() throws Exception {
        try (Relay relay = new Relay(limits(8, 2)); RawClient a1 = new RawClient("127.0.0.1", 21); RawClient a2 = new RawClient("127.0.0.1", 22);
             RawClient a3 = new RawClient("127.0.0.1", 23); RawClient b1 = new RawClient("127.0.0.2", 24)) {
            assertThat(a1.registerAt(relay.address())[1]).isEqualTo(RelayWire.REGISTERED);
            assertThat(a2.registerAt(relay.address())[1]).isEqualTo(RelayWire.REGISTERED);
            byte[] third = a3.registerAt(relay.address());
            assertThat(third[1]).as("a third client from 127.0.0.1").isEqualTo(RelayWire.REFUSED);
            assertThat(third[RelayWire.EPOCH_AT]).isEqualTo(RelayWire.REFUSED_FULL);
            assertThat(b1.registerAt(relay.address())[1]).isEqualTo(RelayWire.REGISTERED);
            assertThat(relay.stats().clients()).isEqualTo(3);
        }
    }

    @Test
    void aRegistrationFollowsItsKeyToANewAddress() throws Exception {
        try (Relay relay = new Relay(RelayLimits.defaults()); RawClient before = new RawClient("127.0.0.1", 31);
             RawClient after = new RawClient("127.0.0.1", 31); RawClient contact = new RawClient("127.0.0.1", 32)) {
            assertThat(before.registerAt(relay.address())[1]).isEqualTo(RelayWire.REGISTERED);
            // Same key and nonce from another port, as after a NAT rebinding: it proves both, so the tag moves.
            assertThat(after.registerAt(relay.address())[1]).isEqualTo(RelayWire.REGISTERED);
            assertThat(relay.stats().clients()).isEqualTo(1);
            contact.send(RelayWire.toTag(after.tag(), INIT, 0, INIT.length), relay.address());
            assertThat(after.receive(5_000)).isNotNull();
            assertThat(before.receive(200)).isNull();
        }
    }

    @Test
    void tagsRotateAndTheOneBeforeLastStopsWorking() throws Exception {
        try (Relay relay = new Relay(RelayLimits.defaults()); UdpLink udp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
             RelayLink bob = RelayLink.over(udp); RawClient contact = new RawClient("127.0.0.1", 41)) {
            RelayRegistration reg = bob.registerAt(relay.address(), Ed25519KeyPair.generate(), Duration.ofMillis(400));
            await(reg::registered, "bob registered");
            byte[] t0 = reg.tag();
            await(() -> !java.util.Arrays.equals(reg.tag(), t0), "the tag rotated once");
            byte[] t1 = reg.tag();
            await(() -> !java.util.Arrays.equals(reg.tag(), t1), "the tag rotated twice");
            byte[] t2 = reg.tag();
            assertThat(t2).isNotEqualTo(t0);
            // The current tag works; t0 is neither current nor previous any more once the relay saw t2's refresh.
            long d0 = relay.stats().forwardedBytes();
            contact.send(RelayWire.toTag(t2, INIT, 0, INIT.length), relay.address());
            await(() -> relay.stats().forwardedBytes() > d0, "the current tag forwarded");
            long dropped = relay.stats().dropped();
            long forwarded = relay.stats().forwardedBytes();
            try (RawClient stranger = new RawClient("127.0.0.1", 42)) {
                stranger.send(RelayWire.toTag(t0, INIT, 0, INIT.length), relay.address());
                await(() -> relay.stats().dropped() > dropped, "the old tag dropped");
            }
            assertThat(relay.stats().forwardedBytes()).isEqualTo(forwarded);
            assertThat(relay.stats().clients()).as("one client throughout").isEqualTo(1);
        }
    }

    @Test
    void aRegisterFromBeforeARotationDoesNotRollTheTagBack() throws Exception {
        try (Relay relay = new Relay(RelayLimits.defaults()); RawClient bob = new RawClient("127.0.0.1", 51);
             RawClient contact = new RawClient("127.0.0.1", 52)) {
            assertThat(bob.registerAt(relay.address())[1]).isEqualTo(RelayWire.REGISTERED);
            byte[] before = bob.register(); // valid cookie, the first nonce: what a delayed or replayed datagram carries
            byte[] first = bob.tag();
            bob.previousNonce = bob.nonce.clone();
            new Random(53).nextBytes(bob.nonce);
            bob.send(bob.register(), relay.address());
            byte[] rotated = bob.receive(5_000);
            assertThat(rotated[1]).isEqualTo(RelayWire.REGISTERED);
            long dropped = relay.stats().dropped();
            bob.send(before, relay.address());
            await(() -> relay.stats().dropped() == dropped + 1, "the stale REGISTER dropped");
            // Both tags still reach bob: the current one and the one before.
            for (byte[] tag : List.of(bob.tag(), first)) {
                contact.send(RelayWire.toTag(tag, INIT, 0, INIT.length), relay.address());
                byte[] got = bob.receive(5_000);
                assertThat(got).isNotNull();
                assertThat(got[1]).isEqualTo(RelayWire.TO_OWNER);
            }
        }
    }

    /** Every reply the relay sends to a datagram's source is no larger than that datagram, valid or not. */
    @Test
    void noReplyIsLargerThanItsRequestAndChallengesStayWithinTheirBudget() throws Exception {
        CapturingLink capture = new CapturingLink();
        List<byte[]> sent = capture.sent;
        // A total budget of 64 × 300 bytes/s leaves challenges 300 bytes/s: 10 of 30 bytes per second.
        RelayLimits small = new RelayLimits(4, 4, 4, 16, 64 * 300, 64 * 300, Duration.ofSeconds(30), Duration.ofSeconds(60));
        RelayLink link = RelayLink.over(capture);
        link.serve(small);
        Random random = new Random(11);
        long t0 = System.nanoTime();
        int requests = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[RelayWire.REGISTER_LENGTH];
                random.nextBytes(b);
            } else {
                b = new byte[2 + random.nextInt(300)];
                random.nextBytes(b);
            }
            b[0] = RelayWire.MARK;
            b[1] = i % 2 == 0 ? RelayWire.REGISTER : (byte) random.nextInt(8);
            InetSocketAddress from = new InetSocketAddress("127.0.0.1", 1_000 + i);
            int before = sent.size();
            capture.receive(b, b.length, from);
            requests++;
            for (int k = before; k < sent.size(); k++) {
                assertThat(sent.get(k).length).as("reply to a %d-byte datagram", b.length).isLessThanOrEqualTo(b.length);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long challenges = sent.size();
        assertThat(challenges).as("challenges within 300 bytes/s (plus the first second's worth)")
                .isLessThanOrEqualTo((long) (10 + 10 * seconds) + 1);
        assertThat(link.relayStats().orElseThrow().controlBytes()).isEqualTo(challenges * RelayWire.COOKIE_REPLY_LENGTH);
        assertThat(requests).isEqualTo(2_000);
    }
}
