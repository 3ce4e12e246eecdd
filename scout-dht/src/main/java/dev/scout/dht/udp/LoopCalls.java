package dev.scout.dht.udp;

import dev.scout.dht.DhtException;
import dev.scout.dht.node.DhtOperations;
import dev.scout.dht.transport.UdpTransport;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Hands operations to a node's I/O loop and their outcomes to its callback threads, and keeps the
 * pending ones so that a close or a dead loop can fail them. Thread-safe; {@code ops} is touched only
 * on the loop.
 */
final class LoopCalls {
    private final UdpTransport transport;
    private final DhtOperations ops;
    private final ExecutorService callbacks;
    private final BooleanSupplier closed;
    private final Set<CompletableFuture<?>> outstanding = ConcurrentHashMap.newKeySet();
    private volatile DhtException failure;

    LoopCalls(UdpTransport transport, DhtOperations ops, ExecutorService callbacks, BooleanSupplier closed) {
        this.transport = transport;
        this.ops = ops;
        this.callbacks = callbacks;
        this.closed = closed;
    }

    /** Why the loop died, or null while it runs. */
    DhtException failure() {
        return failure;
    }

    /** Runs an operation on the loop and hands its outcome to a callback thread. */
    <T> CompletableFuture<T> onLoop(Function<DhtOperations, CompletableFuture<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed.getAsBoolean()) {
            result.completeExceptionally(new DhtException("node closed"));
            return result;
        }
        outstanding.add(result);
        result.whenComplete((v, e) -> outstanding.remove(result));
        DhtException dead = failure; // read after adding: loopDied either sees this future or we see it
        if (dead != null) {
            result.completeExceptionally(dead);
            return result;
        }
        transport.execute(() -> {
            if (closed.getAsBoolean()) {
                result.completeExceptionally(new DhtException("node closed"));
                return;
            }
            CompletableFuture<T> inner;
            try {
                inner = operation.apply(ops);
            } catch (RuntimeException e) {
                inner = CompletableFuture.failedFuture(e);
            }
            inner.whenComplete((value, error) -> callbacks.execute(() -> {
                if (error != null) {
                    result.completeExceptionally(unwrap(error));
                } else {
                    result.complete(value);
                }
            }));
        });
        return result;
    }

    /**
     * The I/O loop died (e.g. of OutOfMemoryError): from now on every operation fails at once, and
     * every pending one fails now, with a {@link DhtException} carrying the cause; {@code alsoFail}
     * then gets the same exception. Runs on a callback thread when one can still be had.
     */
    void loopDied(Throwable cause, Consumer<DhtException> alsoFail) {
        Runnable fail = () -> {
            DhtException error = new DhtException("DHT node stopped: its I/O loop died of " + cause, cause);
            failure = error;
            failAll(() -> error);
            alsoFail.accept(error);
        };
        try {
            callbacks.execute(fail);
        } catch (RuntimeException | Error e) {
            fail.run();
        }
    }

    /** Fails every pending operation with an exception from {@code error}. */
    void failAll(Supplier<DhtException> error) {
        for (CompletableFuture<?> f : outstanding) {
            f.completeExceptionally(error.get());
        }
    }

    /** The cause a future's wrappers hide (shared by both node classes of this package). */
    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
