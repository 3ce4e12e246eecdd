package dev.scout.node.portmap;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * PCP (RFC 6887) MAP requests and replies for one UDP port: a 24-byte common header and the 36-byte
 * MAP body. Replies are checked field by field (version, opcode, our nonce, protocol, internal port);
 * anything else is a {@link PortMapException} naming what was wrong. A PCP reply is at most 1,100 bytes.
 */
final class PcpCodec {
    static final int PORT = 5351;
    static final int VERSION = 2;
    static final int OPCODE_MAP = 1;
    static final int MAX_REPLY = 1100;
    static final int MAP_SIZE = 60;
    private static final int UDP = 17;
    private static final String[] RESULTS = {"SUCCESS", "UNSUPP_VERSION", "NOT_AUTHORIZED", "MALFORMED_REQUEST",
            "UNSUPP_OPCODE", "UNSUPP_OPTION", "MALFORMED_OPTION", "NETWORK_FAILURE", "NO_RESOURCES", "UNSUPP_PROTOCOL",
            "USER_EX_QUOTA", "CANNOT_PROVIDE_EXTERNAL", "ADDRESS_MISMATCH", "EXCESSIVE_REMOTE_PEERS"};

    private PcpCodec() {}

    /** A decoded MAP reply (result SUCCESS). */
    record Reply(long lifetimeSeconds, long epoch, InetSocketAddress external) {
    }

    /** A MAP request: lifetime 0 deletes the mapping. */
    static byte[] map(InetAddress client, byte[] nonce, int internalPort, int suggestedPort, InetAddress suggestedIp,
                      int lifetimeSeconds) {
        ByteBuffer b = ByteBuffer.allocate(MAP_SIZE);
        b.put((byte) VERSION).put((byte) OPCODE_MAP).putShort((short) 0).putInt(lifetimeSeconds).put(ip16(client));
        b.put(nonce, 0, 12).put((byte) UDP).put(new byte[3]).putShort((short) internalPort).putShort((short) suggestedPort)
                .put(ip16(suggestedIp));
        return b.array();
    }

    /**
     * Decodes a MAP reply to the request with {@code nonce} for {@code internalPort}.
     *
     * @throws PortMapException a malformed reply, one to another request, or a PCP error result
     */
    static Reply decode(byte[] buf, int len, byte[] nonce, int internalPort) throws PortMapException {
        if (len < 4) {
            throw new PortMapException("PCP: a " + len + "-byte reply is too short");
        }
        int version = buf[0] & 0xFF;
        if (version == 0) {
            // A NAT-PMP-only gateway answers a PCP request with its own "unsupported version"
            throw new PortMapException("PCP: the gateway speaks NAT-PMP only (version 0 reply)");
        }
        if (version != VERSION) {
            throw new PortMapException("PCP: reply version " + version + ", expected 2");
        }
        if ((buf[1] & 0xFF) != (0x80 | OPCODE_MAP)) {
            throw new PortMapException("PCP: reply opcode " + (buf[1] & 0xFF) + " is not a MAP response");
        }
        int result = buf[3] & 0xFF;
        if (result != 0) {
            throw new PortMapException("PCP: the gateway answered " + resultName(result));
        }
        if (len < MAP_SIZE || len > MAX_REPLY) {
            throw new PortMapException("PCP: a " + len + "-byte MAP reply (expected " + MAP_SIZE + " to " + MAX_REPLY + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
        long lifetime = Integer.toUnsignedLong(b.getInt(4));
        long epoch = Integer.toUnsignedLong(b.getInt(8));
        byte[] got = new byte[12];
        b.get(24, got);
        if (!MessageDigest.isEqual(got, java.util.Arrays.copyOf(nonce, 12))) {
            throw new PortMapException("PCP: the reply's nonce is not our request's");
        }
        if ((buf[36] & 0xFF) != UDP) {
            throw new PortMapException("PCP: the reply maps protocol " + (buf[36] & 0xFF) + ", not UDP");
        }
        int internal = b.getShort(40) & 0xFFFF;
        if (internal != internalPort) {
            throw new PortMapException("PCP: the reply maps internal port " + internal + ", not " + internalPort);
        }
        int external = b.getShort(42) & 0xFFFF;
        byte[] ip = new byte[16];
        b.get(44, ip);
        InetAddress address = fromIp16(ip);
        if (lifetime > 0 && (external == 0 || address.isAnyLocalAddress())) {
            throw new PortMapException("PCP: the reply grants no external address (" + address.getHostAddress() + ":" + external + ")");
        }
        return new Reply(lifetime, epoch, new InetSocketAddress(address, external));
    }

    static String resultName(int result) {
        return result < RESULTS.length ? RESULTS[result] + " (" + result + ")" : "unknown result " + result;
    }

    /** An address as PCP writes it: IPv6, IPv4 as ::ffff:a.b.c.d. */
    static byte[] ip16(InetAddress a) {
        if (a instanceof Inet6Address) {
            return a.getAddress();
        }
        byte[] out = new byte[16];
        out[10] = (byte) 0xFF;
        out[11] = (byte) 0xFF;
        if (a instanceof Inet4Address) {
            System.arraycopy(a.getAddress(), 0, out, 12, 4);
        }
        return out;
    }

    static InetAddress fromIp16(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip); // ::ffff:a.b.c.d comes back as an Inet4Address
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // 16 bytes always make an address
        }
    }
}
