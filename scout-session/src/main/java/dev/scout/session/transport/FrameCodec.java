package dev.scout.session.transport;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Binary encoding of {@link Frame}s (big-endian); the decoder is bounded and rejects anything malformed. */
public final class FrameCodec {
    public static final int MAX_ACK_RANGES = 32;
    static final byte PING = 1;
    static final byte ACK = 2;
    static final byte STREAM = 3;
    static final byte MAX_STREAM_DATA = 4;
    static final byte MESSAGE = 5;
    static final byte CLOSE = 6;
    static final byte MAX_STREAMS = 7;
    static final byte CANDIDATES = 8;
    /** Addresses a CANDIDATES frame carries at most. */
    public static final int MAX_CANDIDATES = 8;
    /** Bytes a STREAM frame needs besides its data. */
    public static final int STREAM_OVERHEAD = 1 + 4 + 8 + 1 + 2;
    public static final int MESSAGE_OVERHEAD = 1 + 8 + 2;

    private FrameCodec() {
    }

    public static int size(Frame f) {
        if (f instanceof Frame.Ack a) {
            return 1 + 4 + 1 + 16 * a.ranges().size();
        } else if (f instanceof Frame.Stream s) {
            return STREAM_OVERHEAD + s.data().length;
        } else if (f instanceof Frame.MaxStreamData) {
            return 1 + 4 + 8;
        } else if (f instanceof Frame.MaxStreams) {
            return 1 + 8;
        } else if (f instanceof Frame.Message m) {
            return MESSAGE_OVERHEAD + m.data().length;
        } else if (f instanceof Frame.Close) {
            return 2;
        } else if (f instanceof Frame.Candidates c) {
            int n = 2;
            for (java.net.InetSocketAddress a : c.addresses()) {
                n += 1 + a.getAddress().getAddress().length + 2;
            }
            return n;
        }
        return 1;
    }

    public static void encode(Frame f, ByteBuffer out) {
        if (f instanceof Frame.Ping) {
            out.put(PING);
        } else if (f instanceof Frame.Ack a) {
            out.put(ACK).putInt((int) Math.min(a.delayMicros(), Integer.MAX_VALUE)).put((byte) a.ranges().size());
            for (long[] r : a.ranges()) {
                out.putLong(r[0]).putLong(r[1]);
            }
        } else if (f instanceof Frame.Stream s) {
            out.put(STREAM).putInt(s.streamId()).putLong(s.offset())
                    .put((byte) (s.fin() ? 1 : 0)).putShort((short) s.data().length).put(s.data());
        } else if (f instanceof Frame.MaxStreamData m) {
            out.put(MAX_STREAM_DATA).putInt(m.streamId()).putLong(m.maxOffset());
        } else if (f instanceof Frame.MaxStreams m) {
            out.put(MAX_STREAMS).putLong(m.count());
        } else if (f instanceof Frame.Message m) {
            out.put(MESSAGE).putLong(m.id()).putShort((short) m.data().length).put(m.data());
        } else if (f instanceof Frame.Close c) {
            out.put(CLOSE).put((byte) c.code());
        } else if (f instanceof Frame.Candidates c) {
            out.put(CANDIDATES).put((byte) c.addresses().size());
            for (java.net.InetSocketAddress a : c.addresses()) {
                byte[] ip = a.getAddress().getAddress();
                out.put((byte) ip.length).put(ip).putShort((short) a.getPort());
            }
        }
    }

    /** A u16 length, checked against what is left before anything is allocated. */
    private static int length(ByteBuffer in) {
        int n = in.getShort() & 0xFFFF;
        if (n > in.remaining()) {
            throw new IllegalArgumentException("frame length " + n + " exceeds the packet");
        }
        return n;
    }

    /** A CANDIDATES frame's body: count u8 (≤ {@value #MAX_CANDIDATES}), then per address length u8 (4 or 16), address, port u16. */
    private static Frame.Candidates candidates(ByteBuffer in) {
        int n = in.get() & 0xFF;
        if (n > MAX_CANDIDATES) {
            throw new IllegalArgumentException(n + " candidate addresses (at most " + MAX_CANDIDATES + ")");
        }
        List<java.net.InetSocketAddress> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = in.get() & 0xFF;
            if (len != 4 && len != 16) {
                throw new IllegalArgumentException("candidate address of " + len + " bytes");
            }
            byte[] ip = new byte[len];
            in.get(ip);
            int port = in.getShort() & 0xFFFF;
            if (port == 0) {
                throw new IllegalArgumentException("candidate address with port 0");
            }
            try {
                out.add(new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(ip), port));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return new Frame.Candidates(out);
    }

    /** Decodes every frame in {@code in}; throws {@link IllegalArgumentException} on malformed input. */
    public static List<Frame> decode(ByteBuffer in) {
        List<Frame> frames = new ArrayList<>();
        try {
            while (in.hasRemaining()) {
                byte type = in.get();
                switch (type) {
                    case PING -> frames.add(new Frame.Ping());
                    case ACK -> {
                        long delay = in.getInt() & 0xFFFFFFFFL;
                        int n = in.get() & 0xFF;
                        if (n == 0 || n > MAX_ACK_RANGES) {
                            throw new IllegalArgumentException("ack with " + n + " ranges");
                        }
                        List<long[]> ranges = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            long lo = in.getLong();
                            long hi = in.getLong();
                            if (lo < 0 || hi <= lo) {
                                throw new IllegalArgumentException("bad ack range");
                            }
                            ranges.add(new long[] {lo, hi});
                        }
                        frames.add(new Frame.Ack(delay, ranges));
                    }
                    case STREAM -> {
                        int id = in.getInt();
                        long offset = in.getLong();
                        boolean fin = in.get() != 0;
                        byte[] data = new byte[length(in)];
                        in.get(data);
                        if (offset < 0 || offset + data.length < 0) {
                            throw new IllegalArgumentException("bad stream offset");
                        }
                        frames.add(new Frame.Stream(id, offset, fin, data));
                    }
                    case MAX_STREAM_DATA -> frames.add(new Frame.MaxStreamData(in.getInt(), in.getLong()));
                    case MESSAGE -> {
                        long id = in.getLong();
                        byte[] data = new byte[length(in)];
                        in.get(data);
                        frames.add(new Frame.Message(id, data));
                    }
                    case CLOSE -> frames.add(new Frame.Close(in.get() & 0xFF));
                    case MAX_STREAMS -> {
                        long count = in.getLong();
                        if (count < 0) {
                            throw new IllegalArgumentException("negative stream allowance");
                        }
                        frames.add(new Frame.MaxStreams(count));
                    }
                    case CANDIDATES -> frames.add(candidates(in));
                    default -> throw new IllegalArgumentException("unknown frame type " + type);
                }
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated frame", e);
        }
        return frames;
    }
}
