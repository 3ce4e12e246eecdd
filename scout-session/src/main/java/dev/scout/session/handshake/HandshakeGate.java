package dev.scout.session.handshake;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import javax.crypto.Mac;

/**
 * What an initiation must pass before the responder spends any Diffie-Hellman on it (issue 19; after
 * WireGuard's mac1, cookie reply and ratelimiter, and QUIC's Retry):
 * <ol>
 *   <li>its mac1 is right for our identity key (one HMAC; junk and scans end here);</li>
 *   <li>under load, it carries a valid cookie, else it gets a COOKIE (41 bytes, smaller than the
 *       INIT, so no amplification) and nothing else;</li>
 *   <li>its source has a token: {@value SourceLimiter#RATE}/s, bursts of {@value SourceLimiter#BURST}
 *       per IPv4 address or IPv6 /64; sources that proved their address by a cookie have buckets of
 *       their own, and an unproved source out of tokens is asked for a cookie rather than dropped, so
 *       packets spoofed from a victim's address cannot lock the victim out.</li>
 * </ol>
 * The endpoint is under load for a second after its queue of initiations reached
 * {@value #LOAD_QUEUE}, or after {@value #LOAD_RATE} initiations with a valid mac1 arrived within one
 * second (so a sustained flood keeps it under load, and only initiations that proved their address
 * reach Diffie-Hellman); otherwise a handshake stays one round trip. Loop thread only.
 */
public final class HandshakeGate {
    /** Initiations waiting in the endpoint's handshake queue that mean "under load". */
    public static final int LOAD_QUEUE = 16;
    /** Initiations with a valid mac1 within one second that mean "under load" (decrypted: ≈ 5–10 % of a core). */
    public static final int LOAD_RATE = 200;
    private static final long SECOND = 1_000_000_000L;

    /** The verdict on one initiation. */
    public enum Admission {
        /** Dropped, or answered with a COOKIE. */
        STOP,
        /** May be decrypted; the sender has not proved its address. */
        UNPROVED,
        /** May be decrypted; it carries a valid cookie for its source address. */
        PROVED
    }

    private final BiConsumer<byte[], InetSocketAddress> transmit;
    private final Predicate<InetSocketAddress> wholeAddress;
    private final Mac mac1;
    private final Mac cookieTag;
    private final CookieSecret cookies;
    private final SourceLimiter limiter = new SourceLimiter();
    private long underLoadUntil;
    private long windowStart;
    private int inWindow;
    private long cookiesSent;
    private long decrypted;

    /**
     * A gate for the responder with {@code identityKey}.
     *
     * @param transmit sends a COOKIE
     * @param wholeAddress source addresses limited as a whole rather than by prefix (relay routes' virtual addresses)
     * @param now the loop's clock, nanoseconds
     */
    public HandshakeGate(byte[] identityKey, SecureRandom random, BiConsumer<byte[], InetSocketAddress> transmit,
                         Predicate<InetSocketAddress> wholeAddress, long now) {
        this.transmit = transmit;
        this.wholeAddress = wholeAddress;
        this.mac1 = HandshakeMacs.mac1(identityKey);
        this.cookieTag = HandshakeMacs.cookieTag(identityKey);
        this.cookies = new CookieSecret(random, now);
        this.windowStart = now;
        this.underLoadUntil = now;
    }

    /** The endpoint saw {@code queued} initiations waiting. */
    public void noteQueued(int queued, long now) {
        if (queued >= LOAD_QUEUE) {
            underLoadUntil = now + SECOND;
        }
    }

    public boolean underLoad(long now) {
        return now - underLoadUntil < 0;
    }

    public Admission admit(byte[] init, InetSocketAddress from, long now) {
        if (!HandshakeMacs.initSealed(init, mac1)) {
            return Admission.STOP;
        }
        if (now - windowStart >= SECOND) {
            windowStart = now;
            inWindow = 0;
        }
        if (++inWindow >= LOAD_RATE) {
            underLoadUntil = now + SECOND;
        }
        boolean proved = cookies.valid(Arrays.copyOfRange(init, Wire.INIT_COOKIE, Wire.INIT_NOISE), from, now);
        if (!proved && underLoad(now)) {
            sendCookie(init, from, now);
            return Admission.STOP;
        }
        if (!limiter.allow(sourceKey(from, proved), now)) {
            if (!proved) {
                sendCookie(init, from, now);
            }
            return Admission.STOP;
        }
        return proved ? Admission.PROVED : Admission.UNPROVED;
    }

    /** An initiation is about to be decrypted. */
    public void decrypting() {
        decrypted++;
    }

    /** Asks the sender of {@code init} to repeat it with the cookie for its address. */
    public void sendCookie(byte[] init, InetSocketAddress from, long now) {
        cookiesSent++;
        transmit.accept(HandshakeMacs.cookieReply(init, cookies.cookie(from, now), cookieTag), from);
    }

    /** {@return COOKIE replies sent so far} */
    public long cookiesSent() {
        return cookiesSent;
    }

    /** {@return initiations that reached Diffie-Hellman so far} */
    public long decrypted() {
        return decrypted;
    }

    /** IPv4: the address; IPv6: the /64 (one subscriber), but a relay route's virtual address whole. */
    private SourceLimiter.Key sourceKey(InetSocketAddress from, boolean proved) {
        byte[] a = from.getAddress().getAddress();
        if (from.getAddress() instanceof Inet4Address) {
            return new SourceLimiter.Key(-1L, java.nio.ByteBuffer.wrap(a).getInt() & 0xFFFF_FFFFL, proved);
        }
        long low = wholeAddress.test(from) ? Wire.getLong(a, 8) ^ from.getPort() : 0;
        return new SourceLimiter.Key(Wire.getLong(a, 0), low, proved);
    }
}
