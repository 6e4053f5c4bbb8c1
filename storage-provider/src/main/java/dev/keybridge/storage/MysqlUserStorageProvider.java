package dev.keybridge.storage;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.ws.rs.core.Response;

import dev.keybridge.storage.hash.HashAlgorithm;
import dev.keybridge.storage.hash.LegacyPasswordHashes;
import dev.keybridge.storage.hash.UnsupportedHashException;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputUpdater;
import org.keycloak.credential.CredentialInputValidator;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.services.ErrorResponse;
import org.keycloak.storage.ReadOnlyException;
import org.keycloak.storage.StorageId;
import org.keycloak.storage.StorageUnavailableException;
import org.keycloak.storage.UserStoragePrivateUtil;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.UserStorageUtil;
import org.keycloak.storage.user.ImportedUserValidation;
import org.keycloak.storage.user.UserCountMethodsProvider;
import org.keycloak.storage.user.UserLookupProvider;
import org.keycloak.storage.user.UserQueryMethodsProvider;
import org.keycloak.storage.user.UserRegistrationProvider;
import org.keycloak.userprofile.AttributeMetadata;
import org.keycloak.userprofile.UserProfileDecorator;
import org.keycloak.userprofile.UserProfileMetadata;

/**
 * Users of an existing MySQL/MariaDB table, per {@link StorageMode}: federated read-only, federated
 * writable, or imported into Keycloak and migrated on their first successful login.
 */
