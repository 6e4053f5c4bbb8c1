package dev.keybridge.rest.support;

import java.util.Map;

import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Errors;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.BruteForceProtector;

/**
 * Logs a user in with username and password as a direct-access grant of a given client, run through
 * Keycloak's own password grant: the realm's direct-grant flow (so OTP, brute-force protection, disabled users
 * and required actions behave as at the token endpoint), client policies, mappers, a real user session, and
 * the LOGIN / LOGIN_ERROR events. For compatibility endpoints that take credentials in their own JSON.
 *
 * <p>The endpoint acts for the client operators configure, through {@link KeycloakGrant#run}: a public client by its
 * client_id, a confidential one only with its credentials in the request, as at the token endpoint.
 */
public final class PasswordGrant {

    private PasswordGrant() {
    }

    /** @throws ApiException 400 when the client may not use direct-access grants */
    public static GrantOutcome login(KeycloakSession session, ClientModel client, String username, String password) {
        if (client.isBearerOnly() || !client.isDirectAccessGrantsEnabled()) {
            throw new ApiException(400, "unauthorized_client",
                    "Client " + client.getClientId() + " does not allow direct access grants");
        }
        GrantOutcome outcome = KeycloakGrant.run(session, client, OAuth2Constants.PASSWORD,
                Map.of(OAuth2Constants.USERNAME, username, OAuth2Constants.PASSWORD, password), "Login failed");
        if (outcome instanceof GrantOutcome.Failure failure && Errors.USER_DISABLED.equals(failure.eventError())
                && credentialsOfDisabledAccount(session, username, password)) {
            return failure.because(GrantOutcome.Cause.ACCOUNT_DISABLED);
        }
        return outcome;
    }

    /**
     * Whether the direct-grant flow refused a disabled account whose password was right: Keycloak records
     * {@code user_disabled} for that, for a disabled account with a wrong password and for a permanent lockout, and tells
     * only the first apart, after checking the password as here, so that only the account's owner learns it is disabled.
     */
    private static boolean credentialsOfDisabledAccount(KeycloakSession session, String username, String password) {
        RealmModel realm = session.getContext().getRealm();
        UserModel user = KeycloakModelUtils.findUserByNameOrEmail(session, realm, username);
        return user != null && !user.isEnabled()
                && AuthenticatorUtils.getDisabledByBruteForceEventError(session.getProvider(BruteForceProtector.class), session, realm, user) == null
                && user.credentialManager().isValid(UserCredentialModel.password(password));
    }
}
