package dev.scout.session;

import dev.scout.dht.DatagramFilter;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.udp.DualStackNode;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The UDP socket a {@link SessionEndpoint} uses. Sessions share it with whatever else runs on it:
 * the endpoint claims only its own datagrams and leaves the rest (KRPC) to the other protocol.
 * {@link #of(DhtNode)} shares a DHT node's socket, so the session leaves through the same NAT
 * mapping the node publishes; {@link UdpLink} is a socket of its own.
 */
public interface DatagramLink {
    /**
     * Sends one datagram (thread-safe; may drop it silently, like the network).
     *
     * @param datagram the bytes to send
     * @param to the destination
     */
    void send(byte[] datagram, InetSocketAddress to);

    /**
     * Installs the filter that sees every arriving datagram first.
     *
     * @param receiver runs on the link's receiving thread; {@code null} removes it
     */
    void setReceiver(DatagramFilter receiver);

    /** {@return the socket's local address} */
    InetSocketAddress localAddress();

    /**
     * Shares {@code node}'s socket: session datagrams are claimed before KRPC decoding.
     *
     * @param node a started node; it must outlive the link
     * @return a link on the node's socket (replaces the node's datagram filter when a receiver is set)
     */
    static DatagramLink of(DhtNode node) {
        return shared(node::sendDatagram, node::setDatagramFilter, node::localAddress);
    }

    /**
     * Shares both sockets of a dual-stack node (BEP 32): datagrams leave from the socket of the
     * destination's family, and the receiver sees those arriving on either. {@link #localAddress()} is
     * the first family's (IPv4 when present); for one family only, use {@code of(node.ipv6().get())}.
     *
     * @param node a started node; it must outlive the link
     * @return a link on both of the node's sockets
     */
    static DatagramLink of(DualStackNode node) {
        return shared(node::sendDatagram, node::setDatagramFilter, node::localAddress);
    }

    private static DatagramLink shared(BiConsumer<byte[], InetSocketAddress> send, Consumer<DatagramFilter> install,
                                       Supplier<InetSocketAddress> local) {
        return new DatagramLink() {
            @Override
            public void send(byte[] datagram, InetSocketAddress to) {
                send.accept(datagram, to);
            }

            @Override
            public void setReceiver(DatagramFilter receiver) {
                install.accept(receiver);
            }

            @Override
            public InetSocketAddress localAddress() {
                return local.get();
            }
        };
    }
}
