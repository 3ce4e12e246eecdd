package dev.scout.session.relay;

import dev.scout.dht.DatagramFilter;
import dev.scout.session.DatagramLink;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A link without a socket: it keeps what is sent and lets a test hand datagrams to the installed receiver. */
public final class CapturingLink implements DatagramLink {
    /** Every datagram sent, in order. */
    public final List<byte[]> sent = new ArrayList<>();
    private DatagramFilter receiver;

    @Override
    public void send(byte[] datagram, InetSocketAddress to) {
        sent.add(datagram);
    }

    @Override
    public void setReceiver(DatagramFilter receiver) {
        this.receiver = receiver;
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 1);
    }

    /** {@return what the installed receiver answers for this datagram} */
    public boolean receive(byte[] b, int len, InetSocketAddress from) {
        return receiver.claim(b, len, from);
    }
}
