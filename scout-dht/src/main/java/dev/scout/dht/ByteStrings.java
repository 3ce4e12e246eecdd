package dev.scout.dht;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one bencode form items need without the full codec: a byte string {@code <length>:<bytes>}.
 * Kept here so that the API package does not depend on {@code dev.scout.dht.bencode}, which depends
 * on it for {@link ScoutException}.
 */
final class ByteStrings {
    private ByteStrings() {}

    static byte[] encode(byte[] bytes) {
        byte[] prefix = (bytes.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + bytes.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(bytes, 0, out, prefix.length, bytes.length);
        return out;
    }

    /** The content if {@code bencoded} is exactly one canonical byte string, else empty. */
    static Optional<byte[]> decode(byte[] bencoded) {
        int colon = -1;
        for (int i = 0; i < bencoded.length && i < 11; i++) {
            if (bencoded[i] == ':') {
                colon = i;
                break;
            }
            if (bencoded[i] < '0' || bencoded[i] > '9') {
                return Optional.empty();
            }
        }
        if (colon < 1 || (bencoded[0] == '0' && colon > 1)) {
            return Optional.empty();
        }
        long length = Long.parseLong(new String(bencoded, 0, colon, StandardCharsets.US_ASCII));
        if (length != bencoded.length - colon - 1L) {
            return Optional.empty();
        }
        byte[] out = new byte[(int) length];
        System.arraycopy(bencoded, colon + 1, out, 0, out.length);
        return Optional.of(out);
    }

    static byte[] require(byte[] bencoded) {
        return decode(bencoded).orElseThrow(() -> new ItemException("the value is not a bencoded byte string"));
    }

    static String text(byte[] bencoded) {
        return new String(require(bencoded), StandardCharsets.UTF_8);
    }
}
