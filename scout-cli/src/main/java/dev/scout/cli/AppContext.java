package dev.scout.cli;

import dev.scout.app.ScoutApp;
import dev.scout.cli.state.StateStore;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.RoutingTableStore;
import picocli.CommandLine.Model.CommandSpec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plumbing shared by the commands that act as this identity ({@code sync}, {@code send}, {@code inbox},
 * {@code daemon}): the state store, a joined DHT node whose routing table lives in the store, and the
 * {@link ScoutApp} on top. Closing closes all three, node first.
 */
final class AppContext implements AutoCloseable {
    private final StateStore store;
    private final CommandNode node;
    private final ScoutApp app;
    /** False behind a symmetric NAT: its external port differs per destination, so publishing it misleads. */
    private volatile boolean publishExternal = true;

    /** Setting: the UDP port the daemon last ran on (given with --port or bound), the device's published port. */
    static final String SETTING_DAEMON_PORT = "daemon.port";

    private AppContext(StateStore store, CommandNode node, boolean owner) {
        this.store = store;
        this.node = node;
        OptionalInt daemonPort = owner ? OptionalInt.empty() : daemonPort(store);
        int port = daemonPort.orElse(node.node().localAddress().getPort());
        ScoutApp base = new ScoutApp(store, node.node(), () -> reachableAddresses(node.node(), port, publishExternal));
        // A short-lived node never replaces the address a daemon published (its port dies with it).
        this.app = daemonPort.isPresent() ? base.keepingPublishedDevice() : base;
    }

    /** The daemon port remembered in the store, if a daemon ever ran for it. */
    static OptionalInt daemonPort(StateStore store) {
        try {
            return store.setting(SETTING_DAEMON_PORT).map(Integer::parseInt).filter(p -> p > 0 && p <= 65535)
                    .map(OptionalInt::of).orElse(OptionalInt.empty());
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Opens the store (the identity must exist) and joins the DHT as a short-lived, read-only node. */
    static AppContext open(CommandSpec spec, boolean readOnly) {
        return open(spec, readOnly, store -> { });
    }

    /**
     * Opens the store (the identity must exist), runs {@code check} on it, then joins the DHT. The check
     * (e.g. that a named contact exists) fails before the network is involved, so a mistake in the
     * command is reported as such at once, not after a bootstrap that may take up to 30 s or fail.
     */
    static AppContext open(CommandSpec spec, boolean readOnly, Consumer<StateStore> check) {
        ScoutCommand root = ScoutCommand.of(spec);
        return open(spec, StateStore.open(root.stateDir()), readOnly, root.port(), check);
    }

    /**
     * The daemon's context on an open store: a regular (not read-only) node on {@code port}, owning the
     * device's published address.
     */
    static AppContext openOwner(CommandSpec spec, StateStore store, int port) {
        return open(spec, store, false, port, s -> { });
    }

    private static AppContext open(CommandSpec spec, StateStore store, boolean readOnly, int port,
                                   Consumer<StateStore> check) {
        ScoutCommand root = ScoutCommand.of(spec);
        try {
            store.requireIdentity();
            warn(spec, store);
            check.accept(store);
            // The public DHT's table lives in the database; another bootstrap list is another network.
            RoutingTableStore table = root.defaultBootstrap() ? store.routingTableStore()
                    : RoutingTableStore.file(
                            CommandNode.stateFile(root.stateDir(), root.bootstrap(), false));
            return new AppContext(store, CommandNode.joined(spec, table, readOnly, port), !readOnly);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    static void warn(CommandSpec spec, StateStore store) {
        for (String w : store.warnings()) {
            spec.commandLine().getErr().println("scout: warning: " + w);
        }
    }

    /** Whether the external address (BEP 42 votes) is published in the device entry. */
    void publishExternal(boolean publish) {
        this.publishExternal = publish;
    }

    StateStore store() {
        return store;
    }

    ScoutApp app() {
        return app;
    }

    DhtNode node() {
        return node.node();
    }

    void progress(String message) {
        node.progress(message);
    }

    /**
     * This device's addresses for its contacts: the external address other DHT nodes report (BEP 42
     * votes), then the LAN IPv4 addresses, all with {@code port} (the daemon's).
     */
    static List<InetSocketAddress> reachableAddresses(DhtNode node, int port) {
        return reachableAddresses(node, port, true);
    }

    /** As above; without the external address when {@code withExternal} is false (a symmetric NAT). */
    static List<InetSocketAddress> reachableAddresses(DhtNode node, int port, boolean withExternal) {
        List<InetSocketAddress> out = new ArrayList<>();
        if (withExternal) {
            try {
                Optional<InetSocketAddress> external = node.externalAddress().get(5, TimeUnit.SECONDS);
                external.ifPresent(a -> out.add(new InetSocketAddress(a.getAddress(), port)));
            } catch (Exception e) {
                // unknown yet: the LAN addresses still help on the same network
            }
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    InetSocketAddress sa = new InetSocketAddress(a, port);
                    if (a instanceof Inet4Address && !out.contains(sa)) {
                        out.add(sa);
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to list
        }
        return out;
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
