package dev.scout.dht.server;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Random;

/**
 * BEP 5 write tokens: a hash of the requester's IP and a secret that rotates every 5 minutes. A token is
 * accepted while its secret is current or previous, i.e. for 5 to 10 minutes. Comparison is
 * constant-time so a token cannot be guessed byte by byte.
 *
 * <pre>{@code
 * TokenManager tokens = new TokenManager(new SecureRandom(), now);
 * byte[] t = tokens.tokenFor(requester, now);
 * boolean ok = tokens.isValid(t, requester, now);
 * }</pre>
 */
public final class TokenManager {
    public static final long ROTATE_MILLIS = 5 * 60_000L;
    private static final int TOKEN_LENGTH = 8;

    private final Random random;
    private byte[] current = new byte[16];
    private byte[] previous = new byte[16];
    private long rotatedAt;

    public TokenManager(Random random, long now) {
        this.random = random;
        random.nextBytes(current);
        random.nextBytes(previous);
        this.rotatedAt = now;
    }

    public byte[] tokenFor(InetAddress requester, long now) {
        rotateIfDue(now);
        return token(current, requester);
    }

    public boolean isValid(byte[] token, InetAddress requester, long now) {
        rotateIfDue(now);
        if (token == null || token.length != TOKEN_LENGTH) {
            return false;
        }
        boolean matchesCurrent = MessageDigest.isEqual(token, token(current, requester));
        boolean matchesPrevious = MessageDigest.isEqual(token, token(previous, requester));
        return matchesCurrent | matchesPrevious;
    }

    private void rotateIfDue(long now) {
        long elapsed = now - rotatedAt;
        if (elapsed >= ROTATE_MILLIS) {
            long periods = elapsed / ROTATE_MILLIS;
            // After two or more periods of silence both secrets are stale.
            previous = periods >= 2 ? fresh() : current;
            current = fresh();
            // Stay on the 5-minute grid: restarting the period at `now` let a token live up to 15 minutes.
            rotatedAt += periods * ROTATE_MILLIS;
        }
    }

    private byte[] fresh() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    /** One digest reused for every token: this class lives on the node's loop, so no sharing. */
    private final MessageDigest sha1 = newSha1();

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the JDK", e);
        }
    }

    private byte[] token(byte[] secret, InetAddress requester) {
        sha1.reset();
        sha1.update(requester.getAddress());
        sha1.update(secret);
        return Arrays.copyOf(sha1.digest(), TOKEN_LENGTH);
    }
}
