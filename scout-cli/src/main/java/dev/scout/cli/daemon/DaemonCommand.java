package dev.scout.cli.daemon;

import dev.scout.cli.common.AppContext;
import dev.scout.cli.common.Args;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.DaemonFile;
import dev.scout.cli.common.ErrorHandler;
import dev.scout.cli.common.Globals;
import dev.scout.cli.common.PortOption;
import dev.scout.cli.common.Version;

import dev.scout.cli.api.ApiServer;
import dev.scout.cli.api.app.AppService;
import dev.scout.cli.api.app.ContactsResource;
import dev.scout.cli.api.daemon.DaemonResource;
import dev.scout.cli.api.dht.DhtResource;
import dev.scout.cli.api.events.EventBus;
import dev.scout.cli.api.settings.RuntimeSettings;
import dev.scout.cli.api.settings.SettingsResource;
import dev.scout.cli.api.events.EventsResource;
import dev.scout.cli.api.daemon.HealthResource;
import dev.scout.cli.api.daemon.IdentityResource;
import dev.scout.cli.api.messages.MessagesResource;
import dev.scout.cli.api.sessions.DaemonSessions;
import dev.scout.cli.api.sessions.SessionsResource;
import dev.scout.cli.api.daemon.StatusResource;
import dev.scout.cli.api.app.SyncResource;
import dev.scout.sqlite.StateStore;
import dev.scout.dht.Addresses;
import dev.scout.node.RelayOptions;
import dev.scout.node.ScoutNode;
import dev.scout.node.ScoutNodeBuilder;
import dev.scout.session.NatType;
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
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * {@code scout daemon}: the one owner of this identity's DHT node, UDP socket and state while it runs
 * (docs/spec.md §6). It serves the local API on 127.0.0.1 (docs/api.md) and announces it in {@code daemon.json}
 * (0600: it holds the token), which the other commands use to go through it. It re-stores the contact
 * records and the messages not yet read about every hour (±10% jitter; DHT data expires after two
 * hours), polls contacts for new messages, logs them and announces them on the event stream. Its UDP
 * port is remembered, so the device's published address stays the same across restarts. SIGTERM,
 * Ctrl-C or {@code scout stop} stop it cleanly; everything it learns is committed before it is logged.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Own this identity's DHT node: serve the local API (daemon.json), re-store records and unread "
                + "messages hourly, poll contacts, log new messages.",
                "Stops cleanly on SIGTERM, Ctrl-C or `scout stop`. See `scout status`."})
public final class DaemonCommand extends BaseCommand {
    public static final String STATUS_REACHABLE = DaemonEvents.STATUS_REACHABLE;
    /** The IPv6 external address (the state store's own column holds the IPv4 one). */
    public static final String STATUS_EXTERNAL_V6 = "external_address_v6";

