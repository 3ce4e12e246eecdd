package dev.scout.node.loops;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle schedule, on a fake clock: with the default intervals (poll 15 min, republish 1 h) a daemon
 * with 100 contacts does one contact's poll every 9 s and one contact's republish every 36 s, each
 * contact once per interval, never in bursts.
 */
class RoundRobinTest {
    private static final List<String> CONTACTS = IntStream.range(0, 100).mapToObj(i -> "c" + i).toList();

    /** Turns taken at each tick (100 ms) of a fake clock from 0 to {@code untilMillis}. */
    private static List<long[]> drive(RoundRobin r, List<String> contacts, long untilMillis, Map<String, Integer> perContact) {
        List<long[]> turns = new ArrayList<>();
        for (long now = 0; now < untilMillis; now += 100) {
            Optional<String> c = r.next(contacts, now);
            if (c.isPresent()) {
                turns.add(new long[] {now});
                perContact.merge(c.get(), 1, Integer::sum);
            }
        }
        return turns;
    }

    @Test
    void pollsOfAHundredContactsBetween30And150SecondsAreThirteen() {
        long poll = AppLoops.DEFAULT_POLL_MILLIS;
        assertThat(poll).isEqualTo(15 * 60_000);
        // the start-up sweep polled everyone at 0 s; the next turn is one spacing later
        RoundRobin r = new RoundRobin(poll, poll / CONTACTS.size());
        List<long[]> turns = drive(r, CONTACTS, 150_000, new HashMap<>());
        long inWindow = turns.stream().filter(t -> t[0] >= 30_000).count();
        assertThat(inWindow).isEqualTo(13); // 27, 36, ..., 144 s
        for (int i = 1; i < turns.size(); i++) {
            assertThat(turns.get(i)[0] - turns.get(i - 1)[0]).isEqualTo(9_000);
        }
    }

    @Test
    void republishesOfAHundredContactsBetween30And150SecondsAreFour() {
        long republish = AppLoops.DEFAULT_REPUBLISH_MILLIS;
        RoundRobin r = new RoundRobin(republish, republish / CONTACTS.size());
        List<long[]> turns = drive(r, CONTACTS, 150_000, new HashMap<>());
        assertThat(turns.stream().filter(t -> t[0] >= 30_000).count()).isEqualTo(4); // 36, 72, 108, 144 s
    }

    @Test
    void everyContactHasExactlyOneTurnPerInterval() {
        Map<String, Integer> perContact = new HashMap<>();
        RoundRobin r = new RoundRobin(3_600_000, 36_000);
        drive(r, CONTACTS, 2 * 3_600_000 + 36_000, perContact); // two full rounds
        assertThat(perContact).hasSize(100);
        assertThat(perContact.values()).allMatch(n -> n == 2);
    }

    @Test
    void roundsEndAfterTheLastContactAndAnEmptyListIsLookedAtAgainSoon() {
        RoundRobin r = new RoundRobin(3_000, 0);
        List<String> two = List.of("a", "b");
        assertThat(r.next(two, 0)).contains("a");
        assertThat(r.roundEnded()).isFalse();
        assertThat(r.next(two, 1_000)).isEmpty(); // spacing 1.5 s
        assertThat(r.next(two, 1_500)).contains("b");
        assertThat(r.roundEnded()).isTrue();
        assertThat(r.next(List.of(), 3_000)).isEmpty();
        assertThat(r.nextAt()).isEqualTo(3_000 + RoundRobin.EMPTY_RECHECK_MILLIS);
        assertThat(r.next(two, 4_000)).contains("a");
    }

    @Test
    void aLateTurnDoesNotCauseABurst() {
        RoundRobin r = new RoundRobin(10_000, 0);
        List<String> ten = IntStream.range(0, 10).mapToObj(i -> "c" + i).toList();
        assertThat(r.next(ten, 0)).isPresent();
        assertThat(r.next(ten, 60_000)).isPresent(); // the loop was stuck for a minute
        assertThat(r.next(ten, 60_000)).isEmpty();
        assertThat(r.nextAt()).isEqualTo(61_000);
    }

    @Test
    void aShorterIntervalAppliesAtOnce() {
        RoundRobin r = new RoundRobin(900_000, 9_000);
        r.interval(10_000, 1_000, 100);
        assertThat(r.nextAt()).isEqualTo(1_100);
    }
}
