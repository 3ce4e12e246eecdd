package dev.scout.cli;

import dev.scout.cli.app.ContactsCommand;
import dev.scout.cli.app.IdCommand;
import dev.scout.cli.app.InboxCommand;
import dev.scout.cli.app.MessagesCommand;
import dev.scout.cli.app.InitCommand;
import dev.scout.cli.app.PipeCommand;
import dev.scout.cli.app.SendCommand;
import dev.scout.cli.app.SyncCommand;
import dev.scout.cli.common.Args;
import dev.scout.cli.common.ErrorHandler;
import dev.scout.cli.common.Globals;
import dev.scout.cli.common.PortOption;
import dev.scout.cli.common.Version;
import dev.scout.cli.daemon.DaemonCommand;
import dev.scout.cli.daemon.StatusCommand;
import dev.scout.cli.daemon.StopCommand;
import dev.scout.cli.demo.DemoCommand;
import dev.scout.cli.demo.TestnetCommand;
import dev.scout.cli.dht.DhtCommand;

import dev.scout.dht.DhtConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code scout} command: the picocli root. Holds the global options, which may be given before or
 * after any subcommand: {@code --state-dir}, {@code --bootstrap} and {@code --json} are inherited
 * ({@code scope = INHERIT}: picocli binds every copy to the fields of this object); {@code --port} is
 * mixed into the subcommands with {@link PortOption}, except {@code dht announce}, whose own
 * {@code --port} is the port to announce.
 *
 * <pre>{@code
 * int exit = ScoutCommand.newCommandLine().execute("--json", "dht", "ping", "127.0.0.1:6881");
 * }</pre>
 */
@Command(name = "scout",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Reach people by public key over the BitTorrent Mainline DHT.",
        subcommands = {InitCommand.class, IdCommand.class, ContactsCommand.class, SyncCommand.class, SendCommand.class,
                InboxCommand.class, MessagesCommand.class, DaemonCommand.class, PipeCommand.class, StatusCommand.class, StopCommand.class, DemoCommand.class, DhtCommand.class,
                TestnetCommand.class, CompletionCommand.class})
public final class ScoutCommand implements Callable<Integer>, Globals {
    @Spec
    CommandSpec spec;

    @Option(names = "--state-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Where Scout keeps its state (default: $SCOUT_HOME or ~/.scout).")
    Path stateDir;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,HOST:PORT...]", scope = ScopeType.INHERIT,
            description = "DHT nodes to join through (default: the public Mainline routers).")
    String bootstrap;

    /** Also settable after a subcommand through {@link PortOption} (not inherited: {@code dht announce --port} differs). */
    @Option(names = "--port", paramLabel = "N",
            description = "UDP port of the DHT node (default 0 = any free port).")
    Integer port;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print one JSON object per result on stdout.")
    boolean json;

    /** Environment, injectable for tests. */
    private final Map<String, String> env;

    public ScoutCommand() {
        this(System.getenv());
    }

    public ScoutCommand(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        configureLogging(System.getenv());
        CommandLine cl = newCommandLine();
        // Values are UTF-8 text (docs/spec.md §5), whatever the platform charset says.
        cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        System.exit(cl.execute(args));
    }

    /** A fully configured command line (error handlers, no stack traces) ready to {@code execute}. */
    public static CommandLine newCommandLine() {
        return newCommandLine(new ScoutCommand());
    }

    public static CommandLine newCommandLine(ScoutCommand root) {
        CommandLine cl = new CommandLine(root);
        ErrorHandler handler = new ErrorHandler(root.debug());
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // Global options are checked before any command runs, even one that never opens a socket, so a
        // typo like `--port 99999` or `--bootstrap host:xx` is a usage error at once, not ignored.
        cl.setExecutionStrategy(parseResult -> {
            root.checkGlobalOptions();
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cl;
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** {@code SCOUT_DEBUG=1}: print stack traces and DHT logs. */
    @Override
    public boolean debug() {
        String v = env.get("SCOUT_DEBUG");
        return v != null && !v.isEmpty() && !v.equals("0");
    }

    @Override
    public boolean json() {
        return json;
    }

    /** Validates {@code --port} and {@code --bootstrap} (syntax only: names are resolved later). */
    void checkGlobalOptions() {
        port();
        if (bootstrap != null) {
            bootstrap();
        }
    }

    @Override
    public int port() {
        int p = port == null ? 0 : port;
        if (p < 0 || p > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535, got " + p);
        }
        return p;
    }

    /** Whether --port was given (before or after the subcommand). */
    @Override
    public void portAfterCommand(Integer port) {
        this.port = port;
    }

    @Override
    public boolean portGiven() {
        return port != null;
    }

    @Override
    public Path stateDir() {
        if (stateDir != null) {
            return stateDir;
        }
        String home = env.get("SCOUT_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".scout");
    }

    /** The bootstrap list: {@code --bootstrap} split on commas, or the public routers. */
    @Override
    public List<String> bootstrap() {
        if (bootstrap == null) {
            return DhtConfig.DEFAULT_BOOTSTRAP;
        }
        List<String> list = Args.hostPorts(spec.commandLine(), "--bootstrap", bootstrap);
        if (list.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bootstrap needs at least one HOST:PORT");
        }
        return list;
    }

    @Override
    public boolean defaultBootstrap() {
        return bootstrap == null;
    }

    /** SLF4J simple: warnings only, unless SCOUT_DEBUG asks for everything. Must run before any logger exists. */
    static void configureLogging(Map<String, String> env) {
        String debug = env.get("SCOUT_DEBUG");
        boolean on = debug != null && !debug.isEmpty() && !debug.equals("0");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", on ? "debug" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", on ? "true" : "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
