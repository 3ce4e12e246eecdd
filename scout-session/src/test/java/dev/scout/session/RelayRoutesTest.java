package dev.scout.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.session.path.PathChoice;
import dev.scout.session.path.VirtualAddresses;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A relayed session's other relay routes (docs/sessions.md, "Another relay"), as {@link PathChoice} decides
 * them: probed only while the relay path in use fails (a probe through another relay while it works would
 * move the peer there), and a packet through another relay then moves the session as a failed path's move.
 */
class RelayRoutesTest {
    private static final long MS = 1_000_000L;
    private static final long FAILING = PathChoice.FAILING;

    @Test
    void otherRelayRoutesAreProbedOnlyOnceTheRelayPathFails() {
        InetSocketAddress relayA = VirtualAddresses.next();
        InetSocketAddress relayB = VirtualAddresses.next();
        PathChoice p = new PathChoice(relayA, 0);
        p.addRoutes(List.of(relayB), 0);
        assertThat(p.deadline(false, FAILING)).as("no probe round while the relay works").isEqualTo(PathChoice.NEVER);
        assertThat(p.probesDue(10 * MS)).isEmpty();

        long t = FAILING + 1;
        assertThat(p.failing(t, true, FAILING)).isTrue();
        assertThat(p.onFailing(t)).as("no relay to fall back to: stays, probes").isFalse();
        assertThat(p.relayFailing()).isTrue();
        assertThat(p.probesDue(t)).containsExactly(relayB);
        assertThat(p.probesDue(t + PathChoice.PROBE_EVERY)).containsExactly(relayB);

        assertThat(p.onPacket(relayB, true, t + 200 * MS, FAILING)).as("the other relay answered: moved").isTrue();
        assertThat(p.current()).isEqualTo(relayB);
        assertThat(p.takeRelayFailed()).as("what was in flight on the dead relay goes again").isTrue();
        assertThat(p.takeRelayFailed()).isFalse();
        assertThat(p.probesDue(t + 300 * MS)).as("no more probes through other relays once one works").doesNotContain(relayB, relayA);
    }

    @Test
    void routesNamedAfterTheFailureAreProbedAtOnce() {
        InetSocketAddress relayA = VirtualAddresses.next();
        InetSocketAddress relayB = VirtualAddresses.next();
        PathChoice p = new PathChoice(relayA, 0);
        long t = FAILING + 1;
        assertThat(p.onFailing(t)).isFalse();
        assertThat(p.probesDue(t)).as("nothing known to probe yet").isEmpty();
        p.addRoutes(List.of(relayA, relayB), t + MS);
        assertThat(p.probesDue(t + MS)).as("the current route is never probed").containsExactly(relayB);
    }

    @Test
    void aPacketOnTheCurrentRelayPathClearsTheFailure() {
        InetSocketAddress relayB = VirtualAddresses.next();
        PathChoice p = new PathChoice(VirtualAddresses.next(), 0);
        p.addRoutes(List.of(relayB), 0);
        long t = FAILING + 1;
        p.onFailing(t);
        assertThat(p.onPacket(p.current(), true, t + MS, FAILING)).isFalse();
        assertThat(p.relayFailing()).as("the relay was only slow").isFalse();
        assertThat(p.probesDue(t + 2 * MS)).as("the round left goes no more through other relays").doesNotContain(relayB);
    }
}
