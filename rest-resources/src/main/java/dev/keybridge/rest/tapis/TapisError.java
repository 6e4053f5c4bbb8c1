package dev.keybridge.rest.tapis;

/**
 * A failure the Tapis Tokens API reports to its client: the Tapis error envelope with HTTP 400, as tapisservice's
 * BaseTapisError does by default, or the status Keycloak's token endpoint gives for the same refusal where Tapis has
 * none (403 for a disabled realm).
 */
public class TapisError extends RuntimeException {

    private final int status;

    public TapisError(String message) {
        this(message, 400);
    }

    TapisError(String message, int status) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** The message the upstream service gives for request bodies its validator rejects. */
    static TapisError invalidData(String method, String detail) {
        return new TapisError("Invalid " + method + " data: " + detail);
    }

    /** What a client that did not authenticate is told, whatever the reason, as at POST. */
    static TapisError badClientCredentials() {
        return new TapisError("Invalid service account/password combination.");
    }
}
