package dev.scout.bench.sim;

import dev.scout.bench.sim.SimBench.Item;
import dev.scout.dht.Ed25519KeyPair;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** The items the simulation puts: a fresh key and 8-byte salt each, a 150-byte bencoded string value. */
final class SimItems {
    private SimItems() {}

    static Item random(Random random) {
        byte[] s = new byte[32];
        random.nextBytes(s);
        byte[] salt = new byte[8];
        random.nextBytes(salt);
        byte[] raw = new byte[150];
        random.nextBytes(raw);
        byte[] value = new byte[4 + raw.length];
        System.arraycopy("150:".getBytes(StandardCharsets.US_ASCII), 0, value, 0, 4);
        System.arraycopy(raw, 0, value, 4, raw.length);
        return new Item(Ed25519KeyPair.ofSeed(s), salt, value);
    }
}