    @Mixin
    public PortOption port;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "900",
            description = "How often to check each contact for new messages (default ${DEFAULT-VALUE}; contacts' "
                    + "daemons poke us at once, this is the safety net).")
    public long pollSeconds;

    @Option(names = "--republish-interval", paramLabel = "SECONDS", defaultValue = "3600",
            description = "How often to re-store records and unread messages (default ${DEFAULT-VALUE}; DHT data lives ~2 h).")
    public long republishSeconds;

    @Option(names = "--probe-window", paramLabel = "SECONDS", defaultValue = "600", hidden = true,
            description = "Reachability: a window this long with no unsolicited query means unreachable (read-only).")
    public long probeWindowSeconds;

    @Option(names = "--reprobe-interval", paramLabel = "SECONDS", defaultValue = "3600", hidden = true,
            description = "Reachability: how often an unreachable daemon runs regular again to look.")
    public long reprobeSeconds;

    /** No longer used (contacts signal through relays; see docs/operations.md): accepted, warned about, ignored. */
    @Option(names = "--session-poll", paramLabel = "MILLIS", hidden = true,
            description = "No longer used: records are not read for connect intents any more (ignored).")
    public Long sessionPollMillis;

    @Option(names = "--relay", description = "Relay for other daemons within the generous limits (4 MiB/s per client, "
            + "16 MiB/s in all) whatever this daemon's NAT. By default a publicly reachable daemon relays within modest "
            + "limits (512 KiB/s per client, 1 MiB/s in all); relays never decrypt.")
    public boolean relay;

    @Option(names = "--no-relay", description = "Neither relay for others nor look for a home relay on the DHT "
            + "(a relay learns who talks to whom and when, never what).")
    public boolean noRelay;

    @Option(names = "--relay-via", paramLabel = "HOST:PORT", description = "Pin the home relay: be reachable through "
            + "the relay at HOST:PORT instead of one found on the DHT.")
    public String relayVia;

    @Option(names = "--no-port-mapping", description = "Do not ask the home router (PCP, NAT-PMP or UPnP IGD) to map "
            + "the DHT socket's UDP port; by default the daemon asks, publishes the mapped address first and deletes "
            + "the mapping when it stops.")
    public boolean noPortMapping;

    @Option(names = "--assume-nat", paramLabel = "TYPE", hidden = true,
            description = "Direct sessions: act as if behind this NAT (none, cone, symmetric) instead of the measured one (tests).")
    public String assumeNat;

    private final Random random = new SecureRandom();
    private final CountDownLatch stop = new CountDownLatch(1);
    /** Behind a NAT almost surely: the IPv4 node starts read-only (see {@code PrivateNetwork} in scout-node). */
    private boolean startReadOnly;
    private RelayOptions relayOptions = RelayOptions.NONE;

    @Override
    public Integer call() throws InterruptedException {
        if (pollSeconds < 1 || republishSeconds < 10) {
            throw new ParameterException(cl(), "--poll-interval must be ≥ 1 s and --republish-interval ≥ 10 s");
        }
        if (sessionPollMillis != null) {
            spec.commandLine().getErr().println("scout: warning: --session-poll is no longer used and is ignored "
                    + "(contacts reach this daemon through its relay; records are not read for connect intents)");
        }
        if (probeWindowSeconds < 1 || reprobeSeconds < 1) {
            throw new ParameterException(cl(), "--probe-window and --reprobe-interval must be ≥ 1 s");
        }
        Globals root = Globals.of(spec);
        Optional<InetSocketAddress> via = relayVia == null ? Optional.empty()
                : Optional.of(Args.resolve(cl(), "--relay-via", relayVia));
        if (via.isPresent() && (via.get().getAddress().isAnyLocalAddress() || via.get().getAddress().isMulticastAddress())) {
            throw new ParameterException(cl(), "--relay-via: " + relayVia + " cannot be a relay's address");
        }
        if (relay && noRelay) {
            throw new ParameterException(cl(), "--relay and --no-relay contradict each other: choose one");
        }
        relayOptions = new RelayOptions(relay ? RelayOptions.Serve.ALWAYS : noRelay ? RelayOptions.Serve.NEVER
                : RelayOptions.Serve.WHEN_PUBLIC, via, !noRelay);
        handle("TERM", stop);
        handle("INT", stop);
        startReadOnly = ScoutNodeBuilder.startsReadOnly(root.bootstrap());
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
    private AppContext openNode(Globals root, StateStore store) {
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

    /** The engine on the joined node: this identity's {@link ScoutNode} over the SQLite store. */
    private ScoutNode startNode(AppContext ctx) {
        var b = ScoutNode.builder().store(ctx.store()).node(ctx.node())
                .listenerExecutor(Runnable::run) // the daemon logs and records in order, on the thread that noticed
                .pollInterval(Duration.ofSeconds(pollSeconds)).republishInterval(Duration.ofSeconds(republishSeconds))
                .probing(Duration.ofSeconds(probeWindowSeconds), Duration.ofSeconds(reprobeSeconds))
                .relay(relayOptions).portMapping(!noPortMapping);
        if (assumeNat != null) {
            b.assumeNat(NatType.ofVerdict(assumeNat));
        }
        return b.start();
    }

    private void run(AppContext ctx, Path dir) throws InterruptedException {
        PrintWriter out = out();
        EventBus events = new EventBus();
        String token = HexFormat.of().formatHex(randomBytes(32));
        ScoutNode node = startNode(ctx);
        AppService service = new AppService(ctx.store(), node, events);
        DaemonStatusView status = new DaemonStatusView(node, ctx.store());
        DaemonSessions sessions = new DaemonSessions(node);
        StorageHealth storage = new StorageHealth(events);
        RuntimeSettings settings = new RuntimeSettings(pollSeconds, republishSeconds,
                (poll, republish) -> node.intervals(Duration.ofSeconds(poll), Duration.ofSeconds(republish)));
        node.onEvent(new DaemonEvents(service, sessions, status::record, out, storage));
        ApiServer api;
        try {
            api = ApiServer.start(0, token, List.of(new HealthResource(), new IdentityResource(ctx.store()),
                    new ContactsResource(service), new SyncResource(service), new MessagesResource(service),
                    new StatusResource(() -> {
                        var o = status.json();
                        o.set("storage", storage.json());
                        o.set("settings", settings.json());
                        return o;
                    }), new DhtResource(ctx.node()), new EventsResource(events),
                    new DaemonResource(stop::countDown), new SessionsResource(sessions), new SettingsResource(settings)));
        } catch (IOException e) {
            node.close();
            throw new CliException("cannot start the local API: " + ErrorHandler.message(e), e);
        }
        DaemonFile file = new DaemonFile(api.url(), token, ProcessHandle.current().pid());
        Thread hook = new Thread(() -> {
            file.deleteIfOurs(dir);
            api.close();
            node.close();
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
            stop.await();
            node.close(); // its loops stop first: nothing is logged after "stopping"
            Optional<dev.scout.dht.DhtException> died = ctx.node().failure();
            DaemonEvents.log(out, died.map(e -> "stopping: " + e.getMessage()).orElse("stopping"));
            if (died.isPresent()) {
                throw new CliException(died.get().getMessage());
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + DaemonFile.path(dir) + ": " + ErrorHandler.message(e), e);
        } finally {
            file.deleteIfOurs(dir);
            api.close();
            node.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static void handle(String name, CountDownLatch stop) {
        try {
            Signal.handle(new Signal(name), s -> stop.countDown());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the shutdown hook still closes everything
        }
    }
}
