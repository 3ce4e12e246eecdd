package dev.scout.cli.common;

import dev.scout.app.ScoutApp;
import dev.scout.sqlite.StateStore;
import dev.scout.dht.udp.DualStackNode;
import dev.scout.node.DeviceAddresses;
import dev.scout.dht.RoutingTableStore;
import picocli.CommandLine.Model.CommandSpec;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Plumbing shared by the commands that act as this identity ({@code sync}, {@code send}, {@code inbox},
 * {@code daemon}): the state store, a joined DHT node whose routing table lives in the store, and the
 * {@link ScoutApp} on top. Closing closes all three, node first.
 */
public final class AppContext implements AutoCloseable {
    private final StateStore store;
    private final CommandNode node;
    private final ScoutApp app;
    /** Per family, false behind a symmetric NAT: its external port differs per destination, so publishing it misleads. */
    private volatile boolean publishExternal4 = true;
    private volatile boolean publishExternal6 = true;

    /**
     * Setting: the UDP port the daemon last ran on (given with --port or bound), the device's published
     * port — its IPv4 socket's, or its IPv6 socket's when it ran IPv6 only.
     */
    public static final String SETTING_DAEMON_PORT = "daemon.port";
    /** Setting: the daemon's IPv6 socket's port when it had one (equal to the IPv4 one unless it could not share). */
    public static final String SETTING_DAEMON_PORT6 = "daemon.port6";

    private AppContext(StateStore store, CommandNode node, boolean owner) {
        this.store = store;
        this.node = node;
        DeviceAddresses.Ports own = DeviceAddresses.Ports.of(node.node());
        OptionalInt daemonPort = owner ? OptionalInt.empty() : daemonPort(store);
        OptionalInt daemonPort6 = owner ? OptionalInt.empty() : daemonPort6(store);
        DeviceAddresses.Ports ports = new DeviceAddresses.Ports(daemonPort.orElse(own.ipv4()),
                own.ipv6() < 0 ? -1 : daemonPort6.orElse(own.ipv6()));
        // A short-lived node never publishes its own port (it dies with the command): it gives the daemon's
        // remembered ports, or, when no daemon ever ran, no addresses at all (docs/operations.md).
        boolean daemonKnown = daemonPort.isPresent() || daemonPort6.isPresent();
        ScoutApp base = new ScoutApp(store, node.node(), owner || daemonKnown
                ? () -> DeviceAddresses.of(node.node(), ports, publishExternal4, publishExternal6) : List::of);
        // ... and never replaces the device entry already published, so an idle sync writes nothing.
        this.app = owner ? base : base.keepingPublishedDevice();
    }

    /** The daemon's remembered IPv6 port: {@link #SETTING_DAEMON_PORT6}, else the single remembered port. */
    public static OptionalInt daemonPort6(StateStore store) {
        OptionalInt p6 = port(store, SETTING_DAEMON_PORT6);
        return p6.isPresent() ? p6 : daemonPort(store);
    }

    /** The daemon port remembered in the store, if a daemon ever ran for it. */
    public static OptionalInt daemonPort(StateStore store) {
        return port(store, SETTING_DAEMON_PORT);
    }

    private static OptionalInt port(StateStore store, String setting) {
        try {
            return store.setting(setting).map(Integer::parseInt).filter(p -> p > 0 && p <= 65535)
                    .map(OptionalInt::of).orElse(OptionalInt.empty());
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Opens the store (the identity must exist) and joins the DHT as a short-lived, read-only node. */
    public static AppContext open(CommandSpec spec, boolean readOnly) {
        return open(spec, readOnly, store -> { });
    }

    /**
     * Opens the store (the identity must exist), runs {@code check} on it, then joins the DHT. The check
     * (e.g. that a named contact exists) fails before the network is involved, so a mistake in the
     * command is reported as such at once, not after a bootstrap that may take up to 30 s or fail.
     */
    public static AppContext open(CommandSpec spec, boolean readOnly, Consumer<StateStore> check) {
        Globals root = Globals.of(spec);
        return open(spec, StateStore.open(root.stateDir()), readOnly, root.port(), root.port(), check);
    }

    /**
     * The daemon's context on an open store: a regular (not read-only) node on {@code port}, owning the
     * device's published address.
     */
    public static AppContext openOwner(CommandSpec spec, StateStore store, int port) {
        return openOwner(spec, store, port, port);
    }

    /** As above with a port per family ({@code port6} for the IPv6 socket, when the node has one). */
    public static AppContext openOwner(CommandSpec spec, StateStore store, int port, int port6) {
        return openOwner(spec, store, port, port6, false);
    }

    /** As above; {@code readOnly}: the node starts read-only (a daemon behind a NAT: PrivateNetwork in scout-node). */
    public static AppContext openOwner(CommandSpec spec, StateStore store, int port, int port6, boolean readOnly) {
        return open(spec, store, readOnly, port, port6, s -> { }, true, true);
    }

    private static AppContext open(CommandSpec spec, StateStore store, boolean readOnly, int port, int port6,
                                   Consumer<StateStore> check) {
        return open(spec, store, readOnly, port, port6, check, !readOnly, false);
    }

    /**
     * @param owner      the daemon (publishes this device's addresses) rather than a one-shot command
     * @param keepTrying the daemon: a failed join leaves the node running offline, retrying
     */
    private static AppContext open(CommandSpec spec, StateStore store, boolean readOnly, int port, int port6,
                                   Consumer<StateStore> check, boolean owner, boolean keepTrying) {
        Globals root = Globals.of(spec);
        try {
            store.requireIdentity();
            warn(spec, store);
            check.accept(store);
            // The public DHT's table lives in the database; another bootstrap list is another network.
            RoutingTableStore table = root.defaultBootstrap() ? store.routingTableStore()
                    : RoutingTableStore.file(
                            CommandNode.stateFile(root.stateDir(), root.bootstrap(), false));
            CommandNode node = keepTrying ? CommandNode.keepTrying(spec, table, readOnly, port, port6)
                    : CommandNode.joined(spec, table, readOnly, port, port6);
            return new AppContext(store, node, owner);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public static void warn(CommandSpec spec, StateStore store) {
        for (String w : store.warnings()) {
            spec.commandLine().getErr().println("scout: warning: " + w);
        }
    }

    /** Whether each family's external address (BEP 42 votes) is published in the device entry. */
    public void publishExternal(boolean ipv4, boolean ipv6) {
        this.publishExternal4 = ipv4;
        this.publishExternal6 = ipv6;
    }

    public StateStore store() {
        return store;
    }

    public ScoutApp app() {
        return app;
    }

    public DualStackNode node() {
        return node.node();
    }

    public void progress(String message) {
        node.progress(message);
    }

    /**
     * This device's addresses for its contacts: the external address of each family other DHT nodes
     * report (BEP 42 votes), then the LAN IPv4 and global IPv6 addresses, each with its family's port.
     */
    public static List<InetSocketAddress> reachableAddresses(DualStackNode node) {
        return DeviceAddresses.of(node);
    }

    @Override
    public void close() {
        try {
            node.close();
        } finally {
            store.close();
        }
    }
}
