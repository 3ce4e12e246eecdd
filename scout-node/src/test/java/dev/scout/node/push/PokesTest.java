package dev.scout.node.push;

import dev.scout.dht.DatagramFilter;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.DatagramLink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Pokes between two identities over a fake link: only a contact's fresh, authentic poke wakes anything. */
class PokesTest {
    private static final InetSocketAddress BOB_AT = new InetSocketAddress("127.0.0.1", 7000);
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 7001);

    private final Ed25519KeyPair alice = Ed25519KeyPair.generate();
    private final Ed25519KeyPair bob = Ed25519KeyPair.generate();
    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private final List<Ed25519PublicKey> woken = new ArrayList<>();
    private final FakeLink aliceLink = new FakeLink();
    private final FakeLink bobLink = new FakeLink();
    private Pokes alicePokes;
    private Pokes bobPokes;

    /** Records what is sent; hands the installed receiver to the test. */
    static final class FakeLink implements DatagramLink {
        final List<byte[]> sent = new ArrayList<>();
        DatagramFilter receiver;

        @Override
        public void send(byte[] datagram, InetSocketAddress to) {
            sent.add(datagram.clone());
        }

        @Override
        public void setReceiver(DatagramFilter receiver) {
            this.receiver = receiver;
        }

        @Override
        public InetSocketAddress localAddress() {
            return FROM;
        }
    }

    @BeforeEach
    void setUp() {
        alicePokes = new Pokes(alice, k -> { }, clock::get);
        alicePokes.over(aliceLink).setReceiver((b, len, from) -> false);
        alicePokes.contacts(List.of(bob.publicKey()));
        bobPokes = new Pokes(bob, woken::add, clock::get);
        bobPokes.over(bobLink).setReceiver((b, len, from) -> false);
        bobPokes.contacts(List.of(alice.publicKey()));
    }

    private byte[] aliceSendsAPoke() {
        byte[] d = alicePokes.poke(bob.publicKey(), PokeWire.KIND_MESSAGE, List.of(BOB_AT));
        assertThat(d).hasSize(PokeWire.LENGTH);
        assertThat(aliceLink.sent).last().isEqualTo(d);
        return d;
    }

    private boolean bobReceives(byte[] d) {
        return bobLink.receiver.claim(d, d.length, FROM);
    }

    @Test
    void aContactsPokeWakesItOnce() {
        byte[] d = aliceSendsAPoke();
        assertThat(bobReceives(d)).isTrue();
        assertThat(woken).containsExactly(alice.publicKey());
        assertThat(bobPokes.taken()).isEqualTo(1);
        assertThat(bobLink.sent).as("a poke is answered with nothing").isEmpty();
    }

    @Test
    void aReplayedPokeChangesNothing() {
        byte[] d = aliceSendsAPoke();
        bobReceives(d);
        woken.clear();
        assertThat(bobReceives(d)).isTrue(); // claimed (0xF7 is ours), dropped
        clock.addAndGet(10_000);
        assertThat(bobReceives(d)).isTrue();
        assertThat(woken).isEmpty();
        assertThat(bobPokes.dropped()).isEqualTo(2);
        // the next poke, later, is taken
        assertThat(bobReceives(aliceSendsAPoke())).isTrue();
        assertThat(woken).containsExactly(alice.publicKey());
        assertThat(bobLink.sent).isEmpty();
    }

    @Test
    void aForgedPokeChangesNothing() {
        byte[] d = aliceSendsAPoke();
        for (int i = 1; i < d.length; i++) { // every byte after the marker is covered: id, kind, time, mac
            byte[] f = d.clone();
            f[i] ^= 1;
            assertThat(bobReceives(f)).isTrue();
        }
        byte[] shorter = java.util.Arrays.copyOf(d, d.length - 1);
        assertThat(bobReceives(shorter)).isTrue();
        assertThat(woken).isEmpty();
        assertThat(bobPokes.taken()).isZero();
        assertThat(bobPokes.dropped()).isEqualTo(d.length);
        assertThat(bobLink.sent).isEmpty();
        assertThat(bobReceives(d)).as("the genuine one still works").isTrue();
        assertThat(woken).containsExactly(alice.publicKey());
    }

    @Test
    void aStrangersPokeChangesNothing() {
        Ed25519KeyPair stranger = Ed25519KeyPair.generate();
        FakeLink strangerLink = new FakeLink();
        Pokes strangerPokes = new Pokes(stranger, k -> { }, clock::get);
        strangerPokes.over(strangerLink).setReceiver((b, len, from) -> false);
        byte[] d = strangerPokes.poke(bob.publicKey(), PokeWire.KIND_MESSAGE, List.of(BOB_AT));
        assertThat(bobReceives(d)).isTrue();
        // a stranger who learnt alice's sender id (e.g. a relay) still cannot make the mac
        byte[] withAlicesId = d.clone();
        System.arraycopy(aliceSendsAPoke(), 2, withAlicesId, 2, PokeWire.ID_BYTES);
        assertThat(bobReceives(withAlicesId)).isTrue();
        assertThat(woken).isEmpty();
        assertThat(bobPokes.dropped()).isEqualTo(2);
        assertThat(bobLink.sent).isEmpty();
    }

    @Test
    void aRemovedContactsPokeChangesNothing() {
        byte[] d = aliceSendsAPoke();
        bobPokes.contacts(List.of());
        assertThat(bobReceives(d)).isTrue();
        assertThat(woken).isEmpty();
    }

    @Test
    void aPokeFarFromTheClockIsRefused() {
        byte[] d = aliceSendsAPoke();
        clock.addAndGet(PokeWire.MAX_SKEW_MILLIS + 1);
        assertThat(bobReceives(d)).isTrue();
        assertThat(woken).isEmpty();
    }

    @Test
    void otherDatagramsGoOnToTheEndpoint() {
        List<byte[]> passed = new ArrayList<>();
        bobPokes.over(bobLink).setReceiver((b, len, from) -> passed.add(b) || true);
        byte[] krpc = "d1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:q4:ping1:t2:aa1:y1:qe".getBytes();
        byte[] keep = new byte[17];
        keep[0] = (byte) 0xF4;
        assertThat(bobReceives(krpc)).isTrue();
        assertThat(bobReceives(keep)).isTrue();
        assertThat(passed).hasSize(2);
        assertThat(woken).isEmpty();
    }

    @Test
    void eachDirectionHasItsOwnSenderId() {
        PokeWire.PairPokeKeys ab = PokeWire.PairPokeKeys.derive(alice, bob.publicKey());
        PokeWire.PairPokeKeys ba = PokeWire.PairPokeKeys.derive(bob, alice.publicKey());
        assertThat(ab.key()).isEqualTo(ba.key());
        assertThat(ab.ourId()).isEqualTo(ba.theirId()).isNotEqualTo(ab.theirId());
        // bob's own poke reflected back to him is not taken
        byte[] reflected = PokeWire.encode(ba, PokeWire.KIND_MESSAGE, clock.get());
        assertThat(bobReceives(reflected)).isTrue();
        assertThat(woken).isEmpty();
    }
}
