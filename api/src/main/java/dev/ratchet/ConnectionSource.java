package dev.ratchet;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where a run gets its one pinned connection. Each run opens exactly one connection and
 * closes (returns) it at the end, with its session settings restored.
 *
 * <pre>{@code
 * ConnectionSource pooled = ConnectionSource.of(hikariDataSource);
 * ConnectionSource direct = ConnectionSource.url("jdbc:sqlite:app.db", null, null);
 * }</pre>
 */
public interface ConnectionSource {
    /** Opens (or borrows) a connection. */
    Connection open() throws SQLException;

    /** A description for messages, without secrets. */
    default String describe() {
        return getClass().getSimpleName();
    }

    /** Connections from a {@link DataSource}, typically a pool. */
    static ConnectionSource of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new ConnectionSource() {
            @Override
            public Connection open() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public String describe() {
                return "DataSource " + dataSource.getClass().getSimpleName();
            }
        };
    }

    /**
     * Connections from {@link DriverManager}; user and password may be null. A URL that no driver
     * accepts fails before connecting: {@code UNSUPPORTED_DATABASE} naming the two URL forms
     * Ratchet works with (a mistyped {@code jdbc:postgres:} gets it too), or
     * {@code CONNECTION_FAILED} naming the driver artifact a PostgreSQL or SQLite URL needs.
     */
    static ConnectionSource url(String url, String user, String password) {
        Objects.requireNonNull(url, "url");
        return new ConnectionSource() {
            @Override
            public Connection open() throws SQLException {
                Properties props = new Properties();
                if (user != null) {
                    props.setProperty("user", user);
                }
                if (password != null) {
                    props.setProperty("password", password);
                }
                try {
                    DriverManager.getDriver(url);
                } catch (SQLException noDriver) { // "No suitable driver": say what would be
                    throw noDriverFor(url);
                }
                return DriverManager.getConnection(url, props);
            }

            @Override
            public String describe() {
                return maskUrl(url);
            }
        };
    }

    /**
     * No JDBC driver on the class path accepts {@code url}: for a PostgreSQL or SQLite URL the
     * driver is missing ({@code CONNECTION_FAILED}, hint naming its artifact); any other URL,
     * including a mistyped scheme ({@code jdbc:postgres:}, or no {@code jdbc:} at all), is for a
     * database Ratchet does not support ({@code UNSUPPORTED_DATABASE}, hint giving both forms).
     */
    private static RatchetException noDriverFor(String url) {
        String masked = maskUrl(url);
        String artifact = url.startsWith("jdbc:postgresql:") ? "org.postgresql:postgresql"
                : url.startsWith("jdbc:sqlite:") ? "org.xerial:sqlite-jdbc" : null;
        if (artifact != null) {
            return RatchetException.of(ErrorKind.CONNECTION_FAILED, "No JDBC driver on the class path accepts "
                            + masked + ".").with("source", masked)
                    .hint("put the driver (" + artifact + ") on the class path").build();
        }
        return RatchetException.of(ErrorKind.UNSUPPORTED_DATABASE, "No JDBC driver accepts " + masked
                        + ": Ratchet works with PostgreSQL and SQLite.").with("source", masked)
                .hint("use a URL of the form jdbc:postgresql://HOST[:PORT]/DATABASE or jdbc:sqlite:FILE").build();
    }

    /**
     * The URL with every secret replaced by {@code ***}: {@code password=} parameters (and
     * similar: {@code sslpassword}, {@code secret}, {@code token}) and {@code user:password@}
     * user info.
     *
     * <pre>{@code
     * maskUrl("jdbc:postgresql://db/app?user=u&password=s3cret") // "jdbc:postgresql://db/app?user=u&password=***"
     * }</pre>
     */
    static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked = Pattern.compile("(?i)((?:[a-z]*password|secret|token|sslkey)=)[^&;]*")
                .matcher(url).replaceAll("$1***");
        return Pattern.compile("(//[^/@:?]*):[^/@?]*@").matcher(masked).replaceAll("$1:***@");
    }
}
