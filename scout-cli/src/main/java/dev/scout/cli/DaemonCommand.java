package dev.scout.cli;

import dev.scout.cli.app.ScoutApp;
import dev.scout.cli.state.Contact;
import dev.scout.cli.state.ReceivedMessage;
import dev.scout.dht.Addresses;
import dev.scout.dht.node.NodeStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import sun.misc.Signal;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code scout daemon}: keeps a DHT node up for this identity. It re-stores the contact records and the
 * messages not yet read about every hour (with ±10% jitter; DHT data expires after two hours), polls
 * contacts for new messages at a configurable interval and logs them, saves its routing table, and
 * writes a status line (also readable with {@code scout status}). SIGTERM or Ctrl-C stop it cleanly.
 * Everything it learns is committed to the state store before it is logged, so a kill at any moment
 * loses nothing.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true, versionProvider = ScoutCommand.Version.class,
        description = {"Keep a DHT node up: re-store records and unread messages hourly, poll contacts, log new messages.",
                "Stops cleanly on SIGTERM or Ctrl-C. See `scout status`."})
public final class DaemonCommand extends BaseCommand {
    static final String STATUS_REACHABLE = "contacts_reachable";
    /** The IPv6 external address (the state store's own column holds the IPv4 one). */
    static final String STATUS_EXTERNAL_V6 = "external_address_v6";

    @Mixin
    PortOption port;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "60",
            description = "How often to check contacts for new messages (default ${DEFAULT-VALUE}).")
    long pollSeconds;

    @Option(names = "--republish-interval", paramLabel = "SECONDS", defaultValue = "3600",
            description = "How often to re-store records and unread messages (default ${DEFAULT-VALUE}; DHT data lives ~2 h).")
    long republishSeconds;

    private final Random random = new SecureRandom();

    @Override
    public Integer call() throws InterruptedException {
        if (pollSeconds < 1 || republishSeconds < 10) {
            throw new ParameterException(cl(), "--poll-interval must be ≥ 1 s and --republish-interval ≥ 10 s");
        }
        CountDownLatch stop = new CountDownLatch(1);
        handle("TERM", stop);
        handle("INT", stop);
        PrintWriter out = out();
        try (AppContext ctx = AppContext.open(spec, false)) {
            Thread hook = new Thread(ctx::close, "scout-daemon-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("scout daemon: " + ctx.store().requireIdentity().publicKey().toZBase32() + " on "
                    + String.join(" and ", ctx.node().localAddresses().stream().map(Addresses::format).toList()) + ", " + ctx.store().contacts().size() + " contacts");
            out.flush();
            long nextPoll = 0;
            long nextRepublish = 0; // at once: a restarted daemon refreshes what may be close to expiring
            while (stop.getCount() > 0) {
                long now = System.currentTimeMillis();
                if (now >= nextRepublish) {
                    int n = ctx.app().republish();
                    ctx.store().recordRepublish(Instant.now());
                    log(out, "republished " + n + (n == 1 ? " item" : " items"));
                    nextRepublish = System.currentTimeMillis() + jittered(republishSeconds * 1000);
                }
                if (now >= nextPoll) {
                    poll(ctx, out);
                    nextPoll = System.currentTimeMillis() + pollSeconds * 1000;
                }
                long wait = Math.min(nextPoll, nextRepublish) - System.currentTimeMillis();
                if (wait > 0) {
                    stop.await(wait, TimeUnit.MILLISECONDS);
                }
            }
            log(out, "stopping");
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        return 0;
    }

    /** Checks every contact, logs new messages, records the status. */
    private void poll(AppContext ctx, PrintWriter out) {
        List<Contact> contacts = ctx.store().contacts();
        int reachable = 0;
        for (Contact c : contacts) {
            try {
                ScoutApp.InboxReport r = ctx.app().inbox(c);
                if (!ctx.store().entries(c.name()).isEmpty() && !ScoutApp.devicesOf(ctx.store().entries(c.name()),
                        1 - dev.scout.cli.app.AppEntries.side(ctx.store().requireIdentity().publicKey(), c.publicKey())).isEmpty()) {
                    reachable++;
                }
                for (ReceivedMessage m : r.received()) {
                    log(out, "message from " + m.contact() + ": " + m.text());
                }
                for (String p : r.problems()) {
                    log(out, "warning: " + p);
                }
            } catch (RuntimeException e) {
                log(out, "could not check " + c.name() + ": " + ErrorHandler.message(e));
            }
        }
        ctx.store().recordPoll(Instant.now());
        ctx.store().putStatus(STATUS_REACHABLE, reachable + "/" + contacts.size());
        int tableSize = 0;
        Optional<InetSocketAddress> external = Optional.empty();
        List<InetSocketAddress> externals = List.of();
        try {
            NodeStats stats = ctx.node().stats().get(5, TimeUnit.SECONDS);
            tableSize = stats.routingTableSize();
            externals = ctx.node().externalAddresses().get(5, TimeUnit.SECONDS);
            external = externals.stream().filter(a -> a.getAddress() instanceof java.net.Inet4Address).findFirst();
            ctx.store().putStatus(STATUS_EXTERNAL_V6, externals.stream()
                    .filter(a -> a.getAddress() instanceof java.net.Inet6Address).findFirst()
                    .map(Addresses::format).orElse(""));
        } catch (Exception e) {
            // status is best effort
        }
        ctx.store().recordRoutingTableSize(tableSize);
        ctx.store().recordExternalAddress(external.orElse(null));
        log(out, "status: routing table " + tableSize + " nodes, external "
                + (externals.isEmpty() ? "unknown" : String.join(", ", externals.stream().map(Addresses::format).toList()))
                + ", last republish " + ctx.store().daemonStatus().lastRepublish().map(Instant::toString).orElse("never")
                + ", contacts reachable " + reachable + "/" + contacts.size());
    }

    private long jittered(long millis) {
        return (long) (millis * (0.9 + 0.2 * random.nextDouble()));
    }

    private static void log(PrintWriter out, String line) {
        out.println(Instant.now().toString().substring(0, 19).replace('T', ' ') + " " + line);
        out.flush();
    }

    private static void handle(String name, CountDownLatch stop) {
        try {
            Signal.handle(new Signal(name), s -> stop.countDown());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the shutdown hook still closes everything
        }
    }
}
