package dev.keybridge.rest.tapis;

import java.io.IOException;

import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.ErrorShape;
import org.keycloak.util.JsonSerialization;

/**
 * A failure the Tapis Tokens API reports to its client: the Tapis error envelope with HTTP 400, as tapisservice's
 * BaseTapisError does by default, or the status Keycloak's token endpoint gives for the same refusal where Tapis has
 * none (403 for a disabled realm).
 */
public class TapisError extends ApiException {

    /**
     * The Tapis error envelope, written out here since {@code result} must be present as null. Without CORS: the API is
     * called by services with client secrets, never by browsers, and never answered cross-origin.
     */
    static final ErrorShape SHAPE = new ErrorShape() {
        @Override
        public Object body(ApiException failure) {
            return json(TapisEnvelope.error(failure.description()));
        }

        @Override
        public boolean crossOrigin() {
            return false;
        }
    };

    public TapisError(String message) {
        this(message, 400);
    }

    TapisError(String message, int status) {
        super(status, "invalid_request", message);
    }

    /** The message the upstream service gives for request bodies its validator rejects. */
    static TapisError invalidData(String method, String detail) {
        return new TapisError("Invalid " + method + " data: " + detail);
    }

    /** What a client that did not authenticate is told, whatever the reason, as at POST. */
    static TapisError badClientCredentials() {
        return new TapisError("Invalid service account/password combination.");
    }

    /** What every unexpected failure is told: nothing about it. */
    static TapisError unexpected() {
        return new TapisError("Unable to create token. Please contact system administrator.", 500);
    }

    static String json(TapisEnvelope envelope) {
        try {
            return JsonSerialization.writeValueAsString(envelope);
        } catch (IOException e) {
            throw new IllegalStateException("the Tapis envelope must serialize", e);
        }
    }
}
