package dev.scout.node.reach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.dht.Dht;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.NodeId;
import dev.scout.session.UdpLink;
import dev.scout.session.relay.RelayLimits;
import dev.scout.session.relay.RelayLink;
import dev.scout.session.relay.RelayRegistration;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HomeRelay} with real relays on loopback UDP and a DHT that announces what the test says: a full
 * relay's refusal is one status line and the daemon moves to another relay; an unusable address (ours,
 * or refused by the address policy) is never probed.
 */
@Timeout(60)
class HomeRelayChoiceTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    private RelayLink relay(RelayLimits limits) throws Exception {
        UdpLink udp = UdpLink.start(new InetSocketAddress("127.0.0.1", 0));
        RelayLink link = RelayLink.over(udp);
        open.add(udp);
        open.add(link);
        if (limits != null) {
            link.serve(limits);
        }
        return link;
    }

    /** A DHT whose get_peers answers with {@code announced}; nothing else is called. */
    private static Dht announcing(AtomicReference<List<InetSocketAddress>> announced, List<NodeId> asked) {
        return (Dht) Proxy.newProxyInstance(Dht.class.getClassLoader(), new Class<?>[] {Dht.class}, (p, m, args) -> {
            if (m.getName().equals("getPeers")) {
                asked.add((NodeId) args[0]);
                return CompletableFuture.completedFuture(announced.get());
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private static HomeRelay.Status tickUntil(HomeRelay home, Predicate<HomeRelay.Status> done, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        HomeRelay.Status s = home.status();
        while (!done.test(s)) {
            assertThat(System.nanoTime()).as("home relay status: %s", s).isLessThan(deadline);
            home.tick(System.currentTimeMillis(), true);
            Thread.sleep(50);
            s = home.status();
        }
        return s;
    }

    @Test
    void aFullRelaysRefusalIsOneLineAndTheDaemonMovesToAnother() throws Exception {
        try {
            RelayLink full = relay(new RelayLimits(1, 1, 1, 1, 1 << 20, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(60)));
            RelayLink good = relay(RelayLimits.modest());
            // Somebody holds the full relay's only slot.
            RelayLink squatter = relay(null);
            RelayRegistration taken = squatter.registerAt(full.localAddress(), Ed25519KeyPair.generate());
            tickWait(taken::registered);

            AtomicReference<List<InetSocketAddress>> announced = new AtomicReference<>(List.of(full.localAddress()));
            List<NodeId> asked = new ArrayList<>();
            RelayLink client = relay(null);
            InetSocketAddress ours = client.localAddress();
            HomeRelay home = new HomeRelay(client, Ed25519KeyPair.generate(), announcing(announced, asked),
                    a -> !a.equals(ours), Optional.empty(), new RelayCandidates(new Random(5)));
            HomeRelay.Status refused = tickUntil(home, s -> s.problem().isPresent(), 20);
            assertThat(refused.problem().get()).isEqualTo("relay " + dev.scout.dht.Addresses.format(full.localAddress())
                    + " refused (full)");
            assertThat(asked).isNotEmpty().allSatisfy(h -> assertThat(h.toString()).isEqualTo(RelayAnnouncer.INFO_HASH.toString()));

            // Now a relay with room is announced too (and our own address): the daemon moves there.
            announced.set(List.of(full.localAddress(), ours, good.localAddress()));
            long probesBefore = home.probesSent();
            HomeRelay.Status moved = tickUntil(home, s -> s.relay().isPresent() && s.relay().get().equals(good.localAddress())
                    && client.registration().map(RelayRegistration::registered).orElse(false), 30);
            assertThat(moved.found()).contains("dht");
            assertThat(moved.problem()).isEmpty();
            assertThat(moved.rttMillis()).isPresent();
            // Only the new relay was probed: the full one is avoided for a while, our own address never probed.
            assertThat(home.probesSent() - probesBefore).isEqualTo(1);
            assertThat(good.relayStats().orElseThrow().clients()).isEqualTo(1);
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    private static void tickWait(java.util.function.BooleanSupplier ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ok.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
