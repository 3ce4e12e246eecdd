package dev.scout.sqlite.db;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Owner-only permissions on POSIX file systems; a no-op where POSIX permissions do not exist
 * (there the directory's ACLs are the only protection, as for any per-user file).
 */
public final class Permissions {

    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private Permissions() {}

    public static boolean posix(Path existing) throws IOException {
        FileStore store = Files.getFileStore(existing);
        return store.supportsFileAttributeView(PosixFileAttributeView.class);
    }

    /** Attributes for creating a file or directory with {@code perms} from the start, if supported. */
    public static FileAttribute<?>[] createAttributes(Path parent, Set<PosixFilePermission> perms) throws IOException {
        return posix(parent) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)}
                : new FileAttribute<?>[0];
    }

    /**
     * Removes every group and other permission bit from {@code path} (keeping the owner's) and makes
     * sure the owner has {@code wanted}; adds a warning to {@code warnings} if anything was looser.
     * Permissions only tighter than wanted (e.g. a read-only file) are completed silently. Follows
     * symbolic links: a state directory may be a link to the real one.
     */
    public static void tighten(Path path, Set<PosixFilePermission> wanted, String what, List<String> warnings)
            throws IOException {
        if (!posix(path)) {
            return;
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(path);
        if (current.equals(wanted)) {
            return;
        }
        Set<PosixFilePermission> looser = EnumSet.noneOf(PosixFilePermission.class);
        looser.addAll(current);
        looser.removeAll(wanted);
        Files.setPosixFilePermissions(path, wanted);
        if (!looser.isEmpty()) {
            warnings.add(what + " " + path + " had permissions " + PosixFilePermissions.toString(current)
                    + "; changed them to " + PosixFilePermissions.toString(wanted));
        }
    }
}
