package dev.scout.cli.http;

import com.sun.net.httpserver.Headers;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/** A request's first line and headers, parsed from the bytes before the blank line. */
record RequestHead(String method, URI uri, String protocol, Headers headers) {
    /** Longest head accepted (request line and headers); a longer one is refused with 431. */
    static final int MAX_BYTES = 16 * 1024;
    /** Most header lines accepted. */
    static final int MAX_HEADERS = 100;

    /**
     * Parses a head (without its final blank line).
     *
     * @throws IllegalArgumentException if it is not an HTTP/1.x request head
     */
    static RequestHead parse(byte[] bytes, int length) {
        // ISO-8859-1 maps every byte to one char, so a hostile head cannot make decoding fail.
        String[] lines = new String(bytes, 0, length, StandardCharsets.ISO_8859_1).split("\r\n", -1);
        String[] first = lines[0].split(" ", -1);
        if (first.length != 3 || first[0].isEmpty() || !first[2].startsWith("HTTP/1.")) {
            throw new IllegalArgumentException("malformed request line");
        }
        if (lines.length - 1 > MAX_HEADERS) {
            throw new IllegalArgumentException("too many header lines");
        }
        Headers headers = new Headers();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed header line");
            }
            headers.add(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip());
        }
        try {
            return new RequestHead(first[0], new URI(first[1]), first[2], headers);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed request target");
        }
    }

    /** Where the head ends (the index just past "\r\n\r\n") in {@code buf[0..length)}, or -1. */
    static int end(byte[] buf, int from, int length) {
        for (int i = Math.max(3, from); i < length; i++) {
            if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }
}
