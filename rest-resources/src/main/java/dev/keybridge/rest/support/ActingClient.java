package dev.keybridge.rest.support;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/** The client a resource acts for, as its {@value RealmSettings#CLIENT} setting names it. */
public record ActingClient(String providerId, String clientId) {

    /**
     * The enabled client of that id, for which the resource issues tokens.
     *
     * @throws ApiException 400 {@code unauthorized_client} when it does not exist or is disabled
     */
    public ClientModel in(RealmModel realm) {
        ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId);
        if (client == null || !client.isEnabled()) {
            throw new ApiException(400, "unauthorized_client", "Client '" + clientId + "' (setting " + providerId + "."
                    + RealmSettings.CLIENT + ") does not exist or is disabled in realm " + realm.getName());
        }
        return client;
    }
}
