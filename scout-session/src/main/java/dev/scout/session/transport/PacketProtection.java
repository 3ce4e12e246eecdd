package dev.scout.session.transport;

import dev.scout.session.handshake.NoiseCipher;
import dev.scout.session.handshake.Wire;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Seals and opens DATA datagrams of one session: ChaCha20-Poly1305 under the Noise transport
 * keys, the packet number as nonce, the header as associated data, and a replay window that only
 * authenticated packets can move. Not thread-safe.
 */
public final class PacketProtection {
    private final NoiseCipher send;
    private final NoiseCipher receive;
    private final ReplayWindow replay = new ReplayWindow();
    private long nextNumber;

    /** {@code ciphers}: {send, receive} as {@link NoiseIK#split()} returns them. */
    public PacketProtection(NoiseCipher[] ciphers) {
        this.send = ciphers[0];
        this.receive = ciphers[1];
    }

    /** The number the next sealed packet gets. */
    public long nextNumber() {
        return nextNumber;
    }

    /** A DATA datagram for the peer's connection {@code remoteId} carrying {@code plain[0, length)}. */
    public byte[] seal(long remoteId, byte[] plain, int length) {
        long pn = nextNumber++;
        byte[] out = new byte[Wire.DATA_HEADER + length + NoiseCipher.TAG_BYTES];
        out[0] = Wire.DATA;
        Wire.putLong(out, 1, remoteId);
        Wire.putLong(out, 9, pn);
        send.encrypt(pn, Arrays.copyOf(out, Wire.DATA_HEADER), plain, 0, length, out, Wire.DATA_HEADER);
        return out;
    }

    /** The packet number of a DATA datagram. */
    public static long number(byte[] datagram) {
        return Wire.getLong(datagram, 9);
    }

    /**
     * Decrypts a DATA datagram into {@code plain}; returns the plaintext length, or -1 if it is a
     * replay, too old, or fails authentication (tampered or foreign). Call {@link #accept} once the
     * contents were found well-formed.
     */
    public int open(byte[] datagram, byte[] plain) {
        long pn = number(datagram);
        if (!replay.check(pn)) {
            return -1;
        }
        try {
            return receive.decrypt(pn, Arrays.copyOf(datagram, Wire.DATA_HEADER), datagram, Wire.DATA_HEADER,
                    datagram.length - Wire.DATA_HEADER, plain, 0);
        } catch (GeneralSecurityException e) {
            return -1;
        }
    }

    /** Records {@code pn} as received; returns whether it is the highest so far. */
    public boolean accept(long pn) {
        replay.mark(pn);
        return pn == replay.highest();
    }
}
