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
    private final boolean kept;

    private BenchDatabase(String kind, String url, DataSource dataSource, String name, Path file) {
        this(kind, url, dataSource, name, file, false);
    }

    private BenchDatabase(String kind, String url, DataSource dataSource, String name, Path file, boolean kept) {
        this.kind = kind;
        this.url = url;
        this.dataSource = dataSource;
        this.name = name;
        this.file = file;
        this.kept = kept;
    }

    /** The prefix of the databases {@link #prepared} keeps; {@code scripts/bench.sh} drops them. */
    static final String PREPARED_PREFIX = "bench_prepared_";

    /** Where {@link #prepared} keeps its SQLite files. */
    static Path preparedSqliteDirectory() {
        return sqliteDirectory().resolve("ratchet-bench-prepared");
    }

    /**
     * Where the SQLite files go: RATCHET_BENCH_SQLITE_DIR ({@code scripts/bench.sh} points it at
     * tmpfs, for the reason {@link #createDatabase} gives), else the temporary directory.
     */
    static Path sqliteDirectory() {
        String dir = System.getenv("RATCHET_BENCH_SQLITE_DIR");
        return Path.of(dir == null || dir.isBlank() ? System.getProperty("java.io.tmpdir") : dir);
    }

    /**
     * A database that {@code prepare} brings to a state once, kept (not dropped on close) and
     * reused by later trials with the same key: the up-to-date boot and the status benchmarks of a
     * tool read the same N-migration history, which only one of them needs to apply (Flyway takes
     * minutes for N = 5000). A database is reused only when its preparation finished.
     */
    static BenchDatabase prepared(String kind, String key, java.util.function.Consumer<BenchDatabase> prepare) {
        String id = key.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        BenchDatabase db;
        if (kind.equals("sqlite")) {
            try {
                Path f = Files.createDirectories(preparedSqliteDirectory()).resolve(id + ".db");
                if (Files.exists(f.resolveSibling(id + ".ready"))) {
                    return open(kind, "jdbc:sqlite:" + f, null, f);
                }
                Files.deleteIfExists(f);
                db = open(kind, "jdbc:sqlite:" + f, null, f);
                prepare.accept(db);
                Files.createFile(f.resolveSibling(id + ".ready"));
                return db;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String name = PREPARED_PREFIX + id;
        String url = withDatabase(server(), name);
        if (exists(name) && ready(url)) {
            return open(kind, url, name, null);
        }
        exec(server(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        createDatabase(name, "");
        db = open(kind, url, name, null);
        prepare.accept(db);
        exec(url, "CREATE TABLE bench_prepared_ready (ok int)");
        return db;
    }

    /**
     * The {@link #prepared} database holding {@code tool}'s N-migration history of {@code w}: the
     * one the up-to-date boot and status benchmarks of that tool use.
     */
    static BenchDatabase applied(String kind, Tool tool, int n, Workload w) {
        return prepared(kind, "applied " + tool.name() + " " + n, fresh -> tool.migrate(fresh, w));
    }

    private static BenchDatabase open(String kind, String url, String name, Path file) {
        DataSource ds;
        if (kind.equals("sqlite")) {
            SQLiteDataSource lite = new SQLiteDataSource();
            lite.setUrl(url);
            ds = lite;
        } else {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            ds = pg;
        }
        return new BenchDatabase(kind, url, ds, name, file, true);
    }

    private static boolean exists(String database) {
        try (Connection c = DriverManager.getConnection(server());
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static boolean ready(String url) {
        try (Connection c = DriverManager.getConnection(url);
             java.sql.ResultSet rs = c.getMetaData().getTables(null, null, "bench_prepared_ready", null)) {
            return rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The same database reached through another URL (another role); closing it drops nothing. */
    static BenchDatabase attach(BenchDatabase db, String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        return new BenchDatabase(db.kind, url, ds, null, null);
    }

    /** RATCHET_BENCH_POSTGRES_URL, else the tests' RATCHET_TEST_POSTGRES_URL, else the local server. */
    static String server() {
        for (String variable : new String[] {"RATCHET_BENCH_POSTGRES_URL", "RATCHET_TEST_POSTGRES_URL"}) {
            String url = System.getenv(variable);
            if (url != null && !url.isBlank()) {
                return url;
            }
        }
        return DEFAULT_SERVER;
    }

    /**
     * A new database holding what {@code template} holds (a prepared one, which no connection
     * may be using): {@code CREATE DATABASE ... TEMPLATE} on PostgreSQL (with the same settings
     * as {@link #create}), a copy of the file on SQLite. Dropped on close.
     */
    static BenchDatabase copyOf(BenchDatabase template) {
        if (template.kind.equals("sqlite")) {
            BenchDatabase db = create("sqlite");
            try {
                Files.copy(template.file, db.file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return db;
        }
        return newPostgres(" TEMPLATE " + template.name);
    }

    /**
     * Writes the server's dirty pages out now (PostgreSQL {@code CHECKPOINT}; nothing on SQLite),
     * so that what an earlier setup or iteration wrote is not flushed during the next measurement:
     * the workload creates thousands of tables, and a checkpoint falling into one tool's iteration
     * would be charged to that tool.
     */
    void checkpoint() {
        if (kind.equals("postgresql")) {
            exec(server(), "CHECKPOINT");
        }
    }

    /** A fresh database of this kind: {@code postgresql} or {@code sqlite}. */
    static BenchDatabase create(String kind) {
        if (kind.equals("sqlite")) {
            try {
                Path dir = Files.createTempDirectory(Files.createDirectories(sqliteDirectory()), "ratchet-bench-");
                Path f = dir.resolve("bench.db");
                SQLiteDataSource ds = new SQLiteDataSource();
                ds.setUrl("jdbc:sqlite:" + f);
                return new BenchDatabase(kind, "jdbc:sqlite:" + f, ds, null, f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return newPostgres("");
    }

    /** A new PostgreSQL database under a fresh name, created with {@code options} (a template, or none). */
    private static BenchDatabase newPostgres(String options) {
        String name = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        createDatabase(name, options);
        String url = withDatabase(server(), name);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        return new BenchDatabase("postgresql", url, ds, name, null);
    }

    /**
     * A new database whose commits do not wait for the WAL flush, in the tablespace named by
     * {@code RATCHET_BENCH_TABLESPACE} when set ({@code scripts/bench.sh} makes one on tmpfs). On
     * this kind of machine one sync costs milliseconds, so a per-migration fresh apply would
     * measure the disk (5,000 commits, and 5,000 new primary-key indexes, each synced by the
     * server before its CREATE TABLE returns) rather than the tools; every tool gets the same
     * database, and the reference figures (a 3.8 s floor for 5,000 migrations) come from a
     * machine with fast flushes.
     */
    private static void createDatabase(String name, String options) {
        exec(server(), "CREATE DATABASE " + name + options + tablespace());
        exec(server(), "ALTER DATABASE " + name + " SET synchronous_commit = off");
    }

    /** {@code " TABLESPACE <name>"} for RATCHET_BENCH_TABLESPACE, or nothing. */
    static String tablespace() {
        String space = System.getenv("RATCHET_BENCH_TABLESPACE");
        if (space == null || space.isBlank()) {
            return "";
        }
        if (!space.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("RATCHET_BENCH_TABLESPACE must be a plain lower-case name: " + space);
        }
        return " TABLESPACE " + space;
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
        if (!kept) {
            discard();
        }
    }

    /** Drops the database (or deletes the file), prepared or not; an attached one is left alone. */
    void discard() {
        if (name == null && file == null) {
            return; // attached
        }
        if (name != null) {
            exec(server(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } else {
            try {
                Files.deleteIfExists(file);
                String base = file.getFileName().toString().replaceAll("\\.db$", "");
                Files.deleteIfExists(file.resolveSibling(base + ".ready"));
                if (!kept) {
                    Files.deleteIfExists(file.getParent());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
