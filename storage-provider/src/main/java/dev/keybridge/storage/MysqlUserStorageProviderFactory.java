package dev.keybridge.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.auto.service.AutoService;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.UserModel;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.storage.StorageUnavailableException;
import org.keycloak.storage.UserStorageProviderFactory;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.vault.VaultStringSecret;

/** User federation "MySQL users": an existing MySQL/MariaDB users table, per realm. */
@AutoService(UserStorageProviderFactory.class)
public class MysqlUserStorageProviderFactory implements UserStorageProviderFactory<MysqlUserStorageProvider> {

    private static final Pattern UNRESOLVED_PLACEHOLDER = Pattern.compile("\\$\\{(?!vault\\.)");

    public static final String PROVIDER_ID = "mysql-users";

    private static final Logger LOG = Logger.getLogger(MysqlUserStorageProviderFactory.class);

    private static final List<String> ALGORITHMS = List.of("bcrypt", "argon2", "pbkdf2", "md5", "sha1", "sha256", "sha512");

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property().name(StorageConfig.JDBC_URL).label("JDBC URL").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("jdbc:mysql://mysql:3306/timelapseme").required(true)
            .helpText("jdbc:mysql://host:3306/db or jdbc:mariadb://host:3306/db; the drivers Keycloak ships are used. "
                    + "One host only. Allowed URL options: TLS (sslMode, ...), character set and collation, time zone, "
                    + "date and bit conversion; others (allowLoadLocalInfile, autoDeserialize, ...) are refused, and "
                    + "local-file loading, deserialization and multi-statements are always off. When the host or port "
                    + "changes, the password must be entered again.").add()
            .property().name(StorageConfig.JDBC_USER).label("Database user").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("User the provider connects as. Read-only mode needs SELECT only.").add()
            .property().name(StorageConfig.JDBC_PASSWORD).label("Database password").type(ProviderConfigProperty.PASSWORD)
            .secret(true).helpText("Password of the database user; a vault reference such as ${vault.mysql_password} works.").add()
            .property().name(StorageConfig.POOL_MAX_SIZE).label("Pool size").type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(10).helpText("Most connections this component keeps open (1-200). Idle ones are closed after 5 minutes.").add()
            .property().name(StorageConfig.CONNECT_TIMEOUT_MS).label("Connect timeout (ms)").type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(2000).helpText("Bound for opening a connection and for waiting for a free one in the pool; "
                    + "a login answers within this when MySQL is down.").add()
            .property().name(StorageConfig.QUERY_TIMEOUT_SECONDS).label("Query timeout (s)").type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(5).helpText("Bound for one statement; the socket gives up 2 s later if the server stops answering.").add()
            .property().name(StorageConfig.LOOKUP_TIMEOUT_MS).label("Login lookup timeout (ms)").type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(500).helpText("Bound for a login's lookup by id, username or email, connecting included. No answer "
                    + "within it marks MySQL down: federated logins then fail at once, and a background probe every second "
                    + "marks it up again. Index the login columns so a lookup stays far below it.").add()
            .property().name(StorageConfig.TABLE).label("Users table").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("Users").required(true).helpText("Table holding the users (TimeLapseMe: Users).").add()
            .property().name(StorageConfig.ID_COLUMN).label("Id column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("id").required(true).helpText("Primary key of the table; part of the Keycloak user id (f:<component>:<id>).").add()
            .property().name(StorageConfig.USERNAME_COLUMN).label("Username column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("email").required(true).helpText("Column users log in with. TimeLapseMe has no username: its users log in with their email.").add()
            .property().name(StorageConfig.EMAIL_COLUMN).label("Email column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("email").helpText("Column with the email address; empty if the table has none.").add()
            .property().name(StorageConfig.PASSWORD_HASH_COLUMN).label("Password hash column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("passwordHash").required(true).helpText("Column with the password hash (bcrypt, argon2 PHC, PBKDF2, or unsalted hex digests).").add()
            .property().name(StorageConfig.HASH_ALGORITHM_COLUMN).label("Hash algorithm column").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Column naming each row's algorithm (WatcherEx: algorithm); empty to use the fixed algorithm below.").add()
            .property().name(StorageConfig.FIXED_HASH_ALGORITHM).label("Fixed hash algorithm").type(ProviderConfigProperty.LIST_TYPE)
            .options(withFirst(StorageConfig.AUTO, ALGORITHMS)).defaultValue(StorageConfig.AUTO)
            .helpText("Algorithm of every hash when there is no algorithm column; 'auto' recognises each hash by its format. "
                    + "An unknown format is refused and logged.").add()
            .property().name(StorageConfig.FIRST_NAME_COLUMN).label("First name column").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Empty if the table has none; first name is then kept by Keycloak and not required.").add()
            .property().name(StorageConfig.LAST_NAME_COLUMN).label("Last name column").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Empty if the table has none; last name is then kept by Keycloak and not required.").add()
            .property().name(StorageConfig.ENABLED_COLUMN).label("Enabled column").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Boolean/number column (0 = disabled); empty if every row is an enabled user.").add()
            .property().name(StorageConfig.CREATED_COLUMN).label("Created timestamp column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("createdAt").helpText("DATETIME/TIMESTAMP or epoch column shown as the user's creation time; also set on insert.").add()
            .property().name(StorageConfig.UPDATED_COLUMN).label("Updated timestamp column").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("updatedAt").helpText("Set to the current time on every write; empty if the table has none.").add()
            .property().name(StorageConfig.ATTRIBUTE_COLUMNS).label("Attribute columns").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("nickname=nickname").helpText("Extra columns as user attributes, one 'attribute=column' per entry "
                    + "(e.g. nickname=nickname); add a user-attribute mapper to put them in tokens.").add()
            .property().name(StorageConfig.ID_ATTRIBUTE).label("Legacy id attribute").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("userId").helpText("User attribute carrying the row id (TimeLapseMe's userId claim). Required for migrate on login.").add()
            .property().name(StorageConfig.EDIT_MODE).label("Edit mode").type(ProviderConfigProperty.LIST_TYPE)
            .options(StorageMode.READ_ONLY.name(), StorageMode.WRITABLE.name(), StorageMode.MIGRATE_ON_LOGIN.name())
            .defaultValue(StorageMode.READ_ONLY.name())
            .helpText("READ_ONLY: users stay in MySQL, nothing is written. WRITABLE: password and profile changes, "
                    + "registrations and deletions go to MySQL. MIGRATE_ON_LOGIN: a user is copied into Keycloak and, on the "
                    + "first good password, re-hashed by Keycloak and unlinked from MySQL.").add()
            .property().name(StorageConfig.WRITE_HASH_ALGORITHM).label("Hash for new passwords").type(ProviderConfigProperty.LIST_TYPE)
            .options(withFirst(StorageConfig.SAME, List.of("bcrypt", "argon2", "pbkdf2"))).defaultValue(StorageConfig.SAME)
            .helpText("Writable mode: how a changed password is stored in MySQL. 'same' keeps each user's format and cost, "
                    + "raised to the minimums (bcrypt cost 10; argon2id m=19 MiB, t=2; PBKDF2 at OWASP's iterations); users "
                    + "with an unsalted digest or no hash get bcrypt. A cheaper stored hash is upgraded on the next login.").add()
            .property().name(StorageConfig.INSERT_VALUES).label("Values for new rows").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("authenticationMethod=CREDENTIALS").helpText("Writable mode: fixed 'column=value' pairs for rows "
                    + "of users who register in Keycloak (TimeLapseMe: authenticationMethod=CREDENTIALS).").add()
            .build();

    private final ConnectionPools pools = new ConnectionPools();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "MySQL users: log in the users of an existing MySQL/MariaDB users table (TimeLapseMe, WatcherEx, "
                + "ErtisAuth style) with their legacy password hashes.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public MysqlUserStorageProvider create(KeycloakSession session, ComponentModel model) {
        StorageConfig config = StorageConfig.from(model);
        LegacyUserTable table = new LegacyUserTable(
                () -> pools.database(model.getId(), config.connection(), () -> password(session, config)), config);
        return new MysqlUserStorageProvider(session, model, config, table);
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        if (holdsUnresolvedPlaceholder(model)) {
            if (!new UserStorageProviderModel(model).isEnabled()) {
                return; // a realm file's ${ENV:default} values, kept for the operator to fill in before enabling
            }
            // no braces in the message: the admin API formats it as a message pattern
            throw new ComponentValidationException("A setting still holds an unresolved placeholder (a dollar sign and a name "
                    + "in braces): enter the value, or import the realm file at start-up (kc.sh import or --import-realm), "
                    + "which resolves placeholders");
        }
        StorageConfig config = StorageConfig.from(model);
        requirePasswordForNewAddress(realm, model, config);
        checkColumns(session, model, config);
    }

    /**
     * Keycloak resolves {@code ${ENV:default}} placeholders of a realm file only when it imports the file at start-up;
     * a realm created from the same file through the admin API (the console's "Create realm") keeps them verbatim.
     * Vault references ({@code ${vault.key}}) are resolved when used, so they are not placeholders here.
     */
    private static boolean holdsUnresolvedPlaceholder(ComponentModel model) {
        return model.getConfig().values().stream().flatMap(List::stream)
                .anyMatch(value -> value != null && UNRESOLVED_PLACEHOLDER.matcher(value).find());
    }

    /**
     * The stored password belongs to the address it was entered for. The admin API keeps a secret
     * that comes back as its mask ("**********"), so a URL pointed at another host or port with the
     * password left as it was would send the stored password (or the vault secret it names) there:
     * refused, as Keycloak's LDAP provider refuses a changed connection URL with a kept bind
     * credential. The admin API cannot tell a re-typed identical password from the mask, so moving
     * with the same password takes two saves: the new URL with the password cleared, then the password.
     */
    private static void requirePasswordForNewAddress(RealmModel realm, ComponentModel model, StorageConfig config) {
        ComponentModel stored = model.getId() == null ? null : realm.getComponent(model.getId());
        if (stored == null) {
            return;
        }
        String storedPassword = stored.get(StorageConfig.JDBC_PASSWORD);
        if (storedPassword == null || storedPassword.isEmpty()
                || !storedPassword.equals(model.get(StorageConfig.JDBC_PASSWORD))) {
            return;
        }
        String storedAddress;
        try {
            storedAddress = JdbcUrl.parse(stored.get(StorageConfig.JDBC_URL, "")).address();
        } catch (ComponentValidationException unparsable) {
            storedAddress = null; // saved before URLs were checked: any address is a new one
        }
        if (!config.connection().url().address().equals(storedAddress)) {
            throw new ComponentValidationException("The database host or port changed to " + config.connection().url().address()
                    + ": enter the database password again (the stored one is not sent to a new address). To keep the "
                    + "same password, save the new URL with the password cleared, then save the password.");
        }
    }

    /** Deleting a user a migrate-on-login component imported keeps its row from being imported again. */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserPreRemovedEvent removed) {
                MigrationLedger.userRemoved(removed.getKeycloakSession(), removed.getRealm(), removed.getUser());
            }
        });
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        pools.close(oldModel.getId());
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        pools.close(model.getId());
    }

