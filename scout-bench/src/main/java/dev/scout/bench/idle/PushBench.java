package dev.scout.bench.idle;

import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import dev.scout.bench.Fragment;
import dev.scout.dht.udp.LoopbackTestnet;
import dev.scout.node.ScoutNode;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Message push latency between two running {@link ScoutNode}s with default options (safety-net poll
 * 15 min) on a loopback testnet: the time from {@code send} being called until the contact's node
 * announces the message, and from the send's completion (message and record stored) until then, which
 * is the poke, the contact's record read and the message fetch.
 *
 * <pre>java -cp benchmarks.jar dev.scout.bench.idle.PushBench --messages 20 --out push.txt</pre>
 */
public final class PushBench {
    private PushBench() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Fragment.args(argv);
        int messages = Integer.parseInt(a.getOrDefault("messages", "20"));
        int nodes = Integer.parseInt(a.getOrDefault("nodes", "30"));
        Path out = Path.of(a.getOrDefault("out", "bench/results/parts/push.txt"));
        long[] total = new long[messages];
        long[] afterStore = new long[messages];
        int lost = 0;
        try (LoopbackTestnet testnet = LoopbackTestnet.start(nodes);
             ScoutNode alice = ScoutNode.builder().testnet(testnet).start();
             ScoutNode bob = ScoutNode.builder().testnet(testnet).start()) {
            Contact bobForAlice = alice.contacts().add("bob", bob.publicKey());
            Contact aliceForBob = bob.contacts().add("alice", alice.publicKey());
            bob.sync(aliceForBob).get(60, TimeUnit.SECONDS);
            alice.sync(bobForAlice).get(60, TimeUnit.SECONDS);
            LinkedBlockingQueue<ReceivedMessage> heard = new LinkedBlockingQueue<>();
            bob.onMessage(heard::add);
            for (int i = 0; i < messages; i++) {
                long t0 = System.nanoTime();
                alice.send(bobForAlice, "message " + i).get(60, TimeUnit.SECONDS);
                long stored = System.nanoTime();
                ReceivedMessage m = heard.poll(30, TimeUnit.SECONDS);
                long t1 = System.nanoTime();
                if (m == null) {
                    lost++;
                    total[i] = afterStore[i] = Long.MAX_VALUE;
                    continue;
                }
                total[i] = (t1 - t0) / 1_000;
                afterStore[i] = (t1 - stored) / 1_000;
                Thread.sleep(200);
            }
        }
        Arrays.sort(total);
        Arrays.sort(afterStore);
        Fragment f = new Fragment();
        f.put("push_messages", messages);
        f.put("push_not_heard_within_30s", lost);
        f.put("push_send_to_heard_p50_ms", total[messages / 2] / 1000.0);
        f.put("push_send_to_heard_max_ms", lost > 0 ? null : total[messages - 1] / 1000.0);
        f.put("push_stored_to_heard_p50_ms", afterStore[messages / 2] / 1000.0);
        f.put("push_stored_to_heard_max_ms", lost > 0 ? null : afterStore[messages - 1] / 1000.0);
        System.out.printf("[push] %d messages between two running nodes: send->heard p50 %.1f ms max %.1f ms; "
                        + "stored->heard p50 %.1f ms max %.1f ms; %d not heard within 30 s%n", messages,
                total[messages / 2] / 1000.0, total[messages - 1] / 1000.0, afterStore[messages / 2] / 1000.0,
                afterStore[messages - 1] / 1000.0, lost);
        f.write(out);
    }
}
