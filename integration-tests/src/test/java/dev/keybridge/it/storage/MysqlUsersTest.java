package dev.keybridge.it.storage;

import static dev.keybridge.it.storage.LegacyLogins.accessTokenClaims;
import static dev.keybridge.it.storage.LegacyLogins.assertInvalidCredentials;
import static dev.keybridge.it.storage.LegacyLogins.password;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.UsersResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.util.JsonSerialization;

/**
 * The mysql-users provider against a real MariaDB table in TimeLapseMe's schema, configured through
 * the admin REST API like an operator would, users logging in through the token endpoint.
 */
@KeycloakIntegrationTest
class MysqlUsersTest {

    private static final String CLIENT_ID = "legacy-app";
    private static final String REDIRECT_URI = "http://localhost:3000/registered";
    private static LegacyUsersDatabase database;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = new LegacyUsersDatabase();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        database.close();
    }

    /**
     * The realm, its components and the helpers of every group. Keycloak's test framework injects the fields of
     * a test's own class and its superclasses, not those of the enclosing class, so the groups extend this.
     */
    abstract class LegacyRealmTest {

        @InjectRealm(config = LegacyRealm.class)
        ManagedRealm realm;

        final LegacyComponents components = new LegacyComponents();

        @AfterEach
        void removeComponents() {
            components.removeAll(realm);
        }

        String addComponent(String mode) {
            return addComponent(mode, database.jdbcUrl());
        }

        String addComponent(String mode, String jdbcUrl) {
            return addComponent(mode, jdbcUrl, Map.of());
        }

        String addComponent(String mode, String jdbcUrl, Map<String, String> settings) {
            // nickname and userId are plain attributes of the realm: let the admin API show and edit them
            UPConfig profile = realm.admin().users().userProfile().getConfiguration();
            profile.setUnmanagedAttributePolicy(UPConfig.UnmanagedAttributePolicy.ENABLED);
            realm.admin().users().userProfile().update(profile);

            return components.add(realm, mode, jdbcUrl, settings);
        }

        /** First and last name made optional in the realm's user profile, as for a table without names; the profile before. */
        UPConfig namesOptional() throws Exception {
            UPConfig profile = realm.admin().users().userProfile().getConfiguration();
            UPConfig original = JsonSerialization.mapper.readValue(JsonSerialization.writeValueAsString(profile), UPConfig.class);
            profile.getAttribute("firstName").setRequired(null);
            profile.getAttribute("lastName").setRequired(null);
            realm.admin().users().userProfile().update(profile);
            return original;
        }

        Http.Response passwordGrant(String username, String password) {
            return Http.at(realm).passwordGrant(CLIENT_ID, username, password);
        }
    }

    /** Logins: every hash kind, rows without a usable hash, one SELECT per grant, e-mail matching, local users. */
    @Nested
    class Logins extends LegacyRealmTest {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "bcrypt $2b$ cost 10 | alice@timelapse.me  | Moo00!_*&     | 1  | Alice Lapse",
                "bcrypt $2a$         | bob@timelapse.me    | bob-secret    | 2  | Bob",
                "bcrypt $2y$         | yvonne@timelapse.me | yvonne-secret | 3  | Yvonne",
                "argon2id            | carol@watcherex.dev | carol-secret  | 4  | Carol",
                "argon2i             | dave@watcherex.dev  | dave-secret   | 5  | Dave",
                "pbkdf2 passlib      | erin@watcherex.dev  | erin-secret   | 6  | Erin",
                "pbkdf2 PHC          | olga@watcherex.dev  | olga-secret   | 7  | Olga",
                "pbkdf2 Django       | frank@django.dev    | frank-secret  | 8  | Frank",
                "md5 hex             | grace@ertis.dev     | grace-secret  | 9  | Grace",
                "sha1 hex            | heidi@ertis.dev     | heidi-secret  | 10 | Heidi",
                "sha256 hex          | ivan@ertis.dev      | ivan-secret   | 11 | Ivan",
                "sha512 hex          | judy@ertis.dev      | judy-secret   | 12 | Judy",
        })
        void everyHashKindLogsInWithTimeLapseMeClaims(String kind, String email, String password, String id, String nickname)
                throws Exception {
            addComponent("READ_ONLY");

            Http.Response response = passwordGrant(email, password);

            assertEquals(200, response.status(), kind + ": " + response.body());
            JsonNode claims = accessTokenClaims(response);
            assertEquals(email, claims.path("preferred_username").asText());
            assertEquals(id, claims.path("userId").asText(), "userId claim");
            assertEquals(nickname, claims.path("nickname").asText(), "nickname claim");
            assertInvalidCredentials(passwordGrant(email, password + "!"));
        }

        @Test
        void rowsWithoutAUsableHashAreRefusedLikeAWrongPassword() throws Exception {
            addComponent("READ_ONLY");

            // a social sign-up with a NULL hash, and a sha512-crypt hash nobody supports
            Http.Response apple = passwordGrant("apple.user@privaterelay.appleid.com", "");
            Http.Response crypt = passwordGrant("crypt@legacy.dev", "anything");

            assertInvalidCredentials(apple);
            assertInvalidCredentials(crypt);
        }

        @Test
        void aPasswordGrantSelectsTheUsersRowOnce() throws Exception {
            addComponent("READ_ONLY");
            // the pool's first connection runs the driver's own set-up queries: open it with another user's login
            assertEquals(200, passwordGrant("alice@timelapse.me", "Moo00!_*&").status());
            long before = selectsOnTheServer();

            Http.Response response = passwordGrant("bob@timelapse.me", "bob-secret");

            assertEquals(200, response.status(), response.body());
            // Keycloak asks by email, by id and by username in one grant; the provider reuses the row
            assertEquals(1, selectsOnTheServer() - before, "SELECTs MariaDB ran for one password grant");
        }

        /** MariaDB's count of SELECT statements since it started; nothing else queries it while this class runs. */
        private long selectsOnTheServer() throws Exception {
            try (Connection connection = database.connect();
                 ResultSet status = connection.createStatement().executeQuery("SHOW GLOBAL STATUS LIKE 'Com_select'")) {
                status.next();
                return status.getLong(2);
            }
        }

        @Test
        void emailIsMatchedCaseInsensitivelyAndDuplicateRowsDoNotBreakLogin() throws Exception {
            addComponent("READ_ONLY");

            Http.Response lower = passwordGrant("mixed.case@timelapse.me", "mixed-secret");
            Http.Response upper = passwordGrant("MIXED.CASE@TIMELAPSE.ME", "mixed-secret");
            // dup@timelapse.me is both a Google sign-up (no hash) and a credentials user: the latter logs in
            Http.Response duplicate = passwordGrant("dup@timelapse.me", "dup-secret");

            assertEquals(200, lower.status(), lower.body());
            assertEquals(200, upper.status(), upper.body());
            assertEquals("13", accessTokenClaims(upper).path("userId").asText());
            assertEquals(200, duplicate.status(), duplicate.body());
            assertEquals("16", accessTokenClaims(duplicate).path("userId").asText());
        }

        @Test
        void theMySqlDriverUrlFormWorksToo() throws Exception {
            addComponent("READ_ONLY", "jdbc:mysql://" + LegacyUsersDatabase.HOST + "/" + database.name());

            Http.Response response = passwordGrant("alice@timelapse.me", "Moo00!_*&");

            assertEquals(200, response.status(), response.body());
            assertEquals("1", accessTokenClaims(response).path("userId").asText());
        }

        @Test
        void localUsersAreUnaffected() throws Exception {
            addComponent("READ_ONLY");

            assertEquals(200, passwordGrant("local-user", "local-secret").status());
        }
    }

    /** The admin API's user search, paging and count. */
    @Nested
    class AdminSearch extends LegacyRealmTest {

        @Test
        void adminSearchPagingAndCountRunInSql() throws Exception {
            addComponent("READ_ONLY");
            UsersResource users = realm.admin().users();

            List<UserRepresentation> all = users.search("*", 0, 100);
            List<UserRepresentation> firstPage = users.search("*", 0, 5);
            List<UserRepresentation> secondPage = users.search("*", 5, 5);
            List<String> ertis = usernames(users.search("ertis", 0, 100));
            List<String> prefix = usernames(users.search("j*", 0, 100));
            List<UserRepresentation> byNickname = users.searchByAttributes("nickname:\"Alice Lapse\"");
            List<UserRepresentation> byLegacyId = users.searchByAttributes("userId:9");

            // 17 rows plus the realm's local user
            assertEquals(18, all.size(), usernames(all).toString());
            assertEquals(18, users.count());
            assertEquals(17 + 1, users.count("*"));
            assertEquals(5, firstPage.size());
            assertEquals(5, secondPage.size());
            assertTrue(usernames(firstPage).stream().noneMatch(usernames(secondPage)::contains), "pages overlap");
            assertEquals(List.of(), ertis, "search is a prefix match, as in Keycloak's own store");
            assertEquals(List.of("judy@ertis.dev"), prefix);
            assertEquals(List.of("alice@timelapse.me"), usernames(byNickname));
            assertEquals(List.of("grace@ertis.dev"), usernames(byLegacyId));
            assertEquals(List.of("heidi@ertis.dev"), usernames(users.search("heidi@", 0, 10)));
            assertEquals(1, users.count("\"ivan@ertis.dev\""));
        }

        @Test
        void sqlMetaCharactersInSearchesMatchLiterally() throws Exception {
            addComponent("READ_ONLY");
            UsersResource users = realm.admin().users();

            // LIKE wildcards and quoting must not widen the search or break the statement
            assertEquals(List.of(), usernames(users.search("%", 0, 100)));
            assertEquals(List.of(), usernames(users.search("_", 0, 100)));
            assertEquals(List.of(), usernames(users.search("a_ice", 0, 100)));
            assertEquals(List.of(), usernames(users.search("' OR '1'='1", 0, 100)));
            assertEquals(List.of(), usernames(users.search("alice\\", 0, 100)));
            assertEquals(List.of(), users.searchByAttributes("nickname:\"x' OR 1=1 -- \""));
            assertEquals(0, users.count("!%"));
            assertEquals(List.of("apple.user@privaterelay.appleid.com"), usernames(users.search("apple.", 0, 100)));
        }
    }

    /** Read-only, migrate-on-login and writable components: passwords, profiles, registration, TimeLapseMe sign-up. */
    @Nested
    class Modes extends LegacyRealmTest {

        @Test
        void readOnlyModeRefusesPasswordChanges() throws Exception {
            addComponent("READ_ONLY");
            String id = realm.admin().users().search("grace@ertis.dev", true).get(0).getId();

            try {
                realm.admin().users().get(id).resetPassword(password("changed-Secret-1"));
                throw new AssertionError("a read-only federated user's password was changed");
            } catch (BadRequestException expected) {
                assertEquals(400, expected.getResponse().getStatus());
            }
            assertEquals(200, passwordGrant("grace@ertis.dev", "grace-secret").status());
        }

        @Test
        void migrateOnLoginMovesUserAndPasswordIntoKeycloak() throws Exception {
            addComponent("MIGRATE_ON_LOGIN");
            // TimeLapseMe has no names: once migrated (no longer decorated by the provider) users
            // would be sent to "update profile", so an operator makes names optional, as here
            UPConfig original = namesOptional();

            Http.Response first = passwordGrant("carol@watcherex.dev", "carol-secret");
            assertEquals(200, first.status(), first.body());
            assertEquals("Carol", accessTokenClaims(first).path("nickname").asText());

            // the row changes: a login that still went to MySQL would now fail
            database.update("UPDATE Users SET passwordHash = 'not-a-hash' WHERE id = 4");
            try {
                Http.Response second = passwordGrant("carol@watcherex.dev", "carol-secret");
                assertEquals(200, second.status(), second.body());
                assertInvalidCredentials(passwordGrant("carol@watcherex.dev", "wrong"));

                UserRepresentation carol = realm.admin().users().search("carol@watcherex.dev", true).get(0);
                assertNull(carol.getFederationLink(), "federation link was not cut");
                assertFalse(carol.getId().startsWith("f:"), "user was not imported");
                assertEquals(List.of("4"), carol.getAttributes().get("userId"));
                List<CredentialRepresentation> credentials = realm.admin().users().get(carol.getId()).credentials();
                assertEquals(List.of(CredentialRepresentation.PASSWORD),
                        credentials.stream().map(CredentialRepresentation::getType).toList());
                assertTrue(credentials.get(0).getCredentialData().contains("argon2"), credentials.get(0).getCredentialData());

                // operators see the migration, once, as a user event with what was cut and from which hash
                List<EventRepresentation> events = realm.admin().getEvents(List.of("UPDATE_CREDENTIAL"), null, carol.getId(),
                        null, null, null, 0, 10);
                assertEquals(1, events.size(), events.toString());
                EventRepresentation event = events.get(0);
                assertEquals(CLIENT_ID, event.getClientId());
                assertEquals("carol@watcherex.dev", event.getDetails().get("username"));
                assertEquals("password", event.getDetails().get("credential_type"));
                assertEquals("true", event.getDetails().get("federation_link_cut"));
                assertEquals("legacy-migrate_on_login", event.getDetails().get("storage_component"));
                assertEquals(components.first(), event.getDetails().get("storage_component_id"));
                assertEquals("4", event.getDetails().get("legacy_user_id"));
                assertEquals("argon2", event.getDetails().get("legacy_hash_algorithm"));
                assertEquals("true", event.getDetails().get("password_rehashed"));
            } finally {
                realm.admin().users().userProfile().update(original);
                database.update("UPDATE Users SET passwordHash = ? WHERE id = 4",
                        "$argon2id$v=19$m=19456,t=2,p=1$GTSvNP6vLDKhwfU9AQL0pQ$sUVam5LrvOD89uLfOBNcAzLPIrWA3xPx6OXTMWhe+3s");
                realm.admin().users().search("carol@watcherex.dev", true)
                        .forEach(u -> realm.admin().users().delete(u.getId()).close());
            }
        }

        @Test
        void writableModeWritesPasswordsProfilesAndNewUsersToMySql() throws Exception {
            addComponent("WRITABLE");
            UsersResource users = realm.admin().users();
            String before = database.queryString("SELECT passwordHash FROM Users WHERE id = 2");

            try {
                UserRepresentation bob = users.search("bob@timelapse.me", true).get(0);
                users.get(bob.getId()).resetPassword(password("bob-New-secret-2"));

                String after = database.queryString("SELECT passwordHash FROM Users WHERE id = 2");
                assertNotEquals(before, after);
                assertTrue(after.startsWith("$2a$10$"), "keeps bob's bcrypt version and cost: " + after);
                assertEquals(200, passwordGrant("bob@timelapse.me", "bob-New-secret-2").status());
                assertInvalidCredentials(passwordGrant("bob@timelapse.me", "bob-secret"));

                bob = users.get(bob.getId()).toRepresentation();
                bob.getAttributes().put("nickname", List.of("Bobby"));
                users.get(bob.getId()).update(bob);
                assertEquals("Bobby", database.queryString("SELECT nickname FROM Users WHERE id = 2"));

                UserRepresentation newcomer = new UserRepresentation();
                newcomer.setUsername("newcomer@timelapse.me");
                newcomer.setEmail("newcomer@timelapse.me");
                newcomer.setEnabled(true);
                newcomer.setCredentials(List.of(password("newcomer-Secret-3")));
                try (Response created = users.create(newcomer)) {
                    assertEquals(201, created.getStatus());
                    assertTrue(CreatedResponseUtil.getCreatedId(created).startsWith("f:"), "new user was not written to MySQL");
                }
                assertEquals("CREDENTIALS", database.queryString(
                        "SELECT authenticationMethod FROM Users WHERE email = 'newcomer@timelapse.me'"));
                Http.Response login = passwordGrant("newcomer@timelapse.me", "newcomer-Secret-3");
                assertEquals(200, login.status(), login.body());
                assertEquals(database.queryString("SELECT id FROM Users WHERE email = 'newcomer@timelapse.me'"),
                        accessTokenClaims(login).path("userId").asText());
            } finally {
                database.update("UPDATE Users SET passwordHash = ?, nickname = 'Bob' WHERE id = 2", before);
                database.update("DELETE FROM Users WHERE email = 'newcomer@timelapse.me'");
            }
        }

        @Test
        void registrationThroughTheLoginPagesWritesARowAndTheUserLogsInAgain() throws Exception {
            addComponent("WRITABLE", database.jdbcUrl(), Map.of("writeHashAlgorithm", "bcrypt"));
            String email = "registered@timelapse.me";
            Http browser = Http.session(realm.getBaseUrl());

            try {
                Http.Response page = browser.get("protocol/openid-connect/registrations?" + Http.query(Map.of("client_id", CLIENT_ID,
                        "response_type", "code", "scope", "openid", "redirect_uri", REDIRECT_URI)), null);
                assertEquals(200, page.status(), page.body());
                Http.Response registered = browser.form(registrationFormAction(page.body()), Map.of("username", email, "email", email,
                        "firstName", "Regina", "lastName", "Stered", "password", "registered-Secret-4",
                        "password-confirm", "registered-Secret-4"), null);

                // the form is accepted: back to the client with a code
                assertEquals(302, registered.status(), registered.body());
                String location = registered.headers().firstValue("Location").orElseThrow();
                assertTrue(location.startsWith(REDIRECT_URI) && location.contains("code="), location);
                String id = database.queryString("SELECT id FROM Users WHERE email = ?", email);
                assertTrue(id != null, "registration wrote no row");
                String hash = database.queryString("SELECT passwordHash FROM Users WHERE id = ?", id);
                assertTrue(hash.matches("\\$2[aby]\\$10\\$.{53}"), "not a bcrypt cost-10 hash: " + hash);
                assertEquals("CREDENTIALS", database.queryString("SELECT authenticationMethod FROM Users WHERE id = ?", id));
                UserRepresentation user = realm.admin().users().search(email, true).get(0);
                assertEquals("f:" + components.first() + ":" + id, user.getId());

                Http.Response login = passwordGrant(email, "registered-Secret-4");
                assertEquals(200, login.status(), login.body());
                assertEquals(id, accessTokenClaims(login).path("userId").asText());
            } finally {
                database.update("DELETE FROM Users WHERE email = ?", email);
            }
        }

        @Test
        void timeLapseMeSignUpWritesARowWhenTheFederationIsWritable() throws Exception {
            addComponent("WRITABLE");
            // the sign-up goes through the user profile's REGISTRATION context and sends no names
            UPConfig original = namesOptional();
            String email = "signup@timelapse.me";

            try {
                Http.Response signUp = Http.at(realm).resource("timelapseme").postJson("api/v1/signup/credentials",
                        Http.toJson(Map.of("email", email, "password", "signup-Secret-5", "passwordConfirm", "signup-Secret-5",
                                "nickname", "Signy")));

                assertEquals(200, signUp.status(), signUp.body());
                String id = database.queryString("SELECT id FROM Users WHERE email = ?", email);
                assertTrue(id != null, "the sign-up wrote no row");
                assertEquals("Signy", database.queryString("SELECT nickname FROM Users WHERE id = ?", id));
                assertEquals("CREDENTIALS", database.queryString("SELECT authenticationMethod FROM Users WHERE id = ?", id));
                String hash = database.queryString("SELECT passwordHash FROM Users WHERE id = ?", id);
                assertTrue(hash.matches("\\$2[aby]\\$10\\$.{53}"), "not a bcrypt cost-10 hash: " + hash);
                JsonNode claims = Jwt.claims(signUp.json().path("accessToken").asText());
                assertEquals(id, claims.path("userId").asText());
                assertEquals("Signy", claims.path("nickname").asText());
                assertEquals(200, passwordGrant(email, "signup-Secret-5").status());
            } finally {
                realm.admin().users().userProfile().update(original);
                database.update("DELETE FROM Users WHERE email = ?", email);
            }
        }
    }

    /** MySQL going away and coming back. */
    @Nested
    class MySqlGoingAway extends LegacyRealmTest {

        @Test
        void mySqlGoingAwayFailsFederatedLoginsFastAndRecoversByItself() throws Exception {
            try (SwitchableTcpProxy proxy = new SwitchableTcpProxy("127.0.0.1", 3306)) {
                addComponent("READ_ONLY", "jdbc:mariadb://127.0.0.1:" + proxy.port() + "/" + database.name(),
                        Map.of("connectTimeoutMillis", "1000", "queryTimeoutSeconds", "2"));
                assertEquals(200, passwordGrant("heidi@ertis.dev", "heidi-secret").status(), "before the outage");

                proxy.stop();
                long start = System.nanoTime();
                Http.Response during = passwordGrant("heidi@ertis.dev", "heidi-secret");
                long millis = (System.nanoTime() - start) / 1_000_000;
                Http.Response local = passwordGrant("local-user", "local-secret");
                List<UserRepresentation> listed = realm.admin().users().search("*", 0, 100);

                // answered like a failed login (400 if the user is in Keycloak's cache and only the password
                // check reaches MySQL, 401 if the lookup does), within the configured bounds
                assertTrue(during.status() == 400 || during.status() == 401, during.status() + " " + during.body());
                assertEquals("Invalid user credentials",
                        JsonSerialization.mapper.readTree(during.body()).path("error_description").asText());
                assertTrue(millis < 10_000, "a login during the outage took " + millis + " ms");
                assertEquals(200, local.status(), local.body());
                assertEquals(List.of("local-user"), usernames(listed));

                proxy.start();
                // the provider marks MySQL up again when its background probe (every second) gets an answer
                long back = System.nanoTime();
                Http.Response after = passwordGrant("heidi@ertis.dev", "heidi-secret");
                while (after.status() != 200 && System.nanoTime() - back < 5_000_000_000L) {
                    Thread.sleep(100);
                    after = passwordGrant("heidi@ertis.dev", "heidi-secret");
                }
                assertEquals(200, after.status(), "after the outage: " + after.body());
                System.out.printf("mysql-users outage: a federated login answered in %d ms while MySQL hung%n", millis);
            }
        }
    }

    /** The action of Keycloak's registration form, carrying the login session's execution and tab ids. */
    private static String registrationFormAction(String html) {
        Matcher form = Pattern.compile("<form[^>]*id=\"kc-register-form\"[^>]*>").matcher(html);
        assertTrue(form.find(), "no registration form in " + html);
        Matcher action = Pattern.compile("action=\"([^\"]+)\"").matcher(form.group());
        assertTrue(action.find(), form.group());
        return action.group(1).replace("&amp;", "&");
    }

    private static List<String> usernames(List<UserRepresentation> users) {
        return users.stream().map(UserRepresentation::getUsername).sorted().toList();
    }

    /**
     * A public client with direct grants and TimeLapseMe's two claims, plus one local user; registration
     * is open and user events are stored.
     */
    public static class LegacyRealm implements RealmConfig {

        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId(CLIENT_ID);
            client.setPublicClient(true);
            client.setDirectAccessGrantsEnabled(true);
            client.setRedirectUris(List.of(REDIRECT_URI));
            client.setProtocolMappers(List.of(attributeMapper("nickname", "nickname"), attributeMapper("userId", "userId")));

            UserRepresentation local = new UserRepresentation();
            local.setUsername("local-user");
            local.setEmail("local-user@keybridge.dev");
            local.setFirstName("Local");
            local.setLastName("User");
            local.setEnabled(true);
            local.setCredentials(List.of(password("local-secret")));
            return realm.clients(client).users(local).registrationAllowed(true).eventsEnabled(true)
                    // TimeLapseMe's sign-up issues tokens for this client
                    .attribute("timelapseme.client", CLIENT_ID);
        }

        private static ProtocolMapperRepresentation attributeMapper(String attribute, String claim) {
            ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
            mapper.setName(claim);
            mapper.setProtocol("openid-connect");
            mapper.setProtocolMapper("oidc-usermodel-attribute-mapper");
            mapper.setConfig(Map.of("user.attribute", attribute, "claim.name", claim, "jsonType.label", "String",
                    "access.token.claim", "true", "id.token.claim", "true", "userinfo.token.claim", "true"));
            return mapper;
        }
    }
}
