package dev.scout.dht;

import java.net.InetSocketAddress;

/**
 * Sees every datagram arriving on a node's UDP socket before KRPC decoding, so another protocol
 * (direct sessions) can share the socket and its NAT mapping. Runs on the DHT I/O thread: it must
 * decide quickly, copy what it keeps ({@code buffer} is reused) and never block.
 */
@FunctionalInterface
public interface DatagramFilter {
    /** Returns {@code true} if the datagram was taken; otherwise the DHT decodes it as KRPC. */
    boolean claim(byte[] buffer, int length, InetSocketAddress from);
}