public class MysqlUserStorageProvider implements UserStorageProvider, UserLookupProvider, UserQueryMethodsProvider,
        UserCountMethodsProvider, CredentialInputValidator, CredentialInputUpdater, UserRegistrationProvider,
        ImportedUserValidation, UserProfileDecorator {

    private static final Logger LOG = Logger.getLogger(MysqlUserStorageProvider.class);

    /** Details of the UPDATE_CREDENTIAL event a migrate-on-login emits. */
    private static final String MIGRATION_DETAIL = "federation_link_cut";
    private static final String COMPONENT_DETAIL = "storage_component";
    private static final String COMPONENT_ID_DETAIL = "storage_component_id";
    private static final String LEGACY_ROW_DETAIL = "legacy_user_id";
    private static final String LEGACY_ALGORITHM_DETAIL = "legacy_hash_algorithm";
    private static final String REHASHED_DETAIL = "password_rehashed";
    /** Details of the UPDATE_CREDENTIAL event an upgrade of a weak hash after a login emits. */
    private static final String UPGRADED_DETAIL = "legacy_hash_upgraded";
    private static final String NEW_ALGORITHM_DETAIL = "new_hash_algorithm";

    private final KeycloakSession session;
    private final ComponentModel model;
    private final StorageConfig config;
    private final LegacyUserTable table;
    private final MigrationLedger ledger;
    private final FailedLoginCost failedLoginCost;
    /**
     * Rows this session has read, by id: a login looks the user up and then checks the password,
     * and the check reuses the row instead of selecting it again. One provider serves one session.
     */
    private final Map<String, LegacyUser> loadedRows = new HashMap<>();
    /**
     * The row id each lookup by a column's value answered in this session. One password grant looks a
     * TimeLapseMe user (whose username is the email column) up by email (the direct-grant flow), by id
     * (Keycloak's user cache loading the credentials) and by username (the user-profile check): without
     * this, three SELECTs (seen in MariaDB's general log).
     */
    private final Map<String, String> lookedUpIds = new HashMap<>();

    MysqlUserStorageProvider(KeycloakSession session, ComponentModel model, StorageConfig config, LegacyUserTable table) {
        this.session = session;
        this.model = model;
        this.config = config;
        this.table = table;
        this.ledger = new MigrationLedger(session, model);
        this.failedLoginCost = new FailedLoginCost(config);
    }

    // ---- lookups

    @Override
    public UserModel getUserById(RealmModel realm, String id) {
        if (config.editMode() == StorageMode.MIGRATE_ON_LOGIN) {
            return null; // imported users have Keycloak ids and are found in Keycloak's own store
        }
        try {
            return rowById(StorageId.externalId(id)).map(row -> adapter(realm, row)).orElse(null);
        } catch (StorageUnavailableException e) {
            logUnavailable("cannot load user " + id, e);
            return null;
        }
    }

    @Override
    public UserModel getUserByUsername(RealmModel realm, String username) {
        return unlessMarkedDown(() -> userNamed(realm, lookUp(config.usernameColumn(), username, LegacyUser::username,
                () -> table.findByUsername(username))));
    }

    @Override
    public UserModel getUserByEmail(RealmModel realm, String email) {
        return unlessMarkedDown(() -> userNamed(realm, lookUp(config.emailColumn(), email, LegacyUser::email,
                () -> table.findByEmail(email))));
    }

    /**
     * The user a lookup by name found, or null. A login for a name without a user costs what a wrong password
     * does (see {@link FailedLoginCost}).
     */
    private UserModel userNamed(RealmModel realm, Optional<LegacyUser> row) {
        UserModel user = row.map(found -> toUser(realm, found)).orElse(null);
        if (user == null) {
            failedLoginCost.lookupFailed();
        }
        return user;
    }

    /**
     * While MySQL is known to be down a lookup finds nothing here, quietly: Keycloak would log every
     * failed lookup with its stack trace, which is what a login would then spend its time on. The
     * failure that marks MySQL down still reaches Keycloak.
     */
    private UserModel unlessMarkedDown(Supplier<UserModel> lookup) {
        try {
            return lookup.get();
        } catch (LegacyDatabase.MarkedDownException e) {
            LOG.debug(e.getMessage());
            return null;
        }
    }

    private void logUnavailable(String what, StorageUnavailableException e) {
        if (e instanceof LegacyDatabase.MarkedDownException) {
            LOG.debugf("MySQL users (%s): %s: %s", model.getName(), what, e.getMessage());
        } else {
            LOG.warnf("MySQL users (%s): %s: %s", model.getName(), what, e.getMessage());
        }
    }

    // ---- admin search and count

    @Override
    public Stream<UserModel> searchForUserStream(RealmModel realm, Map<String, String> params, Integer firstResult, Integer maxResults) {
        if (config.editMode() == StorageMode.MIGRATE_ON_LOGIN) {
            return Stream.empty(); // users appear in Keycloak when they are imported, not before
        }
        return UserSearch.where(config, params)
                .map(where -> table.search(where, firstResult, maxResults).stream().map(row -> (UserModel) adapter(realm, row)))
                .orElseGet(Stream::empty);
    }

    @Override
    public Stream<UserModel> searchForUserByUserAttributeStream(RealmModel realm, String attrName, String attrValue) {
        return searchForUserStream(realm, Map.of(attrName, attrValue), null, null);
    }

    @Override
    public Stream<UserModel> getGroupMembersStream(RealmModel realm, GroupModel group, Integer firstResult, Integer maxResults) {
        if (config.editMode() == StorageMode.MIGRATE_ON_LOGIN) {
            return Stream.empty();
        }
        // group membership of federated users is kept by Keycloak, not in the table
        return UserStorageUtil.userFederatedStorage(session).getMembershipStream(realm, group, firstResult, maxResults)
                .filter(id -> model.getId().equals(StorageId.providerId(id)))
                .map(id -> getUserById(realm, id))
                .filter(java.util.Objects::nonNull);
    }

    @Override
    public int getUsersCount(RealmModel realm, boolean includeServiceAccount) {
        return getUsersCount(realm, Map.of());
    }

    @Override
    public int getUsersCount(RealmModel realm, Map<String, String> params) {
        if (config.editMode() == StorageMode.MIGRATE_ON_LOGIN) {
            return 0;
        }
        return UserSearch.where(config, params).map(table::count).orElse(0);
    }

    // ---- passwords

    @Override
    public boolean supportsCredentialType(String credentialType) {
        return PasswordCredentialModel.TYPE.equals(credentialType);
    }

    @Override
    public boolean isConfiguredFor(RealmModel realm, UserModel user, String credentialType) {
        return supportsCredentialType(credentialType) && ownsUser(user);
    }

    @Override
    public boolean isValid(RealmModel realm, UserModel user, CredentialInput input) {
        if (!supportsCredentialType(input.getType()) || !ownsUser(user) || input.getChallengeResponse() == null) {
            return false;
        }
        if (config.editMode() == StorageMode.MIGRATE_ON_LOGIN && hasKeycloakPassword(user)) {
            // a password set in Keycloak (by an admin, a reset, the user) replaced the legacy one for good:
            // Keycloak's own check, which runs next, decides
            return false;
        }
        Optional<LegacyUser> row;
        try {
            row = rowById(legacyId(user));
        } catch (StorageUnavailableException e) {
            logUnavailable("password check for " + user.getUsername() + " failed, MySQL unavailable", e);
            return false;
        }
        PasswordCheck check = row.map(found -> verify(found, input.getChallengeResponse())).orElse(PasswordCheck.UNUSABLE);
        if (check != PasswordCheck.MATCH) {
            failedLoginCost.passwordFailed(session, realm, check == PasswordCheck.SLOW_MISMATCH);
            return false;
        }
        if (config.writable()) {
            upgradeWeakHash(realm, user, row.get(), input.getChallengeResponse());
        }
        if (config.editMode() == StorageMode.MIGRATE_ON_LOGIN) {
            if (user.isEnabled()) {
                migrate(realm, user, row.get(), input.getChallengeResponse());
            } else {
                // Keycloak refuses the login after this check (as it does for a disabled local user):
                // nothing of the user may change on the way
                LOG.debugf("MySQL users (%s): %s is disabled; not migrated", model.getName(), user.getUsername());
            }
        }
        return true;
    }

    private static boolean hasKeycloakPassword(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE).findAny().isPresent();
    }

    @Override
    public boolean updateCredential(RealmModel realm, UserModel user, CredentialInput input) {
        if (!supportsCredentialType(input.getType()) || !ownsUser(user)) {
            return false;
        }
        switch (config.editMode()) {
            case READ_ONLY -> throw new ReadOnlyException("user " + user.getUsername()
                    + " is read-only: the MySQL users provider is not writable");
            case MIGRATE_ON_LOGIN -> {
                // Keycloak stores the new password (this returns false), and from now on the user is Keycloak's:
                // a leaked legacy password must not sign in and overwrite it. A password the realm's policy
                // refuses is not stored (Keycloak says why), and the user stays as it was.
                if (session.getProvider(PasswordPolicyManagerProvider.class)
                        .validate(realm, user, input.getChallengeResponse()) == null) {
                    unlink(realm, user);
                    LOG.infof("MySQL users (%s): %s was given a Keycloak password; the federation link is cut",
                            model.getName(), user.getUsername());
                }
                return false;
            }
            default -> {
                String id = legacyId(user);
                loadedRows.remove(id);
                String previous = table.findById(id).map(LegacyUser::passwordHash).orElse(null);
                writePassword(id, input.getChallengeResponse(), previous);
                return true;
            }
        }
    }

    @Override
    public void disableCredentialType(RealmModel realm, UserModel user, String credentialType) {
        // the table has no notion of a disabled password
    }

    @Override
    public Stream<String> getDisableableCredentialTypesStream(RealmModel realm, UserModel user) {
        return Stream.empty();
    }

    // ---- registration and removal

    @Override
    public UserModel addUser(RealmModel realm, String username) {
        if (!config.writable()) {
            return null; // Keycloak creates the user in its own store
        }
        String id = table.insert(username);
        return table.findById(id).map(row -> adapter(realm, row))
                .orElseThrow(() -> new ModelException("MySQL users: inserted row " + id + " not found"));
    }

    @Override
    public boolean removeUser(RealmModel realm, UserModel user) {
        return switch (config.editMode()) {
            case WRITABLE -> {
                loadedRows.remove(legacyId(user));
                yield table.delete(legacyId(user));
            }
            // the user is removed from Keycloak and the row stays as it is; the ledger (written on
            // Keycloak's pre-removal event, which also covers migrated users) keeps it from being imported again
            case MIGRATE_ON_LOGIN -> true;
            case READ_ONLY -> throw ErrorResponse.error("User " + user.getUsername() + " lives in the read-only MySQL users provider '"
                    + model.getName() + "' and cannot be deleted; disable it instead, or make the provider WRITABLE",
                    Response.Status.BAD_REQUEST);
        };
    }

    // ---- import mode

    @Override
    public UserModel validate(RealmModel realm, UserModel local) {
        // an imported user not yet migrated: it stays as imported, even while MySQL is down
        return local;
    }

    // ---- user profile

    @Override
    public List<AttributeMetadata> decorateUserProfile(String providerId, UserProfileMetadata metadata) {
        // Legacy tables often have no name columns (TimeLapseMe has none): the realm's default
        // profile would then send every such user to "update profile" on their first login.
        return metadata.getAttributes().stream()
                .filter(attribute -> unmappedProfileAttribute(attribute.getName()))
                .map(attribute -> attribute.clone().setRequired(context -> false))
                .toList();
    }

    private boolean unmappedProfileAttribute(String name) {
        return switch (name) {
            case UserModel.FIRST_NAME -> config.firstNameColumn() == null;
            case UserModel.LAST_NAME -> config.lastNameColumn() == null;
            case UserModel.EMAIL -> config.emailColumn() == null;
            default -> false;
        };
    }

    @Override
    public void close() {
        // the pool belongs to the factory; connections are returned after every statement
    }

    // ---- helpers

    private LegacyUser loaded(LegacyUser row) {
        loadedRows.put(row.id(), row);
        return row;
    }

    /** The row with this id as this session last read it, or as the table has it now. */
    private Optional<LegacyUser> rowById(String legacyId) {
        return Optional.ofNullable(loadedRows.get(legacyId)).or(() -> table.findById(legacyId).map(this::loaded));
    }

    /**
     * The row the same lookup found earlier in this session, if it is still loaded and still has that
     * value (a write drops the row, a reload may change it); else the row the query finds.
     */
    private Optional<LegacyUser> lookUp(String column, String value, Function<LegacyUser, String> columnValue,
                                        Supplier<Optional<LegacyUser>> query) {
        String key = column + ":" + value; // the same column and value: the same SELECT, whatever the collation
        LegacyUser known = loadedRows.get(lookedUpIds.get(key));
        if (known != null && LegacyUserTable.sameLoginName(value, columnValue.apply(known))) {
            return Optional.of(known);
        }
        Optional<LegacyUser> row = query.get().map(this::loaded);
        row.ifPresent(found -> lookedUpIds.put(key, found.id()));
        return row;
    }

    /** Null for the row of a user an admin deleted in migrate-on-login mode. */
    private UserModel toUser(RealmModel realm, LegacyUser row) {
        if (config.editMode() != StorageMode.MIGRATE_ON_LOGIN) {
            return adapter(realm, row);
        }
        if (ledger.isDeleted(realm, row.id())) {
            LOG.debugf("MySQL users (%s): row %s belongs to a deleted user; not imported", model.getName(), row.id());
            return null;
        }
        return importUser(realm, row);
    }

    private LegacyUserAdapter adapter(RealmModel realm, LegacyUser row) {
        return new LegacyUserAdapter(session, realm, model, config, table, row);
    }

    /** Copies a row into Keycloak's store, linked to this component until the first login. */
    private UserModel importUser(RealmModel realm, LegacyUser row) {
        UserModel user = UserStoragePrivateUtil.userLocalStorage(session).addUser(realm, row.username().toLowerCase(java.util.Locale.ROOT));
        user.setFederationLink(model.getId());
        if (row.email() != null) {
            user.setEmail(row.email().toLowerCase(java.util.Locale.ROOT));
        }
        user.setFirstName(row.firstName());
        user.setLastName(row.lastName());
        user.setEnabled(row.enabled() == null || row.enabled());
        if (row.createdTimestamp() != null) {
            user.setCreatedTimestamp(row.createdTimestamp());
        }
        user.setSingleAttribute(config.idAttribute(), row.id());
        row.attributes().forEach((name, value) -> {
            if (value != null) {
                user.setSingleAttribute(name, value);
            }
        });
        LOG.debugf("MySQL users (%s): imported %s (row %s)", model.getName(), user.getUsername(), row.id());
        return user;
    }

    /**
     * The password is right: Keycloak stores it with the realm's hashing policy and the user stops
     * being linked to MySQL. A password the realm's policy rejects is kept, and the user is asked
     * to choose a new one. Operators see the migration as an UPDATE_CREDENTIAL user event.
     */
    private void migrate(RealmModel realm, UserModel user, LegacyUser row, String password) {
        unlink(realm, user);
        boolean rehashed = true;
        try {
            user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
        } catch (ModelException e) {
            LOG.infof("MySQL users (%s): migrated %s but the password does not meet the realm policy (%s); asking for a new one",
                    model.getName(), user.getUsername(), e.getMessage());
            user.addRequiredAction(UserModel.RequiredAction.UPDATE_PASSWORD);
            rehashed = false;
        }
        LOG.infof("MySQL users (%s): migrated %s into Keycloak; the federation link is cut", model.getName(), user.getUsername());
        passwordEvent(realm, user, row)
                .detail(MIGRATION_DETAIL, "true")
                // false: the realm's password policy refused the legacy password, an update is required
                .detail(REHASHED_DETAIL, Boolean.toString(rehashed))
                .success();
    }

    /**
     * Writable mode, after a successful login: a hash weaker than a new one would be (an unsalted
     * digest, or a cost under the write minimums) is replaced by one that is not, in the format a
     * reset would write. A failed write leaves the login as it is.
     */
    private void upgradeWeakHash(RealmModel realm, UserModel user, LegacyUser row, String password) {
        if (LegacyPasswordHashes.meetsWritePolicy(row.passwordHash(), rowAlgorithm(row))) {
            return;
        }
        String written;
        try {
            written = writePassword(row.id(), password, row.passwordHash());
        } catch (StorageUnavailableException e) {
            LOG.warnf("MySQL users (%s): could not upgrade the weak %s hash of row %s: %s", model.getName(),
                    legacyAlgorithmName(row), row.id(), e.getMessage());
            return;
        }
        LOG.infof("MySQL users (%s): upgraded the %s hash of row %s to %s after a successful login", model.getName(),
                legacyAlgorithmName(row), row.id(), written);
        passwordEvent(realm, user, row)
                .detail(UPGRADED_DETAIL, "true")
                .detail(NEW_ALGORITHM_DETAIL, written)
                .detail(REHASHED_DETAIL, "true")
                .success();
    }

    /** Writes a new hash for the row; returns the algorithm's name. */
    private String writePassword(String id, String password, String previousHash) {
        HashAlgorithm algorithm = writeAlgorithm(previousHash);
        String name = algorithm.name().toLowerCase(Locale.ROOT);
        table.updatePassword(id, LegacyPasswordHashes.hash(algorithm, password, previousHash), name);
        loadedRows.remove(id);
        return name;
    }

    /** The user stops being linked to MySQL, and the ledger records which user the row became. */
    private void unlink(RealmModel realm, UserModel user) {
        user.setFederationLink(null);
        String legacyId = legacyId(user);
        if (legacyId != null) {
            ledger.unlinked(realm, legacyId, user);
        }
    }

    private EventBuilder passwordEvent(RealmModel realm, UserModel user, LegacyUser row) {
        EventBuilder event = session.getContext().getConnection() == null ? new EventBuilder(realm, session)
                : new EventBuilder(realm, session, session.getContext().getConnection());
        if (session.getContext().getClient() != null) {
            event.client(session.getContext().getClient());
        }
        return event.event(EventType.UPDATE_CREDENTIAL).user(user)
                .detail(Details.USERNAME, user.getUsername())
                .detail(Details.CREDENTIAL_TYPE, PasswordCredentialModel.TYPE)
                .detail(COMPONENT_DETAIL, model.getName())
                .detail(COMPONENT_ID_DETAIL, model.getId())
                .detail(LEGACY_ROW_DETAIL, row.id())
                .detail(LEGACY_ALGORITHM_DETAIL, legacyAlgorithmName(row));
    }

    private String legacyAlgorithmName(LegacyUser row) {
        return verifiedAlgorithm(row).name().toLowerCase(Locale.ROOT);
    }

    /** The algorithm of a row's hash that verify() has read: with 'auto' its format was recognised. */
    private HashAlgorithm verifiedAlgorithm(LegacyUser row) {
        HashAlgorithm declared = rowAlgorithm(row);
        return declared != null ? declared : HashAlgorithm.detect(row.passwordHash().trim()).orElseThrow();
    }

    /** How a password check of a row ended: what a failure cost decides what {@link FailedLoginCost} adds. */
    private enum PasswordCheck { MATCH, SLOW_MISMATCH, CHEAP_MISMATCH, UNUSABLE }

    private PasswordCheck verify(LegacyUser row, String password) {
        try {
            if (LegacyPasswordHashes.verify(row.passwordHash(), rowAlgorithm(row), password)) {
                return PasswordCheck.MATCH;
            }
            return FailedLoginCost.SLOW.contains(verifiedAlgorithm(row)) ? PasswordCheck.SLOW_MISMATCH : PasswordCheck.CHEAP_MISMATCH;
        } catch (UnsupportedHashException e) {
            LOG.warnf("MySQL users (%s): cannot verify the password of row %s: %s; login refused",
                    model.getName(), row.id(), e.getMessage());
            return PasswordCheck.UNUSABLE;
        }
    }

    private HashAlgorithm rowAlgorithm(LegacyUser row) {
        if (row.hashAlgorithm() != null && !row.hashAlgorithm().isBlank()) {
            return HashAlgorithm.fromName(row.hashAlgorithm())
                    .orElseThrow(() -> new UnsupportedHashException("unknown algorithm '" + row.hashAlgorithm() + "'"));
        }
        return config.fixedHashAlgorithm();
    }

    /** The configured algorithm, or the previous hash's when it is salted and tunable, else bcrypt. */
    private HashAlgorithm writeAlgorithm(String previousHash) {
        if (config.writeHashAlgorithm() != null) {
            return config.writeHashAlgorithm();
        }
        return HashAlgorithm.detect(previousHash == null ? null : previousHash.trim())
                .filter(HashAlgorithm::writable).orElse(HashAlgorithm.BCRYPT);
    }

    private boolean ownsUser(UserModel user) {
        return model.getId().equals(user.getFederationLink());
    }

    private String legacyId(UserModel user) {
        if (user instanceof LegacyUserAdapter adapter) {
            return adapter.legacyId();
        }
        if (StorageId.providerId(user.getId()) != null) {
            return StorageId.externalId(user.getId());
        }
        return user.getFirstAttribute(config.idAttribute());
    }
}
