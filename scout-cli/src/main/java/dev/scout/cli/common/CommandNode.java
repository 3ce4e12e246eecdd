package dev.scout.cli.common;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.udp.DualStackNode;
import dev.scout.dht.RoutingTableStore;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A DHT node for one command: binds, joins the network (or not, for {@code ping}), runs operations with
 * a time limit and closes, saving the routing table so the next command starts warm.
 *
 * <p>The node is read-only (BEP 43, {@code ro=1}): it lives for seconds, so other nodes should not put
 * it in their routing tables, where it would only be a dead entry that slows their lookups down.
 *
 * <pre>{@code
 * try (CommandNode dht = CommandNode.joined(spec)) {
 *     List<InetSocketAddress> peers = dht.await(dht.node().getPeers(infoHash), "peer lookup");
 * }
 * }</pre>
 */
public final class CommandNode implements AutoCloseable {
    public static final long BOOTSTRAP_TIMEOUT_SECONDS = 30;
    public static final long OPERATION_TIMEOUT_SECONDS = 120;
    /** Routing-table file for the default (public) bootstrap routers. */
    public static final String ROUTING_FILE = "dht-routing.bencode";

    private final DualStackNode node;
    private final Progress progress;

    private CommandNode(DualStackNode node, Progress progress) {
        this.node = node;
        this.progress = progress;
    }

    /** Starts a node with the global options and waits until it has joined the DHT. */
    public static CommandNode joined(CommandSpec spec) {
        Globals root = Globals.of(spec);
        return joined(spec, RoutingTableStore.file(stateFile(root.stateDir(), root.bootstrap(), root.defaultBootstrap())),
                true, root.port());
    }

    /** The IPv6 routing table's file: each family keeps its own table, id and external address. */
    public static Path stateFile6(Path stateDir, List<String> bootstrap, boolean isDefault) {
        Path v4 = stateFile(stateDir, bootstrap, isDefault);
        return v4.resolveSibling(v4.getFileName().toString().replaceFirst("^dht-routing", "dht-routing6"));
    }

    /**
     * Starts a node with the global options, saving its routing table to {@code tableStore}, and waits
     * until it has joined. One-shot commands run read-only (BEP 43); the daemon does not.
     */
    public static CommandNode joined(CommandSpec spec, RoutingTableStore tableStore, boolean readOnly, int port) {
        return joined(spec, tableStore, readOnly, port, port);
    }

    /** As above with a port per family ({@code port6} for the IPv6 socket; the daemon's remembered ports). */
    public static CommandNode joined(CommandSpec spec, RoutingTableStore tableStore, boolean readOnly, int port, int port6) {
        return start(spec, tableStore, readOnly, port, port6, false);
    }

    /**
     * The daemon's node: as {@link #joined}, but a join that fails is a warning, not the end. The node
     * stays up, offline, and keeps trying with backoff until the network is there (issue 20); the daemon
     * reports it in its status ({@code network.online}).
     */
    public static CommandNode keepTrying(CommandSpec spec, RoutingTableStore tableStore, boolean readOnly, int port, int port6) {
        return start(spec, tableStore, readOnly, port, port6, true);
    }

