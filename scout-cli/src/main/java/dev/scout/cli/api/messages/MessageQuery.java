package dev.scout.cli.api.messages;

import dev.scout.cli.api.ApiException;
import dev.scout.cli.api.ApiRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The query of {@code GET /v1/messages}, validated: {@code contact}, {@code unread} ({@code true} or
 * {@code false}), {@code direction} ({@code received} or {@code sent}), {@code limit} (1 to
 * {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) and {@code after} (a cursor from a previous
 * page's {@code next}). Any other value is a 400 naming the parameter, never silently ignored.
 *
 * <p>A cursor is opaque to clients: base64url of the direction's letter and the last listed message's
 * local sequence number, so a page goes on after the last message shown even when newer ones arrived.
 */
record MessageQuery(String contact, boolean unread, boolean sent, int limit, long afterSeq) {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    private static final Set<String> KNOWN = Set.of("contact", "unread", "direction", "limit", "after");

    static MessageQuery parse(ApiRequest r) {
        for (String name : r.queryNames()) {
            if (!KNOWN.contains(name)) {
                throw ApiException.badRequest("bad_query", "unknown query parameter \"" + name + "\" (known: "
                        + String.join(", ", KNOWN.stream().sorted().toList()) + ")");
            }
        }
        boolean unread = bool(r.query("unread"), "unread");
        String direction = r.query("direction");
        if (direction != null && !direction.equals("received") && !direction.equals("sent")) {
            throw ApiException.badRequest("bad_query", "\"direction\" must be received or sent");
        }
        boolean sent = "sent".equals(direction);
        if (sent && unread) {
            throw ApiException.badRequest("bad_query", "\"unread\" applies to received messages only");
        }
        int limit = DEFAULT_LIMIT;
        String l = r.query("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiException.badRequest("bad_query", "\"limit\" must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        String after = r.query("after");
        long afterSeq = after == null ? 0 : decode(after, sent);
        String contact = r.query("contact");
        if (contact != null && contact.isEmpty()) {
            throw ApiException.badRequest("bad_query", "\"contact\" must be a contact's name");
        }
        return new MessageQuery(contact, unread, sent, limit, afterSeq);
    }

    private static boolean bool(String v, String name) {
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("bad_query", "\"" + name + "\" must be true or false");
    }

    /** The cursor that continues after the message with local sequence number {@code seq}. */
    static String cursor(boolean sent, long seq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(((sent ? "s" : "r") + seq).getBytes(StandardCharsets.US_ASCII));
    }

    private static long decode(String cursor, boolean sent) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (s.length() > 1 && s.charAt(0) == (sent ? 's' : 'r')) {
                long seq = Long.parseLong(s.substring(1));
                if (seq > 0) {
                    return seq;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal (NumberFormatException is one)
        }
        throw ApiException.badRequest("bad_cursor", "\"after\" is not a cursor this API gave for this direction");
    }
}
