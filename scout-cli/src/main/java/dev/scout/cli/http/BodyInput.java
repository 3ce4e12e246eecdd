package dev.scout.cli.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A request body: {@code Content-Length} bytes, or {@code Transfer-Encoding: chunked} decoded, read from
 * the connection under a deadline for the whole body (each read is also bounded by the socket's
 * timeout, so the deadline is overshot by at most one read timeout). A streaming route lifts the
 * deadline with {@link #unlimited()} once the caller is known.
 */
final class BodyInput extends InputStream {
    private final InputStream in;
    private final boolean chunked;
    /** Bytes left in the body (fixed length) or in the current chunk; -1 once the body has ended. */
    private long left;
    private long deadlineNanos;

    BodyInput(InputStream in, boolean chunked, long length, long deadlineNanos) {
        this.in = in;
        this.chunked = chunked;
        this.left = chunked ? 0 : length;
        this.deadlineNanos = deadlineNanos;
        if (!chunked && length == 0) {
            this.left = -1;
        }
    }

    /** {@return whether the whole body was read (or there was none)} */
    boolean ended() {
        return left < 0;
    }

    void unlimited() {
        deadlineNanos = Long.MAX_VALUE;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (left == 0 && chunked) {
            nextChunk();
        }
        if (left <= 0) {
            return -1;
        }
        checkDeadline();
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            throw new EOFException("the request body ended early");
        }
        left -= n;
        if (left == 0 && !chunked) {
            left = -1;
        } else if (left == 0) {
            expectCrlf();
        }
        return n;
    }

    private void checkDeadline() throws InterruptedIOException {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new InterruptedIOException("the request body took too long");
        }
    }

    private void nextChunk() throws IOException {
        String line = line();
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
        if (hex.isEmpty() || hex.length() > 8) {
            throw new IOException("malformed chunk size");
        }
        long size;
        try {
            size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size");
        }
        if (size == 0) {
            while (!line().isEmpty()) {
                // trailer lines are read and dropped
            }
            left = -1;
        } else {
            left = size;
        }
    }

    private void expectCrlf() throws IOException {
        if (!line().isEmpty()) {
            throw new IOException("malformed chunk end");
        }
    }

    /** One CRLF-terminated line of at most 256 bytes. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            checkDeadline();
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the request body ended early");
            }
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            if (sb.length() >= 256) {
                throw new IOException("chunk line too long");
            }
            sb.append((char) c);
        }
    }
}
