package dev.scout.dht;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node whose I/O loop dies (here of a simulated OutOfMemoryError thrown on the loop) must not
 * stay up deaf and silent: pending and later operations fail with the cause, and
 * {@link DhtNode#terminated()} reports it so a daemon can exit non-zero.
 */
class LoopFailureTest {

    @Test
    void aDeadLoopFailsPendingAndLaterOperationsAndIsReported() throws Exception {
        DhtConfig config = DhtConfig.builder().bindAddress(new InetSocketAddress("127.0.0.1", 0))
                .bootstrap(List.of()).requestTimeoutMillis(60_000).build();
        try (DhtNode node = DhtNode.start(config)) {
            assertThat(node.failure()).isEmpty();
            assertThat(node.terminated()).isNotDone();
            // Pending until its 60 s timeout: nothing answers on this port.
            CompletableFuture<NodeId> pending = node.ping(new InetSocketAddress("127.0.0.1", 9));
            OutOfMemoryError oom = new OutOfMemoryError("simulated: Java heap space");
            CompletableFuture<Object> killer = node.onLoop(ops -> {
                throw oom;
            });

            assertThatThrownBy(() -> node.terminated().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(DhtException.class).hasCause(oom);
            assertThat(node.failure()).hasValueSatisfying(e -> assertThat(e).hasCause(oom));
            assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).cause().hasCause(oom);
            assertThatThrownBy(() -> killer.get(10, TimeUnit.SECONDS)).cause().hasCause(oom);
            // Later operations fail at once instead of queueing on a loop that will never run them.
            CompletableFuture<NodeId> later = node.ping(new InetSocketAddress("127.0.0.1", 9));
            assertThat(later).isCompletedExceptionally();
            assertThatThrownBy(later::join).cause().hasCause(oom);
        }
    }
}
