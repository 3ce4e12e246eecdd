package dev.scout.core.message;

import dev.scout.dht.ImmutableItem;

import dev.scout.dht.FormatException;
import dev.scout.dht.Dht;
import dev.scout.dht.DhtException;
import dev.scout.dht.NodeId;
import dev.scout.dht.PutResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Offline messages in the DHT: each blob is a BEP 44 immutable item whose target is its
 * {@link MessageId}, and each links to the next older one, so whoever knows the newest id (the
 * list head, usually carried in a contact record) can {@link #walk} the list newest first.
 *
 * <p>Asynchronous and non-blocking throughout; futures complete on the thread that completed
 * the underlying DHT operation (a {@link dev.scout.dht.udp.DhtNode} callback thread, or the
 * simulation thread). Thread-safe.
 *
 * <pre>{@code
 * MessageList messages = new MessageList(dht);
 * ListToken token = head.pushFront(MessageSeal.seal(keys, "hi".getBytes(UTF_8)));
 * messages.put(token).join();
 * // on the other side, knowing head.head():
 * List<StoredMessage> newestFirst = messages.walk(theirHead, lastSeen, 50).join();
 * }</pre>
 */
public final class MessageList {

    private final Dht dht;

    /**
     * Message operations on {@code dht}.
     *
     * @param dht the DHT
     */
    public MessageList(Dht dht) {
        this.dht = Objects.requireNonNull(dht, "dht");
    }

    /**
     * Stores a pushed message as an immutable item under {@code token.id()}. Fails with
     * {@link DhtException} if no node stored it.
     *
     * @param token the pushed message
     * @return a future of the put
     */
    public CompletableFuture<PutResult> put(ListToken token) {
        Objects.requireNonNull(token, "token");
        byte[] value = token.value();
        return map(call(() -> dht.putImmutable(ImmutableItem.ofBencoded(value))), result -> {
            if (result.stored() == 0) {
                throw new DhtException("message " + token.id() + " was stored on no DHT node ("
                        + result.outcomes().size() + " asked)");
            }
            return result;
        });
    }

    /**
     * Reads one message; empty if no node returned it. The value is checked to hash to {@code id}
     * (the DHT layer checks too) and parsed; a value that fails either check fails the future with
     * {@link FormatException}.
     *
     * @throws IllegalArgumentException if {@code id} is {@link MessageId#END}
     * @param id the id
     * @return a future of the message, or empty if no node returned it
     */
    public CompletableFuture<Optional<StoredMessage>> get(MessageId id) {
        Objects.requireNonNull(id, "id");
        if (id.isEnd()) {
            throw new IllegalArgumentException("the end-of-list id names no message");
        }
        return map(call(() -> dht.getImmutable(NodeId.of(id.bytes()))), found -> found.map(ImmutableItem::value).map(value -> {
            if (!MessageId.ofValue(value).equals(id)) {
                throw new FormatException("the value returned for message " + id + " does not hash to its id");
            }
            MessageBlob blob = MessageBlob.parseBencodedValue(value);
            return new StoredMessage(id, blob.message(), blob.next());
        }));
    }

    /**
     * Reads the list from {@code head} towards older messages, newest first, stopping before
     * {@code stopAt} (e.g. the newest message already read; {@link MessageId#END} or null to read
     * to the end), at the end of the list, or after {@code max} messages.
     *
     * <p>Fails with {@link MissingMessageException} naming the first id no node returned and
     * carrying the messages read before it; with {@link FormatException} for a corrupt message;
     * with the DHT's exception if a lookup fails.
     *
     * @param head the newest message
     * @param stopAt stop before this message
     * @param max the most messages to return
     * @return a future of the messages, newest first
     */
    public CompletableFuture<List<StoredMessage>> walk(MessageId head, MessageId stopAt, int max) {
        Objects.requireNonNull(head, "head");
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative, got " + max);
        }
        MessageId stop = stopAt == null ? MessageId.END : stopAt;
        CompletableFuture<List<StoredMessage>> out = new CompletableFuture<>();
        step(head, stop, max, new ArrayList<>(), out);
        return out;
    }

    private void step(MessageId id, MessageId stop, int max, List<StoredMessage> read,
                      CompletableFuture<List<StoredMessage>> out) {
        if (id.isEnd() || id.equals(stop) || read.size() >= max) {
            out.complete(List.copyOf(read));
            return;
        }
        CompletableFuture<Optional<StoredMessage>> next;
        try {
            next = get(id);
        } catch (RuntimeException e) {
            out.completeExceptionally(e);
            return;
        }
        next.whenComplete((found, error) -> {
            if (error != null) {
                out.completeExceptionally(unwrap(error));
            } else if (found.isEmpty()) {
                out.completeExceptionally(new MissingMessageException(id, read));
            } else {
                read.add(found.get());
                step(found.get().next(), stop, max, read, out);
            }
        });
    }

    private static <T> CompletableFuture<T> call(java.util.function.Supplier<CompletableFuture<T>> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Like thenApply, but a failure is the returned future's direct cause, not a CompletionException. */
    private static <T, R> CompletableFuture<R> map(CompletableFuture<T> source, Function<T, R> fn) {
        CompletableFuture<R> out = new CompletableFuture<>();
        source.whenComplete((value, error) -> {
            if (error != null) {
                out.completeExceptionally(unwrap(error));
                return;
            }
            try {
                out.complete(fn.apply(value));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
