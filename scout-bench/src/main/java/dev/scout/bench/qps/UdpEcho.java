package dev.scout.bench.qps;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The transport's limit: one NIO datagram socket on 127.0.0.1 that sends every datagram straight back,
 * decoding nothing, on one thread. Same socket buffer sizes as {@code UdpTransport}.
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.qps.UdpEcho PORT</pre>
 */
public final class UdpEcho {
    private UdpEcho() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        ch.bind(new InetSocketAddress("127.0.0.1", port));
        ch.configureBlocking(true);
        ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
        Thread stdinWatcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // until EOF
                }
            } catch (IOException ignored) {
                // treat as EOF
            }
            System.exit(0);
        }, "stdin-eof");
        stdinWatcher.setDaemon(true);
        stdinWatcher.start();
        System.out.println("READY " + ((InetSocketAddress) ch.getLocalAddress()).getPort());
        System.out.flush();
        long echoed = 0;
        while (true) {
            buf.clear();
            SocketAddress from = ch.receive(buf);
            buf.flip();
            ch.send(buf, from);
            echoed++;
        }
    }
}
