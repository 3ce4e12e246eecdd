package dev.scout.session.punch;

import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.Session;
import dev.scout.session.path.VirtualAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The cone side's birthday attempts for one relayed session ({@link RelayedBirthday#fromConeSide(Session,
 * ContactAddressPolicy, Supplier, int, BiConsumer)}): one probing per time the peer names its addresses,
 * never two at once, at most {@code attempts} in all, none once the session runs direct or ended.
 */
final class ConeAttempts {
    private final Session session;
    private final ContactAddressPolicy policy;
    private final Supplier<ProbeSchedule> schedules;
    private final int attempts;
    private final BiConsumer<InetAddress, Probing> started;
    private int made; // guarded by this
    private Probing running; // guarded by this

    ConeAttempts(Session session, ContactAddressPolicy policy, Supplier<ProbeSchedule> schedules, int attempts,
                 BiConsumer<InetAddress, Probing> started) {
        this.session = session;
        this.policy = policy;
        this.schedules = schedules;
        this.attempts = attempts;
        this.started = started;
    }

    /** The peer named {@code addresses} (its first CANDIDATES, or a new attempt's). */
    synchronized void named(List<InetSocketAddress> addresses) {
        if (made >= attempts || running != null && !running.done().isDone() || session.closed().isDone()
                || !VirtualAddresses.isVirtual(session.remoteAddress())) {
            return;
        }
        Optional<InetAddress> ip = BirthdayPunch.firstUsableIpv4(addresses, policy).map(InetSocketAddress::getAddress);
        if (ip.isEmpty()) {
            return;
        }
        made++;
        running = RelayedBirthday.fromConeSide(session, ip.get(), policy, schedules.get(), Duration.ZERO);
        started.accept(ip.get(), running);
    }
}
