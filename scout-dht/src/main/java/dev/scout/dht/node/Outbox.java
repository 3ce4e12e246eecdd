package dev.scout.dht.node;

import java.net.InetSocketAddress;

/** Where the sans-IO core puts the datagrams it wants sent; the transport delivers them. */
@FunctionalInterface
public interface Outbox {
    void send(byte[] datagram, InetSocketAddress to);
}
