package dev.keybridge.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.ComponentResource;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.util.JsonSerialization;

/**
 * What a realm administrator may point the mysql-users provider at, what it writes and accepts as
 * password hashes, and what an outage of MySQL costs a login (issue 17, items 2, 3, 4 and 8).
 */
@KeycloakIntegrationTest
class MysqlConnectionSafetyTest {

    private static final String DB_USER = "kb_safety";
    private static final String DB_PASSWORD = "Safety-pw-1";
    private static final List<String> DB_USER_HOSTS = List.of("%", "localhost", "127.0.0.1");
    private static LegacyUsersDatabase database;

    @InjectRealm(config = MysqlUsersTest.LegacyRealm.class)
    ManagedRealm realm;

    private final LegacyComponents components = new LegacyComponents();

    @AfterEach
    void removeComponents() {
        components.removeAll(realm);
    }

    @BeforeAll
    static void createDatabaseAndUser() throws Exception {
        database = new LegacyUsersDatabase();
        try (Connection server = DriverManager.getConnection("jdbc:mariadb://" + LegacyUsersDatabase.HOST + "/", "root", "");
             Statement statement = server.createStatement()) {
            for (String host : DB_USER_HOSTS) {
                statement.execute("CREATE USER IF NOT EXISTS '" + DB_USER + "'@'" + host + "' IDENTIFIED BY '" + DB_PASSWORD + "'");
                statement.execute("GRANT SELECT ON `" + database.name() + "`.* TO '" + DB_USER + "'@'" + host + "'");
            }
        }
    }

    @AfterAll
    static void dropDatabaseAndUser() throws Exception {
        try (Connection server = DriverManager.getConnection("jdbc:mariadb://" + LegacyUsersDatabase.HOST + "/", "root", "");
             Statement statement = server.createStatement()) {
            for (String host : DB_USER_HOSTS) {
                statement.execute("DROP USER IF EXISTS '" + DB_USER + "'@'" + host + "'");
            }
        }
        database.close();
    }

