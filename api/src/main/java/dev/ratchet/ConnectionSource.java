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

    /** Connections from {@link DriverManager}; user and password may be null. */
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
                return DriverManager.getConnection(url, props);
            }

            @Override
            public String describe() {
                return maskUrl(url);
            }
        };
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
