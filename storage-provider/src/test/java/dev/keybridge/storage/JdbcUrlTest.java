package dev.keybridge.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.component.ComponentValidationException;

class JdbcUrlTest {

    @Test
    void aPlainUrlIsTakenApartAndRebuiltWithoutOptions() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mysql://[::1]:3307/timelapseme?sslMode=VERIFY_IDENTITY&connectionTimeZone=Europe/Berlin");

        assertEquals(JdbcUrl.Driver.MYSQL, url.driver());
        assertEquals("[::1]", url.host());
        assertEquals(3307, url.port());
        assertEquals("timelapseme", url.database());
        assertEquals("jdbc:mysql://[::1]:3307/timelapseme", url.driverUrl());
        assertEquals(Map.of("sslMode", "VERIFY_IDENTITY", "connectionTimeZone", "Europe/Berlin"), url.options());
    }

    @Test
    void theDefaultPortIsMySqlsAndTheAddressIgnoresCase() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mariadb://DB.Example.org/legacy");

        assertEquals(3306, url.port());
        assertEquals("db.example.org:3306", url.address());
        assertEquals("jdbc:mariadb://DB.Example.org:3306/legacy", url.driverUrl());
    }

    @Test
    void dangerousFeaturesAreSetOffExplicitlyForEachDriver() {
        Map<String, String> mysql = JdbcUrl.parse("jdbc:mysql://db/x?sslMode=REQUIRED").driverProperties();
        Map<String, String> mariadb = JdbcUrl.parse("jdbc:mariadb://db/x").driverProperties();

        assertEquals("REQUIRED", mysql.get("sslMode"));
        for (String off : new String[] {"allowLoadLocalInfile", "allowUrlInLocalInfile", "autoDeserialize", "allowMultiQueries",
                "allowPublicKeyRetrieval"}) {
            assertEquals("false", mysql.get(off), off);
        }
        for (String off : new String[] {"allowLocalInfile", "allowMultiQueries", "allowPublicKeyRetrieval"}) {
            assertEquals("false", mariadb.get(off), off);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "jdbc:mysql://db/x?allowLoadLocalInfile=true               | \"allowLoadLocalInfile\" is not allowed",
            "jdbc:mysql://db/x?allowUrlInLocalInfile=true              | \"allowUrlInLocalInfile\" is not allowed",
            "jdbc:mysql://db/x?autoDeserialize=true                    | \"autoDeserialize\" is not allowed",
            "jdbc:mysql://db/x?queryInterceptors=com.evil.Interceptor  | \"queryInterceptors\" is not allowed",
            "jdbc:mysql://db/x?socketFactory=com.evil.Factory          | \"socketFactory\" is not allowed",
            "jdbc:mysql://db/x?sslMode=REQUIRED&allowMultiQueries=true | \"allowMultiQueries\" is not allowed",
            "jdbc:mysql://db/x?allowloadlocalinfile=true               | \"allowloadlocalinfile\" is not allowed",
            "jdbc:mysql://db/x?allowLoadLocalInfil%65=true             | \"allowLoadLocalInfil%65=true\" is not of the form",
            "jdbc:mariadb://db/x?allowLocalInfile=true                 | \"allowLocalInfile\" is not allowed",
            "jdbc:mariadb://db/x?credentialType=ENV                    | \"credentialType\" is not allowed",
            "jdbc:mariadb://db/x?initSql=DROP                          | \"initSql\" is not allowed",
            "jdbc:mariadb://db/x?serverTimezone=UTC                    | \"serverTimezone\" is not allowed",
            "jdbc:mariadb://db/x?connectTimeout=99999                  | from its connectTimeoutMillis setting",
            "jdbc:mysql://db/x?socketTimeout=0                         | from its queryTimeoutSeconds setting",
            "jdbc:mysql://db/x?sslMode=%44ISABLED                      | \"sslMode\" has a value that is not accepted",
            "jdbc:mysql://db/x?sslMode=REQUIRED&sslMode=DISABLED       | \"sslMode\" is given twice",
            "jdbc:mysql://(host=db,allowLoadLocalInfile=true)/x        | host \"(host=db,allowLoadLocalInfile=true)\" is not accepted",
            "jdbc:mysql://address=(host=db)(allowLoadLocalInfile=true)/x | host \"address=(host=db)(allowLoadLocalInfile=true)\" is not accepted",
            "jdbc:mysql://db1,db2/x                                    | host \"db1,db2\" is not accepted",
            "jdbc:mysql://root:secret@db/x                             | host \"root:secret@db\" is not accepted",
            "jdbc:mysql:loadbalance://db/x                             | must start with jdbc:mysql:// or jdbc:mariadb://",
            "jdbc:mysql://db:99999/x                                   | port 99999 is out of range",
            "jdbc:mysql://db/x;allowLoadLocalInfile=true               | database \"x;allowLoadLocalInfile=true\" is not a plain",
    })
    void optionsAndFormsOutsideTheAllowListAreRefusedByName(String url, String expected) {
        ComponentValidationException refused = assertThrows(ComponentValidationException.class, () -> JdbcUrl.parse(url));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }

    @Test
    void theRefusalListsTheOptionsThatAreAllowed() {
        String message = assertThrows(ComponentValidationException.class,
                () -> JdbcUrl.parse("jdbc:mariadb://db/x?pool=true")).getMessage();

        assertTrue(message.contains("sslMode") && message.contains("timezone"), message);
        assertFalse(message.contains("allowLocalInfile"), message);
    }
}
