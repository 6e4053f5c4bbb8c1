package dev.keybridge.broker.nativesignin;

/**
 * Native sign-in refused a verified ID token because of the realm's login policy or account state.
 * The description is precise and safe to show to the client.
 *
 * @see NativeSignInGrantType for how it is answered
 */
public class SignInRefusedException extends Exception {

    private final String oauthError;
    private final String eventError;

    /**
     * @param oauthError the token endpoint's {@code error}
     * @param eventError the error of the event recorded for the refusal
     */
    public SignInRefusedException(String oauthError, String eventError, String description) {
        super(description);
        this.oauthError = oauthError;
        this.eventError = eventError;
    }

    public String oauthError() {
        return oauthError;
    }

    public String eventError() {
        return eventError;
    }
}
