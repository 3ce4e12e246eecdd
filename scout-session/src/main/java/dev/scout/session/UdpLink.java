package dev.scout.session;

import dev.scout.dht.DatagramFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP socket of its own with one receiving thread, for sessions without a DHT node (tests,
 * benchmarks, tools). Datagrams no filter claims are dropped.
 */
public final class UdpLink implements DatagramLink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpLink.class);

    private final DatagramChannel channel;
    private final Thread thread;
    private volatile DatagramFilter receiver;
    private volatile boolean closed;

    private UdpLink(DatagramChannel channel) {
        this.channel = channel;
        this.thread = new Thread(this::receiveLoop, "udp-link-" + localAddress().getPort());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Binds a socket (4 MiB send and receive buffers) and starts its receiving thread.
     *
     * @param bind the address to bind; port 0 picks a free one; its family is the socket's
     * @return the link; {@link #close()} releases the socket and the thread
     * @throws IOException if the socket cannot be bound
     */
    public static UdpLink start(InetSocketAddress bind) throws IOException {
        boolean v6 = bind.getAddress() instanceof java.net.Inet6Address;
        DatagramChannel channel = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(bind);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new UdpLink(channel);
    }

    @Override
    public void send(byte[] datagram, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(datagram), to);
        } catch (IOException | RuntimeException e) {
            LOG.debug("send to {} failed: {}", to, e.toString());
        }
    }

    @Override
    public void setReceiver(DatagramFilter receiver) {
        this.receiver = receiver;
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("socket closed", e);
        }
    }

    private void receiveLoop() {
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        while (!closed) {
            try {
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                DatagramFilter r = receiver;
                if (r != null) {
                    r.claim(buf.array(), buf.position(), from);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.debug("receive failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing socket", e);
        }
    }
}
