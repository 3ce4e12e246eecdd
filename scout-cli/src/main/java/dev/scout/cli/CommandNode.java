package dev.scout.cli;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.udp.DhtNode;
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
final class CommandNode implements AutoCloseable {
    static final long BOOTSTRAP_TIMEOUT_SECONDS = 30;
    static final long OPERATION_TIMEOUT_SECONDS = 120;
    /** Routing-table file for the default (public) bootstrap routers. */
    static final String ROUTING_FILE = "dht-routing.bencode";

    private final DhtNode node;
    private final Progress progress;

    private CommandNode(DhtNode node, Progress progress) {
        this.node = node;
        this.progress = progress;
    }

    /** Starts a node with the global options and waits until it has joined the DHT. */
    static CommandNode joined(CommandSpec spec) {
        ScoutCommand root = ScoutCommand.of(spec);
        return joined(spec, RoutingTableStore.file(stateFile(root.stateDir(), root.bootstrap(), root.defaultBootstrap())),
                true, root.port());
    }

    /**
     * Starts a node with the global options, saving its routing table to {@code tableStore}, and waits
     * until it has joined. One-shot commands run read-only (BEP 43); the daemon does not.
     */
    static CommandNode joined(CommandSpec spec, RoutingTableStore tableStore, boolean readOnly, int port) {
        ScoutCommand root = ScoutCommand.of(spec);
        List<String> bootstrap = root.bootstrap();
        Progress progress = Progress.forTerminal(spec.commandLine().getErr(), root.json());
        DhtConfig config = DhtConfig.builder()
                .bindAddress(new InetSocketAddress(allLoopback(bootstrap) ? "127.0.0.1" : "0.0.0.0", port))
                .bootstrap(bootstrap)
                .stateStore(tableStore)
                .readOnly(readOnly)
                .build();
        CommandNode session = new CommandNode(open(config), progress);
        try {
            progress.step("bootstrapping...");
            session.node.bootstrapped().get(BOOTSTRAP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            session.close();
            throw new CliException("could not reach the DHT (bootstrap: " + String.join(", ", bootstrap) + ")", e);
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
    static CommandNode standalone(CommandSpec spec, InetSocketAddress peer) {
        ScoutCommand root = ScoutCommand.of(spec);
        boolean loopback = peer.getAddress() != null && peer.getAddress().isLoopbackAddress()
                && peer.getAddress().getAddress().length == 4;
        DhtConfig config = DhtConfig.builder()
                .bindAddress(new InetSocketAddress(loopback ? "127.0.0.1" : "0.0.0.0", root.port()))
                .bootstrap(List.of())
                .readOnly(true)
                .build();
        return new CommandNode(open(config), Progress.forTerminal(spec.commandLine().getErr(), root.json()));
    }

    private static DhtNode open(DhtConfig config) {
        try {
            return DhtNode.start(config);
        } catch (IOException e) {
            throw new CliException("cannot open UDP port " + config.bindAddress().getPort() + ": "
                    + ErrorHandler.message(e), e);
        }
    }

    DhtNode node() {
        return node;
    }

    void progress(String message) {
        progress.step(message);
    }

    /** Waits for {@code future}; failures come back as the exception that caused them. */
    <T> T await(CompletableFuture<T> future, String what) {
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
    static Path stateFile(Path stateDir, List<String> bootstrap, boolean isDefault) {
        ensureDirectory(stateDir);
        if (isDefault) {
            return stateDir.resolve(ROUTING_FILE);
        }
        byte[] h = sha1(String.join(",", bootstrap.stream().sorted().toList()).getBytes(StandardCharsets.UTF_8));
        return stateDir.resolve("dht-routing-" + HexFormat.of().formatHex(h, 0, 4) + ".bencode");
    }

    /** Creates the state directory (mode 0700 where POSIX permissions exist) if it is missing. */
    static void ensureDirectory(Path dir) {
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

    static boolean allLoopback(List<String> bootstrap) {
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
