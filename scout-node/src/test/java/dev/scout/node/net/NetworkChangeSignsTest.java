package dev.scout.node.net;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The two local signs of a network change: a sleep and resume, and interface addresses that changed. */
class NetworkChangeSignsTest {
    @Test
    void aWallClockJumpAgainstTheMonotonicClockIsASleepAndResume() {
        ClockJump jump = new ClockJump();
        assertThat(jump.look(1_000_000, 0)).as("the first look is the baseline").isZero();
        assertThat(jump.look(1_002_000, 2_000_000_000L)).as("both moved 2 s").isZero();
        assertThat(jump.look(1_004_000 + 4_000, 4_000_000_000L)).as("4 s of slew is no jump").isZero();
        // Suspended for an hour: the monotonic clock stood still, the wall clock did not.
        assertThat(jump.look(1_008_000 + 3_600_000 + 2_000, 6_000_000_000L)).isEqualTo(3_600_000);
        assertThat(jump.look(1_008_000 + 3_600_000 + 4_000 - 60_000, 8_000_000_000L)).as("set back a minute").isEqualTo(-60_000);
    }

    @Test
    void theDifferenceOfTwoAddressSnapshotsNamesWhatCameAndWent() {
        assertThat(LocalAddresses.difference(Set.of("192.168.1.20", "fe80::1%wlan0"), Set.of("10.0.0.7", "fe80::1%wlan0")))
                .isEqualTo("+10.0.0.7 -192.168.1.20");
        assertThat(LocalAddresses.now()).noneMatch(a -> a.equals("127.0.0.1") || a.equals("0:0:0:0:0:0:0:1"));
    }
}
