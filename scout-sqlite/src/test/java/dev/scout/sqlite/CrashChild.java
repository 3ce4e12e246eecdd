package dev.scout.sqlite;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * Run in a child JVM by {@link CrashSafetyTest}: records sent messages as fast as it can and prints
 * each id once {@link StateStore#pushOutgoing} has returned. Bounded so a forgotten child ends.
 * Arguments: state directory, contact name.
 */
public final class CrashChild {

    private CrashChild() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        Random random = new Random();
        long deadline = System.nanoTime() + 120_000_000_000L;
        try (StateStore store = StateStore.open(Path.of(args[0]))) {
            for (int i = 0; i < 100_000 && System.nanoTime() < deadline; i++) {
                byte[] message = new byte[16 + random.nextInt(200)];
                random.nextBytes(message);
                String id = store.pushOutgoing(args[1], message).id().toHex();
                out.print(id + "\n");
                out.flush();
            }
        }
    }
}
