package dev.scout.dht.transport;

import java.util.Random;

/** Latency and loss of the simulated network: one-way delay per datagram, or -1 to drop it. */
@FunctionalInterface
public interface LinkModel {
    long delayMillis(int from, int to, Random random);

    /** Uniform one-way delay in [min, max] ms, no loss. */
    static LinkModel uniform(long min, long max) {
        return (from, to, random) -> min + (long) (random.nextDouble() * (max - min + 1));
    }

    /**
     * Log-normal round-trip times around {@code medianRttMillis} (σ of the underlying normal is
     * {@code sigma}), each node with its own fixed "distance" so some peers are consistently far, plus
     * independent loss of each datagram with probability {@code loss}.
     */
    static LinkModel logNormal(double medianRttMillis, double sigma, double loss, long seed) {
        return new LinkModel() {
            private final Random nodeRandom = new Random(seed);
            private double[] nodeFactor = new double[0];

            private double factor(int node) {
                if (node >= nodeFactor.length) {
                    double[] grown = java.util.Arrays.copyOf(nodeFactor, Math.max(node + 1, nodeFactor.length * 2));
                    for (int i = nodeFactor.length; i < grown.length; i++) {
                        grown[i] = Math.exp(sigma * nodeRandom.nextGaussian());
                    }
                    nodeFactor = grown;
                }
                return nodeFactor[node];
            }

            @Override
            public long delayMillis(int from, int to, Random random) {
                if (random.nextDouble() < loss) {
                    return -1;
                }
                // Half the RTT each way; the path's distance is the mean of its two ends' factors.
                double path = (factor(from) + factor(to)) / 2 * Math.exp(0.25 * sigma * random.nextGaussian());
                return Math.max(1, Math.round(medianRttMillis / 2 * path));
            }
        };
    }
}
