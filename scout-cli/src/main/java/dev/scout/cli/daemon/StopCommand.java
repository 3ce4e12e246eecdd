package dev.scout.cli.daemon;

import dev.scout.cli.api.Jackson;
import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.CliException;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.DaemonFile;
import dev.scout.cli.common.ErrorHandler;
import dev.scout.cli.common.Globals;
import dev.scout.cli.common.Version;

import picocli.CommandLine.Command;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code scout stop}: stops this state directory's daemon and waits until it has exited. */
@Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Stop the daemon of this state directory (like SIGTERM) and wait until it has exited.",
                "JSON: {\"stopped\": true, \"pid\": n}"})
public final class StopCommand extends BaseCommand {
    public static final long WAIT_SECONDS = 60;

    @Override
    public Integer call() {
        Path dir = Globals.of(spec).stateDir();
        Optional<DaemonFile> file = DaemonFile.read(dir).filter(DaemonFile::processAlive);
        if (file.isEmpty()) {
            throw new CliException("no daemon is running for " + dir);
        }
        long pid = file.get().pid();
        Optional<DaemonClient> client = DaemonClient.find(dir);
        if (client.isPresent()) {
            client.get().post("/v1/stop", dev.scout.cli.api.Jackson.object());
        } else {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: it answers no more, but runs
        }
        waitForExit(pid, dir);
        emit(dev.scout.cli.api.Jackson.object().put("stopped", true).put("pid", pid), "daemon " + pid + " stopped");
        return 0;
    }

    /** Waits until the daemon has removed daemon.json (an in-process daemon) and its process, if another, has exited. */
    private static void waitForExit(long pid, Path dir) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(p -> p.pid() != ProcessHandle.current().pid());
        try {
            if (process.isPresent()) {
                process.get().onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            while (DaemonFile.read(dir).filter(f -> f.pid() == pid).isPresent()) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException();
                }
                Thread.sleep(20); // an in-process daemon (tests): nothing to wait on but its file
            }
        } catch (TimeoutException e) {
            throw new CliException("the daemon (pid " + pid + ") did not stop within " + WAIT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new CliException("waiting for the daemon failed: " + ErrorHandler.message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
