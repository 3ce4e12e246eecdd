/**
 * Offline messages: sealed bodies in blobs that form a linked list of DHT immutable items.
 *
 * <pre>{@code
 * ListToken token = head.pushFront(MessageSeal.seal(keys, "body".getBytes(UTF_8)));
 * }</pre>
 */
package dev.scout.core.message;
