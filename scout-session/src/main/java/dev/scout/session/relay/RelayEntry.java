package dev.scout.session.relay;

import dev.scout.dht.FormatException;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.NatType;
import dev.scout.session.relay.internal.RelayWire;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The relay entry of a contact record (kind 5 in docs/app-format.md): "I am reachable through relay R
 * under tag T; my NAT is N". Written by a device registered at a relay into each pair's record,
 * which is encrypted for the contact, so only contacts learn the tag.
 *
 * <pre>
 * version u8 (=1) | nat u8 (0 unknown, 1 none, 2 cone, 3 symmetric) | expires u64 (Unix s)
 * | tag (16) | family u8 (4|6) | relay address (4|16) | port u16                  33 or 45 bytes
 * </pre>
 *
 * @param relay     the relay's public address
 * @param tag       the writer's {@value RelayWire#TAG_BYTES}-byte tag at the relay
 * @param nat       the writer's NAT type as it knows it
 * @param expiresAt after this (Unix seconds) the entry is ignored
 */
public record RelayEntry(InetSocketAddress relay, byte[] tag, NatType nat, long expiresAt) {
    /** The encoding's version byte; other versions are rejected by {@link #decode}. */
    public static final int VERSION = 1;

    /**
     * Checks and copies.
     *
     * @param relay     a resolved address
     * @param tag       {@value RelayWire#TAG_BYTES} bytes
     * @param nat       the writer's NAT type
     * @param expiresAt Unix seconds
     * @throws IllegalArgumentException for another tag length or an unresolved address
     */
    public RelayEntry {
        if (tag.length != RelayWire.TAG_BYTES) {
            throw new IllegalArgumentException("a relay tag has " + RelayWire.TAG_BYTES + " bytes");
        }
        if (relay.isUnresolved()) {
            throw new IllegalArgumentException("unresolved relay address " + relay);
        }
        tag = tag.clone();
    }

    /** {@return a copy of the tag} */
    @Override
    public byte[] tag() {
        return tag.clone();
    }

    /**
     * {@return whether the entry still applies at {@code nowMillis}}
     *
     * @param nowMillis Unix milliseconds
     */
    public boolean isLive(long nowMillis) {
        return nowMillis / 1000 < expiresAt;
    }

    /** {@return the entry content (33 or 45 bytes)} */
    public byte[] encode() {
        byte[] ip = relay.getAddress().getAddress();
        ByteBuffer b = ByteBuffer.allocate(2 + 8 + RelayWire.TAG_BYTES + 1 + ip.length + 2);
        b.put((byte) VERSION).put((byte) nat.ordinal()).putLong(expiresAt).put(tag)
                .put((byte) (ip.length == 4 ? 4 : 6)).put(ip).putShort((short) relay.getPort());
        return b.array();
    }

    /**
     * Parses entry content (an unknown NAT value reads as {@link NatType#UNKNOWN}).
     *
     * @param content a kind-5 entry's content
     * @return the entry
     * @throws FormatException naming the problem
     */
    public static RelayEntry decode(byte[] content) {
        ByteBuffer b = ByteBuffer.wrap(content);
        try {
            int version = b.get() & 0xFF;
            if (version != VERSION) {
                throw new FormatException("relay entry version " + version + " is not supported");
            }
            int nat = b.get() & 0xFF;
            long expires = b.getLong();
            byte[] tag = new byte[RelayWire.TAG_BYTES];
            b.get(tag);
            int family = b.get() & 0xFF;
            if (family != 4 && family != 6) {
                throw new FormatException("relay entry address family " + family);
            }
            byte[] ip = new byte[family == 4 ? 4 : 16];
            b.get(ip);
            int port = b.getShort() & 0xFFFF;
            if (b.hasRemaining()) {
                throw new FormatException("relay entry has " + b.remaining() + " trailing bytes");
            }
            if (port == 0) {
                throw new FormatException("relay entry with port 0");
            }
            InetAddress address = InetAddress.getByAddress(ip);
            if (family == 6 && address instanceof Inet4Address) {
                throw new FormatException("IPv4-mapped address in an IPv6 slot");
            }
            NatType type = nat < NatType.values().length ? NatType.values()[nat] : NatType.UNKNOWN;
            return new RelayEntry(new InetSocketAddress(address, port), tag, type, expires);
        } catch (BufferUnderflowException e) {
            throw new FormatException("relay entry truncated at byte " + content.length);
        } catch (UnknownHostException e) {
            throw new FormatException("relay entry address: " + e.getMessage());
        }
    }

    /**
     * Parses a contact's entry and checks its relay address by {@code policy}.
     *
     * @param content a kind-5 entry's content
     * @param policy  which addresses this node may be made to send to
     * @return the entry
     * @throws FormatException naming the problem, the refused address included
     */
    public static RelayEntry decode(byte[] content, ContactAddressPolicy policy) {
        RelayEntry e = decode(content);
        Optional<String> why = policy.refusal(e.relay);
        if (why.isPresent()) {
            throw new FormatException("relay entry with a " + why.get());
        }
        return e;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelayEntry r && relay.equals(r.relay) && Arrays.equals(tag, r.tag) && nat == r.nat
                && expiresAt == r.expiresAt;
    }

    @Override
    public int hashCode() {
        return relay.hashCode() * 31 + Arrays.hashCode(tag);
    }

    @Override
    public String toString() {
        return "RelayEntry[relay=" + relay + ", nat=" + nat + ", expires=" + expiresAt + "]"; // the tag stays out of logs
    }
}
