package dev.scout.cli.api;

import dev.scout.sqlite.error.ContactConflictException;
import dev.scout.sqlite.error.InvalidContactNameException;
import dev.scout.sqlite.error.NoIdentityException;
import dev.scout.sqlite.error.UnknownContactException;
import dev.scout.sqlite.error.UnknownMessageException;
import dev.scout.dht.DhtException;
import dev.scout.dht.KeyFormatException;
import dev.scout.dht.LimitExceededException;
import dev.scout.dht.LowOrderKeyException;

import java.util.List;
import java.util.Map;

/**
 * The stable {@code code} of every error answer (docs/api.md, "Errors"): a specific one where the API
 * knows the cause, else one per HTTP status. Clients branch on the code, never on the message.
 */
final class ErrorCodes {
    private ErrorCodes() {
    }

    /** The code for a status when nothing more specific is known. */
    static String forStatus(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 410 -> "gone";
            case 413 -> "body_too_large";
            case 507 -> "storage_full";
            case 502 -> "dht_failed";
            case 503 -> "unavailable";
            case 504 -> "gateway_timeout";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }

    /** The specific codes, by exception class (the first that matches wins). */
    private static final List<Map.Entry<Class<? extends RuntimeException>, String>> BY_EXCEPTION = List.of(
            Map.entry(UnknownContactException.class, "unknown_contact"),
            Map.entry(UnknownMessageException.class, "unknown_message"),
            Map.entry(ContactConflictException.class, "contact_conflict"),
            Map.entry(NoIdentityException.class, "no_identity"),
            Map.entry(InvalidContactNameException.class, "invalid_name"),
            Map.entry(KeyFormatException.class, "invalid_key"),
            Map.entry(LowOrderKeyException.class, "low_order_key"),
            Map.entry(LimitExceededException.class, "too_large"),
            Map.entry(DhtException.class, "dht_failed"));

    /** The code for an exception a route let through. */
    static String forException(RuntimeException e, int status) {
        for (Map.Entry<Class<? extends RuntimeException>, String> c : BY_EXCEPTION) {
            if (c.getKey().isInstance(e)) {
                return c.getValue();
            }
        }
        return forStatus(status);
    }
}
