package dev.keybridge.storage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.keybridge.storage.hash.HashAlgorithm;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;

/**
 * The typed settings of one {@code mysql-users} component, read and validated from its config.
 * Column names are checked against a strict identifier pattern and always back-quoted in SQL, so
 * no setting can inject SQL.
 */
public record StorageConfig(
        ConnectionSettings connection,
        int queryTimeoutSeconds,
        String table,
        String idColumn,
        String usernameColumn,
        String emailColumn,
        String passwordHashColumn,
        String hashAlgorithmColumn,
        HashAlgorithm fixedHashAlgorithm,
        String firstNameColumn,
        String lastNameColumn,
        String enabledColumn,
        String createdColumn,
        String updatedColumn,
        Map<String, String> attributeColumns,
        String idAttribute,
        Map<String, String> insertValues,
        StorageMode editMode,
        HashAlgorithm writeHashAlgorithm) {

    /** What the pool is built from: a change to any of these replaces the component's pool. */
    public record ConnectionSettings(JdbcUrl url, String user, String password, int poolMaxSize,
                                     int connectTimeoutMillis, int socketTimeoutMillis, int lookupTimeoutMillis) {
    }

    public static final String JDBC_URL = "jdbcUrl";
    public static final String JDBC_USER = "jdbcUser";
    public static final String JDBC_PASSWORD = "jdbcPassword";
    public static final String POOL_MAX_SIZE = "poolMaxSize";
    public static final String CONNECT_TIMEOUT_MS = "connectTimeoutMillis";
    public static final String QUERY_TIMEOUT_SECONDS = "queryTimeoutSeconds";
    public static final String LOOKUP_TIMEOUT_MS = "lookupTimeoutMillis";
    public static final String TABLE = "table";
    public static final String ID_COLUMN = "idColumn";
    public static final String USERNAME_COLUMN = "usernameColumn";
    public static final String EMAIL_COLUMN = "emailColumn";
    public static final String PASSWORD_HASH_COLUMN = "passwordHashColumn";
    public static final String HASH_ALGORITHM_COLUMN = "hashAlgorithmColumn";
    public static final String FIXED_HASH_ALGORITHM = "fixedHashAlgorithm";
    public static final String FIRST_NAME_COLUMN = "firstNameColumn";
    public static final String LAST_NAME_COLUMN = "lastNameColumn";
    public static final String ENABLED_COLUMN = "enabledColumn";
    public static final String CREATED_COLUMN = "createdColumn";
    public static final String UPDATED_COLUMN = "updatedColumn";
    public static final String ATTRIBUTE_COLUMNS = "attributeColumns";
    public static final String ID_ATTRIBUTE = "idAttribute";
    public static final String INSERT_VALUES = "insertValues";
    public static final String EDIT_MODE = "editMode";
    public static final String WRITE_HASH_ALGORITHM = "writeHashAlgorithm";

    /** Fixed-algorithm value meaning "recognise each hash by its shape". */
    public static final String AUTO = "auto";
    /** Write-algorithm value meaning "keep each user's current format". */
    public static final String SAME = "same";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,255}");

    public static StorageConfig from(ComponentModel model) {
        JdbcUrl url = JdbcUrl.parse(required(model, JDBC_URL, "JDBC URL"));
        int queryTimeout = intSetting(model, QUERY_TIMEOUT_SECONDS, 5, 1, 300);
        ConnectionSettings connection = new ConnectionSettings(url, text(model, JDBC_USER),
                text(model, JDBC_PASSWORD), intSetting(model, POOL_MAX_SIZE, 10, 1, 200),
                intSetting(model, CONNECT_TIMEOUT_MS, 2000, 100, 60_000),
                // the socket timeout is the hard bound when the server stops answering altogether
                (queryTimeout + 2) * 1000,
                intSetting(model, LOOKUP_TIMEOUT_MS, 500, 50, 60_000));
        String idColumn = column(model, ID_COLUMN, "id", true);
        StorageMode mode = editMode(model);
        String idAttribute = text(model, ID_ATTRIBUTE, "userId");
        if (!idAttribute.isEmpty() && !ATTRIBUTE_NAME.matcher(idAttribute).matches()) {
            throw invalid("Legacy id attribute '" + idAttribute + "' is not a valid attribute name");
        }
        if (mode == StorageMode.MIGRATE_ON_LOGIN && idAttribute.isEmpty()) {
            throw invalid("Migrate on login needs the legacy id attribute: it links an imported user to its row");
        }
        return new StorageConfig(connection, queryTimeout,
                column(model, TABLE, "Users", true),
                idColumn,
                column(model, USERNAME_COLUMN, "email", true),
                column(model, EMAIL_COLUMN, "email", false),
                column(model, PASSWORD_HASH_COLUMN, "passwordHash", true),
                column(model, HASH_ALGORITHM_COLUMN, "", false),
                algorithm(model, FIXED_HASH_ALGORITHM, AUTO),
                column(model, FIRST_NAME_COLUMN, "", false),
                column(model, LAST_NAME_COLUMN, "", false),
                column(model, ENABLED_COLUMN, "", false),
                column(model, CREATED_COLUMN, "createdAt", false),
                column(model, UPDATED_COLUMN, "updatedAt", false),
                pairs(model, ATTRIBUTE_COLUMNS, "nickname=nickname", true),
                idAttribute,
                pairs(model, INSERT_VALUES, "authenticationMethod=CREDENTIALS", false),
                mode,
                writeAlgorithm(model));
    }

    public boolean writable() {
        return editMode == StorageMode.WRITABLE;
    }

    private static StorageMode editMode(ComponentModel model) {
        String value = text(model, EDIT_MODE, StorageMode.READ_ONLY.name());
        try {
            return StorageMode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("Edit mode must be one of READ_ONLY, WRITABLE, MIGRATE_ON_LOGIN, not '" + value + "'");
        }
    }

    /** Null for {@link #AUTO} / {@link #SAME}. */
    private static HashAlgorithm algorithm(ComponentModel model, String key, String automatic) {
        String value = text(model, key, automatic);
        if (value.equalsIgnoreCase(automatic)) {
            return null;
        }
        return HashAlgorithm.fromName(value)
                .orElseThrow(() -> invalid("Unknown hash algorithm '" + value + "' in " + key));
    }

    /** Only salted, tunable hashes are written: a hex digest is never a new password's hash. */
    private static HashAlgorithm writeAlgorithm(ComponentModel model) {
        HashAlgorithm algorithm = algorithm(model, WRITE_HASH_ALGORITHM, SAME);
        if (algorithm != null && !algorithm.writable()) {
            throw invalid("Hash for new passwords must be same, bcrypt, argon2 or pbkdf2, not \""
                    + text(model, WRITE_HASH_ALGORITHM) + "\": unsalted digests are never written");
        }
        return algorithm;
    }

    private static String column(ComponentModel model, String key, String defaultValue, boolean required) {
        String value = text(model, key, defaultValue);
        if (value.isEmpty()) {
            if (required) {
                throw invalid("Setting " + key + " is required");
            }
            return null;
        }
        if (!IDENTIFIER.matcher(value).matches()) {
            throw invalid("'" + value + "' (" + key + ") is not a plain table or column name");
        }
        return value;
    }

    /** "name=column" lines (or "column=value" for insert values), in order. */
    private static Map<String, String> pairs(ComponentModel model, String key, String defaultValue, boolean attributeToColumn) {
        List<String> lines = model.getConfig().containsKey(key) ? model.getConfig().getList(key) : List.of(defaultValue);
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : lines) {
            if (line == null || line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw invalid("'" + line + "' in " + key + " must look like name=value");
            }
            String left = line.substring(0, eq).trim();
            String right = line.substring(eq + 1).trim();
            String columnName = attributeToColumn ? right : left;
            if (!IDENTIFIER.matcher(columnName).matches()) {
                throw invalid("'" + columnName + "' in " + key + " is not a plain column name");
            }
            if (attributeToColumn && !ATTRIBUTE_NAME.matcher(left).matches()) {
                throw invalid("'" + left + "' in " + key + " is not a valid attribute name");
            }
            result.put(left, right);
        }
        return Collections.unmodifiableMap(result);
    }

    private static int intSetting(ComponentModel model, String key, int defaultValue, int min, int max) {
        String value = text(model, key, Integer.toString(defaultValue));
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw invalid(key + " must be between " + min + " and " + max + ", not " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(key + " must be a whole number, not '" + value + "'");
        }
    }

    private static String required(ComponentModel model, String key, String label) {
        String value = text(model, key);
        if (value.isEmpty()) {
            throw invalid(label + " is required");
        }
        return value;
    }

    private static String text(ComponentModel model, String key) {
        return text(model, key, "");
    }

    private static String text(ComponentModel model, String key, String defaultValue) {
        String value = model.getConfig().containsKey(key) ? model.get(key) : defaultValue;
        return value == null ? "" : value.trim();
    }

    private static ComponentValidationException invalid(String message) {
        return new ComponentValidationException(message);
    }
}
