package dev.scout.core;

import dev.scout.dht.LimitExceededException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The plaintext layout of a contact record (all integers big-endian):
 * <pre>
 * vector: count u8 | offset u8 | (offset bytes skipped) | entries
 * entry:  seq i64 | id u32 | flags u16 | length u8 | offset u8 | (offset bytes skipped) | content
 * </pre>
 * Writers always put 0 in the offset fields; readers skip that many bytes so a later
 * version can add header fields without breaking old readers. For the same reason
 * readers keep unknown flag bits and ignore bytes after the last entry.
 *
 * <p>The encoded vector is at most {@value #MAX_PLAINTEXT_BYTES} bytes so that the
 * sealed, bencoded record value stays within the DHT's 1000-byte limit.
 *
 * <pre>{@code
 * byte[] plaintext = EntryVector.encode(List.of(RecordEntry.of(1, content)));
 * List<RecordEntry> entries = EntryVector.decode(plaintext);
 * }</pre>
 */
final class EntryVector {

    /** Most entries in one vector (the count field is one byte). */
    public static final int MAX_ENTRIES = 255;
    /** Largest encoded vector: 1000 − "996:" − nonce(24) − tag(16). */
    public static final int MAX_PLAINTEXT_BYTES = 956;

    private static final int HEADER_BYTES = 2;
    private static final int ENTRY_HEADER_BYTES = 16;

    private EntryVector() {
    }

    /** Bytes {@link #encode} would produce for these entries. */
    public static int encodedSize(List<RecordEntry> entries) {
        int size = HEADER_BYTES;
        for (RecordEntry e : entries) {
            size += ENTRY_HEADER_BYTES + e.contentLength();
        }
        return size;
    }

    /**
     * Encodes entries in the given order.
     *
     * @throws LimitExceededException if there are more than {@value #MAX_ENTRIES} entries or the
     *     result would exceed {@value #MAX_PLAINTEXT_BYTES} bytes
     * @throws IllegalArgumentException if two entries share an id
     */
    public static byte[] encode(List<RecordEntry> entries) {
        if (entries.size() > MAX_ENTRIES) {
            throw new LimitExceededException("contact record has " + entries.size()
                    + " entries, at most " + MAX_ENTRIES + " allowed");
        }
        int size = encodedSize(entries);
        if (size > MAX_PLAINTEXT_BYTES) {
            throw new LimitExceededException("contact record plaintext would be " + size
                    + " bytes, at most " + MAX_PLAINTEXT_BYTES + " allowed");
        }
        Set<Long> ids = new HashSet<>();
        for (RecordEntry e : entries) {
            if (!ids.add(e.id())) {
                throw new IllegalArgumentException("duplicate entry id " + e.id());
            }
        }
        byte[] out = new byte[size];
        int p = 0;
        out[p++] = (byte) entries.size();
        out[p++] = 0;
        for (RecordEntry e : entries) {
            p = putLong(out, p, e.seq(), 8);
            p = putLong(out, p, e.id(), 4);
            p = putLong(out, p, e.flags(), 2);
            byte[] content = e.unsafeContent();
            out[p++] = (byte) content.length;
            out[p++] = 0;
            System.arraycopy(content, 0, out, p, content.length);
            p += content.length;
        }
        return out;
    }

    /**
     * Decodes a vector. Entries are returned in wire order; duplicates of an id are kept
     * ({@link EntryMerge} resolves them).
     *
     * @throws FormatException if the bytes are truncated or inconsistent
     */
    public static List<RecordEntry> decode(byte[] plaintext) {
        ByteReader in = new ByteReader(plaintext, "entry vector");
        int count = in.u8();
        in.skip(in.u8());
        List<RecordEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long seq = in.i64();
            long id = in.u32();
            int flags = in.u16();
            int length = in.u8();
            in.skip(in.u8());
            entries.add(new RecordEntry(id, seq, flags, in.bytes(length)));
        }
        return List.copyOf(entries);
    }

    private static int putLong(byte[] out, int p, long value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            out[p++] = (byte) (value >>> (8 * i));
        }
        return p;
    }
}
