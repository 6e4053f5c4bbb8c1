package dev.keybridge.storage;

import static dev.keybridge.storage.UserSearch.quote;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.keycloak.storage.StorageUnavailableException;

/**
 * SQL over the legacy users table: every value is a bound parameter, every identifier comes from
 * the validated configuration. A database failure becomes a {@link StorageUnavailableException},
 * which Keycloak's user manager turns into "not found here" for lookups and searches. Lookups by
 * id, username and email are on a login's path and run within the lookup timeout
 * ({@link LegacyDatabase#lookup}).
 */
final class LegacyUserTable {

    private static final Logger LOG = Logger.getLogger(LegacyUserTable.class);
    /** Rows one lookup reads at most: those its column's collation takes for equal, of which one holds the value. */
    private static final int COLLATION_CANDIDATES = 20;

    /** Looked up per statement, so a pool that cannot be built fails the statement, not the session. */
    private final Supplier<LegacyDatabase> database;
    private final StorageConfig config;
    private final String selectColumns;

    LegacyUserTable(Supplier<LegacyDatabase> database, StorageConfig config) {
        this.database = database;
        this.config = config;
        List<String> columns = new ArrayList<>(List.of(config.idColumn(), config.usernameColumn()));
        for (String optional : new String[] {config.emailColumn(), config.passwordHashColumn(), config.hashAlgorithmColumn(),
                config.firstNameColumn(), config.lastNameColumn(), config.enabledColumn(), config.createdColumn()}) {
            columns.add(optional == null ? "NULL" : quote(optional));
        }
        columns.set(0, quote(columns.get(0)));
        columns.set(1, quote(columns.get(1)));
        config.attributeColumns().values().forEach(column -> columns.add(quote(column)));
        this.selectColumns = String.join(", ", columns);
    }

    /** The row whose id is exactly {@code id}: MySQL reads '2abc', '02' and '2.0' as the number 2, we don't. */
    Optional<LegacyUser> findById(String id) {
        return first("find by id", config.idColumn(), id, row -> id.equals(row.id()));
    }

    Optional<LegacyUser> findByUsername(String username) {
        return first("find by username", config.usernameColumn(), username, row -> sameLoginName(username, row.username()));
    }

    Optional<LegacyUser> findByEmail(String email) {
        if (config.emailColumn() == null) {
            return Optional.empty();
        }
        return first("find by email", config.emailColumn(), email, row -> sameLoginName(email, row.email()));
    }

    /**
     * Whether a row's username or email is the name a user typed: equal but for letter case, as Keycloak
     * lowercases usernames and emails. The column's collation is not trusted with this: MySQL's and MariaDB's
     * defaults also ignore accents and trailing spaces ('légacy1@x.org', 'legacy1@x.org ' = 'legacy1@x.org').
     */
    static boolean sameLoginName(String typed, String stored) {
        return stored != null && typed.toLowerCase(Locale.ROOT).equals(stored.toLowerCase(Locale.ROOT));
    }

    List<LegacyUser> search(SqlCondition where, Integer firstResult, Integer maxResults) {
        StringBuilder sql = new StringBuilder("SELECT ").append(selectColumns).append(" FROM ").append(quote(config.table()))
                .append(" WHERE ").append(where.sql())
                .append(" ORDER BY ").append(quote(config.usernameColumn())).append(", ").append(quote(config.idColumn()));
        List<Object> args = new ArrayList<>(where.parameters());
        if (maxResults != null && maxResults >= 0) {
            sql.append(" LIMIT ?");
            args.add(maxResults);
        } else if (firstResult != null && firstResult > 0) {
            sql.append(" LIMIT ").append(Long.MAX_VALUE);
        }
        if (firstResult != null && firstResult > 0) {
            sql.append(" OFFSET ?");
            args.add(firstResult);
        }
        return database.get().run(describe("search"), connection -> select(connection, sql.toString(), args));
    }

    int count(SqlCondition where) {
        String sql = "SELECT COUNT(*) FROM " + quote(config.table()) + " WHERE " + where.sql();
        return database.get().run(describe("count"), connection -> {
            try (PreparedStatement statement = prepare(connection, sql, where.parameters());
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                return (int) Math.min(Integer.MAX_VALUE, rows.getLong(1));
            }
        });
    }

