package dev.scout.node.portmap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PortMapper} against a {@link FakeRouter} over real UDP on loopback. */
@Timeout(30)
class PortMapperTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final AtomicInteger changes = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private FakeRouter router(FakeRouter.Mode mode) throws Exception {
        FakeRouter r = new FakeRouter(mode);
        closing.add(r);
        return r;
    }

    /** PCP and NAT-PMP at the fake router; UPnP at a port where nothing answers SSDP. */
    private PortMapper mapper(FakeRouter r, PortMapper.Options options) throws Exception {
        int silentSsdp;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, LOOPBACK)) {
            silentSsdp = s.getLocalPort();
        }
        Gateways.Gateway gw = new Gateways.Gateway(LOOPBACK, LOOPBACK);
        PortMapper m = new PortMapper(6881, () -> Optional.of(gw), g -> List.of(new PcpClient(LOOPBACK, r.address()),
                new NatPmpClient(LOOPBACK, r.address()), new UpnpClient(LOOPBACK, LOOPBACK, silentSsdp)), options,
                changes::incrementAndGet);
        closing.add(0, m);
        m.start();
        return m;
    }

    private static void await(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(until);
            Thread.sleep(20);
        }
    }

    @Test
    void mapsByPcpRenewsAndDeletesOnClose() throws Exception {
        FakeRouter r = router(FakeRouter.Mode.ANSWER);
        PortMapper m = mapper(r, new PortMapper.Options(2_000, 2, 60_000, 1_000));
        await(() -> m.current().isPresent(), 5, "a mapping");
        assertThat(m.current().get().protocol()).isEqualTo("pcp");
        assertThat(m.current().get().external()).isEqualTo(new InetSocketAddress(FakeRouter.PUBLIC_IP, 7881));
        assertThat(m.current().get().expires()).isNotNull();
        assertThat(changes.get()).isEqualTo(1);
        // a 2 s lifetime is renewed after 1 s
        await(() -> r.mapRequests.get() >= 3, 5, "two renewals");
        assertThat(changes.get()).as("a renewal to the same address is no change").isEqualTo(1);
        m.close();
        assertThat(r.deletes.get()).isEqualTo(1);
        assertThat(r.mappings).isEmpty();
        assertThat(m.current()).isEmpty();
    }

    @Test
    void aRouterRestartIsNoticedAndTheMappingMadeAgain() throws Exception {
        FakeRouter r = router(FakeRouter.Mode.ANSWER);
        PortMapper m = mapper(r, new PortMapper.Options(2_000, 120, 2_500, 1_000));
        await(() -> m.current().isPresent(), 5, "a mapping");
        int before = r.mapRequests.get();
        r.restart();
        assertThat(r.mappings).isEmpty();
        await(() -> r.mapRequests.get() > before, 5, "the next check");
        assertThat(r.mappings).containsKey(6881);
        assertThat(m.restartsSeen()).as("the epoch went from ~1000 s back to ~0").isEqualTo(1);
        assertThat(m.current()).isPresent();
        assertThat(PortMapper.restarted(100, 20, 3)).as("epoch went back").isTrue();
        assertThat(PortMapper.restarted(100, 400, 130)).as("epoch moved far less than our clock").isTrue();
        assertThat(PortMapper.restarted(100, 20, 119)).isFalse();
        assertThat(PortMapper.restarted(-1, 20, 3)).as("UPnP has no epoch").isFalse();
    }

    @Test
    void aRenewalTheRouterRefusesMapsAfreshAndTellsOfTheChange() throws Exception {
        FakeRouter r = router(FakeRouter.Mode.ANSWER);
        PortMapper m = mapper(r, new PortMapper.Options(2_000, 120, 1_000, 1_000));
        await(() -> m.current().isPresent(), 5, "a mapping");
        r.mode(FakeRouter.Mode.REFUSE_PCP);
        await(() -> m.current().map(c -> c.protocol().equals("nat-pmp")).orElse(false), 5, "the NAT-PMP mapping");
        assertThat(changes.get()).as("pcp, then nat-pmp").isEqualTo(2);
    }

    @Test
    void remapStartsOverAtOnce() throws Exception {
        FakeRouter r = router(FakeRouter.Mode.ANSWER);
        PortMapper m = mapper(r, PortMapper.Options.DEFAULT);
        await(() -> m.current().isPresent(), 5, "a mapping");
        m.remap();
        await(() -> r.deletes.get() == 1 && r.mapRequests.get() == 2, 5, "the old mapping deleted and a new one made");
        assertThat(m.current()).isPresent();
    }

    @Test
    void aRouterRefusingPcpIsAskedByNatPmp() throws Exception {
        FakeRouter r = router(FakeRouter.Mode.REFUSE_PCP);
        PortMapper m = mapper(r, PortMapper.Options.DEFAULT);
        await(() -> m.current().isPresent(), 5, "a NAT-PMP mapping");
        assertThat(m.current().get().protocol()).isEqualTo("nat-pmp");
        assertThat(m.current().get().external()).isEqualTo(new InetSocketAddress(FakeRouter.PUBLIC_IP, 7881));
    }

    @Test
    void aSilentRouterEndsTheAttemptWithinItsBudgetAndCloseDoesNotHang() throws Exception {
        FakeRouter r = router(FakeRouter.Mode.SILENT);
        long t0 = System.nanoTime();
        PortMapper m = mapper(r, PortMapper.Options.DEFAULT);
        await(() -> !m.lastFailure().isEmpty(), 4, "the attempt's end (budget 2 s)");
        System.out.println("silent router: the attempt ended after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(m.lastFailure()).contains("PCP: no answer").contains("UPnP: no SSDP answer");
        assertThat(m.current()).isEmpty();
        assertThat(changes.get()).isZero();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(m::close);
        closed.get(6, TimeUnit.SECONDS);
    }

    @Test
    void aRouterAnsweringGarbageGivesAClearFailure() throws Exception {
        FakeRouter r = router(FakeRouter.Mode.GARBAGE);
        PortMapper m = mapper(r, PortMapper.Options.DEFAULT);
        await(() -> !m.lastFailure().isEmpty(), 4, "the attempt's end");
        assertThat(m.lastFailure()).startsWith("PCP: ").contains("NAT-PMP: ");
        assertThat(m.current()).isEmpty();
    }

    @Test
    void upnpMapsThroughAGatewayThatHasNoPcp() throws Exception {
        try (FakeIgd igd = new FakeIgd()) {
            FakeRouter r = router(FakeRouter.Mode.SILENT);
            Gateways.Gateway gw = new Gateways.Gateway(LOOPBACK, LOOPBACK);
            PortMapper m = new PortMapper(6881, () -> Optional.of(gw), g -> List.of(new PcpClient(LOOPBACK, r.address()),
                    new NatPmpClient(LOOPBACK, r.address()), new UpnpClient(LOOPBACK, LOOPBACK, igd.ssdpPort())),
                    PortMapper.Options.DEFAULT, changes::incrementAndGet);
            m.start();
            await(() -> m.current().isPresent(), 5, "a UPnP mapping");
            assertThat(m.current().get().protocol()).isEqualTo("upnp");
            assertThat(m.current().get().external()).isEqualTo(new InetSocketAddress(FakeRouter.PUBLIC_IP, 6881));
            assertThat(igd.actions()).contains("AddPortMapping", "GetExternalIPAddress");
            m.close();
            assertThat(igd.actions()).contains("DeletePortMapping");
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }
}
