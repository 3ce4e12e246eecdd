package dev.scout.dht.node.requests;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The soft timeout: 1 s before any answer, RFC 6298 for the first samples, then the 95th percentile. */
class RttEstimatorTest {

    @Test
    void beforeAnySampleTheFirstContactGetsOneSecond() {
        assertThat(new RttEstimator().softTimeout(100, 5_000)).isEqualTo(1_000);
    }

    @Test
    void heavyTailedRttsGiveTheNinetyFifthPercentileNotSrttPlusFourVariances() {
        RttEstimator e = new RttEstimator();
        // 98 % of answers within 50 ms, 2 % at 900 ms: the RFC bound would be several hundred ms.
        for (int i = 0; i < 1_000; i++) {
            e.sample(i % 50 == 49 ? 900 : 20 + (i % 10) * 3);
        }
        long soft = e.softTimeout(10, 5_000);
        assertThat(soft).isBetween(40L, 64L);
    }

    @Test
    void theMinimumAndMaximumStillApply() {
        RttEstimator e = new RttEstimator();
        for (int i = 0; i < 100; i++) {
            e.sample(1);
        }
        assertThat(e.softTimeout(100, 5_000)).isEqualTo(100);
        RttEstimator slow = new RttEstimator();
        for (int i = 0; i < 100; i++) {
            slow.sample(3_000); // beyond the histogram: the RFC bound, clamped
        }
        assertThat(slow.softTimeout(100, 2_000)).isEqualTo(2_000);
    }

    @Test
    void recentSamplesOutweighOldOnes() {
        RttEstimator e = new RttEstimator();
        for (int i = 0; i < 600; i++) {
            e.sample(400);
        }
        for (int i = 0; i < 3_000; i++) {
            e.sample(30);
        }
        assertThat(e.softTimeout(10, 5_000)).isLessThanOrEqualTo(40);
    }
}
