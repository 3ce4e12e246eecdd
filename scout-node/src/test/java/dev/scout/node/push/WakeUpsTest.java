package dev.scout.node.push;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A contact's wake-ups, on an executor the test runs by hand: one sync at a time, the rest folded into one more. */
class WakeUpsTest {
    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
    private final List<Ed25519PublicKey> synced = new ArrayList<>();
    private final Ed25519PublicKey alice = Ed25519KeyPair.generate().publicKey();
    private final Ed25519PublicKey bob = Ed25519KeyPair.generate().publicKey();

    @Test
    void wakeUpsDuringASyncFoldIntoOneMore() {
        WakeUps[] w = new WakeUps[1];
        int[] wakesDuringSync = {3};
        w[0] = new WakeUps(queued::add, k -> {
            synced.add(k);
            while (wakesDuringSync[0] > 0) { // pokes arriving while this sync runs
                wakesDuringSync[0]--;
                w[0].wake(k);
            }
        });
        w[0].wake(alice);
        w[0].wake(alice); // before the task even ran: folded
        assertThat(queued).hasSize(1);
        queued.poll().run();
        assertThat(synced).containsExactly(alice, alice); // the first, then one for all that came meanwhile
        assertThat(queued).isEmpty();
        w[0].wake(alice); // idle again: a new sync
        assertThat(queued).hasSize(1);
    }

    @Test
    void contactsAreIndependentAndAFailingSyncDoesNotStickTheContact() {
        WakeUps w = new WakeUps(queued::add, k -> {
            synced.add(k);
            throw new IllegalStateException("no DHT node answered");
        });
        w.wake(alice);
        w.wake(bob);
        assertThat(queued).hasSize(2);
        queued.poll().run();
        queued.poll().run();
        assertThat(synced).containsExactly(alice, bob);
        w.wake(alice);
        assertThat(queued).hasSize(1);
    }
}
