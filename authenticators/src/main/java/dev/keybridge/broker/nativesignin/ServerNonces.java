package dev.keybridge.broker.nativesignin;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Nonces the server hands a native client before it asks Apple or Google for an ID token. A nonce the app
 * makes up proves nothing (a stolen token comes with its own nonce to echo); one issued here, good for one
 * sign-in of the same client within a bounded time, makes a captured token useless once its nonce is spent.
 * Kept in Keycloak's single-use object store (clustered, expires by itself).
 */
public final class ServerNonces {

    private static final String KEY_PREFIX = "keybridge.server-nonce.";
    private static final String REALM = "realm";
    private static final String CLIENT = "client";
    /** Issued nonces are 43 characters; anything much longer is not one of ours and is not looked up. */
    private static final int MAX_LENGTH = 128;

    private ServerNonces() {
    }

    /** Whether the IdP accepts only ID tokens whose nonce was issued here. */
    public static boolean required(IdentityProviderModel idp) {
        return NativeSignInSettings.flag(idp.getConfig(), NativeSignInSettings.SERVER_NONCE_REQUIRED, false);
    }

    public static String issue(KeycloakSession session, RealmModel realm, ClientModel client, Duration lifetime) {
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(SecretGenerator.getInstance().randomBytes(32));
        session.singleUseObjects().put(KEY_PREFIX + nonce, lifetime.toSeconds(), Map.of(REALM, realm.getId(), CLIENT, client.getId()));
        return nonce;
    }

    /**
     * Uses the nonce up. A nonce of another realm or client is left alone (its owner may still use it).
     *
     * @return true when the nonce was issued here to this client, was unused and has not expired
     */
    public static boolean redeem(KeycloakSession session, RealmModel realm, ClientModel client, String nonce) {
        if (nonce == null || nonce.isEmpty() || nonce.length() > MAX_LENGTH) {
            return false;
        }
        String key = KEY_PREFIX + nonce;
        Map<String, String> issued = session.singleUseObjects().get(key);
        if (issued == null || !realm.getId().equals(issued.get(REALM)) || !client.getId().equals(issued.get(CLIENT))) {
            return false;
        }
        // of two concurrent requests with one nonce only one removes it
        return session.singleUseObjects().remove(key) != null;
    }
}
