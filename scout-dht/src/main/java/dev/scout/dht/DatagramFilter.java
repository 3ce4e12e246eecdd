package dev.scout.dht;

import java.net.InetSocketAddress;

/**
 * Sees every datagram arriving on a node's UDP socket before KRPC decoding, so another protocol
 * (direct sessions) can share the socket and its NAT mapping. Runs on the DHT I/O thread: it must
 * decide quickly, copy what it keeps ({@code buffer} is reused) and never block.
 */
@FunctionalInterface
public interface DatagramFilter {
    /**
     * Offers one datagram.
     *
     * @param buffer the datagram's bytes (reused after this call: copy what you keep)
     * @param length how many bytes of {@code buffer} the datagram has
     * @param from the sender
     * @return {@code true} if the datagram was taken; otherwise the DHT decodes it as KRPC
     */
    boolean claim(byte[] buffer, int length, InetSocketAddress from);
}
