package dev.keybridge.broker.nativesignin;

/**
 * An ID token failed a check. The message is the precise reason; it is safe to show to the client
 * (it names the failed check, never key material).
 */
public class IdTokenRejectedException extends Exception {

    public IdTokenRejectedException(String reason) {
        super(reason);
    }

    public IdTokenRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
