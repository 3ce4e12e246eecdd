package dev.scout.session;

import dev.scout.dht.FormatException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The connect-intent entry of a contact record (kind 4 in docs/app-format.md): "I want a direct
 * session; here are my addresses; start sending at this moment". A reader that sees a fresh intent
 * it has not answered connects towards the addresses at {@code startAtMillis} while the writer does
 * the same, so both NATs open within one network latency of each other (docs/sessions.md).
 *
 * <pre>
 * version u8 (=1) | reserved u8 (=0) | nonce (16) | start at u64 (Unix ms) | expires u64 (Unix s)
 * | nat u8 (0 unknown, 1 none, 2 cone, 3 symmetric) | target device tag u32 (0 = any)
 * | count u8 (1..8) | count × (family u8 (4|6) | address (4|16) | port u16)
 * </pre>
 *
 * @param nonce         16 random bytes naming this attempt (a device answers each nonce once)
 * @param startAtMillis when both sides start sending, Unix milliseconds
 * @param expiresAt     after this (Unix seconds) the intent is ignored
 * @param nat           the writer's NAT type as it knows it
 * @param targetDevice  the contact's device tag this is for, 0 for any
 * @param addresses     the writer's addresses to try (external first, then LAN)
 */
public record ConnectIntent(byte[] nonce, long startAtMillis, long expiresAt, NatType nat, int targetDevice,
        List<InetSocketAddress> addresses) {
    /** The encoding's version byte; other versions are rejected by {@link #decode}. */
    public static final int VERSION = 1;
    /** Length of {@link #nonce()}. */
    public static final int NONCE_BYTES = 16;
    /** Most addresses one intent carries (so the encoding fits one record entry). */
    public static final int MAX_ADDRESSES = 8;
    /** How far ahead of now a contact's intent may start ({@link #decode(byte[], ContactAddressPolicy, long)}). */
    public static final long MAX_START_AHEAD_MILLIS = 120_000;
    /** How long ago a contact's intent may have started and still be read. */
    public static final long MAX_START_BEHIND_MILLIS = 60_000;
    /** How far from now a contact's intent may expire. */
    public static final long MAX_TTL_SECONDS = 3_600;
    private static final int FIXED = 1 + 1 + NONCE_BYTES + 8 + 8 + 1 + 4 + 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Checks the limits and copies the arrays and lists.
     *
     * @param nonce         {@value #NONCE_BYTES} bytes; copied
     * @param startAtMillis Unix milliseconds
     * @param expiresAt     Unix seconds
     * @param nat           the writer's NAT type
     * @param targetDevice  a device tag, 0 for any
     * @param addresses     1 to {@value #MAX_ADDRESSES} resolved addresses; copied
     * @throws IllegalArgumentException if the nonce's length, the number of addresses or an unresolved
     *                                  address breaks those limits
     */
    public ConnectIntent {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("nonce must be " + NONCE_BYTES + " bytes");
        }
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("a connect intent carries 1 to " + MAX_ADDRESSES + " addresses, got "
                    + addresses.size());
        }
        for (InetSocketAddress a : addresses) {
            if (a.isUnresolved()) {
                throw new IllegalArgumentException("unresolved address " + a);
            }
        }
        nonce = nonce.clone();
        addresses = List.copyOf(addresses);
    }

    /**
     * A new intent with a random nonce.
     *
     * @param addresses        the writer's addresses, best first (1 to {@value #MAX_ADDRESSES})
     * @param nat              the writer's NAT type as it knows it
     * @param targetDevice     the contact's device tag this is for, 0 for any
     * @param nowMillis        the current time, Unix milliseconds
     * @param startDelayMillis how long from now both sides start sending (time for the contact to read it)
     * @param ttlSeconds       how long from now the intent stays live
     * @return the intent
     */
    public static ConnectIntent create(List<InetSocketAddress> addresses, NatType nat, int targetDevice,
            long nowMillis, long startDelayMillis, long ttlSeconds) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return new ConnectIntent(nonce, nowMillis + startDelayMillis, nowMillis / 1000 + ttlSeconds, nat, targetDevice,
                addresses);
    }

    /** {@return a copy of the nonce} */
    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /**
     * {@return whether the intent still applies at {@code nowMillis} (before {@link #expiresAt()})}
     *
     * @param nowMillis the current time, Unix milliseconds
     */
    public boolean isLive(long nowMillis) {
        return nowMillis / 1000 < expiresAt;
    }

    /** {@return the entry content (at most 40 + 8 × 19 = 192 bytes, within the 255-byte entry limit)} */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(FIXED + addresses.size() * 19);
        b.put((byte) VERSION).put((byte) 0).put(nonce).putLong(startAtMillis).putLong(expiresAt)
                .put((byte) nat.ordinal()).putInt(targetDevice).put((byte) addresses.size());
        for (InetSocketAddress a : addresses) {
            byte[] ip = a.getAddress().getAddress();
            b.put((byte) (ip.length == 4 ? 4 : 6)).put(ip).putShort((short) a.getPort());
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /**
     * Parses entry content (an unknown NAT value reads as {@link NatType#UNKNOWN}).
     *
     * @param content a kind-4 entry's content
     * @return the intent
     * @throws FormatException naming the problem, if the content is malformed or of another version
     */
    public static ConnectIntent decode(byte[] content) {
        ByteBuffer b = ByteBuffer.wrap(content);
        try {
            int version = b.get() & 0xFF;
            if (version != VERSION) {
                throw new FormatException("connect intent version " + version + " is not supported");
            }
            b.get(); // reserved
            byte[] nonce = new byte[NONCE_BYTES];
            b.get(nonce);
            long start = b.getLong();
            long expires = b.getLong();
            int nat = b.get() & 0xFF;
            int target = b.getInt();
            int count = b.get() & 0xFF;
            if (count == 0 || count > MAX_ADDRESSES) {
                throw new FormatException("connect intent with " + count + " addresses (1 to " + MAX_ADDRESSES + ")");
            }
            List<InetSocketAddress> addresses = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int family = b.get() & 0xFF;
                if (family != 4 && family != 6) {
                    throw new FormatException("connect intent address family " + family);
                }
                byte[] ip = new byte[family == 4 ? 4 : 16];
                b.get(ip);
                int port = b.getShort() & 0xFFFF;
                if (port == 0) {
                    throw new FormatException("connect intent address with port 0");
                }
                InetAddress address = InetAddress.getByAddress(ip);
                if (family == 6 && address instanceof Inet4Address) {
                    throw new FormatException("IPv4-mapped address in an IPv6 slot");
                }
                addresses.add(new InetSocketAddress(address, port));
            }
            if (b.hasRemaining()) {
                throw new FormatException("connect intent has " + b.remaining() + " trailing bytes");
            }
            NatType type = nat < NatType.values().length ? NatType.values()[nat] : NatType.UNKNOWN;
            return new ConnectIntent(nonce, start, expires, type, target, addresses);
        } catch (BufferUnderflowException e) {
            throw new FormatException("connect intent truncated at byte " + content.length);
        } catch (UnknownHostException e) {
            throw new FormatException("connect intent address: " + e.getMessage());
        }
    }

    /**
     * Parses a contact's entry and checks what the contact may ask of us: its addresses by {@code
     * policy} (refused ones are left out; at least one must remain) and its times within bounds: the
     * start within {@value #MAX_START_AHEAD_MILLIS} ms ahead of and {@value #MAX_START_BEHIND_MILLIS}
     * ms behind {@code nowMillis}, the expiry within {@value #MAX_TTL_SECONDS} s. An expired intent is
     * history, not a request and not an error: the entry stays in the pair's record until the contact
     * writes its next one, and every read of the record sees it again.
     *
     * @param content   a kind-4 entry's content
     * @param policy    which addresses this node may be made to send to
     * @param nowMillis the current time, Unix milliseconds
     * @return the live intent, with the allowed addresses only; empty if it has expired
     * @throws FormatException naming the problem, if it is malformed (layout or bounds) though not expired
     */
    public static Optional<ConnectIntent> decode(byte[] content, ContactAddressPolicy policy, long nowMillis) {
        ConnectIntent c = decode(content);
        if (!c.isLive(nowMillis)) {
            return Optional.empty();
        }
        if (c.startAtMillis > nowMillis + MAX_START_AHEAD_MILLIS || c.startAtMillis < nowMillis - MAX_START_BEHIND_MILLIS) {
            throw new FormatException("connect intent starting " + (c.startAtMillis - nowMillis) + " ms from now (allowed: -"
                    + MAX_START_BEHIND_MILLIS + " to +" + MAX_START_AHEAD_MILLIS + ")");
        }
        if (c.expiresAt > nowMillis / 1000 + MAX_TTL_SECONDS) {
            throw new FormatException("connect intent expiring " + (c.expiresAt - nowMillis / 1000) + " s from now (at most "
                    + MAX_TTL_SECONDS + ")");
        }
        List<InetSocketAddress> allowed = new ArrayList<>();
        String refused = null;
        for (InetSocketAddress a : c.addresses) {
            Optional<String> why = policy.refusal(a);
            if (why.isEmpty()) {
                allowed.add(a);
            } else if (refused == null) {
                refused = why.get();
            }
        }
        if (allowed.isEmpty()) {
            throw new FormatException("connect intent with no address we may send to: " + refused);
        }
        return Optional.of(allowed.size() == c.addresses.size() ? c
                : new ConnectIntent(c.nonce, c.startAtMillis, c.expiresAt, c.nat, c.targetDevice, allowed));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectIntent c && Arrays.equals(nonce, c.nonce) && startAtMillis == c.startAtMillis
                && expiresAt == c.expiresAt && nat == c.nat && targetDevice == c.targetDevice
                && addresses.equals(c.addresses);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nonce) * 31 + addresses.hashCode();
    }

    @Override
    public String toString() {
        return "ConnectIntent[start=" + startAtMillis + ", expires=" + expiresAt + ", nat=" + nat + ", device="
                + targetDevice + ", addresses=" + addresses + "]";
    }
}
