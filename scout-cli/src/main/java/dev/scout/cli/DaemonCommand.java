package dev.scout.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import dev.scout.app.ScoutApp;
import dev.scout.cli.api.ApiServer;
import dev.scout.cli.api.AppService;
import dev.scout.cli.api.ContactsResource;
import dev.scout.cli.api.DaemonResource;
import dev.scout.cli.api.DhtResource;
import dev.scout.cli.api.EventBus;
import dev.scout.cli.api.RuntimeSettings;
import dev.scout.cli.api.SettingsResource;
import dev.scout.cli.api.EventsResource;
import dev.scout.cli.api.HealthResource;
import dev.scout.cli.api.IdentityResource;
import dev.scout.cli.api.MessagesResource;
import dev.scout.cli.api.RelayOptions;
import dev.scout.cli.api.SessionService;
import dev.scout.cli.api.SessionsResource;
import dev.scout.cli.api.StatusResource;
import dev.scout.cli.api.SyncResource;
import dev.scout.cli.state.StateStore;
import dev.scout.dht.Addresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code scout daemon}: the one owner of this identity's DHT node, UDP socket and state while it runs
 * (docs/spec.md §6). It serves the local API on 127.0.0.1 (docs/api.md) and announces it in {@code daemon.json}
 * (0600: it holds the token), which the other commands use to go through it. It re-stores the contact
 * records and the messages not yet read about every hour (±10% jitter; DHT data expires after two
 * hours), polls contacts for new messages, logs them and announces them on the event stream. Its UDP
 * port is remembered, so the device's published address stays the same across restarts. SIGTERM,
 * Ctrl-C or {@code scout stop} stop it cleanly; everything it learns is committed before it is logged.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true, versionProvider = ScoutCommand.Version.class,
        description = {"Own this identity's DHT node: serve the local API (daemon.json), re-store records and unread "
                + "messages hourly, poll contacts, log new messages.",
                "Stops cleanly on SIGTERM, Ctrl-C or `scout stop`. See `scout status`."})
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

    @Option(names = "--probe-window", paramLabel = "SECONDS", defaultValue = "600", hidden = true,
            description = "Reachability: a window this long with no unsolicited query means unreachable (read-only).")
    long probeWindowSeconds;

    @Option(names = "--reprobe-interval", paramLabel = "SECONDS", defaultValue = "3600", hidden = true,
            description = "Reachability: how often an unreachable daemon runs regular again to look.")
    long reprobeSeconds;

    @Option(names = "--session-poll", paramLabel = "MILLIS", defaultValue = "2000",
            description = "How often to read contacts' records for connect intents (direct sessions; default ${DEFAULT-VALUE}).")
    long sessionPollMillis;

    @Option(names = "--relay", description = "Relay encrypted session datagrams for other daemons (for a publicly "
            + "reachable daemon; bounded, never decrypts; off by default).")
    boolean relay;

    @Option(names = "--relay-via", paramLabel = "HOST:PORT", description = "Be reachable through the relay at "
            + "HOST:PORT (a daemon run with --relay): contacts behind NATs that cannot be punched connect through it.")
    String relayVia;

    @Option(names = "--assume-nat", paramLabel = "TYPE", hidden = true,
            description = "Direct sessions: act as if behind this NAT (none, cone, symmetric) instead of the measured one (tests).")
    String assumeNat;

    private final Random random = new SecureRandom();
    private final CountDownLatch stop = new CountDownLatch(1);
    /** Behind a NAT almost surely: the IPv4 node starts read-only (see {@link PrivateNetwork}). */
    private boolean startReadOnly;
    private RelayOptions relayOptions = RelayOptions.NONE;

    @Override
    public Integer call() throws InterruptedException {
        if (pollSeconds < 1 || republishSeconds < 10) {
            throw new ParameterException(cl(), "--poll-interval must be ≥ 1 s and --republish-interval ≥ 10 s");
        }
        if (sessionPollMillis < 100) {
            throw new ParameterException(cl(), "--session-poll must be ≥ 100 ms");
        }
        if (probeWindowSeconds < 1 || reprobeSeconds < 1) {
            throw new ParameterException(cl(), "--probe-window and --reprobe-interval must be ≥ 1 s");
        }
        ScoutCommand root = ScoutCommand.of(spec);
        Optional<InetSocketAddress> via = relayVia == null ? Optional.empty()
                : Optional.of(Args.resolve(cl(), "--relay-via", relayVia));
        if (via.isPresent() && (via.get().getAddress().isAnyLocalAddress() || via.get().getAddress().isMulticastAddress())) {
            throw new ParameterException(cl(), "--relay-via: " + relayVia + " cannot be a relay's address");
        }
        relayOptions = new RelayOptions(relay, via);
        handle("TERM", stop);
        handle("INT", stop);
        startReadOnly = PrivateNetwork.behindNat(root.bootstrap());
        try (StateStore store = StateStore.open(root.stateDir())) {
            store.requireIdentity();
            AppContext.warn(spec, store);
            Path dir = store.directory();
            try (DaemonLock lock = DaemonLock.tryAcquire(dir).orElseThrow(() -> alreadyRunning(dir));
                 AppContext ctx = openNode(root, store)) {
                // Each family's port is remembered: one-shot commands publish them, the next daemon binds them.
                store.putSetting(AppContext.SETTING_DAEMON_PORT, Integer.toString(ctx.node().localAddress().getPort()));
                store.putSetting(AppContext.SETTING_DAEMON_PORT6, ctx.node().ipv6()
                        .map(n -> Integer.toString(n.localAddress().getPort())).orElse("")); // "": no IPv6 socket
                run(ctx, dir);
            }
        }
        return 0;
    }

    private static CliException alreadyRunning(Path dir) {
        String who = DaemonFile.read(dir).map(f -> " (pid " + f.pid() + ", " + f.url() + ")").orElse("");
        return new CliException("a daemon is already running for " + dir + who + "; `scout stop` stops it");
    }

    /**
     * The node on the port given with --port, else on the remembered ports (each family's), else (or if
     * those are taken) on any free port.
     */
    private AppContext openNode(ScoutCommand root, StateStore store) {
        if (root.portGiven()) {
            return AppContext.openOwner(spec, store, root.port(), root.port(), startReadOnly);
        }
        var remembered = AppContext.daemonPort(store);
        if (remembered.isPresent()) {
            int port6 = AppContext.daemonPort6(store).orElse(remembered.getAsInt());
            try {
                return AppContext.openOwner(spec, store, remembered.getAsInt(), port6, startReadOnly);
            } catch (CliException e) {
                if (!(e.getCause() instanceof BindException)) {
                    throw e;
                }
                spec.commandLine().getErr().println("scout: warning: UDP port " + remembered.getAsInt()
                        + (port6 != remembered.getAsInt() ? " or " + port6 : "") + " is taken; the device's published port changes");
            }
        }
        return AppContext.openOwner(spec, store, 0, 0, startReadOnly);
    }

    private void run(AppContext ctx, Path dir) throws InterruptedException {
        PrintWriter out = out();
        EventBus events = new EventBus();
        AppService service = new AppService(ctx.store(), ctx.app(), events);
        RuntimeSettings settings = new RuntimeSettings(pollSeconds, republishSeconds);
        DaemonStatusView status = new DaemonStatusView(ctx, probeWindowSeconds * 1000, reprobeSeconds * 1000, startReadOnly);
        String token = HexFormat.of().formatHex(randomBytes(32));
        SessionService sessions = new SessionService(service, ctx.node(), () -> SessionService.natType(assumeNat != null ? assumeNat : status.nat()),
                () -> AppContext.reachableAddresses(ctx.node()), sessionPollMillis, relayOptions);
        ApiServer api;
        try {
            api = ApiServer.start(0, token, List.of(new HealthResource(), new IdentityResource(ctx.store()),
                    new ContactsResource(service), new SyncResource(service), new MessagesResource(service),
                    new StatusResource(() -> {
                        var o = status.json();
                        o.set("relay", sessions.relayJson());
                        o.set("settings", settings.json());
                        return o;
                    }), new DhtResource(ctx.node()), new EventsResource(events),
                    new DaemonResource(stop::countDown), new SessionsResource(sessions), new SettingsResource(settings)));
        } catch (IOException e) {
            sessions.close();
            throw new CliException("cannot start the local API: " + ErrorHandler.message(e), e);
        }
        DaemonFile file = new DaemonFile(api.url(), token, ProcessHandle.current().pid());
        Thread hook = new Thread(() -> {
            file.deleteIfOurs(dir);
            api.close();
            sessions.close();
            ctx.close();
        }, "scout-daemon-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            file.write(dir);
            status.started(api.url());
            out.println("scout daemon: " + ctx.store().requireIdentity().publicKey().toZBase32() + " on "
                    + String.join(" and ", ctx.node().localAddresses().stream().map(Addresses::format).toList())
                    + ", API " + api.url() + ", "
                    + ctx.store().contacts().size() + " contacts");
            out.flush();
            // A node whose I/O loop died answers nobody: stop and exit non-zero rather than run deaf.
            ctx.node().terminated().whenComplete((v, error) -> {
                if (error != null) {
                    stop.countDown();
                }
            });
            loop(service, status, settings, out);
            Optional<dev.scout.dht.DhtException> died = ctx.node().failure();
            log(out, died.map(e -> "stopping: " + e.getMessage()).orElse("stopping"));
            if (died.isPresent()) {
                throw new CliException(died.get().getMessage());
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + DaemonFile.path(dir) + ": " + ErrorHandler.message(e), e);
        } finally {
            file.deleteIfOurs(dir);
            api.close();
            sessions.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    private void loop(AppService service, DaemonStatusView status, RuntimeSettings settings, PrintWriter out)
            throws InterruptedException {
        long lastPoll = Long.MIN_VALUE / 2;
        long lastRepublish = Long.MIN_VALUE / 2; // at once: a restarted daemon refreshes what may be close to expiring
        double republishJitter = 1;
        while (stop.getCount() > 0) {
            long now = System.currentTimeMillis();
            if (now >= lastRepublish + (long) (settings.republishMillis() * republishJitter)) {
                int n = service.republish();
                service.store().recordRepublish(Instant.now());
                log(out, "republished " + n + (n == 1 ? " item" : " items"));
                lastRepublish = System.currentTimeMillis();
                republishJitter = jittered(1_000_000) / 1_000_000.0;
            }
            if (now >= lastPoll + settings.pollMillis() && stop.getCount() > 0) {
                poll(service, status, out);
                lastPoll = System.currentTimeMillis();
            }
            long next = Math.min(lastPoll + settings.pollMillis(), lastRepublish + (long) (settings.republishMillis() * republishJitter));
            long wait = Math.min(next - System.currentTimeMillis(), 1_000); // settings changed by the API apply within 1 s
            if (wait > 0) {
                stop.await(wait, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Checks every contact, logs new messages, records the status. */
    private void poll(AppService service, DaemonStatusView status, PrintWriter out) {
        List<Contact> contacts = service.store().contacts();
        int reachable = 0;
        for (Contact c : contacts) {
            if (stop.getCount() == 0) {
                return;
            }
            try {
                ScoutApp.InboxReport r = service.inbox(c);
                if (!service.app().storedDevices(c).isEmpty()) {
                    reachable++;
                }
                for (ReceivedMessage m : r.received()) {
                    log(out, "message from " + m.contact() + ": " + LogText.escape(m.text()));
                }
                for (String p : r.problems()) {
                    log(out, "warning: " + p);
                }
            } catch (RuntimeException e) {
                log(out, "could not check " + c.name() + ": " + ErrorHandler.message(e));
            }
        }
        String reachability = status.checkReachability();
        if (reachability != null) {
            log(out, reachability);
        }
        service.store().recordPoll(Instant.now());
        service.store().putStatus(STATUS_REACHABLE, reachable + "/" + contacts.size());
        ObjectNode s = status.record();
        List<String> externals = new java.util.ArrayList<>();
        for (String field : new String[] {"external_address", "external_address_v6"}) {
            if (s.hasNonNull(field)) {
                externals.add(s.get(field).asText());
            }
        }
        log(out, "status: routing table " + s.path("routing_table_size").asInt() + " nodes, external "
                + (externals.isEmpty() ? "unknown" : String.join(", ", externals)) + ", last republish "
                + s.path("last_republish").asText("never") + ", contacts reachable " + reachable + "/" + contacts.size());
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
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
