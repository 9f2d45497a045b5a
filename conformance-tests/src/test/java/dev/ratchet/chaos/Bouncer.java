package dev.ratchet.chaos;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The transaction-pooling PgBouncer of the pooler tests, in front of the test server: its URL
 * comes from {@value #URL_VARIABLE} (set by {@code scripts/test.sh}, which starts Debian's
 * pgbouncer); without it the tests fail and say how to provide one. Its database (the URL's,
 * {@value #DATABASE} by default) lives on the test server, reached directly for set-up and checks;
 * the tests empty its public schema.
 */
final class Bouncer {
    static final String URL_VARIABLE = "RATCHET_TEST_PGBOUNCER_URL";
    static final String DATABASE = "ratchet_bouncer";

    private Bouncer() {
    }

    /** The JDBC URL through PgBouncer. */
    static String url() {
        String url = System.getProperty(URL_VARIABLE, System.getenv(URL_VARIABLE));
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("No PgBouncer to test through: set " + URL_VARIABLE + "=jdbc:postgresql://"
                    + "HOST:PORT/" + DATABASE + "?user=USER&prepareThreshold=0 to a PgBouncer with pool_mode=transaction"
                    + " in front of the server of RATCHET_TEST_POSTGRES_URL (the database is created by the test and"
                    + " its public schema emptied), or run scripts/test.sh, which installs and starts one on 127.0.0.1:6433.");
        }
        return url;
    }

    /** The database name in a PostgreSQL JDBC URL. */
    private static String database(String url) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?', slash);
        return url.substring(slash + 1, query < 0 ? url.length() : query);
    }

    /** The database behind PgBouncer: the one its URL names. */
    static String database() {
        String name = database(url());
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalStateException(URL_VARIABLE + " names database '" + name + "': use a plain lower-case"
                    + " name, e.g. " + DATABASE);
        }
        return name;
    }

    /** The same database, connected directly (the test server's URL with the database replaced). */
    static String directUrl() {
        String server = TestDatabases.postgresServerUrl();
        int slash = server.indexOf('/', "jdbc:postgresql://".length());
        int query = server.indexOf('?', slash);
        return server.substring(0, slash + 1) + database() + (query < 0 ? "" : server.substring(query));
    }

    /**
     * Creates the database when missing and empties its public schema, with a side table
     * {@code applications} (no key) for counting applications; returns it, reached directly.
     */
    static TestDatabase fresh() throws SQLException {
        String server = TestDatabases.postgresServerUrl();
        try (Connection c = DriverManager.getConnection(server); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database() + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE " + database());
                }
            }
        }
        try (Connection c = DriverManager.getConnection(directUrl()); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS public CASCADE");
            st.execute("CREATE SCHEMA public");
            st.execute("CREATE TABLE applications (name varchar(20))");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(directUrl());
        return new TestDatabase() {
            @Override
            public DatabaseKind kind() {
                return DatabaseKind.POSTGRESQL;
            }

            @Override
            public DataSource dataSource() {
                return ds;
            }

            @Override
            public String url() {
                return directUrl();
            }

            @Override
            public String schema() {
                return "public";
            }

            @Override
            public void close() {
            }
        };
    }

    /** Advisory locks held in the database by any session (PgBouncer's idle server sessions included). */
    static int advisoryLocks() throws SQLException {
        try (Connection c = DriverManager.getConnection(directUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                     + " WHERE l.locktype = 'advisory' AND d.datname = '" + database() + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The rows of a table in the public schema, or -1 when it does not exist. */
    static int rows(String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(directUrl()); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return -1;
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM public." + table)) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
