package dev.keybridge.storage;

import org.jboss.logging.Logger;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.StorageId;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.UserStorageUtil;
import org.keycloak.storage.federated.UserFederatedStorageProvider;

/**
 * What became of the rows of a migrate-on-login component, kept in Keycloak's database: which Keycloak user a
 * row became once the user stopped being linked to MySQL, and which rows' users an admin deleted, so a
 * deleted user is not imported again by the next login with the legacy password.
 * <p>
 * The records are attributes of the row's federated id ({@code f:<component>:<row id>}) in Keycloak's federated
 * user storage: per component and row, in the database of every cluster node, and removed with the component.
 * In this mode no user has that id (imported users have Keycloak ids), so nothing else is stored there.
 */
final class MigrationLedger {

    private static final Logger LOG = Logger.getLogger(MigrationLedger.class);

    /** The Keycloak id of the user the row became when its federation link was cut. */
    static final String KEYCLOAK_USER = "mysql-users.keycloakUser";
    /** When an admin deleted the user the row had become (epoch milliseconds). */
    static final String DELETED_AT = "mysql-users.deletedAt";

    private final KeycloakSession session;
    private final ComponentModel model;

    MigrationLedger(KeycloakSession session, ComponentModel model) {
        this.session = session;
        this.model = model;
    }

    /** The row's user now lives in Keycloak only (migrated, or given a Keycloak password). */
    void unlinked(RealmModel realm, String legacyId, UserModel user) {
        storage().setSingleAttribute(realm, rowId(legacyId), KEYCLOAK_USER, user.getId());
    }

    boolean isDeleted(RealmModel realm, String legacyId) {
        MultivaluedHashMap<String, String> record = storage().getAttributes(realm, rowId(legacyId));
        return record != null && record.getFirst(DELETED_AT) != null;
    }

    /**
     * A user is being deleted: if it came from a migrate-on-login component of its realm (still linked to it,
     * or the Keycloak user that component's row became), that row is not imported again.
     */
    static void userRemoved(KeycloakSession session, RealmModel realm, UserModel user) {
        realm.getComponentsStream(realm.getId(), UserStorageProvider.class.getName())
                .filter(component -> MysqlUserStorageProviderFactory.PROVIDER_ID.equals(component.getProviderId()))
                .forEach(component -> {
                    StorageConfig config;
                    try {
                        config = StorageConfig.from(component);
                    } catch (ComponentValidationException e) {
                        return; // a component that cannot be read imports nobody
                    }
                    String legacyId = user.getFirstAttribute(config.idAttribute());
                    if (config.editMode() == StorageMode.MIGRATE_ON_LOGIN && legacyId != null) {
                        new MigrationLedger(session, component).userRemoved(realm, user, legacyId);
                    }
                });
    }

    private void userRemoved(RealmModel realm, UserModel user, String legacyId) {
        MultivaluedHashMap<String, String> record = storage().getAttributes(realm, rowId(legacyId));
        boolean fromThisComponent = model.getId().equals(user.getFederationLink())
                || record != null && user.getId().equals(record.getFirst(KEYCLOAK_USER));
        if (fromThisComponent) {
            storage().setSingleAttribute(realm, rowId(legacyId), DELETED_AT, Long.toString(System.currentTimeMillis()));
            LOG.infof("MySQL users (%s): %s deleted; row %s will not be imported again", model.getName(), user.getUsername(),
                    legacyId);
        }
    }

    private String rowId(String legacyId) {
        return StorageId.keycloakId(model, legacyId);
    }

    private UserFederatedStorageProvider storage() {
        return UserStorageUtil.userFederatedStorage(session);
    }
}
