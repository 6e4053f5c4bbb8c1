package dev.keybridge.rest.tapis;

/**
 * A failure the Tapis Tokens API reports to its client: HTTP 400 with the Tapis error envelope,
 * as tapisservice's BaseTapisError does by default.
 */
public class TapisError extends RuntimeException {

    public TapisError(String message) {
        super(message, null, false, false);
    }

    /** The message the upstream service gives for request bodies its validator rejects. */
    static TapisError invalidData(String method, String detail) {
        return new TapisError("Invalid " + method + " data: " + detail);
    }
}
