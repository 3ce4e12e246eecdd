package dev.scout.dht.server;

import dev.scout.testkit.RandomCases;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** BEP 5 write tokens: bound to the requester's IP, accepted for 5 to 10 minutes. */
class TokenManagerTest {
    static final long MIN = 60_000L;
    static final long T0 = 1_000_000L;

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static final InetAddress ALICE = ip("192.0.2.1");
    static final InetAddress BOB = ip("192.0.2.2");
    static final InetAddress ALICE6 = ip("2001:db8::1");

    @Test
    void validForTheSameIpRightAfterIssue() {
        TokenManager tokens = new TokenManager(new Random(1), T0);
        byte[] token = tokens.tokenFor(ALICE, T0);
        assertThat(token).hasSize(8);
        assertThat(tokens.isValid(token, ALICE, T0)).isTrue();
        assertThat(tokens.isValid(token.clone(), ALICE, T0 + 1)).isTrue();
    }

    @Test
    void invalidForAnotherIp() {
        TokenManager tokens = new TokenManager(new Random(2), T0);
        byte[] token = tokens.tokenFor(ALICE, T0);
        assertThat(tokens.isValid(token, BOB, T0)).isFalse();
        assertThat(tokens.isValid(token, ALICE6, T0)).isFalse();
        assertThat(tokens.tokenFor(BOB, T0)).isNotEqualTo(token);
    }

    @Test
    void sameIpGetsTheSameTokenWithinAPeriod() {
        TokenManager tokens = new TokenManager(new Random(3), T0);
        assertThat(tokens.tokenFor(ALICE, T0 + 4 * MIN)).isEqualTo(tokens.tokenFor(ALICE, T0));
    }

    @Test
    void stillValidAfterOneRotation() {
        for (long age : new long[] {5 * MIN, 5 * MIN + 1, 7 * MIN, 10 * MIN - 1}) {
            TokenManager tokens = new TokenManager(new Random(4), T0);
            byte[] token = tokens.tokenFor(ALICE, T0);
            assertThat(tokens.isValid(token, ALICE, T0 + age)).as("%d ms old", age).isTrue();
            assertThat(tokens.tokenFor(ALICE, T0 + age)).as("a new secret is in use").isNotEqualTo(token);
        }
    }

    @Test
    void invalidAfterTenMinutesWithoutActivity() {
        for (long age : new long[] {10 * MIN, 10 * MIN + 1, 11 * MIN, 60 * MIN}) {
            TokenManager tokens = new TokenManager(new Random(5), T0);
            byte[] token = tokens.tokenFor(ALICE, T0);
            assertThat(tokens.isValid(token, ALICE, T0 + age)).as("%d ms old", age).isFalse();
        }
    }

    @Test
    void invalidAfterTenMinutesWhenCheckedInBetween() {
        // A check between issue and expiry must not stretch the token's life past ten minutes.
        TokenManager tokens = new TokenManager(new Random(6), T0);
        byte[] token = tokens.tokenFor(ALICE, T0);
        assertThat(tokens.isValid(token, ALICE, T0 + 9 * MIN)).isTrue();
        assertThat(tokens.isValid(token, ALICE, T0 + 10 * MIN + 1)).isFalse();
    }

    @Test
    void invalidAfterTenMinutesUnderSteadyTraffic() {
        TokenManager tokens = new TokenManager(new Random(7), T0);
        byte[] token = tokens.tokenFor(ALICE, T0);
        long t = T0;
        while (t < T0 + 10 * MIN) {
            assertThat(tokens.isValid(token, ALICE, t)).as("at +%d ms", t - T0).isTrue();
            tokens.tokenFor(BOB, t); // other requesters keep the manager busy
            t += 7_000;
        }
        assertThat(tokens.isValid(token, ALICE, T0 + 10 * MIN)).isFalse();
    }

    @Test
    void anyFlippedBitInvalidates() {
        TokenManager tokens = new TokenManager(new Random(8), T0);
        byte[] token = tokens.tokenFor(ALICE, T0);
        for (int i = 0; i < token.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] forged = token.clone();
                forged[i] ^= (byte) (1 << bit);
                assertThat(tokens.isValid(forged, ALICE, T0)).as("byte %d bit %d", i, bit).isFalse();
            }
        }
        assertThat(tokens.isValid(token, ALICE, T0)).isTrue();
    }

    @Test
    void wrongLengthIsInvalid() {
        TokenManager tokens = new TokenManager(new Random(9), T0);
        byte[] token = tokens.tokenFor(ALICE, T0);
        assertThat(tokens.isValid(Arrays.copyOf(token, 7), ALICE, T0)).isFalse();
        assertThat(tokens.isValid(Arrays.copyOf(token, 9), ALICE, T0)).isFalse();
        assertThat(tokens.isValid(Arrays.copyOf(token, 20), ALICE, T0)).isFalse();
        assertThat(tokens.isValid(new byte[0], ALICE, T0)).isFalse();
        assertThat(tokens.isValid(null, ALICE, T0)).isFalse();
    }

    @Test
    void secretsDependOnTheRandomSource() {
        byte[] a = new TokenManager(new Random(10), T0).tokenFor(ALICE, T0);
        byte[] b = new TokenManager(new Random(11), T0).tokenFor(ALICE, T0);
        assertThat(a).isNotEqualTo(b);
        assertThat(new TokenManager(new Random(10), T0).isValid(b, ALICE, T0)).isFalse();
    }

    /**
     * Whatever the pattern of calls, a token is accepted while younger than one rotation period and refused
     * once ten minutes old.
     */
    @Test
    void lifetimeIsBetweenFiveAndTenMinutes() {
        RandomCases.forAll(java.util.List.of(new Lifetime(0, 0, 0), new Lifetime(-1, 20 * MIN, 40)), 300,
                r -> new Lifetime(RandomCases.longs(r), RandomCases.longs(r, 0, 20 * MIN), RandomCases.ints(r, 0, 40)),
                c -> lifetimeIsBetweenFiveAndTenMinutes(c.seed(), c.issueDelay(), c.calls()));
    }

    private record Lifetime(long seed, long issueDelay, int calls) {
    }

    private void lifetimeIsBetweenFiveAndTenMinutes(long seed, long issueDelay, int calls) {
        Random random = new Random(seed);
        TokenManager tokens = new TokenManager(random, T0);
        long now = T0;
        // some activity before the token is issued, so the rotation phase is arbitrary
        while (now < T0 + issueDelay) {
            tokens.tokenFor(BOB, now);
            now += 1 + (long) (random.nextDouble() * 3 * MIN);
        }
        long issued = now;
        byte[] token = tokens.tokenFor(ALICE, issued);
        for (int i = 0; i < calls; i++) {
            now += (long) (random.nextDouble() * 2 * MIN);
            long age = now - issued;
            boolean valid = tokens.isValid(token, ALICE, now);
            if (age < TokenManager.ROTATE_MILLIS) {
                assertThat(valid).as("%d ms old", age).isTrue();
            } else if (age >= 2 * TokenManager.ROTATE_MILLIS) {
                assertThat(valid).as("%d ms old", age).isFalse();
            }
            if (random.nextBoolean()) {
                tokens.tokenFor(BOB, now);
            }
        }
    }
}
