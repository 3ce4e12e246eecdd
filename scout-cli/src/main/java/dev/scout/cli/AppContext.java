package dev.scout.cli;

import dev.scout.cli.app.ScoutApp;
import dev.scout.cli.state.StateStore;
import dev.scout.dht.DualStackNode;
import dev.scout.dht.routing.RoutingTableStore;
import picocli.CommandLine.Model.CommandSpec;

import java.net.InetSocketAddress;
import java.util.List;
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

    private AppContext(StateStore store, CommandNode node) {
        this.store = store;
        this.node = node;
        this.app = new ScoutApp(store, node.node(), () -> reachableAddresses(node.node()));
    }

    /** Opens the store (the identity must exist) and joins the DHT. */
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
        StateStore store = StateStore.open(root.stateDir());
        try {
            store.requireIdentity();
            warn(spec, store);
            check.accept(store);
            // The public DHT's table lives in the database; another bootstrap list is another network.
            RoutingTableStore table = root.defaultBootstrap() ? store.routingTableStore()
                    : dev.scout.dht.routing.RoutingTableFile.store(
                            CommandNode.stateFile(root.stateDir(), root.bootstrap(), false));
            return new AppContext(store, CommandNode.joined(spec, table, readOnly));
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

    StateStore store() {
        return store;
    }

    ScoutApp app() {
        return app;
    }

    DualStackNode node() {
        return node.node();
    }

    void progress(String message) {
        node.progress(message);
    }

    /**
     * This device's addresses for its contacts: the external address of each family other DHT nodes
     * report (BEP 42 votes), then the LAN IPv4 and global IPv6 addresses, each with its family's port.
     */
    static List<InetSocketAddress> reachableAddresses(DualStackNode node) {
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
