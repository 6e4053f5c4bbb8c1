package dev.keybridge.rest.support;

import java.util.Collection;

import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * The clients whose access tokens a resource's bearer routes accept: the resource's own client(s) and those an
 * operator lists in the resource's {@value #SETTING} setting. Keycloak's bearer authenticator accepts a token of any
 * client of the realm; an API serving one application should not act on tokens issued to every other one.
 */
public final class AcceptedClients {

    /** The setting listing the clientIds accepted besides the resource's own client(s), comma-separated. */
    public static final String SETTING = "accepted-clients";

    private AcceptedClients() {
    }

    /** The {@value #SETTING} setting, whose help says which routes accept the listed clients' tokens. */
    public static Setting setting(String helpText) {
        return Setting.text(SETTING, "Accepted clients", helpText, "");
    }

    /** True when the caller's token was issued to one of the resource's own clients or one listed in the setting. */
    public static boolean includes(AuthResult caller, Collection<String> ownClientIds, Collection<String> listed) {
        String clientId = caller.client().getClientId();
        return ownClientIds.contains(clientId) || listed.contains(clientId);
    }
}
