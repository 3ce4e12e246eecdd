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
     * Every address of {@code host:port} (A and AAAA records), or the one literal address. Blocking; an
     * unknown host gives an empty list.
     *
     * @param text {@code host:port} or {@code [v6]:port}
     * @return the resolved addresses, the first resolution first
     */
    public static java.util.List<InetSocketAddress> resolveAll(String text) {
        InetSocketAddress a = parse(text);
        if (!a.isUnresolved()) {
            java.util.List<InetSocketAddress> out = new java.util.ArrayList<>();
            out.add(a);
            try {
                for (InetAddress ip : InetAddress.getAllByName(a.getHostString())) {
                    InetSocketAddress s = new InetSocketAddress(ip, a.getPort());
                    if (!out.contains(s)) {
                        out.add(s);
                    }
                }
            } catch (UnknownHostException e) {
                // the first resolution succeeded; keep it
            }
            return out;
        }
        return java.util.List.of();
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
        return (ip instanceof Inet6Address v6 ? "[" + compressed(v6) + "]" : host) + ":" + a.getPort();
    }

    /**
     * RFC 5952 text of an IPv6 address ({@code ::1}, {@code 2001:db8::1}), with its zone if it has one.
     *
     * @param ip the address
     * @return its shortest text form
     */
    public static String compressed(Inet6Address ip) {
        byte[] b = ip.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        String host = ip.getHostAddress();
        int zone = host.indexOf('%');
        return zone < 0 ? out.toString() : out + host.substring(zone);
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
