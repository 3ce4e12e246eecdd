/**
 * Scout core: contact records shared by a pair of people, and the errors Scout reports.
 *
 * <p>Key material lives in {@link dev.scout.core.crypto}, offline messages in
 * {@link dev.scout.core.message}. Nothing here performs network I/O.
 *
 * <pre>{@code
 * PairKeys keys = PairKeys.derive(me, friend);
 * byte[] v = ContactRecord.seal(keys, List.of(Entry.create(1, address)));
 * }</pre>
 */
package dev.scout.core;
