package dev.scout.session;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/** Test fixture: one identity with a UDP link, an endpoint and a mutable contact list. */
final class Peers implements AutoCloseable {
    final Ed25519KeyPair identity;
    final Set<Ed25519PublicKey> contacts = ConcurrentHashMap.newKeySet();
    final UdpLink udp;
    final TapLink tap;
    final SessionEndpoint endpoint;
    final LinkedBlockingQueue<Session> incoming = new LinkedBlockingQueue<>();

    /** Asked at every incoming handshake; the contact list unless a test replaces it. */
    volatile AccessPolicy policy = contacts::contains;

    Peers(SessionConfig config) throws IOException {
        this(config, Ed25519KeyPair.generate());
    }

    /** A device of {@code identity} (several may share one identity, as one person's devices do). */
    Peers(SessionConfig config, Ed25519KeyPair identity) throws IOException {
        this.identity = identity;
        udp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
        tap = new TapLink(udp);
        endpoint = SessionEndpoint.start(identity, tap, k -> policy.accepts(k), config);
        endpoint.onSession(incoming::add);
    }

    static SessionConfig fast() {
        return SessionConfig.defaults().withConnectTimeout(Duration.ofSeconds(2));
    }

    Ed25519PublicKey key() {
        return identity.publicKey();
    }

    InetSocketAddress address() {
        return udp.localAddress();
    }

    void trust(Peers other) {
        contacts.add(other.key());
    }

    @Override
    public void close() {
        endpoint.close();
        udp.close();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes {@code data} in uneven pieces and ends the stream. */
    static void writeAll(OutputStream out, byte[] data) throws IOException {
        int off = 0;
        int piece = 1;
        while (off < data.length) {
            int n = Math.min(piece, data.length - off);
            out.write(data, off, n);
            off += n;
            piece = piece * 3 % 70_001 + 1;
        }
        out.close();
    }

    /** Reads to the end and returns the SHA-256 of what came. */
    static byte[] readAllDigest(InputStream in, long[] count) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        byte[] buf = new byte[16_384];
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
            count[0] += n;
        }
        return md.digest();
    }

    static List<byte[]> list(byte[]... b) {
        return new ArrayList<>(List.of(b));
    }
}
