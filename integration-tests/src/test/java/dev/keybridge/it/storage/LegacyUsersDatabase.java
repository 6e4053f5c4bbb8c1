package dev.keybridge.it.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;

import dev.keybridge.it.harness.KeybridgeBuild;

/**
 * A database of its own on the local MariaDB (127.0.0.1:3306, root), loaded with the seed file
 * storage-provider/sql/timelapseme-users.sql and dropped at the end of the test class.
 */
public final class LegacyUsersDatabase implements AutoCloseable {

    public static final String HOST = "127.0.0.1:3306";

    private final String name = "kb_storage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    public LegacyUsersDatabase() throws SQLException, IOException {
        try (Connection server = DriverManager.getConnection("jdbc:mariadb://" + HOST + "/", "root", "");
             Statement statement = server.createStatement()) {
            statement.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        }
        String seed = Files.readString(KeybridgeBuild.rootDir().resolve(Path.of("storage-provider", "sql", "timelapseme-users.sql")));
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : seed.replaceAll("(?m)^\\s*--.*$", "").split(";\\s*\\n")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        }
    }

    String name() {
        return name;
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://" + HOST + "/" + name;
    }

    /** A mysql-users component over this database, as an operator would add it in the admin console. */
    public static ComponentRepresentation component(String realmId, String mode, String jdbcUrl, Map<String, String> settings) {
        ComponentRepresentation component = new ComponentRepresentation();
        component.setName("legacy-" + mode.toLowerCase(Locale.ROOT));
        component.setProviderId("mysql-users");
        component.setProviderType("org.keycloak.storage.UserStorageProvider");
        component.setParentId(realmId);
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle("jdbcUrl", jdbcUrl);
        config.putSingle("jdbcUser", "root");
        config.putSingle("jdbcPassword", "");
        config.putSingle("editMode", mode);
        config.put("attributeColumns", List.of("nickname=nickname"));
        config.putSingle("enabled", "true");
        settings.forEach(config::putSingle);
        component.setConfig(config);
        return component;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "root", "");
    }

    public int update(String sql, Object... args) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            return statement.executeUpdate();
        }
    }

    /** The first column of the first row, or null when there is no row. */
    String queryString(String sql, Object... args) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection server = DriverManager.getConnection("jdbc:mariadb://" + HOST + "/", "root", "");
             Statement statement = server.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS `" + name + "`");
        }
    }
}