    /** Sets one mapped column of a row (and the updated-at column when there is one). */
    void updateColumn(String id, String column, Object value) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(column, value);
        update(id, values);
    }

    void updatePassword(String id, String hash, String algorithmName) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(config.passwordHashColumn(), hash);
        if (config.hashAlgorithmColumn() != null) {
            values.put(config.hashAlgorithmColumn(), algorithmName);
        }
        update(id, values);
    }

    /** Inserts a row for a user who registered in Keycloak; returns the new row's id. */
    String insert(String username) {
        Map<String, Object> values = new LinkedHashMap<>(config.insertValues());
        values.put(config.usernameColumn(), username);
        Timestamp now = new Timestamp(System.currentTimeMillis());
        if (config.createdColumn() != null) {
            values.put(config.createdColumn(), now);
        }
        if (config.updatedColumn() != null) {
            values.put(config.updatedColumn(), now);
        }
        String sql = "INSERT INTO " + quote(config.table()) + " ("
                + values.keySet().stream().map(UserSearch::quote).collect(Collectors.joining(", ")) + ") VALUES ("
                + values.keySet().stream().map(k -> "?").collect(Collectors.joining(", ")) + ")";
        String generatedId = database.get().run(describe("insert"), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                statement.setQueryTimeout(config.queryTimeoutSeconds());
                bind(statement, new ArrayList<>(values.values()));
                statement.executeUpdate();
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    return keys.next() ? keys.getString(1) : null;
                }
            }
        });
        if (generatedId != null) {
            return generatedId;
        }
        // a table without an auto-increment id: the username identifies the new row
        return findByUsername(username).map(LegacyUser::id)
                .orElseThrow(() -> new StorageUnavailableException("inserted row for " + username + " not found"));
    }

    boolean delete(String id) {
        String sql = "DELETE FROM " + quote(config.table()) + " WHERE " + quote(config.idColumn()) + " = ?";
        return execute("delete", sql, List.of(id)) > 0;
    }

    private void update(String id, Map<String, Object> values) {
        if (config.updatedColumn() != null) {
            values.put(config.updatedColumn(), new Timestamp(System.currentTimeMillis()));
        }
        String sql = "UPDATE " + quote(config.table()) + " SET "
                + values.keySet().stream().map(c -> quote(c) + " = ?").collect(Collectors.joining(", "))
                + " WHERE " + quote(config.idColumn()) + " = ?";
        List<Object> args = new ArrayList<>(values.values());
        args.add(id);
        execute("update", sql, args);
    }

    private int execute(String operation, String sql, List<Object> args) {
        return database.get().run(describe(operation), connection -> {
            try (PreparedStatement statement = prepare(connection, sql, args)) {
                return statement.executeUpdate();
            }
        });
    }

    /**
     * The single row a lookup means. The column's index finds the candidates, the {@code exact} test keeps
     * those that really hold the value (the collation's equality is wider). Legacy tables do hold duplicates
     * (TimeLapseMe never made email unique): the row with a password hash wins, then the oldest id, and the
     * duplicate is logged.
     */
    private Optional<LegacyUser> first(String operation, String column, String value, Predicate<LegacyUser> exact) {
        String sql = "SELECT " + selectColumns + " FROM " + quote(config.table()) + " WHERE " + quote(column) + " = ?"
                + " AND " + quote(config.usernameColumn()) + " IS NOT NULL"
                + " ORDER BY " + quote(config.passwordHashColumn()) + " IS NULL, " + quote(config.idColumn())
                + " LIMIT " + COLLATION_CANDIDATES;
        List<LegacyUser> rows = database.get().lookup(describe(operation), connection -> select(connection, sql, List.of(value)))
                .stream().filter(exact).toList();
        if (rows.size() > 1) {
            LOG.warnf("MySQL users: %s matched more than one row of %s (ids %s, %s); using id %s",
                    operation, config.table(), rows.get(0).id(), rows.get(1).id(), rows.get(0).id());
        }
        return rows.stream().findFirst();
    }

    private List<LegacyUser> select(Connection connection, String sql, List<Object> args) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, args);
             ResultSet rows = statement.executeQuery()) {
            List<LegacyUser> users = new ArrayList<>();
            while (rows.next()) {
                users.add(map(rows));
            }
            return users;
        }
    }

    private PreparedStatement prepare(Connection connection, String sql, List<Object> args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(config.queryTimeoutSeconds());
        bind(statement, args);
        return statement;
    }

    private static void bind(PreparedStatement statement, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            statement.setObject(i + 1, args.get(i));
        }
    }

    private LegacyUser map(ResultSet row) throws SQLException {
        Map<String, String> attributes = new LinkedHashMap<>();
        int index = 10;
        for (String attribute : config.attributeColumns().keySet()) {
            attributes.put(attribute, row.getString(index++));
        }
        return new LegacyUser(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getString(7), enabled(row.getObject(8)), timestamp(row.getObject(9)),
                Collections.unmodifiableMap(attributes));
    }

    private static Boolean enabled(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.longValue() != 0;
        }
        String text = value.toString().trim().toLowerCase(java.util.Locale.ROOT);
        return text.equals("1") || text.equals("true") || text.equals("y") || text.equals("yes") || text.equals("active");
    }

    /** DATETIME/TIMESTAMP columns, or epoch numbers in seconds or milliseconds. */
    private static Long timestamp(Object value) {
        if (value instanceof Timestamp t) {
            return t.getTime();
        }
        if (value instanceof java.time.LocalDateTime t) {
            return Timestamp.valueOf(t).getTime();
        }
        if (value instanceof Number n) {
            long v = n.longValue();
            return v < 100_000_000_000L ? v * 1000 : v;
        }
        return null;
    }

    private String describe(String operation) {
        return operation + " on " + config.table();
    }
}
