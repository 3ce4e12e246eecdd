package dev.scout.dht;

import dev.scout.dht.routing.Bep42;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.routing.RoutingTableFile;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.udp.DualStackNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BEP 42 re-keying over real UDP: a node started without saved state has a random id; five
 * responders on distinct loopback IPs (127.0.0.2–6) report a public address for it in {@code ip}, as
 * nodes on the Internet would. The node takes a conforming id, saves it at once, and a restart keeps
 * it. A dual-stack node re-keys only the family whose address was voted.
 */
class Bep42RekeyLoopbackTest {
    static final InetSocketAddress PUBLIC = new InetSocketAddress("203.0.113.7", 6881);

    final List<Responder> responders = new ArrayList<>();

    /** Answers every query with an empty {@code find_node}-style response that reports {@link #PUBLIC} as our address. */
    static final class Responder implements AutoCloseable {
        final DatagramSocket socket;
        final NodeId id = NodeId.random();
        final Thread thread;

        Responder(String ip) throws SocketException {
            socket = new DatagramSocket(new InetSocketAddress(ip, 0));
            thread = new Thread(this::serve, "bep42-responder-" + ip);
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            byte[] buf = new byte[2048];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    KrpcMessage m = KrpcCodec.decode(p.getData(), 0, p.getLength());
                    if (m instanceof KrpcQuery q) {
                        byte[] out = KrpcCodec.encode(KrpcResponse.simple(q.transactionId(), id).withExternalIp(PUBLIC, null));
                        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                    }
                } catch (Exception e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }

        String address() {
            return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @BeforeEach
    void startResponders() throws SocketException {
        for (int i = 2; i <= 6; i++) {
            responders.add(new Responder("127.0.0." + i));
        }
    }

    @AfterEach
    void stopResponders() {
        responders.forEach(Responder::close);
    }

    List<String> routers() {
        return responders.stream().map(Responder::address).toList();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    static Optional<RoutingTableFile.State> saved(Path state) {
        try {
            return RoutingTableFile.load(state);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Test
    void aFreshNodeTakesABep42IdOnceItsAddressIsVotedAndKeepsItAfterARestart(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("dht.state");
        NodeId rekeyed;
        try (DhtNode node = DhtNode.start(UdpLoopbackTest.loopback().bootstrap(routers()).stateFile(state).build())) {
            NodeId first = node.id();
            await("the node re-keys", () -> Bep42.isValid(node.id(), PUBLIC.getAddress()));
            rekeyed = node.id();
            assertThat(rekeyed).isNotEqualTo(first);
            assertThat(node.externalAddress().get()).contains(PUBLIC);
            // saved at once, not only on close
            await("the new id is saved", () -> saved(state).map(s -> s.id().equals(rekeyed)).orElse(false));
            assertThat(saved(state).orElseThrow().externalAddress()).isEqualTo(PUBLIC);
            await("every responder is in the re-keyed table", () -> node.routingTable().join().size() == responders.size());
        }
        // the next start uses the saved id, without any vote yet (the routers are gone)
        responders.forEach(Responder::close);
        try (DhtNode node = DhtNode.start(UdpLoopbackTest.loopback().bootstrap(List.of("127.0.0.1:9")).stateFile(state)
                .build())) {
            assertThat(node.id()).isEqualTo(rekeyed);
        }
    }

    @Test
    void aDualStackNodeReKeysEachFamilyOnItsOwnVotes(@TempDir Path dir) throws Exception {
        DhtConfig v4 = UdpLoopbackTest.loopback().bootstrap(routers()).stateFile(dir.resolve("dht4.state")).build();
        DhtConfig v6 = DhtConfig.builder().bindAddress(new InetSocketAddress("::1", 0)).bootstrap(List.of())
                .requestTimeoutMillis(2_000).stateFile(dir.resolve("dht6.state")).build();
        try (DualStackNode dual = DualStackNode.start(v4, v6)) {
            DhtNode four = dual.ipv4().orElseThrow();
            DhtNode six = dual.ipv6().orElseThrow();
            NodeId sixBefore = six.id();
            await("the IPv4 node re-keys", () -> Bep42.isValid(four.id(), PUBLIC.getAddress()));
            assertThat(six.id()).as("no IPv6 address was voted: the IPv6 id stays").isEqualTo(sixBefore);
            assertThat(four.id()).isNotEqualTo(six.id());
        }
    }
}
