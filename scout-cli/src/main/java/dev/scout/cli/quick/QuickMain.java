package dev.scout.cli.quick;

import dev.scout.cli.ScoutCommand;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code scout} entry point. The common commands that a running daemon answers (status, id,
 * contacts list/show, send, sync, pipe) take a quick path: no picocli model, no Jackson, which are
 * most of a short command's time. Everything else, and these commands without a daemon, run the full
 * command line ({@link ScoutCommand#main}) exactly as before.
 */
public final class QuickMain {
    private QuickMain() {}

    /**
     * Runs {@code scout}.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // Values are UTF-8 text (docs/spec.md §5), whatever the platform charset says.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        OptionalInt exit = tryRun(args, System.getenv(), out, err, new FileInputStream(FileDescriptor.in),
                new FileOutputStream(FileDescriptor.out));
        if (exit.isEmpty()) {
            ScoutCommand.main(args);
        } else {
            System.exit(exit.getAsInt());
        }
    }

    /**
     * Runs {@code args} on the quick path if it can take them ({@code scout pipe} with nothing to send and
     * its bytes received dropped).
     *
     * @return the exit code, or empty (nothing done, nothing printed) when the full command line must run them
     */
    public static OptionalInt tryRun(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return tryRun(args, env, out, err, InputStream.nullInputStream(), OutputStream.nullOutputStream());
    }

    /**
     * Runs {@code args} on the quick path if it can take them, {@code scout pipe} with these byte streams.
     *
     * @param stdin  what {@code pipe} sends
     * @param stdout where {@code pipe} writes what it receives
     * @return the exit code, or empty (nothing done, nothing printed) when the full command line must run them
     */
    public static OptionalInt tryRun(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err,
            InputStream stdin, OutputStream stdout) {
        String debug = env.get("SCOUT_DEBUG");
        if (debug != null && !debug.isEmpty() && !debug.equals("0")) {
            return OptionalInt.empty(); // stack traces and logs: the full command line's business
        }
        Optional<QuickArgs> quick;
        try {
            quick = QuickArgs.parse(args, env);
            if (quick.isPresent() && !QuickCommands.accepts(quick.get())) {
                return OptionalInt.empty();
            }
        } catch (RuntimeException e) {
            return OptionalInt.empty(); // e.g. an invalid path: the full command line words the error
        }
        if (quick.isEmpty()) {
            return OptionalInt.empty();
        }
        Optional<DaemonEndpoint> daemon = DaemonEndpoint.find(quick.get().stateDir());
        if (daemon.isEmpty()) {
            return OptionalInt.empty(); // no daemon: the command runs its own node
        }
        return OptionalInt.of(new QuickCommands(quick.get(), daemon.get(), out, err, stdin, stdout).run());
    }
}