    private static CommandNode start(CommandSpec spec, RoutingTableStore tableStore, boolean readOnly, int port, int port6,
                                     boolean keepTrying) {
        Globals root = Globals.of(spec);
        List<String> bootstrap = root.bootstrap();
        Progress progress = Progress.forTerminal(spec.commandLine().getErr(), root.json());
        DhtConfig config = DhtConfig.builder()
                .bootstrap(bootstrap)
                .stateStore(tableStore)
                .readOnly(readOnly)
                .build();
        RoutingTableStore table6 = RoutingTableStore.file(stateFile6(root.stateDir(), bootstrap, root.defaultBootstrap()));
        CommandNode session = new CommandNode(open(BindPlan.forBootstrap(bootstrap, port, port6), config, table6), progress);
        try {
            progress.step("bootstrapping...");
            session.node.bootstrapped().get(BOOTSTRAP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            String why = session.node.lastSendFailure().map(f -> ": " + f.describe()).orElse("");
            if (keepTrying) {
                spec.commandLine().getErr().println("scout: warning: could not reach the DHT yet (bootstrap: "
                        + String.join(", ", bootstrap) + ")" + why + "; the daemon keeps trying");
                return session;
            }
            session.close();
            throw new CliException("could not reach the DHT (bootstrap: " + String.join(", ", bootstrap) + ")" + why, e);
        } catch (InterruptedException e) {
            session.close();
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /** A node that does not join the network (no bootstrap, no saved state): enough to ping one address. */
    public static CommandNode standalone(CommandSpec spec, InetSocketAddress peer) {
        Globals root = Globals.of(spec);
        DhtConfig config = DhtConfig.builder()
                .bootstrap(List.of())
                .readOnly(true)
                .build();
        return new CommandNode(open(BindPlan.forPeer(peer, root.port()), config, null),
                Progress.forTerminal(spec.commandLine().getErr(), root.json()));
    }

    /**
     * Starts the planned sockets. A host without one family (IPv6 disabled, say) runs on the other: a
     * dual plan falls back to whichever family binds.
     */
    private static DualStackNode open(BindPlan plan, DhtConfig config, RoutingTableStore table6) {
        try {
            return start(plan, config, table6);
        } catch (IOException | RuntimeException e) {
            if (plan.dual()) {
                for (BindPlan single : List.of(plan.onlyIpv4(), plan.onlyIpv6())) {
                    try {
                        return start(single, config, table6);
                    } catch (IOException | RuntimeException ignored) {
                        // try the other family
                    }
                }
            }
            int port = (plan.ipv4() != null ? plan.ipv4() : plan.ipv6()).getPort();
            throw new CliException("cannot open UDP port " + port + ": " + ErrorHandler.message(e), e);
        }
    }

    private static DualStackNode start(BindPlan plan, DhtConfig config, RoutingTableStore table6) throws IOException {
        DhtConfig v4 = plan.ipv4() == null ? null : config.toBuilder().bindAddress(plan.ipv4()).build();
        DhtConfig v6 = plan.ipv6() == null ? null : config.toBuilder().bindAddress(plan.ipv6())
                .stateStore(config.stateStore() == null ? null : table6).build();
        return DualStackNode.start(v4, v6);
    }

    public DualStackNode node() {
        return node;
    }

    public void progress(String message) {
        progress.step(message);
    }

    /** Waits for {@code future}; failures come back as the exception that caused them. */
    public <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = ErrorHandler.unwrap(e);
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new CliException(ErrorHandler.message(cause), cause);
        } catch (TimeoutException e) {
            throw new CliException(what + " timed out after " + OPERATION_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    @Override
    public void close() {
        node.close();
    }

    /**
     * {@code <state-dir>/dht-routing.bencode} for the public DHT. Another bootstrap list is another
     * network, so it gets its own file ({@code dht-routing-<hash>.bencode}): a saved table of one network
     * must never pull a command into the other.
     */
    public static Path stateFile(Path stateDir, List<String> bootstrap, boolean isDefault) {
        ensureDirectory(stateDir);
        if (isDefault) {
            return stateDir.resolve(ROUTING_FILE);
        }
        byte[] h = sha1(String.join(",", bootstrap.stream().sorted().toList()).getBytes(StandardCharsets.UTF_8));
        return stateDir.resolve("dht-routing-" + HexFormat.of().formatHex(h, 0, 4) + ".bencode");
    }

    /** Creates the state directory (mode 0700 where POSIX permissions exist) if it is missing. */
    public static void ensureDirectory(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            if (dir.getParent() != null) {
                Files.createDirectories(dir.getParent());
            }
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new CliException("state directory " + dir + " exists but is not a directory");
            }
        } catch (IOException e) {
            throw new CliException("cannot create state directory " + dir + ": " + ErrorHandler.message(e), e);
        }
    }

    public static boolean allLoopback(List<String> bootstrap) {
        return !bootstrap.isEmpty() && bootstrap.stream().allMatch(Args::isLoopback)
                && bootstrap.stream().noneMatch(s -> s.startsWith("["));
    }

    private static byte[] sha1(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-1").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the JDK", e);
        }
    }
}
