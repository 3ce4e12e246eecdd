package dev.scout.core;

import dev.scout.dht.LimitExceededException;

import java.util.Arrays;

/**
 * One slot of a contact record: a small piece of content (an address, a note, ...)
 * with a version number so that devices can merge their copies.
 *
 * <p>{@code id} is an unsigned 32-bit number held in a {@code long} (0 to 2<sup>32</sup>−1)
 * so that it never looks negative. {@code seq} is a signed 64-bit version; a higher seq
 * wins a merge. {@code flags} is an unsigned 16-bit field; bit 0 marks a deleted entry
 * (a tombstone, kept so the deletion spreads), other bits are reserved and preserved.
 * Content is at most {@value #MAX_CONTENT_BYTES} bytes, copied in and out.
 *
 * <pre>{@code
 * RecordEntry address = RecordEntry.of(1, "203.0.113.7:6881".getBytes(StandardCharsets.UTF_8)); // seq 1
 * RecordEntry moved   = address.assign("198.51.100.2:6881".getBytes(StandardCharsets.UTF_8)); // seq 2
 * RecordEntry gone    = moved.delete();                                                      // seq 3, deleted
 * }</pre>
 */
public record RecordEntry(long id, long seq, int flags, byte[] content) {

    /** Largest content length in bytes (its length field is one byte). */
    public static final int MAX_CONTENT_BYTES = 255;
    /** Largest id (unsigned 32-bit). */
    public static final long MAX_ID = 0xFFFF_FFFFL;
    /** Flag bit 0: the entry was deleted. */
    public static final int FLAG_DELETED = 1;

    /**
     * @throws IllegalArgumentException if id or flags are out of range
     * @throws LimitExceededException if content is longer than {@value #MAX_CONTENT_BYTES} bytes
     * @param id the id
     * @param seq the sequence number
     * @param flags the flags
     * @param content the content
     */
    public RecordEntry {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException("entry id must be an unsigned 32-bit value, got " + id);
        }
        if (flags < 0 || flags > 0xFFFF) {
            throw new IllegalArgumentException("entry flags must be an unsigned 16-bit value, got " + flags);
        }
        if (content == null) {
            throw new IllegalArgumentException("entry content must not be null (use an empty array)");
        }
        if (content.length > MAX_CONTENT_BYTES) {
            throw new LimitExceededException("entry " + id + " content is " + content.length
                    + " bytes, at most " + MAX_CONTENT_BYTES + " allowed");
        }
        content = content.clone();
    }

    /**
     * A new live entry at seq 1.
     *
     * @param id the id
     * @param content the content
     * @return a new live entry at seq 1
     */
    public static RecordEntry of(long id, byte[] content) {
        return new RecordEntry(id, 1, 0, content);
    }

    /** {@return the content (a copy)} */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /**
     * Content length without copying.
     *
     * @return the content length
     */
    public int contentLength() {
        return content.length;
    }

    /** {@return whether this entry is a tombstone} */
    public boolean isDeleted() {
        return (flags & FLAG_DELETED) != 0;
    }

    /**
     * The next version of this entry holding {@code newContent}; revives a deleted entry.
     *
     * @param newContent the new content
     * @return the next version of this entry holding {@code newContent}
     */
    public RecordEntry assign(byte[] newContent) {
        return new RecordEntry(id, nextSeq(), flags & ~FLAG_DELETED, newContent);
    }

    /** {@return the next version of this entry as a tombstone with empty content} */
    public RecordEntry delete() {
        return new RecordEntry(id, nextSeq(), flags | FLAG_DELETED, new byte[0]);
    }

    private long nextSeq() {
        if (seq == Long.MAX_VALUE) {
            throw new LimitExceededException("entry " + id + " seq cannot grow past " + Long.MAX_VALUE);
        }
        return seq + 1;
    }

    /** Direct view for package code that promises not to modify it. */
    byte[] unsafeContent() {
        return content;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordEntry e && id == e.id && seq == e.seq && flags == e.flags
                && Arrays.equals(content, e.content);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(id);
        h = 31 * h + Long.hashCode(seq);
        h = 31 * h + flags;
        return 31 * h + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "RecordEntry[id=" + id + ", seq=" + seq + ", flags=0x" + String.format("%04x", flags)
                + ", content=" + content.length + " bytes]";
    }
}
