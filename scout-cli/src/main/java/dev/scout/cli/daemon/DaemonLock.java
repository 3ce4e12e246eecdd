package dev.scout.cli.daemon;

import dev.scout.cli.common.CliException;
import dev.scout.cli.common.ErrorHandler;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The one-owner guarantee: a daemon holds an exclusive lock on {@code daemon.lock} in the state directory
 * for as long as it runs. The operating system releases it when the process dies, however it dies, so
 * a crashed daemon never blocks the next one, and two daemons started at the same instant cannot both
 * win (a check of {@code daemon.json} alone could not promise that).
 */
public final class DaemonLock implements AutoCloseable {
    public static final String NAME = "daemon.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DaemonLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty if another process (or this one) holds it. */
    public static Optional<DaemonLock> tryAcquire(Path stateDir) {
        Path file = stateDir.resolve(NAME);
        FileChannel ch;
        try {
            ch = stateDir.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new CliException("cannot open " + file + ": " + ErrorHandler.message(e), e);
        }
        try {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return Optional.of(new DaemonLock(ch, lock));
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM already
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CliException("cannot lock " + file + ": " + ErrorHandler.message(e), e);
        }
        closeQuietly(ch);
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
