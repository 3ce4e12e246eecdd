package dev.scout.bench.sim;

import dev.scout.bench.Fragment;
import dev.scout.bench.sim.SimBench.Op;
import dev.scout.dht.transport.SimNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Get after put (issue 11's disjoint-copies case): a fresh item is put from one random online node and,
 * the moment that put returns, read from another random online node, under the same stale share, loss
 * and churn as the rest of the simulation. A read that does not return the value just written is a miss:
 * the reader would have written its own copy elsewhere. Target: zero misses.
 */
final class ConsistencyStage {
    private ConsistencyStage() {}

    static void run(SimNetwork net, SimBench bench, int trials, double perSecond, long seed, Fragment f) {
        Random random = new Random(seed);
        List<Op> puts = new ArrayList<>();
        List<Op> gets = new ArrayList<>();
        boolean[] followed = new boolean[trials];
        int followedCount = 0;
        int putFailures = 0;
        double carry = 0;
        long deadline = net.now() + 30 * 60_000L;
        while (net.now() < deadline) {
            bench.churn();
            carry += perSecond * SimBench.TICK_MILLIS / 1000.0;
            while (carry >= 1 && puts.size() < trials) {
                carry -= 1;
                puts.add(bench.put(SimItems.random(random)));
            }
            for (int i = 0; i < puts.size(); i++) {
                Op put = puts.get(i);
                if (put.end >= 0 && !followed[i]) {
                    followed[i] = true;
                    followedCount++;
                    if (put.ok) {
                        gets.add(bench.get(put.item));
                    } else {
                        putFailures++;
                    }
                }
            }
            if (puts.size() == trials && followedCount == trials && gets.stream().allMatch(o -> o.end >= 0)) {
                break;
            }
            net.runFor(SimBench.TICK_MILLIS);
        }
        long misses = gets.stream().filter(o -> !o.ok).count();
        f.put("sim_get_after_put_trials", (long) trials).put("sim_get_after_put_misses", misses)
                .put("sim_get_after_put_put_failures", (long) putFailures)
                .put("sim_get_after_put_unfinished", (long) (trials - followedCount));
        for (Op o : puts) {
            o.probe = null;
        }
        for (Op o : gets) {
            o.probe = null;
        }
    }
}
