package dev.scout.session.transport;

import java.util.List;

/** What a DATA packet carries, after decryption. */
public sealed interface Frame {
    /** Asks for an acknowledgement and nothing else (keep-alive, probe, handshake confirmation). */
    record Ping() implements Frame { }

    /** Received packet numbers as ranges [lo, hi), highest first; {@code delayMicros} the time the ack was held. */
    record Ack(long delayMicros, List<long[]> ranges) implements Frame { }

    /** Bytes of a stream at {@code offset}; {@code fin}: the stream ends after them. */
    record Stream(int streamId, long offset, boolean fin, byte[] data) implements Frame { }

    /** The receiver of stream {@code streamId} accepts bytes below {@code maxOffset}. */
    record MaxStreamData(int streamId, long maxOffset) implements Frame { }

    /** The receiver allows the sender to open stream numbers (id / 2) below {@code count}. */
    record MaxStreams(long count) implements Frame { }

    /** A short message, delivered once, unordered. */
    record Message(long id, byte[] data) implements Frame { }

    /** The sender closes the session ({@code code} 0 = normal). */
    record Close(int code) implements Frame { }

    /**
     * The sender's own addresses, for hole punching while the session runs through a relay (type 8,
     * docs/sessions.md "Relay first, then direct"); authenticated like every frame. At most
     * {@link FrameCodec#MAX_CANDIDATES}.
     */
    record Candidates(List<java.net.InetSocketAddress> addresses) implements Frame {
        public Candidates {
            addresses = List.copyOf(addresses);
        }
    }

    default boolean ackEliciting() {
        return !(this instanceof Ack);
    }
}
