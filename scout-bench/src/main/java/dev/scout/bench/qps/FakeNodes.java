package dev.scout.bench.qps;

import dev.scout.dht.NodeId;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Random;

/** Fake DHT nodes on 127.0.1.x that make themselves known to the target and answer its queries. */
final class FakeNodes implements Runnable {
    private final InetSocketAddress target;
    private final DatagramChannel[] channels;
    private final NodeId[] ids;
    private final boolean[] heardFrom;
    private final Selector selector;
    private volatile boolean stop;

    FakeNodes(InetSocketAddress target, int count, int port, long seed) throws IOException {
        this.target = target;
        channels = new DatagramChannel[count];
        ids = new NodeId[count];
        heardFrom = new boolean[count];
        selector = Selector.open();
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            DatagramChannel ch = DatagramChannel.open();
            try {
                ch.bind(new InetSocketAddress("127.0.1." + (i + 1), port));
            } catch (IOException e) {
                ch.bind(new InetSocketAddress("127.0.1." + (i + 1), 0)); // still works for Scout
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, i);
            channels[i] = ch;
            ids[i] = NodeId.random(random);
        }
    }

    @Override
    public void run() {
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        long nextHello = 0;
        try {
            while (!stop) {
                long now = System.nanoTime();
                if (now >= nextHello) {
                    for (int i = 0; i < channels.length; i++) {
                        if (!heardFrom[i]) {
                            byte[] ping = KrpcCodec.encode(new KrpcQuery(new byte[] {'h', (byte) i}, ids[i],
                                    new Query.Ping(), false, null));
                            channels[i].send(ByteBuffer.wrap(ping), target);
                        }
                    }
                    nextHello = now + 400_000_000L;
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    int i = (Integer) key.attachment();
                    while (true) {
                        buf.clear();
                        SocketAddress from = channels[i].receive(buf);
                        if (from == null) {
                            break;
                        }
                        buf.flip();
                        byte[] data = new byte[buf.remaining()];
                        buf.get(data);
                        try {
                            KrpcMessage m = KrpcCodec.decode(data);
                            if (m instanceof KrpcQuery q) {
                                heardFrom[i] = true;
                                Query query = q.query();
                                boolean wantsToken = query instanceof Query.GetPeers || query instanceof Query.Get;
                                KrpcResponse r = new KrpcResponse(q.transactionId(), ids[i], null, null, null,
                                        wantsToken ? new byte[] {1, 2, 3, 4} : null, null, null, null, null, null,
                                        null);
                                channels[i].send(ByteBuffer.wrap(KrpcCodec.encode(r)), from);
                            }
                        } catch (Exception e) {
                            // ignore
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            System.out.println("[loadgen] fake nodes stopped: " + e);
        }
    }

    int heard() {
        int n = 0;
        for (boolean h : heardFrom) {
            n += h ? 1 : 0;
        }
        return n;
    }

    /**
     * Starts {@code count} fake nodes on {@code port} that introduce themselves to {@code target}, and
     * waits (at most 15 s) until the target's find_node answers carry 8 nodes; returns how many they carry.
     */
    static int introduce(LoadGen gen, InetSocketAddress target, int count, int port, String name)
            throws IOException, InterruptedException {
        FakeNodes fakes = new FakeNodes(target, count, port, 11);
        Thread t = new Thread(fakes, "fake-nodes");
        t.setDaemon(true);
        t.start();
        int nodesInAnswer = -1;
        long until = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < until) {
            nodesInAnswer = gen.probeNodes();
            if (nodesInAnswer >= 8) {
                break;
            }
            Thread.sleep(300); // the target verifies the fake nodes at its own pace; re-probe
        }
        System.out.printf(java.util.Locale.ROOT, "[loadgen] %s: %d/%d fake nodes contacted by the target, find_node "
                + "answers carry %d nodes%n", name, fakes.heard(), count, nodesInAnswer);
        return nodesInAnswer;
    }
}
