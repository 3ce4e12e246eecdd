package dev.scout.node.portmap;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A home router's port 5351 on loopback, over real UDP: PCP (version 2) and NAT-PMP (version 0) in one
 * socket, as miniupnpd does. It can answer, stay silent, answer garbage or refuse, and restart (epoch
 * back to 0, mappings gone).
 */
final class FakeRouter implements AutoCloseable {
    enum Mode { ANSWER, SILENT, GARBAGE, REFUSE_PCP }

    static final String PUBLIC_IP = "44.64.0.11";
    final Map<Integer, Integer> mappings = new ConcurrentHashMap<>();
    final AtomicInteger mapRequests = new AtomicInteger();
    final AtomicInteger deletes = new AtomicInteger();
    private final DatagramSocket socket;
    private final Thread thread;
    private volatile Mode mode;
    /** Up for 1,000 s already: a restart takes the epoch back to 0. */
    private volatile long epochStart = System.nanoTime() - 1_000_000_000_000L;

    FakeRouter(Mode mode) throws SocketException {
        this.mode = mode;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.thread = new Thread(this::serve, "fake-router");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void mode(Mode m) {
        mode = m;
    }

    /** Loses every mapping and starts its epoch again. */
    void restart() {
        mappings.clear();
        epochStart = System.nanoTime();
    }

    private int epoch() {
        return (int) ((System.nanoTime() - epochStart) / 1_000_000_000L);
    }

    private void serve() {
        byte[] buf = new byte[2048];
        Random random = new Random(1);
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                byte[] reply = switch (mode) {
                    case SILENT -> null;
                    case GARBAGE -> {
                        byte[] g = new byte[1 + random.nextInt(100)];
                        random.nextBytes(g);
                        yield g;
                    }
                    case ANSWER, REFUSE_PCP -> answer(ByteBuffer.wrap(buf, 0, p.getLength()));
                };
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private byte[] answer(ByteBuffer in) throws IOException {
        int version = in.get(0);
        if (version == 2 && in.limit() >= 60) {
            byte[] out = new byte[60];
            in.get(0, out);
            ByteBuffer b = ByteBuffer.wrap(out);
            int lifetime = b.getInt(4);
            int internal = b.getShort(40) & 0xFFFF;
            b.put(1, (byte) 0x81).putInt(8, epoch()).put(12, new byte[12]);
            if (mode == Mode.REFUSE_PCP) {
                b.put(3, (byte) 2);
                return out;
            }
            record(internal, lifetime);
            b.putShort(42, (short) (internal + 1000)).put(44, PcpCodec.ip16(InetAddress.getByName(PUBLIC_IP)));
            return out;
        }
        if (version == 0 && in.limit() >= 2 && in.get(1) == 0) {
            return ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) 0).putInt(epoch())
                    .put(InetAddress.getByName(PUBLIC_IP).getAddress()).array();
        }
        if (version == 0 && in.limit() >= 12 && in.get(1) == 1) {
            int internal = in.getShort(4) & 0xFFFF;
            int lifetime = in.getInt(8);
            record(internal, lifetime);
            return ByteBuffer.allocate(16).put((byte) 0).put((byte) 129).putShort((short) 0).putInt(epoch())
                    .putShort((short) internal).putShort((short) (lifetime == 0 ? 0 : internal + 1000)).putInt(lifetime).array();
        }
        return new byte[] {(byte) version, (byte) 0x80, 0, 1}; // unsupported version
    }

    private void record(int internal, int lifetime) {
        if (lifetime == 0) {
            deletes.incrementAndGet();
            mappings.remove(internal);
        } else {
            mapRequests.incrementAndGet();
            mappings.put(internal, lifetime);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
