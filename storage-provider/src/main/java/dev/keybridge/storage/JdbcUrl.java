package dev.keybridge.storage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.keycloak.component.ComponentValidationException;

/**
 * The JDBC URL of a component, taken apart into one host, its port, the database and driver options
 * from an allow-list. The driver never sees the text the admin typed: it gets {@link #driverUrl()}
 * rebuilt from those parts and the options as properties, next to {@link Driver#forcedOff()}.
 * <p>
 * Both drivers take options that turn a connection into a file reader or a code loader
 * ({@code allowLoadLocalInfile}, {@code allowUrlInLocalInfile}, {@code autoDeserialize},
 * {@code queryInterceptors}, {@code socketFactory}, MariaDB's {@code allowLocalInfile},
 * {@code credentialType}, {@code initSql}, ...), also inside Connector/J's {@code (host=…,key=value)} and
 * {@code address=(…)} host forms. A realm administrator may set the URL, so only what a user of a legacy
 * table needs is accepted: TLS, character set and collation, time zone, date and bit conversion.
 */
public record JdbcUrl(Driver driver, String host, int port, String database, Map<String, String> options) {

    /** The two drivers Keycloak ships, with the options each may be given and the ones always set off. */
    public enum Driver {
        MYSQL("jdbc:mysql://", "com.mysql.cj.jdbc.Driver",
                Set.of("sslMode", "useSSL", "requireSSL", "verifyServerCertificate", "enabledTLSProtocols", "tlsVersions",
                        "enabledSSLCipherSuites", "tlsCiphersuites", "characterEncoding", "useUnicode", "connectionCollation",
                        "characterSetResults", "connectionTimeZone", "serverTimezone", "forceConnectionTimeZoneToSession",
                        "preserveInstants", "zeroDateTimeBehavior", "tinyInt1isBit", "transformedBitIsBoolean",
                        "yearIsDateType", "tcpKeepAlive"),
                Map.of("allowLoadLocalInfile", "false", "allowUrlInLocalInfile", "false", "autoDeserialize", "false",
                        "allowMultiQueries", "false", "allowPublicKeyRetrieval", "false")),
        MARIADB("jdbc:mariadb://", "org.mariadb.jdbc.Driver",
                Set.of("sslMode", "enabledSslProtocolSuites", "enabledSslCipherSuites", "connectionCollation", "timezone",
                        "connectionTimeZone", "forceConnectionTimeZoneToSession", "preserveInstants",
                        "transformedBitIsBoolean", "yearIsDateType", "tcpKeepAlive"),
                Map.of("allowLocalInfile", "false", "allowMultiQueries", "false", "allowPublicKeyRetrieval", "false"));

        private final String prefix;
        private final String driverClass;
        private final Set<String> allowedOptions;
        private final Map<String, String> forcedOff;

        Driver(String prefix, String driverClass, Set<String> allowedOptions, Map<String, String> forcedOff) {
            this.prefix = prefix;
            this.driverClass = driverClass;
            this.allowedOptions = allowedOptions;
            this.forcedOff = forcedOff;
        }

        public String driverClass() {
            return driverClass;
        }

        /** Options allowed in the URL, sorted for messages and docs. */
        public Set<String> allowedOptions() {
            return Collections.unmodifiableSet(new TreeSet<>(allowedOptions));
        }

        /** Dangerous features set off explicitly, whatever the driver's default is. */
        public Map<String, String> forcedOff() {
            return forcedOff;
        }
    }

    static final int DEFAULT_PORT = 3306;

    /** One host name, IPv4 address or bracketed IPv6 address; no user info, no list, no key=value forms. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\]");
    private static final Pattern AUTHORITY = Pattern.compile("(" + HOST.pattern() + ")(?::(\\d{1,5}))?");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_$-]{0,64}");
    private static final Pattern OPTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");
    /** No '%' (no encoded names or values), no '(' or ')' (no nested key=value forms), no '&', '=', ';'. */
    private static final Pattern OPTION_VALUE = Pattern.compile("[A-Za-z0-9_.:+/,-]{1,128}");
    /** Bounds the provider sets from its own settings, so an outage stays bounded. */
    private static final Map<String, String> PROVIDER_SET = Map.of(
            "connectTimeout", StorageConfig.CONNECT_TIMEOUT_MS,
            "socketTimeout", StorageConfig.QUERY_TIMEOUT_SECONDS);

    public JdbcUrl {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** @throws ComponentValidationException (a 400 from the admin API) naming what is not accepted */
    public static JdbcUrl parse(String url) {
        Driver driver = null;
        for (Driver candidate : Driver.values()) {
            if (url.startsWith(candidate.prefix)) {
                driver = candidate;
            }
        }
        if (driver == null) {
            throw invalid("JDBC URL must start with jdbc:mysql:// or jdbc:mariadb://");
        }
        String rest = url.substring(driver.prefix.length());
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        int slash = path.indexOf('/');
        String authority = slash < 0 ? path : path.substring(0, slash);
        String database = slash < 0 ? "" : path.substring(slash + 1);

        Matcher hostPort = AUTHORITY.matcher(authority);
        if (!hostPort.matches()) {
            throw invalid("JDBC URL host \"" + authority + "\" is not accepted: give one host as host[:port] "
                    + "(no host lists, no (host=…,key=value) or address=(…) forms, no user name)");
        }
        int port = hostPort.group(2) == null ? DEFAULT_PORT : Integer.parseInt(hostPort.group(2));
        if (port < 1 || port > 65_535) {
            throw invalid("JDBC URL port " + port + " is out of range");
        }
        if (!DATABASE.matcher(database).matches()) {
            throw invalid("JDBC URL database \"" + database + "\" is not a plain database name");
        }
        return new JdbcUrl(driver, hostPort.group(1), port, database,
                query < 0 ? Map.of() : options(driver, rest.substring(query + 1)));
    }

    private static Map<String, String> options(Driver driver, String query) {
        Map<String, String> options = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return options;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!OPTION_NAME.matcher(name).matches()) {
                throw invalid("JDBC URL option \"" + pair + "\" is not of the form name=value");
            }
            if (PROVIDER_SET.containsKey(name)) {
                throw invalid("JDBC URL option \"" + name + "\" is not allowed: the provider sets it from its "
                        + PROVIDER_SET.get(name) + " setting");
            }
            if (!driver.allowedOptions.contains(name)) {
                throw invalid("JDBC URL option \"" + name + "\" is not allowed; allowed options for " + driver.prefix
                        + "…: " + String.join(", ", driver.allowedOptions()));
            }
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (!OPTION_VALUE.matcher(value).matches()) {
                throw invalid("JDBC URL option \"" + name + "\" has a value that is not accepted: \"" + value + "\"");
            }
            if (options.put(name, value) != null) {
                throw invalid("JDBC URL option \"" + name + "\" is given twice");
            }
        }
        return options;
    }

    /** The URL the driver is given: no options in it, they go as properties. */
    public String driverUrl() {
        return driver.prefix + host + ":" + port + "/" + database;
    }

    /** Where the connection goes, as compared when deciding whether the password must be entered again. */
    public String address() {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The URL's allowed options, then the dangerous features set off (they cannot be in the URL). */
    public Map<String, String> driverProperties() {
        Map<String, String> properties = new LinkedHashMap<>(options);
        properties.putAll(driver.forcedOff);
        return properties;
    }

    // the admin API formats the message with MessageFormat, which drops single quotes: names go in double ones
    private static ComponentValidationException invalid(String message) {
        return new ComponentValidationException(message);
    }
}
