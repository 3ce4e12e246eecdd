package dev.scout.cli;

import dev.scout.cli.demo.Testnet;

import dev.scout.cli.CliTestSupport.Run;
import dev.scout.dht.Addresses;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;

import static dev.scout.cli.CliTestSupport.on;
import static dev.scout.cli.CliTestSupport.succeeded;

/**
 * A loopback {@link Testnet} shared by the tests of one class, and the CLI run in-process against it:
 * started before the first test, closed after the last. Register it as a static field:
 * {@code @RegisterExtension static final LoopbackNetwork NET = LoopbackNetwork.ipv4(24);}
 */
final class LoopbackNetwork implements BeforeAllCallback, AfterAllCallback {
    private final int nodes;
    private final String host;
    private Testnet net;
    private String entry;

    private LoopbackNetwork(int nodes, String host) {
        this.nodes = nodes;
        this.host = host;
    }

    /** {@code nodes} nodes on 127.0.0.1. */
    static LoopbackNetwork ipv4(int nodes) {
        return new LoopbackNetwork(nodes, null);
    }

    /** {@code nodes} nodes on ::1. */
    static LoopbackNetwork ipv6(int nodes) {
        return new LoopbackNetwork(nodes, "::1");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        net = host == null ? Testnet.start(nodes, 0, 60_000) : Testnet.start(nodes, 0, 60_000, host);
        entry = Addresses.format(net.entry());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (net != null) {
            net.close();
        }
    }

    Testnet testnet() {
        return net;
    }

    /** The bootstrap address every command is given ({@code ip:port}, IPv6 in brackets). */
    String entry() {
        return entry;
    }

    /** Runs {@code scout args} with state directory {@code dir}, bootstrapping from this network. */
    Run run(Path dir, String... args) {
        return CliTestSupport.run(on(dir, entry, args));
    }

    /** As {@link #run}, asserting exit 0. */
    Run ok(Path dir, String... args) {
        return succeeded(run(dir, args));
    }
}
