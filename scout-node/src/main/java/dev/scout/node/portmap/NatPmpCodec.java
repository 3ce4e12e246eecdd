package dev.scout.node.portmap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * NAT-PMP (RFC 6886) for one UDP port: the public-address request (2 bytes, 12-byte reply) and the
 * UDP mapping request (12 bytes, 16-byte reply). Replies are checked for version, opcode, length and
 * internal port; anything else is a {@link PortMapException} naming what was wrong.
 */
final class NatPmpCodec {
    static final int PORT = 5351;
    static final int MAX_REPLY = 64;
    private static final int OP_ADDRESS = 0;
    private static final int OP_MAP_UDP = 1;
    private static final String[] RESULTS = {"success", "unsupported version", "not authorized/refused", "network failure",
            "out of resources", "unsupported opcode"};

    private NatPmpCodec() {}

    record Address(long epoch, InetAddress external) {
    }

    record Mapping(long epoch, int internalPort, int externalPort, long lifetimeSeconds) {
    }

    static byte[] addressRequest() {
        return new byte[] {0, OP_ADDRESS};
    }

    /** A UDP mapping request; lifetime 0 (with external port 0) deletes it. */
    static byte[] mapRequest(int internalPort, int suggestedExternal, int lifetimeSeconds) {
        return ByteBuffer.allocate(12).put((byte) 0).put((byte) OP_MAP_UDP).putShort((short) 0)
                .putShort((short) internalPort).putShort((short) suggestedExternal).putInt(lifetimeSeconds).array();
    }

    static Address decodeAddress(byte[] buf, int len) throws PortMapException {
        ByteBuffer b = check(buf, len, OP_ADDRESS, 12);
        byte[] ip = new byte[4];
        b.get(8, ip);
        try {
            InetAddress a = InetAddress.getByAddress(ip);
            if (a.isAnyLocalAddress()) {
                throw new PortMapException("NAT-PMP: the gateway has no public address (0.0.0.0)");
            }
            return new Address(Integer.toUnsignedLong(b.getInt(4)), a);
        } catch (UnknownHostException e) {
            throw new PortMapException("NAT-PMP: bad address"); // 4 bytes always make one
        }
    }

    static Mapping decodeMapping(byte[] buf, int len, int internalPort) throws PortMapException {
        ByteBuffer b = check(buf, len, OP_MAP_UDP, 16);
        int internal = b.getShort(8) & 0xFFFF;
        if (internal != internalPort) {
            throw new PortMapException("NAT-PMP: the reply maps internal port " + internal + ", not " + internalPort);
        }
        int external = b.getShort(10) & 0xFFFF;
        long lifetime = Integer.toUnsignedLong(b.getInt(12));
        if (lifetime > 0 && external == 0) {
            throw new PortMapException("NAT-PMP: the reply grants external port 0");
        }
        return new Mapping(Integer.toUnsignedLong(b.getInt(4)), internal, external, lifetime);
    }

    private static ByteBuffer check(byte[] buf, int len, int op, int size) throws PortMapException {
        if (len < 4) {
            throw new PortMapException("NAT-PMP: a " + len + "-byte reply is too short");
        }
        if (buf[0] != 0) {
            throw new PortMapException("NAT-PMP: reply version " + (buf[0] & 0xFF) + ", expected 0");
        }
        if ((buf[1] & 0xFF) != 128 + op) {
            throw new PortMapException("NAT-PMP: reply opcode " + (buf[1] & 0xFF) + ", expected " + (128 + op));
        }
        int result = ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF);
        if (result != 0) {
            throw new PortMapException("NAT-PMP: the gateway answered " + (result < RESULTS.length ? RESULTS[result] : "result")
                    + " (" + result + ")");
        }
        if (len != size) {
            throw new PortMapException("NAT-PMP: a " + len + "-byte reply, expected " + size);
        }
        return ByteBuffer.wrap(buf, 0, len);
    }
}
