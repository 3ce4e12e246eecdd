package dev.scout.cli.app;

import dev.scout.cli.client.LocalApi;
import dev.scout.cli.client.SessionPipe;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.Globals;
import dev.scout.cli.common.Version;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;

/**
 * {@code scout pipe NAME}: a direct session with a contact through the running daemon (docs/spec.md §7) —
 * stdin goes to NAME, NAME's bytes come out on stdout; it ends when both directions have ended. Both
 * people run it; whoever comes second takes the session the first one opened. With a daemon running it
 * normally takes the quick path ({@link SessionPipe} without picocli); this is the way for the rest.
 */
@Command(name = "pipe", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Open a direct, encrypted session with a contact through the running daemon: stdin to NAME, "
                + "NAME's bytes to stdout, until both ends reach end of file.",
                "Both run it: `scout pipe bob < file` here, `scout pipe alice > copy` there. Needs `scout daemon`."})
public final class PipeCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The contact.")
    public String name;

    @Option(names = "--device", paramLabel = "DEVICE", description = "Only this device of the contact (its device name, "
            + "as `scout sync NAME` lists it), when several daemons share the contact's identity. Default: the one "
            + "that reached us last.")
    public String device;

    @Override
    public Integer call() {
        DaemonClient daemon = daemon().orElseThrow(() -> new CliException("scout pipe goes through the daemon, and none "
                + "is running for " + Globals.of(spec).stateDir() + ": start it with `scout daemon`"));
        new SessionPipe(new LocalApi(daemon.file().url(), daemon.file().token()), spec.commandLine().getErr())
                .run(name, device, new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
        return 0;
    }
}
