package dev.scout.cli.demo;

import dev.scout.cli.common.Globals;
import dev.scout.cli.common.Progress;
import dev.scout.cli.common.Version;

import dev.scout.dht.Addresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code scout testnet}: N DHT nodes on 127.0.0.1:P..P+N-1 until SIGTERM or SIGINT. Prints
 * {@code ready 127.0.0.1:P} once every node has a populated routing table, then exits 0 when stopped.
 *
 * <p>SIGTERM and SIGINT are caught with {@code sun.misc.Signal} (in {@code jdk.unsupported}, present in
 * every OpenJDK) because a shutdown hook alone would leave the JVM's exit status at 143/130; the hook
 * remains as a fallback that still closes every node.
 */
@Command(name = "testnet", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Run N DHT nodes on 127.0.0.1:P..P+N-1 (or --host ADDR, e.g. ::1) until stopped (SIGTERM or Ctrl-C).",
                "Prints \"ready 127.0.0.1:P\" (\"ready [::1]:P\" for ::1) once the network is up; bootstrap from that address."})
public final class TestnetCommand implements Callable<Integer> {
    public static final long STARTUP_TIMEOUT_MILLIS = 60_000;

    @Spec
    public CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "40", description = "Number of nodes (default ${DEFAULT-VALUE}).")
    public int count;

    @Option(names = "--base-port", paramLabel = "P", defaultValue = "6881", description = "First UDP port (default ${DEFAULT-VALUE}).")
    public int basePort;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = Testnet.HOST,
            description = "Address to bind, e.g. ::1 for an IPv6 testnet (default ${DEFAULT-VALUE}).")
    public String host;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 2 || count > 10_000) {
            throw new ParameterException(spec.commandLine(), "--nodes must be 2..10000, got " + count);
        }
        if (basePort < 1 || basePort + count - 1 > 65535) {
            throw new ParameterException(spec.commandLine(), "--base-port must leave room for " + count
                    + " ports in 1..65535, got " + basePort);
        }
        java.net.InetAddress bind;
        try {
            bind = java.net.InetAddress.getByName(host.startsWith("[") && host.endsWith("]")
                    ? host.substring(1, host.length() - 1) : host);
        } catch (java.net.UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--host must be an address, got '" + host + "'");
        }
        Progress progress = Progress.forTerminal(spec.commandLine().getErr(), Globals.of(spec).json());
        CountDownLatch stop = new CountDownLatch(1);
        // Handlers first, so a signal during start-up still ends in a clean shutdown.
        boolean signals = handle("TERM", stop) & handle("INT", stop);
        progress.step("starting " + count + " nodes...");
        Testnet net = Testnet.start(count, basePort, STARTUP_TIMEOUT_MILLIS, bind.getHostAddress());
        Thread hook = new Thread(() -> {
            // Only reached when the JVM is ended some other way (or our signal handlers are missing).
            if (net.closeOnce() && !signals) {
                Runtime.getRuntime().halt(0);
            }
        }, "testnet-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (stop.getCount() == 0) { // stopped while starting: not ready, just gone
            net.closeOnce();
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("ready " + Addresses.format(net.entry()));
        out.flush();
        progress.step("running; Ctrl-C to stop");
        stop.await();
        progress.step("stopping...");
        net.closeOnce();
        return 0;
    }

    /** Routes a signal to {@code stop}; false if the platform does not let us. */
    private static boolean handle(String name, CountDownLatch stop) {
        try {
            Signal.handle(new Signal(name), s -> stop.countDown());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }
}
