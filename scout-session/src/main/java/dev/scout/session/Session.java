package dev.scout.session;

import dev.scout.dht.Ed25519PublicKey;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A direct, mutually authenticated, encrypted session with one contact (Noise IK; forward-secret
 * keys). It carries any number of {@link SessionStream}s and short messages over one UDP path.
 * Thread-safe.
 *
 * <pre>{@code
 * Session s = endpoint.connect(bobKey, bobAddresses).get();
 * SessionStream out = s.openStream();
 * out.output().write(bytes);
 * out.output().close();           // Bob reads -1 after the last byte
 * s.close();                      // waits until Bob acknowledged everything, then closes
 * }</pre>
 */
public interface Session extends AutoCloseable {
    /** Largest short message, in bytes. */
    int MAX_MESSAGE = 1024;

    /** {@return the contact's identity key, proven by the handshake} */
    Ed25519PublicKey peer();

    /** {@return where the peer's packets come from now (the path that worked; follows NAT rebinding)} */
    InetSocketAddress remoteAddress();

    /**
     * {@return the path the handshake ran over: a relay route's virtual address for a session made
     * through a relay, though it may have moved direct before anyone looked ({@link #remoteAddress()})}
     */
    InetSocketAddress establishedAt();

    /**
     * Tells {@code listener} each time the session moves to another path: from a relay to the direct
     * path once hole punching worked, back to a relay (or to another one) when the path in use fails,
     * to a new address after NAT rebinding. Only authenticated packets move a session.
     *
     * @param listener called on a callback thread with the new {@link #remoteAddress()} (replaces an earlier one)
     */
    void onPathChange(Consumer<InetSocketAddress> listener);

    /** {@return whether this side started the session} */
    boolean initiator();

    /**
     * Opens a new stream; the peer learns of it with the first bytes (or end) written.
     *
     * @return the stream
     * @throws SessionException if the session has ended
     */
    SessionStream openStream() throws SessionException;

    /** {@return the next stream the peer opens; fails if the session ends first} */
    CompletableFuture<SessionStream> acceptStream();

    /**
     * Sends a short message (at most {@link #MAX_MESSAGE} bytes): delivered once and intact, not
     * ordered with respect to other messages or streams.
     *
     * @param message the bytes; at most {@link #MAX_MESSAGE}
     * @throws SessionException if the session has ended
     * @throws dev.scout.dht.LimitExceededException if the message is longer than {@link #MAX_MESSAGE}
     *     bytes (nothing is sent)
     */
    void sendMessage(byte[] message) throws SessionException;

    /**
     * Receives short messages; messages arriving before a listener is set are held (up to 256).
     *
     * @param listener called on callback threads, possibly concurrently for messages arriving together
     */
    void onMessage(Consumer<byte[]> listener);

    /**
     * {@return a future completed when the session ends: normally after a clean close, exceptionally
     * with the reason otherwise}
     */
    CompletableFuture<Void> closed();

    /**
     * Closes cleanly: waits (at most 10 s) until the peer acknowledged all bytes written to the
     * streams, then tells the peer and releases the session.
     *
     * @throws SessionException if bytes written were not all acknowledged: the session ended first (the
     *     peer refused it, e.g. it has no listener for incoming sessions, or it failed) or the 10 s passed
     */
    @Override
    void close();
}
