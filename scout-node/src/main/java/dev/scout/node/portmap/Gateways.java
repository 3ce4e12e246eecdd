package dev.scout.node.portmap;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The IPv4 default gateway and our address towards it. On Linux from {@code /proc/net/route} (the
 * default route with the lowest metric; the file is read to at most 64 KiB); elsewhere none is found
 * and port mapping stays off (docs/operations.md).
 */
public final class Gateways {
    static final Path ROUTES = Path.of("/proc/net/route");
    private static final int MAX_BYTES = 64 * 1024;
    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;

    private Gateways() {}

    /** The gateway and our local address on its network. */
    public record Gateway(InetAddress address, InetAddress local) {
    }

    /** {@return the default gateway from this host's routing table, if it has one} */
    public static Optional<Gateway> find() {
        try (InputStream in = Files.newInputStream(ROUTES)) {
            String table = new String(in.readNBytes(MAX_BYTES), StandardCharsets.US_ASCII);
            Optional<InetAddress> gw = defaultGateway(table);
            if (gw.isEmpty()) {
                return Optional.empty();
            }
            return localTowards(gw.get()).map(local -> new Gateway(gw.get(), local));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The default route's gateway in a {@code /proc/net/route} text (lowest metric; malformed lines ignored). */
    static Optional<InetAddress> defaultGateway(String table) {
        InetAddress best = null;
        long bestMetric = Long.MAX_VALUE;
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[1].equals("00000000") || !f[7].equals("00000000")) {
                continue;
            }
            try {
                int flags = Integer.parseInt(f[3], 16);
                long metric = Long.parseLong(f[6]);
                long gw = Long.parseLong(f[2], 16);
                if ((flags & (RTF_UP | RTF_GATEWAY)) != (RTF_UP | RTF_GATEWAY) || gw == 0 || gw > 0xFFFFFFFFL || metric >= bestMetric) {
                    continue;
                }
                // the kernel prints the address in host (little-endian) order
                byte[] a = {(byte) gw, (byte) (gw >> 8), (byte) (gw >> 16), (byte) (gw >> 24)};
                best = InetAddress.getByAddress(a);
                bestMetric = metric;
            } catch (NumberFormatException | UnknownHostException e) {
                // not a route line
            }
        }
        return Optional.ofNullable(best);
    }

    /** The local address the kernel picks to reach {@code gateway}. */
    static Optional<InetAddress> localTowards(InetAddress gateway) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(gateway, 9));
            InetAddress local = s.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? Optional.empty() : Optional.of(local);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