    // ---- item 2: the JDBC URL

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "?allowLoadLocalInfile=true                                       | allowLoadLocalInfile",
            "?allowUrlInLocalInfile=true                                      | allowUrlInLocalInfile",
            "?autoDeserialize=true                                            | autoDeserialize",
            "?queryInterceptors=com.mysql.cj.jdbc.interceptors.ServerStatusDiffInterceptor | queryInterceptors",
            "?socketFactory=com.mysql.cj.protocol.NamedPipeSocketFactory       | socketFactory",
            "?sslMode=DISABLED&allowLocalInfile=true                          | allowLocalInfile",
    })
    void dangerousDriverOptionsAreRefusedWithA400NamingThem(String query, String option) {
        for (String scheme : List.of("jdbc:mysql://", "jdbc:mariadb://")) {
            String url = scheme + LegacyUsersDatabase.HOST + "/" + database.name() + query;

            Response response = addComponent("READ_ONLY", url, Map.of());

            assertRefused(response, option, url);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "jdbc:mysql://(host=127.0.0.1,port=3306,allowLoadLocalInfile=true)/DB | allowLoadLocalInfile",
            "jdbc:mysql://address=(host=127.0.0.1)(port=3306)(allowLoadLocalInfile=true)/DB | allowLoadLocalInfile",
            "jdbc:mysql://127.0.0.1:3306,127.0.0.1:3307/DB                       | 127.0.0.1:3306,127.0.0.1:3307",
    })
    void hostFormsThatCarryOptionsAreRefused(String template, String named) {
        String url = template.replace("DB", database.name());

        assertRefused(addComponent("READ_ONLY", url, Map.of()), named, url);
    }

    @Test
    void allowedOptionsWorkAndTheUrlsOptionsDoNotReachTheDriverAsText() throws Exception {
        String url = database.jdbcUrl() + "?sslMode=disable&tcpKeepAlive=true";

        components.created(addComponent("READ_ONLY", url, Map.of()));

        Http.Response login = passwordGrant("alice@timelapse.me", "Moo00!_*&");
        assertEquals(200, login.status(), login.body());
    }

    @Test
    void aNewHostOrPortNeedsThePasswordEnteredAgain() throws Exception {
        try (SwitchableTcpProxy otherAddress = new SwitchableTcpProxy("127.0.0.1", 3306)) {
            String id = components.created(addComponent("READ_ONLY", database.jdbcUrl(),
                    Map.of("jdbcUser", DB_USER, "jdbcPassword", DB_PASSWORD)));
            ComponentResource component = realm.admin().components().component(id);
            String movedUrl = "jdbc:mariadb://127.0.0.1:" + otherAddress.port() + "/" + database.name();

            // what the admin console sends: the stored password comes back as its mask
            ComponentRepresentation moved = component.toRepresentation();
            assertEquals(List.of("**********"), moved.getConfig().get("jdbcPassword"));
            moved.getConfig().putSingle("jdbcUrl", movedUrl);
            BadRequestException refused = assertThrows(BadRequestException.class, () -> component.update(moved));
            String message = refused.getResponse().readEntity(String.class);
            assertTrue(message.contains("enter the database password again"), message);
            assertEquals(database.jdbcUrl(), component.toRepresentation().getConfig().getFirst("jdbcUrl"));

            // other settings are still edited with the mask
            ComponentRepresentation tuned = component.toRepresentation();
            tuned.getConfig().putSingle("lookupTimeoutMillis", "900");
            component.update(tuned);

            // moving: the new URL with the password cleared, then the password
            ComponentRepresentation cleared = component.toRepresentation();
            cleared.getConfig().putSingle("jdbcUrl", movedUrl);
            cleared.getConfig().putSingle("jdbcPassword", "");
            component.update(cleared);
            ComponentRepresentation entered = component.toRepresentation();
            entered.getConfig().putSingle("jdbcPassword", DB_PASSWORD);
            component.update(entered);

            assertEquals(movedUrl, component.toRepresentation().getConfig().getFirst("jdbcUrl"));
            Http.Response login = passwordGrant("alice@timelapse.me", "Moo00!_*&");
            assertEquals(200, login.status(), "through the new address: " + login.body());
        }
    }

    // ---- item 3: hashes written

    @ParameterizedTest
    @CsvSource({"md5", "sha1", "sha256", "sha512"})
    void anUnsaltedDigestIsRefusedAsTheHashForNewPasswords(String algorithm) {
        Response response = addComponent("WRITABLE", database.jdbcUrl(), Map.of("writeHashAlgorithm", algorithm));

        assertRefused(response, "not \"" + algorithm + "\"", algorithm);
    }

    @Test
    void aResetOfAnMd5UserInWritableModeWritesBcryptAtCostTen() throws Exception {
        components.created(addComponent("WRITABLE", database.jdbcUrl(), Map.of()));
        String before = database.queryString("SELECT passwordHash FROM Users WHERE id = 9");
        try {
            String id = realm.admin().users().search("grace@ertis.dev", true).get(0).getId();
            realm.admin().users().get(id).resetPassword(LegacyLogins.password("grace-New-secret-1"));

            String after = database.queryString("SELECT passwordHash FROM Users WHERE id = 9");
            assertTrue(after.matches("\\$2b\\$10\\$.{53}"), "not bcrypt cost 10: " + after);
            assertEquals(200, passwordGrant("grace@ertis.dev", "grace-New-secret-1").status());
        } finally {
            database.update("UPDATE Users SET passwordHash = ? WHERE id = 9", before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sha1 hex becomes bcrypt         | 10 | heidi@ertis.dev    | heidi-secret  | sha1   | bcrypt | \\$2b\\$10\\$.{53}",
            "passlib PBKDF2 29000 is raised  | 6  | erin@watcherex.dev | erin-secret   | pbkdf2 | pbkdf2 | \\$pbkdf2-sha256\\$600000\\$.+",
            "bcrypt cost 4 is raised         | 1  | alice@timelapse.me | cheap-secret  | bcrypt | bcrypt | \\$2b\\$10\\$.{53}",
    })
    void aWeakHashIsUpgradedAfterASuccessfulLoginInWritableMode(String kind, String rowId, String email, String secret,
                                                              String oldAlgorithm, String newAlgorithm, String written)
            throws Exception {
        String componentId = components.created(addComponent("WRITABLE", database.jdbcUrl(), Map.of()));
        String before = database.queryString("SELECT passwordHash FROM Users WHERE id = ?", rowId);
        if (secret.equals("cheap-secret")) {
            database.update("UPDATE Users SET passwordHash = ? WHERE id = ?",
                    "$2b$04$YE7xbEjqXQzxWUvyJRC0WeSf0DkE3tlxRAD8bIoEFTLf.r38gG61m", rowId);
        }
        try {
            Http.Response first = passwordGrant(email, secret);
            assertEquals(200, first.status(), first.body());

            String after = database.queryString("SELECT passwordHash FROM Users WHERE id = ?", rowId);
            assertTrue(after.matches(written), kind + ": " + after);
            assertEquals(200, passwordGrant(email, secret).status(), "the upgraded hash verifies");
            List<EventRepresentation> events = realm.admin().getEvents(List.of("UPDATE_CREDENTIAL"), null,
                    "f:" + componentId + ":" + rowId, null, null, null, 0, 10);
            assertEquals(1, events.size(), events.toString());
            Map<String, String> details = events.get(0).getDetails();
            assertEquals("true", details.get("legacy_hash_upgraded"));
            assertEquals(oldAlgorithm, details.get("legacy_hash_algorithm"));
            assertEquals(newAlgorithm, details.get("new_hash_algorithm"));
            assertEquals(rowId, details.get("legacy_user_id"));
        } finally {
            database.update("UPDATE Users SET passwordHash = ? WHERE id = ?", before, rowId);
        }
    }

    // ---- item 4: hostile rows

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "argon2id asking for 128 MiB | 101 | argon2@hostile.dev  | hostile-secret | $argon2id$v=19$m=131072,t=1,p=1$aG9zdGlsZS1zYWx0LTE2Yg$tGOm5rlC3cQwGfGsjKu3aRR7iEfJk5fcjo9H/ppzcSI",
            "PBKDF2 with a 1-byte key    | 102 | onebyte@hostile.dev | onebyte-secret | $pbkdf2-sha256$i=1000,l=1$aG9zdGlsZS1zYWx0LTE2Yg$Bg",
    })
    void rowsOutsideTheHashBoundsAreRefusedLikeAWrongPassword(String kind, int rowId, String email, String secret,
                                                            String hash) throws Exception {
        components.created(addComponent("READ_ONLY", database.jdbcUrl(), Map.of()));
        database.update("INSERT INTO Users (id, email, passwordHash, authenticationMethod, nickname, createdAt, updatedAt) "
                + "VALUES (?, ?, ?, 'CREDENTIALS', 'Hostile', NOW(), NOW())", rowId, email, hash);
        try {
            // the hash is right for this password: only the bounds refuse it
            Http.Response login = passwordGrant(email, secret);

            assertEquals(400, login.status(), kind + ": " + login.body());
            assertEquals("Invalid user credentials", login.errorDescription());
        } finally {
            database.update("DELETE FROM Users WHERE id = ?", rowId);
        }
    }

    // ---- item 8: outages

    @Test
    void anOutageCostsOneLoginUnderASecondThenNothingAndEndsByItself() throws Exception {
        try (SwitchableTcpProxy mysql = new SwitchableTcpProxy("127.0.0.1", 3306)) {
            // the defaults: no timeout is configured here
            components.created(addComponent("READ_ONLY", "jdbc:mariadb://127.0.0.1:" + mysql.port() + "/" + database.name(), Map.of()));
            assertEquals(200, passwordGrant("heidi@ertis.dev", "heidi-secret").status(), "before the outage");

            Outage hung = outage("hung (SIGSTOP-like: connections open, no answers)", mysql::freeze, mysql);
            Outage dead = outage("dead (connections refused)", mysql::refuse, mysql);

            for (Outage outage : List.of(hung, dead)) {
                System.out.println("mysql-users outage, " + outage);
                assertTrue(outage.firstMillis() < 1000, outage.toString());
                // MySQL adds nothing: a federated login costs what a local user's failed login costs
                assertTrue(outage.medianFollowingMillis() < median(outage.localFailedMillis()) + 50, outage.toString());
                assertTrue(outage.recoveryMillis() < 3000, outage.toString());
            }
        }
    }

    private record Outage(String kind, long firstMillis, long[] followingMillis, long[] localFailedMillis, long localMillis,
                          long recoveryMillis) {

        long medianFollowingMillis() {
            return median(followingMillis);
        }

        @Override
        public String toString() {
            return kind + ": first federated login failed in " + firstMillis + " ms, the next ones in "
                    + Arrays.toString(followingMillis) + " ms (median " + medianFollowingMillis() + "); a local user's "
                    + "login with a wrong password " + Arrays.toString(localFailedMillis) + " ms (median "
                    + median(localFailedMillis) + "), with the right one " + localMillis + " ms; logins succeeded again "
                    + recoveryMillis + " ms after MySQL came back";
        }
    }

    private static long median(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private Outage outage(String kind, Runnable breakMysql, SwitchableTcpProxy mysql) throws Exception {
        breakMysql.run();
        long first = timedFailedLogin("heidi@ertis.dev", "heidi-secret");
        long[] following = new long[8];
        long[] localFailed = new long[8];
        for (int i = 0; i < following.length; i++) {
            following[i] = timedFailedLogin("heidi@ertis.dev", "heidi-secret");
            localFailed[i] = timedFailedLogin("local-user", "wrong-secret");
        }
        long start = System.nanoTime();
        Http.Response local = passwordGrant("local-user", "local-secret");
        long localMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, local.status(), "local users are unaffected: " + local.body());

        mysql.start();
        long back = System.nanoTime();
        while (passwordGrant("heidi@ertis.dev", "heidi-secret").status() != 200) {
            assertTrue(System.nanoTime() - back < 10_000_000_000L, kind + ": no recovery within 10 s");
            Thread.sleep(50);
        }
        return new Outage(kind, first, following, localFailed, localMillis, (System.nanoTime() - back) / 1_000_000);
    }

    private long timedFailedLogin(String username, String secret) throws Exception {
        long start = System.nanoTime();
        Http.Response login = passwordGrant(username, secret);
        long millis = (System.nanoTime() - start) / 1_000_000;
        // answered like a failed login: 400 when only the password check reaches MySQL, 401 when the lookup does
        assertTrue(login.status() == 400 || login.status() == 401, login.status() + " " + login.body());
        return millis;
    }

    // ---- helpers

    private Response addComponent(String mode, String jdbcUrl, Map<String, String> settings) {
        ComponentRepresentation component = LegacyUsersDatabase.component(realm.admin().toRepresentation().getId(), mode,
                jdbcUrl, settings);
        return realm.admin().components().add(component);
    }

    /** The admin API's 400 for a refused component, its message naming what was refused. */
    private void assertRefused(Response response, String named, String input) {
        try (response) {
            String body = response.readEntity(String.class);
            if (response.getStatus() == 201) {
                components.track(CreatedResponseUtil.getCreatedId(response));
            }
            assertEquals(400, response.getStatus(), input + ": " + body);
            try {
                JsonNode error = JsonSerialization.mapper.readTree(body);
                assertTrue(error.path("errorMessage").asText().contains(named), body);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private Http.Response passwordGrant(String username, String secret) {
        return Http.at(realm).passwordGrant("legacy-app", username, secret);
    }
}