    @Override
    public void close() {
        pools.closeAll();
    }

    /**
     * A wrong table or column name is a configuration error and is refused on save. MySQL being
     * unreachable is not: the component is saved (a realm import must not depend on MySQL being up)
     * and the problem is logged.
     */
    private void checkColumns(KeycloakSession session, ComponentModel model, StorageConfig config) {
        String probeId = "validate-" + (model.getId() == null ? "new" : model.getId());
        try (Connection connection = pools.database(probeId, config.connection(), () -> password(session, config))
                .dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT " + String.join(", ", columns(config)) + " FROM " + UserSearch.quote(config.table()) + " LIMIT 0")) {
            statement.setQueryTimeout(config.queryTimeoutSeconds());
            statement.executeQuery().close();
        } catch (SQLException e) {
            if (LegacyDatabase.isConnectionProblem(e)) {
                LOG.warnf("MySQL users (%s): saved, but MySQL is not reachable now: %s", model.getName(), e.getMessage());
                return;
            }
            if (config.connection().password().isEmpty() && e.getSQLState() != null && e.getSQLState().startsWith("28")) {
                // the first of the two saves that move a component to a new address with the same password
                LOG.warnf("MySQL users (%s): saved without a database password, which MySQL refuses: %s",
                        model.getName(), e.getMessage());
                return;
            }
            throw new ComponentValidationException("MySQL rejected the table or column settings: " + e.getMessage());
        } catch (StorageUnavailableException e) {
            LOG.warnf("MySQL users (%s): saved, but MySQL is not reachable now: %s", model.getName(), e.getMessage());
        } finally {
            pools.close(probeId);
        }
    }

    private static List<String> columns(StorageConfig config) {
        Set<String> columns = new LinkedHashSet<>();
        for (String column : new String[] {config.idColumn(), config.usernameColumn(), config.emailColumn(),
                config.passwordHashColumn(), config.hashAlgorithmColumn(), config.firstNameColumn(), config.lastNameColumn(),
                config.enabledColumn(), config.createdColumn(), config.updatedColumn()}) {
            if (column != null) {
                columns.add(column);
            }
        }
        columns.addAll(config.attributeColumns().values());
        if (config.writable()) {
            columns.addAll(config.insertValues().keySet());
        }
        return columns.stream().map(UserSearch::quote).toList();
    }

    private static String password(KeycloakSession session, StorageConfig config) {
        String raw = config.connection().password();
        try (VaultStringSecret secret = session.vault().getStringSecret(raw)) {
            return secret.get().orElse(raw);
        }
    }

    private static List<String> withFirst(String first, List<String> rest) {
        List<String> options = new ArrayList<>();
        options.add(first);
        options.addAll(rest);
        return options;
    }
}
