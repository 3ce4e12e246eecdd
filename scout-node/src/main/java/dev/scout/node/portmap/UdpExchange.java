package dev.scout.node.portmap;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * One request to a gateway's UDP port and its reply, from a socket of its own (never the DHT's):
 * resent after 250 ms, then doubling (RFC 6886 §3.1), until the deadline. Replies are read into a
 * bounded buffer; the first one from the gateway decides (a decoder's {@link PortMapException} too).
 */
final class UdpExchange {
    static final long FIRST_RESEND_MILLIS = 250;

    private UdpExchange() {}

    interface Decoder<T> {
        T decode(byte[] buf, int len) throws PortMapException;
    }

    static <T> T call(String protocol, InetAddress local, InetSocketAddress gateway, byte[] request, int maxReply,
                      Decoder<T> decoder, long deadlineNanos) throws PortMapException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, 0))) {
            s.connect(gateway);
            byte[] buf = new byte[maxReply + 1]; // one more: an oversized reply shows as such
            long wait = FIRST_RESEND_MILLIS;
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (left <= 0) {
                    throw new PortMapException(protocol + ": no answer from " + gateway.getAddress().getHostAddress());
                }
                s.send(new DatagramPacket(request, request.length));
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(wait, left));
                wait *= 2;
                while (true) {
                    long ms = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                    if (ms <= 0) {
                        break;
                    }
                    s.setSoTimeout((int) ms);
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        s.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    return decoder.decode(buf, p.getLength());
                }
            }
        } catch (PortUnreachableException e) {
            throw new PortMapException(protocol + ": " + gateway.getAddress().getHostAddress() + " does not listen on port "
                    + gateway.getPort());
        } catch (IOException e) {
            throw new PortMapException(protocol + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
