package dev.keybridge.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.UserModel;

/**
 * Turns Keycloak's user-search parameters into SQL over the legacy table, with the semantics of
 * Keycloak's own JPA store: the free-text search splits on white space and every word must match
 * username, email, first or last name as a prefix ({@code *} is a wildcard, {@code "..."} is an
 * exact match); username/email/name filters are infix matches, or exact with the exact flag; any
 * other key is an exact match on a mapped attribute column. Matching is case-insensitive through
 * the columns' collation (MySQL's and MariaDB's defaults are), which keeps prefix searches on an
 * index.
 */
final class UserSearch {

    /** LIKE escape character: not a backslash, whose meaning depends on the server's SQL mode. */
    private static final char ESCAPE = '!';

    private UserSearch() {
    }

    /**
     * The condition, or empty when the parameters cannot match any row of this table (e.g. a
     * filter on an attribute the table has no column for, or a Keycloak-only filter such as an
     * identity-provider link).
     */
    static Optional<SqlCondition> where(StorageConfig config, Map<String, String> params) {
        List<String> clauses = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        clauses.add(quote(config.usernameColumn()) + " IS NOT NULL");
        boolean exact = Boolean.parseBoolean(params.get(UserModel.EXACT));
        for (Map.Entry<String, String> entry : params.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (value == null) {
                continue;
            }
            switch (key) {
                case UserModel.SEARCH -> {
                    for (String word : value.trim().split("\\s+")) {
                        addWord(config, word, clauses, args);
                    }
                }
                case UserModel.USERNAME -> addFilter(config.usernameColumn(), value, exact, clauses, args);
                case UserModel.EMAIL -> {
                    if (config.emailColumn() == null) {
                        return Optional.empty();
                    }
                    addFilter(config.emailColumn(), value, exact, clauses, args);
                }
                case UserModel.FIRST_NAME -> {
                    if (config.firstNameColumn() == null) {
                        return Optional.empty();
                    }
                    addFilter(config.firstNameColumn(), value, exact, clauses, args);
                }
                case UserModel.LAST_NAME -> {
                    if (config.lastNameColumn() == null) {
                        return Optional.empty();
                    }
                    addFilter(config.lastNameColumn(), value, exact, clauses, args);
                }
                case UserModel.ENABLED -> {
                    if (config.enabledColumn() != null) {
                        clauses.add(quote(config.enabledColumn()) + (Boolean.parseBoolean(value) ? " <> 0" : " = 0"));
                    } else if (!Boolean.parseBoolean(value)) {
                        return Optional.empty();
                    }
                }
                // paging and service-account flags need no condition: the table has no service accounts
                case UserModel.EXACT, UserModel.INCLUDE_SERVICE_ACCOUNT -> {
                }
                default -> {
                    String column = attributeColumn(config, key);
                    if (column == null) {
                        return Optional.empty();
                    }
                    clauses.add(quote(column) + " = ?");
                    args.add(value);
                }
            }
        }
        return Optional.of(new SqlCondition(String.join(" AND ", clauses), args));
    }

    /** The column holding a user attribute, the legacy id included; null when none does. */
    static String attributeColumn(StorageConfig config, String attribute) {
        if (attribute.equals(config.idAttribute())) {
            return config.idColumn();
        }
        return config.attributeColumns().get(attribute);
    }

    private static void addWord(StorageConfig config, String word, List<String> clauses, List<Object> args) {
        List<String> columns = new ArrayList<>();
        columns.add(config.usernameColumn());
        for (String column : new String[] {config.emailColumn(), config.firstNameColumn(), config.lastNameColumn()}) {
            if (column != null && !columns.contains(column)) {
                columns.add(column);
            }
        }
        boolean exact = word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"");
        String operand;
        if (exact) {
            operand = word.substring(1, word.length() - 1);
        } else {
            boolean endsWithWildcard = word.endsWith("*");
            operand = escapeLike(word).replace('*', '%');
            if (operand.isEmpty() || !endsWithWildcard) {
                operand += "%";
            }
            if (operand.equals("%")) {
                return; // "*" lists everyone: no condition, so the count and first page stay cheap
            }
        }
        List<String> alternatives = new ArrayList<>();
        for (String column : columns) {
            alternatives.add(quote(column) + (exact ? " = ?" : " LIKE ? ESCAPE '" + ESCAPE + "'"));
            args.add(operand);
        }
        clauses.add("(" + String.join(" OR ", alternatives) + ")");
    }

    private static void addFilter(String column, String value, boolean exact, List<String> clauses, List<Object> args) {
        if (exact) {
            clauses.add(quote(column) + " = ?");
            args.add(value);
        } else {
            clauses.add(quote(column) + " LIKE ? ESCAPE '" + ESCAPE + "'");
            args.add("%" + escapeLike(value) + "%");
        }
    }

    static String escapeLike(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            if (c == ESCAPE || c == '%' || c == '_') {
                out.append(ESCAPE);
            }
            out.append(c);
        }
        return out.toString();
    }

    static String quote(String identifier) {
        // identifiers are validated by StorageConfig; back-quotes work on MySQL and MariaDB
        return "`" + identifier + "`";
    }
}
