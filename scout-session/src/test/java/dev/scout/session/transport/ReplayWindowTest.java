package dev.scout.session.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.testkit.RandomCases;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The replay window over its whole slide, against a reference model that remembers every number. */
class ReplayWindowTest {

    /** What the window promises: fresh if above everything seen, or within the last WINDOW and unseen. */
    private static final class Reference {
        final Set<Long> seen = new HashSet<>();
        long highest = -1;

        boolean fresh(long n) {
            return n >= 0 && !seen.contains(n) && (n > highest || highest - n < ReplayWindow.WINDOW);
        }

        void mark(long n) {
            seen.add(n);
            highest = Math.max(highest, n);
        }
    }

    @Test
    void afterTenThousandInOrderPacketsNoneOfTheOldOnesPassAgain() {
        ReplayWindow w = new ReplayWindow();
        for (long n = 0; n <= 10_000; n++) {
            assertThat(w.check(n)).isTrue();
            w.mark(n);
        }
        for (long n = 0; n <= 10_000; n++) {
            assertThat(w.check(n)).as("replay of %d after 0..10,000", n).isFalse();
        }
    }

    @Test
    void everyInOrderAdvanceRefusesEverySeenAndEveryTooOldNumber() {
        ReplayWindow w = new ReplayWindow();
        int span = ReplayWindow.WINDOW + 130; // past both edges of the window and its spare word
        for (long n = 0; n < 3 * ReplayWindow.WINDOW + 200; n++) {
            w.mark(n);
            for (long old = Math.max(0, n - span); old <= n; old++) {
                if (w.check(old)) {
                    throw new AssertionError("after 0.." + n + " in order, " + old + " passed again");
                }
            }
            assertThat(w.check(n + 1)).isTrue();
        }
    }

    @Test
    void jumpsOfEverySizeAroundTheWordAndWindowEdgesKeepTheModel() {
        long[] jumps = {1, 2, 63, 64, 65, 127, 128, 129, ReplayWindow.WINDOW - 65, ReplayWindow.WINDOW - 64,
            ReplayWindow.WINDOW - 1, ReplayWindow.WINDOW, ReplayWindow.WINDOW + 1, ReplayWindow.WINDOW + 64,
            2 * ReplayWindow.WINDOW, 1 << 40};
        for (long jump : jumps) {
            for (long start = 0; start < 130; start += 7) {
                ReplayWindow w = new ReplayWindow();
                Reference model = new Reference();
                // every other number up to the start, then the jump: holes and seen numbers on both sides
                for (long n = 0; n <= start + 200; n += 2) {
                    w.mark(n);
                    model.mark(n);
                }
                long top = start + 200 + jump;
                w.mark(top);
                model.mark(top);
                for (long n = Math.max(0, top - ReplayWindow.WINDOW - 130); n <= top + 2; n++) {
                    assertThat(w.check(n)).as("jump %d from %d, number %d", jump, start, n).isEqualTo(model.fresh(n));
                }
                for (long n = 0; n <= start + 200; n++) {
                    assertThat(w.check(n)).as("jump %d from %d, early number %d", jump, start, n).isEqualTo(model.fresh(n));
                }
            }
        }
    }

    /** Numbers arrive reordered, duplicated and with gaps; every answer must be the model's. */
    @Test
    void randomOrderAgreesWithTheReferenceModel() {
        RandomCases.forAll(40, ReplayWindowTest::arrivals, arrivals -> {
            ReplayWindow w = new ReplayWindow();
            Reference model = new Reference();
            for (long n : arrivals) {
                boolean fresh = model.fresh(n);
                assertThat(w.check(n)).as("number %d (highest %d)", n, model.highest).isEqualTo(fresh);
                if (fresh) {
                    w.mark(n);
                    model.mark(n);
                }
                assertThat(w.check(n)).as("number %d just marked", n).isFalse();
            }
        });
    }

    private static List<Long> arrivals(Random r) {
        List<Long> out = new ArrayList<>();
        long next = 0;
        int count = 2_000 + r.nextInt(8_000);
        int maxJump = 1 + r.nextInt(r.nextBoolean() ? 8 : 200);
        for (int i = 0; i < count; i++) {
            int kind = r.nextInt(10);
            if (kind < 6) {
                out.add(next);
                next += 1 + r.nextInt(maxJump);
            } else if (kind < 9 && next > 0) {
                // late or replayed: anywhere up to a bit more than a window back
                out.add(Math.max(0, next - 1 - r.nextInt(ReplayWindow.WINDOW + 200)));
            } else {
                next += r.nextInt(3 * ReplayWindow.WINDOW);
                out.add(next);
            }
        }
        return out;
    }
}
