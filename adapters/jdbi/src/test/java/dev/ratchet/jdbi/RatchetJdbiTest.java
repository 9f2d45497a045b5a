package dev.ratchet.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ratchet.ErrorKind;
import dev.ratchet.MigrateResult;
import dev.ratchet.Migration;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Types;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ratchet on Jdbi, on PostgreSQL and SQLite. */
@Timeout(60)
class RatchetJdbiTest {
    static final Path QUICKSTART = Path.of("../../examples/quickstart").toAbsolutePath().normalize();

    /** An application type with its own Jdbi argument factory. */
    record Isbn(String value) {
    }

    static final class IsbnArgumentFactory extends AbstractArgumentFactory<Isbn> {
        IsbnArgumentFactory() {
            super(Types.VARCHAR);
        }

        @Override
        protected Argument build(Isbn value, ConfigRegistry config) {
            return (position, statement, ctx) -> statement.setString(position, "ISBN " + value.value().toUpperCase(Locale.ROOT));
        }
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariConfig c = new HikariConfig();
        c.setDataSource(db.dataSource());
        c.setMaximumPoolSize(2);
        return new HikariDataSource(c);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void jdbiMigrationsMixWithSqlFilesUseTheApplicationsJdbiAndThePinnedHandle(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind); HikariDataSource pool = pool(db)) {
            Jdbi jdbi = Jdbi.create(pool);
            jdbi.registerArgument(new IsbnArgumentFactory());
            String sessionQuery = kind == DatabaseKind.POSTGRESQL ? "SELECT pg_backend_pid()" : "SELECT 1";
            JdbiMigration seed = JdbiMigration.builder("2.5_seed_books")
                    .version(Version.parse("2.5"))
                    .checksumOf("seed books v1")
                    .body(handle -> {
                        handle.execute("INSERT INTO authors (id, name) VALUES (1, 'Ursula')");
                        var batch = handle.prepareBatch("INSERT INTO books (id, author_id, title) VALUES (:id, 1, :title)");
                        batch.bind("id", 1).bind("title", "A Wizard of Earthsea").add();
                        batch.bind("id", 2).bind("title", "The Dispossessed").add();
                        batch.execute();
                        handle.execute("CREATE TABLE sessions (pid bigint)");
                        handle.createUpdate("INSERT INTO sessions (pid) VALUES ((" + sessionQuery + "))").execute();
                    })
                    .build();
            JdbiMigration isbn = JdbiMigration.builder("4_fill_isbn").version(Version.of(4)).checksumOf("isbn v1")
                    .body(handle -> handle.createUpdate("UPDATE books SET isbn = :isbn WHERE id = 1")
                            .bind("isbn", new Isbn("0-553-26239-0")).execute())
                    .build();
            RatchetJdbi ratchetJdbi = RatchetJdbi.of(jdbi);
            List<Migration> files = new java.util.ArrayList<>(MigrationSource.directory(QUICKSTART).load());
            files.add(Migration.builder("2.6_sql_session").version(Version.parse("2.6"))
                    .sql("INSERT INTO sessions (pid) VALUES ((" + sessionQuery + "))").build());
            Namespace ns = ratchetJdbi.namespace("app", files, List.of(seed, isbn));
            Ratchet ratchet = ratchetJdbi.builder().tracker(AppliedSetTracker.builder().build()).namespace(ns).build();

            MigrateResult result = ratchet.migrate();

            assertEquals(List.of("1_create_authors", "2_create_books", "2.5_seed_books", "2.6_sql_session", "3_add_isbn",
                            "4_fill_isbn"),
                    result.applied().stream().map(a -> a.name()).toList(), "files and code interleave by version");
            assertEquals(List.of("A Wizard of Earthsea", "The Dispossessed"),
                    jdbi.withHandle(h -> h.createQuery("SELECT title FROM books ORDER BY id").mapTo(String.class).list()));
            assertEquals("ISBN 0-553-26239-0", jdbi.withHandle(h -> h.createQuery("SELECT isbn FROM books WHERE id = 1")
                    .mapTo(String.class).one()), "the application's argument factory applied inside the migration");
            assertEquals(Migration.builder("x").body(c -> { }).checksumOf("seed books v1").build().checksum().orElseThrow(),
                    jdbi.withHandle(h -> h.createQuery("SELECT checksum FROM ratchet_applied_migrations WHERE version = '2.5'")
                            .mapTo(String.class).one()), "the checksum comes from the author's string");
            int sessions = jdbi.withHandle(h -> h.createQuery("SELECT count(DISTINCT pid) FROM sessions")
                    .mapTo(Integer.class).one());
            assertEquals(1, sessions, "the Jdbi migration and the SQL migration ran on one pinned session");
            assertTrue(ratchet.migrate().applied().isEmpty());
            assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections(), "the pinned handle was closed");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aFailingJdbiMigrationRollsBackAndIsNotRecorded(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind); HikariDataSource pool = pool(db)) {
            Jdbi jdbi = Jdbi.create(pool);
            JdbiMigration table = JdbiMigration.builder("1_table").version(Version.of(1)).checksumOf("v1")
                    .body(h -> h.execute("CREATE TABLE colours (name varchar(10))")).build();
            JdbiMigration failing = JdbiMigration.builder("2_fill").version(Version.of(2)).checksumOf("v1")
                    .body(h -> {
                        h.createUpdate("INSERT INTO colours (name) VALUES (:n)").bind("n", "red").execute();
                        h.execute("INSERT INTO no_such_table VALUES (1)");
                    }).build();
            RatchetJdbi ratchetJdbi = RatchetJdbi.of(jdbi);

            RatchetException e = assertThrows(RatchetException.class, () -> ratchetJdbi.builder()
                    .tracker(AppliedSetTracker.builder().build())
                    .namespace(ratchetJdbi.namespace("app", List.of(), List.of(table, failing))).build().migrate());

            assertEquals(ErrorKind.MIGRATION_FAILED, e.kind());
            assertEquals("2_fill", e.context().get("migration"));
            int colours = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM colours").mapTo(Integer.class).one());
            assertEquals(0, colours, "the failed migration's insert was rolled back");
            assertEquals(List.of("1"), jdbi.withHandle(h -> h.createQuery(
                    "SELECT version FROM ratchet_applied_migrations").mapTo(String.class).list()));
            assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections(), "the handle was closed after the failure");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theReadmeExampleRunsAndIsShownVerbatim(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Jdbi jdbi = Jdbi.create(db.dataSource());
            Path migrations = QUICKSTART;
            // readme-example:jdbi:start
            RatchetJdbi ratchetJdbi = RatchetJdbi.of(jdbi);
            JdbiMigration seed = JdbiMigration.builder("4_seed_authors")
                    .version(Version.parse("4"))
                    .checksumOf("seed authors v1")          // change it whenever the effect changes
                    .body(handle -> handle.prepareBatch("INSERT INTO authors (id, name) VALUES (?, ?)")
                            .add(1, "Ursula K. Le Guin")
                            .add(2, "Octavia E. Butler")
                            .execute())
                    .build();
            ratchetJdbi.builder()
                    .tracker(AppliedSetTracker.builder().build())
                    .namespace(ratchetJdbi.namespace("app", MigrationSource.directory(migrations).load(), List.of(seed)))
                    .build()
                    .migrate();
            // readme-example:jdbi:end
            int authors = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM authors").mapTo(Integer.class).one());
            assertEquals(2, authors);
        }
        dev.ratchet.conformance.ReadmeSnippets.assertShown(Path.of("../../README.md"),
                Path.of("src/test/java/dev/ratchet/jdbi/RatchetJdbiTest.java"), "jdbi");
    }

    /**
     * A Jdbi migration's handle joins the run's transaction: Jdbi's useTransaction runs inside it
     * (on SQLite too, whose driver says no transaction is open), and a commit the body makes is
     * refused instead of committing the body apart from its tracker row; nothing of a failed
     * body stays. The application's own handles keep their transactions.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aJdbiMigrationJoinsTheRunsTransactionAndCannotEndIt(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind); HikariDataSource pool = pool(db)) {
            Jdbi jdbi = Jdbi.create(pool);
            RatchetJdbi ratchetJdbi = RatchetJdbi.of(jdbi);
            JdbiMigration table = JdbiMigration.builder("1_table").version(Version.of(1)).checksumOf("v1")
                    .body(h -> h.useTransaction(t -> t.execute("CREATE TABLE colours (name varchar(10))"))).build();
            JdbiMigration red = JdbiMigration.builder("2_red").version(Version.of(2)).checksumOf("v1")
                    .body(h -> h.useTransaction(t -> t.execute("INSERT INTO colours (name) VALUES ('red')"))).build();
            ratchetJdbi.builder().tracker(AppliedSetTracker.builder().build())
                    .namespace(ratchetJdbi.namespace("app", List.of(), List.of(table, red))).build().migrate();
            assertEquals(List.of("red"), jdbi.withHandle(h -> h.createQuery("SELECT name FROM colours")
                    .mapTo(String.class).list()), "useTransaction ran inside the run's transaction");

            JdbiMigration committing = JdbiMigration.builder("3_green").version(Version.of(3)).checksumOf("v1")
                    .body(h -> {
                        h.execute("INSERT INTO colours (name) VALUES ('green')");
                        h.commit();
                        h.execute("INSERT INTO no_such_table VALUES (1)");
                    }).build();
            RatchetException e = assertThrows(RatchetException.class, () -> ratchetJdbi.builder()
                    .tracker(AppliedSetTracker.builder().build())
                    .namespace(ratchetJdbi.namespace("app", List.of(), List.of(table, red, committing))).build().migrate());
            assertEquals(ErrorKind.MIGRATION_FAILED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("must not call"), e.getMessage());
            assertTrue(e.hint().startsWith("remove the call"), e.hint());
            assertEquals(List.of("red"), jdbi.withHandle(h -> h.createQuery("SELECT name FROM colours")
                    .mapTo(String.class).list()), "the refused commit kept nothing of the body");
            assertEquals(List.of("1", "2"), jdbi.withHandle(h -> h.createQuery(
                    "SELECT version FROM ratchet_applied_migrations ORDER BY version").mapTo(String.class).list()));

            jdbi.useTransaction(h -> h.execute("INSERT INTO colours (name) VALUES ('blue')"));
            assertEquals(List.of("blue", "red"), jdbi.withHandle(h -> h.createQuery("SELECT name FROM colours ORDER BY name")
                    .mapTo(String.class).list()), "the application's handles commit as before");
            assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections(), "every handle was closed");
        }
    }

    /**
     * A Jdbi migration built with transactional(false) runs outside Ratchet's transaction: its Jdbi
     * transactions commit as they end (a backfill in batches keeps the batches before a failure),
     * PostgreSQL's CREATE INDEX CONCURRENTLY runs, and it is recorded once it returns.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aJdbiMigrationOutsideTheTransactionCommitsItsBatches(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind); HikariDataSource pool = pool(db)) {
            Jdbi jdbi = Jdbi.create(pool);
            RatchetJdbi ratchetJdbi = RatchetJdbi.of(jdbi);
            JdbiMigration table = JdbiMigration.builder("1_table").version(Version.of(1)).checksumOf("v1")
                    .body(h -> h.execute("CREATE TABLE colours (id int, name varchar(10))")).build();
            JdbiMigration failing = JdbiMigration.builder("2_backfill").version(Version.of(2)).checksumOf("v1")
                    .transactional(false)
                    .body(h -> {
                        for (int batch = 1; batch <= 3; batch++) {
                            int b = batch;
                            h.useTransaction(t -> t.execute("INSERT INTO colours (id, name) VALUES (?, 'batch')", b));
                            if (batch == 2) {
                                throw new IllegalStateException("the backfill stops after batch 2");
                            }
                        }
                    }).build();
            RatchetException e = assertThrows(RatchetException.class, () -> ratchetJdbi.builder()
                    .tracker(AppliedSetTracker.builder().build())
                    .namespace(ratchetJdbi.namespace("app", List.of(), List.of(table, failing))).build().migrate());
            assertEquals(ErrorKind.NON_TRANSACTIONAL_MIGRATION_FAILED, e.kind(), e.getMessage());
            assertEquals(List.of(1, 2), jdbi.withHandle(h -> h.createQuery("SELECT id FROM colours ORDER BY id")
                    .mapTo(Integer.class).list()), "the batches before the failure were committed");

            JdbiMigration rest = JdbiMigration.builder("2_backfill").version(Version.of(2)).checksumOf("v2")
                    .transactional(false)
                    .body(h -> {
                        h.useTransaction(t -> t.execute("INSERT INTO colours (id, name) VALUES (3, 'batch')"));
                        h.execute(kind == DatabaseKind.POSTGRESQL ? "CREATE INDEX CONCURRENTLY colours_id ON colours (id)"
                                : "CREATE INDEX colours_id ON colours (id)");
                    }).build();
            ratchetJdbi.builder().tracker(AppliedSetTracker.builder().build())
                    .namespace(ratchetJdbi.namespace("app", List.of(), List.of(table, rest))).build().migrate();
            assertEquals(List.of(1, 2, 3), jdbi.withHandle(h -> h.createQuery("SELECT id FROM colours ORDER BY id")
                    .mapTo(Integer.class).list()));
            assertEquals(List.of("1", "2"), jdbi.withHandle(h -> h.createQuery(
                    "SELECT version FROM ratchet_applied_migrations ORDER BY version").mapTo(String.class).list()));
            assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections(), "every handle was closed");
        }
    }
}
