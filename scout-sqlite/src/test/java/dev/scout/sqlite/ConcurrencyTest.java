package dev.scout.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.core.message.MessageId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two stores on one directory (a daemon and a one-shot command), each used by two threads. */
class ConcurrencyTest {

    @TempDir
    Path tmp;

    @Test
    void concurrentSendersFromTwoConnectionsKeepOneChain() throws Exception {
        Path dir = tmp.resolve("state");
        int perThread = 25;
        try (StateStore daemon = StateStore.open(dir); StateStore command = StateStore.open(dir)) {
            daemon.addContact("bob", Keys.key(2));
            assertThat(command.contact("bob").publicKey()).isEqualTo(Keys.key(2)); // visible at once
            List<MessageId> sent = new CopyOnWriteArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (StateStore store : List.of(daemon, command, daemon, command)) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            sent.add(store.pushOutgoing("bob", new byte[] {(byte) i}).id());
                            if (i % 5 == 0) {
                                store.undelivered();
                                store.routingTableStore().load();
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            List<MessageId> chain = ChainCheck.verify(command, "bob");
            assertThat(chain).hasSize(4 * perThread);
            Set<MessageId> all = new HashSet<>(chain);
            assertThat(all).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(daemon.outboxHead("bob")).isEqualTo(chain.get(chain.size() - 1));
        }
    }
}
