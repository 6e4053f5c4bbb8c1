package dev.keybridge.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.UserModel;

/** Search parameters to SQL, and the settings that shape it, with TimeLapseMe's defaults. */
class UserSearchTest {

    private static StorageConfig config(String... keyValues) {
        ComponentModel model = new ComponentModel();
        model.put(StorageConfig.JDBC_URL, "jdbc:mariadb://127.0.0.1:3306/legacy");
        for (int i = 0; i < keyValues.length; i += 2) {
            model.put(keyValues[i], keyValues[i + 1]);
        }
        return StorageConfig.from(model);
    }

    @Test
    void starListsEveryoneWithoutACondition() {
        SqlCondition where = UserSearch.where(config(), Map.of(UserModel.SEARCH, "*")).orElseThrow();

        assertEquals("`email` IS NOT NULL", where.sql());
        assertEquals(List.of(), where.parameters());
    }

    @Test
    void eachWordIsAPrefixOverUsernameAndEmailWithLikeMetaCharactersEscaped() {
        SqlCondition where = UserSearch.where(config(StorageConfig.FIRST_NAME_COLUMN, "given"),
                Map.of(UserModel.SEARCH, "50%_off! al*")).orElseThrow();

        // username and email are the same column in TimeLapseMe's table: it is searched once
        assertEquals("`email` IS NOT NULL"
                + " AND (`email` LIKE ? ESCAPE '!' OR `given` LIKE ? ESCAPE '!')"
                + " AND (`email` LIKE ? ESCAPE '!' OR `given` LIKE ? ESCAPE '!')", where.sql());
        assertEquals(List.of("50!%!_off!!%", "50!%!_off!!%", "al%", "al%"), where.parameters());
    }

    @Test
    void quotedWordsAreExact() {
        SqlCondition where = UserSearch.where(config(), Map.of(UserModel.SEARCH, "\"alice@timelapse.me\"")).orElseThrow();

        assertTrue(where.sql().endsWith("(`email` = ?)"), where.sql());
        assertEquals(List.of("alice@timelapse.me"), where.parameters());
    }

    @Test
    void attributesMatchTheirColumnsExactlyAndTheLegacyIdMatchesTheKey() {
        SqlCondition where = UserSearch.where(config(), Map.of("nickname", "x' OR 1=1 --")).orElseThrow();
        SqlCondition byId = UserSearch.where(config(), Map.of("userId", "42")).orElseThrow();

        assertEquals("`email` IS NOT NULL AND `nickname` = ?", where.sql());
        assertEquals(List.of("x' OR 1=1 --"), where.parameters());
        assertEquals("`email` IS NOT NULL AND `id` = ?", byId.sql());
    }

    @Test
    void filtersTheTableCannotAnswerMatchNothing() {
        assertEquals(Optional.empty(), UserSearch.where(config(), Map.of("department", "sales")));
        assertEquals(Optional.empty(), UserSearch.where(config(), Map.of(UserModel.FIRST_NAME, "Al")));
        assertEquals(Optional.empty(), UserSearch.where(config(), Map.of(UserModel.IDP_ALIAS, "google")));
        assertEquals(Optional.empty(), UserSearch.where(config(), Map.of(UserModel.ENABLED, "false")));
    }

    @Test
    void settingsThatCouldInjectSqlAreRefused() {
        assertThrows(ComponentValidationException.class, () -> config(StorageConfig.TABLE, "Users; DROP TABLE Users"));
        assertThrows(ComponentValidationException.class, () -> config(StorageConfig.EMAIL_COLUMN, "email`"));
        assertThrows(ComponentValidationException.class, () -> config(StorageConfig.ATTRIBUTE_COLUMNS, "nick=nick name"));
        assertThrows(ComponentValidationException.class, () -> config(StorageConfig.JDBC_URL, "jdbc:postgresql://db/x"));
        assertThrows(ComponentValidationException.class, () -> config(StorageConfig.POOL_MAX_SIZE, "0"));
        assertThrows(ComponentValidationException.class, () -> config(StorageConfig.FIXED_HASH_ALGORITHM, "rot13"));
        assertThrows(ComponentValidationException.class,
                () -> config(StorageConfig.EDIT_MODE, "MIGRATE_ON_LOGIN", StorageConfig.ID_ATTRIBUTE, ""));
    }

    @Test
    void defaultsAreTimeLapseMesSchema() {
        StorageConfig config = config();

        assertEquals("Users", config.table());
        assertEquals("email", config.usernameColumn());
        assertEquals("passwordHash", config.passwordHashColumn());
        assertEquals(Map.of("nickname", "nickname"), config.attributeColumns());
        assertEquals("userId", config.idAttribute());
        assertEquals(Map.of("authenticationMethod", "CREDENTIALS"), config.insertValues());
        assertEquals(StorageMode.READ_ONLY, config.editMode());
        assertEquals(7000, config.connection().socketTimeoutMillis());
    }
}
