package dev.scout.dht.routing;

import dev.scout.dht.NodeId;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * BEP 42 node ids: the first 21 bits are derived from the node's external IP with CRC32C, so a host
 * cannot choose where in the keyspace its ids land. Local and private addresses are exempt.
 *
 * <pre>{@code
 * NodeId id = Bep42.idFor(externalIp, new SecureRandom());
 * boolean ok = Bep42.isValid(id, externalIp); // true
 * }</pre>
 */
public final class Bep42 {
    private static final byte[] V4_MASK = {0x03, 0x0f, 0x3f, (byte) 0xff};
    private static final byte[] V6_MASK = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff};

    private Bep42() {}

    /**
     * A random id valid for {@code ip}.
     *
     * @param ip the IP address
     * @param random the source of randomness
     * @return a random id valid for {@code ip}
     */
    public static NodeId idFor(InetAddress ip, Random random) {
        byte[] id = new byte[NodeId.LENGTH];
        random.nextBytes(id);
        int r = id[19] & 0xFF;
        int crc = crc(ip, r);
        id[0] = (byte) (crc >>> 24);
        id[1] = (byte) (crc >>> 16);
        id[2] = (byte) (((crc >>> 8) & 0xf8) | (id[2] & 0x07));
        return NodeId.of(id);
    }

    /**
     * True when {@code id} carries {@code ip}'s prefix, or {@code ip} is exempt (local/private).
     *
     * @param id the id
     * @param ip the IP address
     * @return true when {@code id} carries {@code ip}'s prefix, or {@code ip} is exempt (local/private)
     */
    public static boolean isValid(NodeId id, InetAddress ip) {
        if (isExempt(ip)) {
            return true;
        }
        byte[] b = id.bytes();
        int crc = crc(ip, b[19] & 0xFF);
        return (b[0] & 0xFF) == (crc >>> 24 & 0xFF)
                && (b[1] & 0xFF) == (crc >>> 16 & 0xFF)
                && (b[2] & 0xf8) == (crc >>> 8 & 0xf8);
    }

    /**
     * Loopback, private, link-local and unspecified addresses are not checked (BEP 42).
     *
     * @param ip the IP address
     * @return true if the address is exempt
     */
    public static boolean isExempt(InetAddress ip) {
        return ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress() || ip.isAnyLocalAddress()
                || (ip.getAddress().length == 16 && (ip.getAddress()[0] & 0xfe) == 0xfc); // unique local fc00::/7
    }

    private static int crc(InetAddress ip, int r) {
        byte[] mask = ip instanceof Inet4Address ? V4_MASK : V6_MASK;
        byte[] addr = ip.getAddress();
        byte[] masked = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            masked[i] = (byte) (addr[i] & mask[i]);
        }
        masked[0] |= (byte) ((r & 0x07) << 5);
        CRC32C crc = new CRC32C();
        crc.update(masked);
        return (int) crc.getValue();
    }
}
