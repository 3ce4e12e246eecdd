package dev.scout.cli.api;

import dev.scout.cli.state.ContactConflictException;
import dev.scout.cli.state.InvalidContactNameException;
import dev.scout.cli.state.NoIdentityException;
import dev.scout.cli.state.UnknownContactException;
import dev.scout.cli.state.UnknownMessageException;
import dev.scout.dht.DhtException;
import dev.scout.dht.KeyFormatException;
import dev.scout.dht.LimitExceededException;
import dev.scout.dht.LowOrderKeyException;

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
            case 502 -> "dht_failed";
            case 503 -> "unavailable";
            case 504 -> "gateway_timeout";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }

    /** The code for an exception a route let through. */
    static String forException(RuntimeException e, int status) {
        if (e instanceof UnknownContactException) {
            return "unknown_contact";
        }
        if (e instanceof UnknownMessageException) {
            return "unknown_message";
        }
        if (e instanceof ContactConflictException) {
            return "contact_conflict";
        }
        if (e instanceof NoIdentityException) {
            return "no_identity";
        }
        if (e instanceof InvalidContactNameException) {
            return "invalid_name";
        }
        if (e instanceof KeyFormatException) {
            return "invalid_key";
        }
        if (e instanceof LowOrderKeyException) {
            return "low_order_key";
        }
        if (e instanceof LimitExceededException) {
            return "too_large";
        }
        if (e instanceof DhtException) {
            return "dht_failed";
        }
        return forStatus(status);
    }
}
