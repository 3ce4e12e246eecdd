package dev.scout.cli.api;

/**
 * A request the API refuses: an HTTP status, a stable machine-readable code and one readable line, sent
 * as {@code {"error": …, "code": …}} (docs/api.md lists the codes).
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public ApiException(int status, String message) {
        this(status, ErrorCodes.forStatus(status), message);
    }

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }
}
