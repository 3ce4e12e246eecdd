package dev.scout.session.relay;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.session.relay.internal.RelayWire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Random;

/**
 * A relay client made of a bare UDP socket, so tests can send exactly the datagrams an attacker would:
 * REGISTERs with no cookie, a forged one, somebody else's key or a captured signature.
 */
final class RawClient implements AutoCloseable {
    final Ed25519KeyPair key;
    final DatagramChannel socket;
    final byte[] nonce = new byte[RelayWire.NONCE_BYTES];
    byte[] previousNonce = new byte[RelayWire.NONCE_BYTES];
    int epoch;
    byte[] cookie = new byte[RelayWire.COOKIE_BYTES];

    RawClient(String ip, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] seedBytes = new byte[32];
        r.nextBytes(seedBytes);
        key = Ed25519KeyPair.ofSeed(seedBytes);
        r.nextBytes(nonce);
        socket = DatagramChannel.open();
        socket.bind(new InetSocketAddress(ip, 0));
        socket.configureBlocking(false);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) socket.getLocalAddress();
    }

    byte[] tag() {
        return RelayWire.tagOf(key.publicKey().bytes(), 0, nonce, 0);
    }

    /** A signed REGISTER with the cookie held now (zeros before any challenge). */
    byte[] register() {
        byte[] probe = new byte[RelayWire.PROBE_BYTES];
        new Random().nextBytes(probe);
        byte[] b = RelayWire.register(probe, epoch, cookie, key.publicKey().bytes(), nonce, previousNonce);
        System.arraycopy(key.sign(RelayWire.signedPart(b)), 0, b, RelayWire.SIGNATURE_AT, RelayWire.SIGNATURE_BYTES);
        return b;
    }

    void send(byte[] b, InetSocketAddress to) throws IOException {
        socket.send(ByteBuffer.wrap(b), to);
    }

    /** The next datagram within {@code millis}, or null. */
    byte[] receive(long millis) throws IOException, InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (System.nanoTime() < end) {
            if (socket.receive(buf) != null) {
                return Arrays.copyOf(buf.array(), buf.position());
            }
            Thread.sleep(2);
        }
        return null;
    }

    /** The whole round trip: REGISTER, CHALLENGE, REGISTER with the cookie; {@return the relay's last answer} */
    byte[] registerAt(InetSocketAddress relay) throws IOException, InterruptedException {
        send(register(), relay);
        byte[] challenge = receive(5_000);
        if (challenge == null || challenge[1] != RelayWire.CHALLENGE) {
            return challenge;
        }
        take(challenge);
        send(register(), relay);
        byte[] answer = receive(5_000);
        if (answer != null && answer[1] == RelayWire.REGISTERED) {
            take(answer);
        }
        return answer;
    }

    /** Keeps the cookie of a CHALLENGE or REGISTERED. */
    void take(byte[] reply) {
        epoch = RelayWire.getInt(reply, RelayWire.EPOCH_AT);
        cookie = Arrays.copyOfRange(reply, RelayWire.COOKIE_AT, RelayWire.COOKIE_AT + RelayWire.COOKIE_BYTES);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
