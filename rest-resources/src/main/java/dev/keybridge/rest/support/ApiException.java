package dev.keybridge.rest.support;

/**
 * A failure a compatibility endpoint reports to its client: an HTTP status, a short machine-readable
 * code and a human-readable description. Each API renders it in its own error shape (see {@link ErrorShape}).
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;

    public ApiException(int status, String error, String description) {
        // no stack trace: these are expected outcomes, not bugs
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static ApiException badRequest(String description) {
        return new ApiException(400, "invalid_request", description);
    }

    public static ApiException unauthorized(String description) {
        return new ApiException(401, "invalid_token", description);
    }

    public static ApiException forbidden(String description) {
        return new ApiException(403, "access_denied", description);
    }

    public static ApiException notFound(String description) {
        return new ApiException(404, "not_found", description);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }
}
