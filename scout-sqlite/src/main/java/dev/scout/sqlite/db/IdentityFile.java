package dev.scout.sqlite.db;

import dev.scout.sqlite.error.KeyFileException;
import dev.scout.sqlite.error.NoIdentityException;
import dev.scout.dht.Ed25519KeyPair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * {@code identity.key}: the 32-byte seed as 64 lower-case hex digits and a newline, mode 0600.
 * Never logs or quotes the seed, not even in error messages about a malformed file.
 */
public final class IdentityFile {

    public static final String NAME = "identity.key";

    private static final int HEX_CHARS = Ed25519KeyPair.SEED_BYTES * 2;
    /** Anything larger is certainly not a key file; do not read it. */
    private static final int MAX_FILE_BYTES = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private IdentityFile() {}

    /** Whether the file exists (it may still be malformed). */
    public static boolean exists(Path file) {
        return Files.exists(file);
    }

    /**
     * Reads the identity.
     *
     * @throws NoIdentityException if the file does not exist
     * @throws KeyFileException if it is unreadable or not 64 hex digits
     */
    public static Ed25519KeyPair read(Path file) {
        byte[] raw;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new KeyFileException(file + " is not a valid identity key file: it is "
                        + Files.size(file) + " bytes long, expected 64 hex digits and a newline");
            }
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoIdentityException("no identity in " + file.getParent() + "; run `scout init` first");
        } catch (IOException e) {
            throw new KeyFileException("cannot read " + file + ": " + oneLine(e), e);
        }
        try {
            int end = raw.length;
            while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r' || raw[end - 1] == ' '
                    || raw[end - 1] == '\t')) {
                end--;
            }
            if (end != HEX_CHARS) {
                throw new KeyFileException(file + " is not a valid identity key file: expected " + HEX_CHARS
                        + " hex digits, found " + end + " characters");
            }
            for (int i = 0; i < end; i++) {
                if (!isHexDigit(raw[i])) {
                    throw new KeyFileException(file + " is not a valid identity key file: character "
                            + (i + 1) + " is not a hex digit");
                }
            }
            byte[] seed = HexFormat.of().parseHex(new String(raw, 0, end, StandardCharsets.US_ASCII));
            try {
                return Ed25519KeyPair.ofSeed(seed);
            } finally {
                Arrays.fill(seed, (byte) 0);
            }
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Writes {@code seed} atomically: a temporary file created with mode 0600 from the start,
     * written, fsynced, then renamed over {@code file} (and the directory fsynced).
     *
     * @param replace whether an existing file may be replaced; if not, an existing file makes this
     *     throw {@link FileAlreadyExistsException} (checked atomically where the file system can link)
     */
    public static void write(Path file, byte[] seed, boolean replace) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(NAME + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        byte[] text = (HexFormat.of().formatHex(seed) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            Files.createFile(tmp, Permissions.createAttributes(dir, Permissions.FILE));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(text);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            if (replace) {
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                try {
                    // link(2) fails if the name exists: no window in which a concurrent init is overwritten.
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException e) {
                    throw e;
                } catch (UnsupportedOperationException | FileSystemException e) {
                    Files.move(tmp, file);
                }
            }
            syncDirectory(dir);
        } finally {
            Arrays.fill(text, (byte) 0);
            Files.deleteIfExists(tmp);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every platform can open or sync a directory; the rename itself is still atomic.
        }
    }

    private static boolean isHexDigit(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    public static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}
