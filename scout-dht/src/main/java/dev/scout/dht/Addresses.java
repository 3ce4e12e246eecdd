package dev.scout.dht;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parsing and formatting of {@code host:port} and the BEP 5 compact forms. */
public final class Addresses {
    private Addresses() {}

    /**
     * Parses {@code host:port} or {@code [v6]:port}. Host names are resolved (blocking), so call this
     * outside the DHT loop.
     *
     * @param text the text
     * @return the inet socket address
     */
    public static InetSocketAddress parse(String text) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + text + "'");
        }
        return new InetSocketAddress(host, port);
    }

    /**
     * {@code host:port}, with IPv6 hosts in brackets.
     *
     * @param a the address
     * @return the text form
     */
    public static String format(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        String host = ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * 6 bytes (IPv4) or 18 bytes (IPv6): address then port.
     *
     * @param a the address
     * @return the bytes
     */
    public static byte[] compact(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        byte[] out = new byte[ip.length + 2];
        System.arraycopy(ip, 0, out, 0, ip.length);
        out[ip.length] = (byte) (a.getPort() >>> 8);
        out[ip.length + 1] = (byte) a.getPort();
        return out;
    }

    /**
     * Decodes a 6- or 18-byte compact address at {@code offset}.
     *
     * @param b the buffer
     * @param offset where the address starts in {@code b}
     * @param length 6 (IPv4) or 18 (IPv6)
     * @return the address
     */
    public static InetSocketAddress fromCompact(byte[] b, int offset, int length) {
        if (length != 6 && length != 18) {
            throw new IllegalArgumentException("compact address must be 6 or 18 bytes");
        }
        byte[] ip = new byte[length - 2];
        System.arraycopy(b, offset, ip, 0, ip.length);
        int port = ((b[offset + ip.length] & 0xFF) << 8) | (b[offset + ip.length + 1] & 0xFF);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // cannot happen for 4 or 16 bytes
        }
    }

    /**
     * True for an IPv4 address (also an IPv4-mapped IPv6 one).
     *
     * @param a the address
     * @return whether it is IPv4
     */
    public static boolean isIpv4(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address;
    }
}
