package dev.scout.cli.common;

import dev.scout.cli.api.dht.DhtResource;

import dev.scout.dht.NodeId;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.bencode.BencodeException;
import dev.scout.dht.bencode.BencodeLimits;
import dev.scout.dht.ItemException;
import dev.scout.dht.Limits;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Validation of command-line values. Every bad value becomes a {@link ParameterException} (exit 2) with a
 * message that names the argument and says what was expected; nothing here touches the network except
 * {@link #resolve}.
 */
public final class Args {
    /** Bencoded values given with {@code --bencoded} are decoded with these bounds. */
    public static final BencodeLimits VALUE_LIMITS = new BencodeLimits(64, 1_000, 64 * 1024);

    private Args() {}

    /** {@code HOST:PORT[,HOST:PORT...]}, syntax only (names are resolved later, off the command thread). */
    public static List<String> hostPorts(CommandLine cl, String label, String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String s = part.trim();
            if (!s.isEmpty()) {
                checkHostPort(cl, label, s);
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /** Checks {@code host:port} or {@code [v6]:port} syntax; returns the host part without brackets. */
    public static String checkHostPort(CommandLine cl, String label, String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new ParameterException(cl, label + " expects HOST:PORT, got '" + shorten(s) + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new ParameterException(cl, label + ": write IPv6 addresses as [ADDRESS]:PORT, got '" + shorten(s) + "'");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ParameterException(cl, label + ": bad port in '" + shorten(s) + "'");
        }
        if (port < 1 || port > 65535 || host.isBlank()) {
            throw new ParameterException(cl, label + ": port must be 1..65535 in '" + shorten(s) + "'");
        }
        return host;
    }

    /** Parses and resolves {@code HOST:PORT} (blocking DNS for names). */
    public static InetSocketAddress resolve(CommandLine cl, String label, String s) {
        String host = checkHostPort(cl, label, s.trim());
        int port = Integer.parseInt(s.trim().substring(s.trim().lastIndexOf(':') + 1));
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new CliException("cannot resolve host '" + host + "'");
        }
    }

    /** True if the host is a loopback IP literal or {@code localhost}; never does a DNS lookup. */
    public static boolean isLoopback(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean ipv4Literal = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6Literal = host.contains(":") && host.matches("[0-9A-Fa-f:.]+");
        if (!ipv4Literal && !ipv6Literal) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A 20-byte key (node id, info-hash, target) as 40 hex digits. */
    public static NodeId id(CommandLine cl, String label, String text) {
        return NodeId.of(hex(cl, label, text, NodeId.LENGTH));
    }

    /** Hex digits; {@code length} is the required byte count, or -1 for any. */
    public static byte[] hex(CommandLine cl, String label, String text, int length) {
        String s = text.trim();
        if (s.length() % 2 != 0 || !s.matches("[0-9A-Fa-f]*")) {
            throw new ParameterException(cl, label + " must be hex digits"
                    + (length >= 0 ? " (" + 2 * length + " of them)" : "") + ", got '" + shorten(text) + "'");
        }
        if (length >= 0 && s.length() != 2 * length) {
            throw new ParameterException(cl, label + " must be " + 2 * length + " hex digits (" + length
                    + " bytes), got " + s.length());
        }
        return HexFormat.of().parseHex(s);
    }

    /** The salt from {@code --salt} (UTF-8) or {@code --salt-hex}; empty when neither; checked against BEP 44. */
    public static byte[] salt(CommandLine cl, String salt, String saltHex) {
        if (salt != null && saltHex != null) {
            throw new ParameterException(cl, "give --salt or --salt-hex, not both");
        }
        byte[] bytes = salt != null ? salt.getBytes(StandardCharsets.UTF_8)
                : saltHex != null ? hex(cl, "--salt-hex", saltHex, -1) : new byte[0];
        try {
            Limits.checkSalt(bytes);
        } catch (ItemException e) {
            throw new ParameterException(cl, e.getMessage());
        }
        return bytes;
    }

    /**
     * VALUE as a bencoded item value: UTF-8 text as a byte string, or with {@code bencoded} the text is
     * itself bencode (validated). Checked against the BEP 44 size limit.
     */
    public static byte[] value(CommandLine cl, String text, boolean bencoded) {
        try {
            return dev.scout.cli.api.dht.DhtResource.encodeValue(text, bencoded);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
