package dev.scout.session;

import dev.scout.session.stream.BufferBudget;
import dev.scout.session.stream.StreamBuffer;
import dev.scout.session.transport.RangeSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * Both halves of one stream. The application's reader and writer block on this object's monitor;
 * the session loop moves bytes in and out through the synchronized methods below.
 *
 * <p>Send side: bytes from {@code ackedPrefix} to {@code written} are kept until acknowledged; the
 * loop sends lost ranges first, then new bytes up to the peer's window. Receive side: a ring buffer
 * indexed by stream offset, so out-of-order bytes land in place. Both rings grow with what they hold
 * (at most our advertised window, {@link #WINDOW}) and are dropped when empty; the receive ring is
 * charged to the session's {@link BufferBudget}. A stream is {@link #finished()} once both directions
 * ended and were acknowledged or read; the session then forgets it.
 */
final class StreamImpl implements SessionStream {
    static final int WINDOW = StreamBuffer.WINDOW;
    /** {@link #onData}'s answer when the budget has no room: the packet must not be acknowledged. */
    static final String NO_ROOM = "no buffer room";

    private final int id;
    private final Connection connection;

    // send side
    private final StreamBuffer sendBuf = new StreamBuffer(null); // our application's bytes: bounded by WINDOW
    private long written;
    private long ackedPrefix;
    private long sentOffset;
    private long peerMax = WINDOW;
    private final RangeSet acked = new RangeSet();
    private final RangeSet lost = new RangeSet();
    private long finOffset = -1;
    private boolean finPending;
    private boolean finAcked;

    // receive side
    private final StreamBuffer recvBuf;
    private final RangeSet received = new RangeSet();
    private long readOffset;
    private long advertisedMax = WINDOW;
    private long peerFin = -1;
    private boolean windowUpdateRequested;
    private boolean inputClosed;
    private boolean endReported;

    private SessionException failure;

    private final InputStream input = new In();
    private final OutputStream output = new Out();

    StreamImpl(int id, Connection connection, BufferBudget budget) {
        this.id = id;
        this.connection = connection;
        this.recvBuf = new StreamBuffer(budget);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    // ---- loop side: sending

    /** Whether there is anything this stream could put in a packet now. */
    synchronized boolean wantsToSend() {
        return !lost.isEmpty() || (sentOffset < written && sentOffset < peerMax) || (finPending && sentOffset == finOffset);
    }

    /**
     * The next chunk of at most {@code maxData} bytes: a lost range first, else new bytes within the
     * peer's window; the end of stream rides on the chunk that reaches it. {@code null} if nothing.
     */
    synchronized dev.scout.session.transport.Frame.Stream nextChunk(int maxData) {
        if (maxData <= 0) {
            return null;
        }
        long start;
        long end;
        long[] l = lost.first();
        if (l != null) {
            start = l[0];
            end = Math.min(l[1], start + maxData);
            lost.remove(start, end);
        } else if (sentOffset < written && sentOffset < peerMax) {
            start = sentOffset;
            end = Math.min(Math.min(written, peerMax), start + maxData);
            sentOffset = end;
        } else if (finPending && sentOffset == finOffset) {
            // the end alone, once every byte before it went out (never past the peer's window)
            start = finOffset;
            end = finOffset;
        } else {
            return null;
        }
        boolean fin = finOffset >= 0 && end == finOffset;
        if (fin) {
            finPending = false;
        }
        byte[] data = new byte[(int) (end - start)];
        copyOut(start, data);
        return new dev.scout.session.transport.Frame.Stream(id, start, fin, data);
    }

    synchronized void onAcked(long offset, int length, boolean fin) {
        acked.add(offset, offset + length);
        long newPrefix = acked.contiguousEnd(ackedPrefix);
        lost.remove(offset, offset + length); // a late ack of an earlier copy: not lost after all
        if (newPrefix > ackedPrefix) {
            acked.remove(ackedPrefix, newPrefix);
            ackedPrefix = newPrefix;
            lost.remove(0, ackedPrefix);
            if (ackedPrefix == written) {
                sendBuf.release();
            }
            notifyAll();
        }
        if (fin) {
            finAcked = true;
            notifyAll();
        }
    }

    synchronized void onLost(long offset, int length, boolean fin) {
        long start = Math.max(offset, ackedPrefix);
        for (long s = start; s < offset + length; ) {
            // skip bytes acknowledged in the meantime (a late ack of an earlier copy)
            if (acked.contains(s)) {
                s = acked.contiguousEnd(s);
                continue;
            }
            long e = s + 1;
            while (e < offset + length && !acked.contains(e)) {
                e++;
            }
            lost.add(s, e);
            s = e;
        }
        if (fin && !finAcked) {
            finPending = true;
        }
    }

    synchronized void onMaxStreamData(long max) {
        if (max > peerMax) {
            peerMax = max;
        }
    }

    /** All written bytes and the end (if closed) are acknowledged. */
    synchronized boolean allAcked() {
        return ackedPrefix == written && (finOffset < 0 || finAcked);
    }

    /** Both directions are over: our end acknowledged, the peer's end read (or the session failed). */
    synchronized boolean finished() {
        boolean sent = finOffset >= 0 && finAcked && ackedPrefix == written;
        boolean received = peerFin >= 0 && readOffset == peerFin;
        return failure != null || sent && received;
    }

    /** Gives the buffers back (the stream is forgotten). */
    synchronized void release() {
        sendBuf.release();
        recvBuf.release();
    }

    // ---- loop side: receiving

    /**
     * Stores a received chunk; returns what a misbehaving peer did wrong, {@link #NO_ROOM} if the
     * budget cannot hold it (nothing changed; the peer will send it again), or null.
     */
    synchronized String onData(long offset, byte[] data, boolean fin) {
        long end = offset + data.length;
        if (end > advertisedMax) {
            return "peer sent stream " + id + " bytes up to " + end + " beyond the window edge " + advertisedMax;
        }
        if ((peerFin >= 0 && end > peerFin) || (fin && end < received.contiguousEnd(readOffset))) {
            return "peer sent stream " + id + " bytes up to " + end + " past its end at " + peerFin;
        }
        long from = Math.max(offset, readOffset);
        if (from < end && !inputClosed) {
            if (!recvBuf.ensure(readOffset, end)) {
                return NO_ROOM;
            }
            recvBuf.write(from, data, (int) (from - offset), (int) (end - from));
        }
        if (fin) {
            peerFin = end;
        }
        if (from < end) {
            received.add(from, end);
        }
        if (inputClosed) {
            consume(received.contiguousEnd(readOffset) - readOffset); // nobody reads: count it as read
        }
        notifyAll();
        return null;
    }

    /** Moves the advertised window edge to what the reader has freed and returns it. */
    synchronized long windowUpdate() {
        windowUpdateRequested = false;
        advertisedMax = Math.max(advertisedMax, readOffset + WINDOW);
        return advertisedMax;
    }

    synchronized void fail(SessionException e) {
        if (failure == null) {
            failure = e;
        }
        notifyAll();
    }

    private void copyOut(long start, byte[] data) {
        sendBuf.read(start, data, 0, data.length);
    }

    /**
     * Moves the read position {@code n} bytes on: frees the ring once nothing is buffered, asks for a
     * window update once half the window was consumed, and tells the session when the end was reached.
     */
    private void consume(long n) {
        received.remove(readOffset, readOffset + n);
        readOffset += n;
        if (received.isEmpty()) {
            recvBuf.idle();
        }
        if (!windowUpdateRequested && readOffset + WINDOW - advertisedMax >= WINDOW / 2) {
            windowUpdateRequested = true;
            connection.requestWindowUpdate(this);
        }
        if (!endReported && peerFin >= 0 && readOffset == peerFin) {
            endReported = true;
            connection.streamEnded(this);
        }
    }

    // ---- application side

    private synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (inputClosed) {
            throw new IOException("stream " + id + " is closed for reading");
        }
        while (true) {
            long available = received.contiguousEnd(readOffset) - readOffset;
            if (available > 0) {
                int n = (int) Math.min(available, len);
                recvBuf.read(readOffset, b, off, n);
                consume(n);
                return n;
            }
            if (peerFin >= 0 && readOffset == peerFin) {
                return -1;
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            waitInterruptibly();
        }
    }

    private void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n;
            synchronized (this) {
                while (failure == null && finOffset < 0 && written - ackedPrefix >= WINDOW) {
                    waitInterruptibly();
                }
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                if (finOffset >= 0) {
                    throw new IOException("stream " + id + " is closed for writing");
                }
                n = (int) Math.min(len, WINDOW - (written - ackedPrefix));
                sendBuf.ensure(ackedPrefix, written + n); // unbudgeted: always room up to WINDOW
                sendBuf.write(written, b, off, n);
                written += n;
            }
            off += n;
            len -= n;
            connection.wakeSender();
        }
    }

    private void closeOutput() throws IOException {
        synchronized (this) {
            if (finOffset >= 0) {
                return;
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            finOffset = written;
            finPending = true;
        }
        connection.wakeSender();
    }

    /** The application will read no more: what arrives is counted as read and dropped. */
    private synchronized void closeInput() {
        inputClosed = true;
        consume(received.contiguousEnd(readOffset) - readOffset);
        recvBuf.release(); // bytes beyond a gap stay counted as received, so the end is still found
        notifyAll();
    }

    private void waitInterruptibly() throws InterruptedIOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on stream " + id);
        }
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = StreamImpl.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            return StreamImpl.this.read(b, off, len);
        }

        @Override
        public void close() {
            closeInput();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            StreamImpl.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            StreamImpl.this.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            closeOutput();
        }
    }
}
