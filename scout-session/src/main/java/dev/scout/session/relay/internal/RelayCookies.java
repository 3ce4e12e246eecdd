package dev.scout.session.relay.internal;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The relay's return-routability check, stateless: a cookie is the first 16 bytes of
 * HMAC-SHA256(secret of its epoch, family | address | port | epoch), sent to an address and valid while its epoch
 * is the current or the previous one ({@value #EPOCH_SECONDS} s each; the secrets are random and
 * replaced as epochs pass). Whoever echoes a valid cookie for an address receives datagrams sent to it.
 * Checking costs one HMAC and no memory per address; comparisons are constant-time. Not thread-safe:
 * the relay calls it under its lock.
 */
public final class RelayCookies {
    /** Length of one epoch: a cookie lives 30 to 60 s. */
    public static final int EPOCH_SECONDS = 30;
    private static final long EPOCH_NANOS = EPOCH_SECONDS * 1_000_000_000L;

    private final SecureRandom random = new SecureRandom();
    private final long origin;
    private final byte[] input = new byte[1 + 16 + 2 + 4];
    private int epoch = -1;
    private Mac current;
    private Mac previous;

    /** @param now the relay's clock (nanoseconds) at its start */
    public RelayCookies(long now) {
        this.origin = now;
    }

    /** {@return the epoch at {@code now}, rotating the secrets as epochs pass} */
    public int epoch(long now) {
        int e = (int) ((now - origin) / EPOCH_NANOS);
        if (e != epoch) {
            previous = e == epoch + 1 ? current : fresh();
            current = fresh();
            epoch = e;
        }
        return e;
    }

    /** {@return the cookie for {@code address} in the current epoch} */
    public byte[] mint(InetSocketAddress address, long now) {
        return mac(current, address, epoch(now));
    }

    /** {@return whether {@code cookie} (16 bytes at {@code off}) was minted for {@code address} in epoch {@code e}, still valid} */
    public boolean valid(InetSocketAddress address, int e, byte[] b, int off, long now) {
        int at = epoch(now);
        Mac m = e == at ? current : e == at - 1 ? previous : null;
        if (m == null) {
            return false;
        }
        byte[] expected = mac(m, address, e);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(b, off, off + RelayWire.COOKIE_BYTES));
    }

    private byte[] mac(Mac m, InetSocketAddress address, int e) {
        Arrays.fill(input, (byte) 0);
        byte[] ip = address.getAddress().getAddress();
        input[0] = (byte) ip.length; // so an IPv4 address never reads as an IPv6 one
        System.arraycopy(ip, 0, input, 1, ip.length);
        input[17] = (byte) (address.getPort() >>> 8);
        input[18] = (byte) address.getPort();
        RelayWire.putInt(input, 19, e);
        return Arrays.copyOf(m.doFinal(input), RelayWire.COOKIE_BYTES);
    }

    private Mac fresh() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
