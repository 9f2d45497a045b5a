package dev.ratchet.benchmarks;

import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh database for one benchmark setup: a new PostgreSQL database on the server of
 * {@link #server()}, or a new SQLite file. Every tool gets the same kind of empty database.
 */
final class BenchDatabase implements AutoCloseable {
    static final String DEFAULT_SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    final String kind;
    final String url;
    final DataSource dataSource;
    private final String name;
    private final Path file;

    private BenchDatabase(String kind, String url, DataSource dataSource, String name, Path file) {
        this.kind = kind;
        this.url = url;
        this.dataSource = dataSource;
        this.name = name;
        this.file = file;
    }

    /** RATCHET_BENCH_POSTGRES_URL, else the tests' RATCHET_TEST_POSTGRES_URL, else the local server. */
    /** The same database reached through another URL (another role); closing it drops nothing. */
    static BenchDatabase attach(BenchDatabase db, String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        return new BenchDatabase(db.kind, url, ds, null, null);
    }

    static String server() {
        for (String variable : new String[] {"RATCHET_BENCH_POSTGRES_URL", "RATCHET_TEST_POSTGRES_URL"}) {
            String url = System.getenv(variable);
            if (url != null && !url.isBlank()) {
                return url;
            }
        }
        return DEFAULT_SERVER;
    }

    /** A fresh database of this kind: {@code postgresql} or {@code sqlite}. */
    static BenchDatabase create(String kind) {
        if (kind.equals("sqlite")) {
            try {
                Path dir = Files.createTempDirectory("ratchet-bench-");
                Path f = dir.resolve("bench.db");
                SQLiteDataSource ds = new SQLiteDataSource();
                ds.setUrl("jdbc:sqlite:" + f);
                return new BenchDatabase(kind, "jdbc:sqlite:" + f, ds, null, f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String name = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        exec(server(), "CREATE DATABASE " + name);
        String url = withDatabase(server(), name);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        return new BenchDatabase(kind, url, ds, name, null);
    }

    /** The server URL with another database name. */
    static String withDatabase(String serverUrl, String database) {
        int slash = serverUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = serverUrl.indexOf('?');
        return serverUrl.substring(0, slash + 1) + database + (query < 0 ? "" : serverUrl.substring(query));
    }

    static void exec(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (name == null && file == null) {
            return; // attached
        }
        if (name != null) {
            exec(server(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } else {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
