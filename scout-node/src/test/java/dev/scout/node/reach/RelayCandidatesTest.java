package dev.scout.node.reach;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bounds on probing announced relays (docs/sessions.md, "Finding a home relay"). */
class RelayCandidatesTest {
    private static InetSocketAddress at(int i) {
        return new InetSocketAddress("198.51.100." + (i % 250 + 1), 1_000 + i);
    }

    @Test
    void aFloodOfFakeAnnouncementsCostsBoundedProbesThenNothing() {
        RelayCandidates c = new RelayCandidates(new Random(1));
        List<InetSocketAddress> announced = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            announced.add(at(i));
        }
        Map<InetSocketAddress, Integer> probed = new HashMap<>();
        long now = 0;
        int looks = 0;
        while (true) {
            List<InetSocketAddress> round = c.toProbe(announced, now, a -> true);
            if (round.isEmpty()) {
                break;
            }
            looks++;
            assertThat(round).hasSizeLessThanOrEqualTo(RelayCandidates.PROBES_PER_ROUND).doesNotHaveDuplicates();
            for (InetSocketAddress a : round) {
                probed.merge(a, 1, Integer::sum);
                c.avoid(a, now); // none answers
            }
            now += HomeRelay.LOOK_MILLIS;
        }
        assertThat(now).isLessThan(RelayCandidates.AVOID_MILLIS);
        // Within the avoid period every fake is probed at most once, at most 8 per look ...
        assertThat(probed.values()).containsOnly(1);
        assertThat(looks).isLessThanOrEqualTo((int) (RelayCandidates.AVOID_MILLIS / HomeRelay.LOOK_MILLIS));
        // ... and once all were probed, a look costs nothing.
        assertThat(probed).hasSize(announced.size());
        assertThat(c.toProbe(announced, now, a -> true)).isEmpty();
        assertThat(c.best()).isEmpty();
    }

    @Test
    void aRealRelayAmongFakesIsFoundAndTheFastestTwoAreKept() {
        RelayCandidates c = new RelayCandidates(new Random(2));
        List<InetSocketAddress> announced = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            announced.add(at(i));
        }
        InetSocketAddress slow = at(100);
        InetSocketAddress fast = at(101);
        InetSocketAddress fastest = at(102);
        announced.addAll(List.of(slow, fast, fastest));
        c.answered(slow, 90);
        c.answered(fast, 40);
        c.answered(fastest, 10);
        assertThat(c.kept()).extracting(RelayCandidates.Verified::relay).containsExactly(fastest, fast);
        // Verified ones are not probed again; unusable addresses never.
        assertThat(c.toProbe(announced, 0, a -> !a.equals(at(0)))).doesNotContain(fastest, fast, at(0));
        // The fastest refused: the next fastest is the one to use, and the refused one is not probed for a while.
        c.avoid(fastest, 0);
        assertThat(c.best()).map(RelayCandidates.Verified::relay).contains(fast);
        assertThat(c.toProbe(List.of(fastest), 1_000, a -> true)).isEmpty();
        assertThat(c.toProbe(List.of(fastest), RelayCandidates.AVOID_MILLIS, a -> true)).containsExactly(fastest);
    }
}
