package dev.ratchet.conformance;

import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Finds the test databases. PostgreSQL comes from, in order: the environment variable (or
 * system property) {@value #POSTGRES_URL_VARIABLE}; else a Testcontainers container when Docker
 * is available; else {@link #open} fails with a message saying how to provide one. It never
 * skips silently. SQLite is a file in a new temporary directory.
 */
public final class TestDatabases {
    /** The variable naming a PostgreSQL server for tests, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. */
    public static final String POSTGRES_URL_VARIABLE = "RATCHET_TEST_POSTGRES_URL";

    /** What a test that cannot reach PostgreSQL says. */
    public static final String HOW_TO_PROVIDE_POSTGRES = "No PostgreSQL server for the tests. Set "
            + POSTGRES_URL_VARIABLE + "=jdbc:postgresql://HOST:5432/DB?user=USER (a database the user may create"
            + " schemas in), or make Docker available for Testcontainers; in Ratchet's own build, scripts/test.sh"
            + " starts a local PostgreSQL (installing it with apt if needed) and sets the variable.";

    private static volatile String postgresServerUrl;

    private TestDatabases() {
    }

    /** A fresh database of this kind. */
    public static TestDatabase open(DatabaseKind kind) {
        return switch (kind) {
            case POSTGRESQL -> postgres();
            case SQLITE -> sqlite();
        };
    }

    /** A fresh SQLite file. */
    public static TestDatabase sqlite() {
        try {
            Path dir = Files.createTempDirectory("ratchet-test-");
            String url = "jdbc:sqlite:" + dir.resolve("test.db");
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl(url);
            return new Sqlite(dir, url, ds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh schema on the test PostgreSQL server. */
    public static TestDatabase postgres() {
        String server = postgresServerUrl();
        String schema = "rt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(server); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a test schema on " + mask(server) + ": " + e.getMessage()
                    + ". " + HOW_TO_PROVIDE_POSTGRES, e);
        }
        String url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        return new Postgres(server, url, schema, ds);
    }

    /** The server URL (without a test schema); resolved once per JVM. */
    public static String postgresServerUrl() {
        String url = postgresServerUrl;
        if (url != null) {
            return url;
        }
        synchronized (TestDatabases.class) {
            if (postgresServerUrl == null) {
                postgresServerUrl = resolvePostgres();
            }
            return postgresServerUrl;
        }
    }

    private static String resolvePostgres() {
        return resolvePostgres(System.getProperty(POSTGRES_URL_VARIABLE, System.getenv(POSTGRES_URL_VARIABLE)),
                TestDatabases::dockerAvailable);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The server URL from the variable, else Testcontainers, else a failure saying how to provide one. */
    static String resolvePostgres(String configured, java.util.function.BooleanSupplier docker) {
        if (configured != null && !configured.isBlank()) {
            try (Connection c = DriverManager.getConnection(configured)) {
                if (!c.isValid(10)) {
                    throw new SQLException("the connection is not valid");
                }
                return configured;
            } catch (SQLException e) {
                throw new IllegalStateException(POSTGRES_URL_VARIABLE + " is set to " + mask(configured)
                        + " but the server cannot be reached: " + e.getMessage() + ". " + HOW_TO_PROVIDE_POSTGRES, e);
            }
        }
        if (!docker.getAsBoolean()) {
            throw new IllegalStateException(HOW_TO_PROVIDE_POSTGRES);
        }
        @SuppressWarnings("resource") // lives as long as the test JVM; Testcontainers' reaper removes it
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:15-alpine");
        container.start();
        return container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?")
                + "user=" + container.getUsername() + "&password=" + container.getPassword();
    }

    static String mask(String url) {
        return dev.ratchet.ConnectionSource.maskUrl(url);
    }

    private record Postgres(String server, String url, String schema, DataSource dataSource) implements TestDatabase {
        @Override
        public DatabaseKind kind() {
            return DatabaseKind.POSTGRESQL;
        }

        @Override
        public void close() {
            try (Connection c = DriverManager.getConnection(server); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot drop test schema " + schema + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "PostgreSQL schema " + schema;
        }
    }

    private record Sqlite(Path directory, String url, DataSource dataSource) implements TestDatabase {
        @Override
        public DatabaseKind kind() {
            return DatabaseKind.SQLITE;
        }

        @Override
        public String schema() {
            return "main";
        }

        @Override
        public void close() {
            deleteTree(directory);
        }

        @Override
        public String toString() {
            return "SQLite " + directory.resolve("test.db");
        }
    }

    /** Deletes {@code directory} and everything in it, if it is there: a test's scratch files. */
    public static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
