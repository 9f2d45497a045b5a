package dev.ratchet.micronaut;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.micronaut.example.Book;
import dev.ratchet.micronaut.example.BookCatalog;
import io.micronaut.context.ApplicationContext;
import io.micronaut.health.HealthStatus;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.management.health.indicator.HealthResult;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The application restarted with a new migration, and with a broken one. */
@Timeout(120)
class RestartTest {
    @TempDir
    Path migrations;

    private ApplicationContext start(TestDatabase db) {
        return ApplicationContext.run(MicronautDatabases.properties(db, "filesystem:" + migrations));
    }

    /** The messages of {@code e} and of its causes, a line each. */
    private static boolean tableExists(TestDatabase db, String table) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.getMetaData().getTables(null,
                db.kind() == DatabaseKind.POSTGRESQL ? db.schema() : null, table, null)) {
            return rs.next();
        }
    }

    private static String messages(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aRestartWithANewMigrationAppliesIt(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), migrations.resolve("V1__create_book.sql"));
            try (ApplicationContext app = start(db)) {
                app.getBean(BookCatalog.class).add(new Book(1L, "Kindred"));
            }
            Files.writeString(migrations.resolve("V2__add_year.sql"), "ALTER TABLE book ADD COLUMN year_published int;\n"
                    + "UPDATE book SET year_published = 1979 WHERE id = 1;");
            try (ApplicationContext app = start(db)) {
                assertEquals(1, app.getBean(BookCatalog.class).count());
                try (Connection c = db.connect(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT year_published FROM book WHERE id = 1")) {
                    rs.next();
                    assertEquals(1979, rs.getInt(1), "the new migration ran on restart");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aFailingMigrationStopsStartUpWithItsMessage(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Files.writeString(migrations.resolve("V1__broken.sql"), "CREATE TABLE book (id bigint PRIMARY KEY);\n"
                    + "SELECT * FROM nowhere;");
            Throwable e = assertThrows(Throwable.class, () -> start(db).close());
            String messages = messages(e);
            assertTrue(messages.contains("[MIGRATION_FAILED]") && messages.contains("V1__broken.sql"),
                    messages);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theLockStrategyComesFromTheConfiguration(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), migrations.resolve("V1__create_book.sql"));
            java.util.Map<String, Object> properties = MicronautDatabases.properties(db, "filesystem:" + migrations);
            if (kind == DatabaseKind.SQLITE) {
                properties.put("ratchet.datasources.default.lock-strategy", "ADVISORY");
                Throwable e = assertThrows(Throwable.class, () -> ApplicationContext.run(properties).close());
                assertTrue(messages(e).contains("[UNSUPPORTED_FEATURE]"), messages(e));
                return;
            }
            properties.put("ratchet.datasources.default.lock-strategy", "LEASE");
            try (ApplicationContext app = ApplicationContext.run(properties)) {
                assertEquals(0, app.getBean(BookCatalog.class).count());
            }
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM ratchet_applied_migrations_lock")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the lease table was used, and the lease released");
            }
        }
    }

    /**
     * Another application's golang-migrate table of the default name in the same database: the
     * boot refuses to treat it as history it would re-run, until the configuration says the
     * table is not Ratchet's concern.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anotherTrackersTableIsIgnoredOnlyWhenTheConfigurationSaysSo(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), migrations.resolve("V1__create_book.sql"));
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
                st.execute("INSERT INTO schema_migrations VALUES (20240101, false)");
            }
            java.util.Map<String, Object> properties = MicronautDatabases.properties(db, "filesystem:" + migrations);
            Throwable e = assertThrows(Throwable.class, () -> ApplicationContext.run(properties).close());
            String messages = messages(e);
            assertTrue(messages.contains("[FOREIGN_HISTORY_FOUND]"), messages);
            assertTrue(messages.contains("set ratchet.datasources.default.ignore-other-trackers: true"),
                    "the hint names the setting: " + messages);
            assertFalse(messages.contains("ignoreOtherTrackers()"), "nor a call the application does not make: "
                    + messages);

            properties.put("ratchet.datasources.default.ignore-other-trackers", "true");
            try (ApplicationContext app = ApplicationContext.run(properties)) {
                assertEquals(0, app.getBean(BookCatalog.class).count(), "the book table was created");
            }
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT version FROM schema_migrations")) {
                assertTrue(rs.next());
                assertEquals(20240101L, rs.getLong(1), "the other application's table is untouched");
            }
        }
    }

    /**
     * cancel-on-shutdown reaches the builder: a negative wait, which the builder refuses, fails
     * start-up naming the setting; zero (no shutdown hook) starts.
     */
    @Test
    void theCancelOnShutdownSettingReachesTheBuilder() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), migrations.resolve("V1__create_book.sql"));
            java.util.Map<String, Object> properties = MicronautDatabases.properties(db, "filesystem:" + migrations);
            properties.put("ratchet.datasources.default.cancel-on-shutdown", "PT-1S");
            String refused = messages(assertThrows(Throwable.class, () -> ApplicationContext.run(properties).close()));
            assertTrue(refused.contains("ratchet.datasources.default.cancel-on-shutdown: cancelOnShutdown: the wait must"
                    + " not be negative"), refused);
            properties.put("ratchet.datasources.default.cancel-on-shutdown", "0s");
            try (ApplicationContext app = ApplicationContext.run(properties)) {
                assertEquals(0, app.getBean(BookCatalog.class).count(), "started, and migrated");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theLockLeaseSettingReachesTheLease(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), migrations.resolve("V1__create_book.sql"));
            // The migration keeps what is left of the lease it runs under.
            Files.writeString(migrations.resolve("V2__see_the_lease.sql"), kind == DatabaseKind.SQLITE
                    ? "CREATE TABLE lease_seen AS SELECT expires_at - CAST(strftime('%s', 'now') AS INTEGER) * 1000"
                    + " AS remaining_ms FROM ratchet_applied_migrations_lock;\n"
                    : "CREATE TABLE lease_seen AS SELECT (extract(epoch FROM expires_at - clock_timestamp()) * 1000)::bigint"
                    + " AS remaining_ms FROM ratchet_applied_migrations_lock;\n");
            java.util.Map<String, Object> properties = MicronautDatabases.properties(db, "filesystem:" + migrations);
            properties.put("ratchet.datasources.default.lock-strategy", "LEASE");
            properties.put("ratchet.datasources.default.lock-lease", "1h");
            ApplicationContext.run(properties).close();
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT remaining_ms FROM lease_seen")) {
                assertTrue(rs.next(), "the migration ran under a lease row");
                long remaining = rs.getLong(1);
                assertTrue(remaining > 3_000_000 && remaining <= 3_601_000,
                        "an hour's lease (the default is a minute), " + remaining + " ms left");
            }
        }
    }

    /**
     * checksum-verification sets the configured tracker's mode: an edited applied migration stops
     * start-up by default (applied-set: FAIL) and not with WARN; for a counter, which keeps no
     * checksums, the setting fails start-up naming itself.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theChecksumVerificationSettingReachesTheTracker(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path v1 = migrations.resolve("V1__create_book.sql");
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), v1);
            start(db).close();
            Files.writeString(v1, Files.readString(v1) + "\n-- reformatted\n");
            assertTrue(messages(assertThrows(Throwable.class, () -> start(db).close())).contains("[CHECKSUM_DRIFT]"));

            java.util.Map<String, Object> properties = MicronautDatabases.properties(db, "filesystem:" + migrations);
            properties.put("ratchet.datasources.default.checksum-verification", "WARN");
            try (ApplicationContext app = ApplicationContext.run(properties)) {
                assertEquals(0, app.getBean(BookCatalog.class).count(), "started over the edited migration");
            }

            properties.put("ratchet.datasources.default.tracker", "counter@other_counter");
            String counter = messages(assertThrows(Throwable.class, () -> ApplicationContext.run(properties).close()));
            assertTrue(counter.contains("ratchet.datasources.default.checksum-verification: the counter tracker keeps no"
                    + " checksums"), counter);
        }
    }

    /**
     * The health indicator during a rolling deploy and after: a newer release's instance migrates
     * further while this one runs, and this one stays UP (saying the database is ahead); an edited
     * tracker row makes it DOWN; a status that cannot be read (the pool closed) makes it DOWN with the error, instead
     * of failing the health endpoint.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theHealthIndicatorStaysUpWhileANewerReleaseIsAheadAndReportsWhatItCannotRead(DatabaseKind kind,
                                                                                     @TempDir Path newer)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), migrations.resolve("V1__create_book.sql"));
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), newer.resolve("V1__create_book.sql"));
            Files.writeString(newer.resolve("V2__add_year.sql"), "ALTER TABLE book ADD COLUMN year_published int;");
            try (ApplicationContext old = start(db)) {
                RatchetHealthIndicator health = old.getBean(RatchetHealthIndicator.class);
                assertEquals(HealthStatus.UP, MicronautDatabases.first(health.getResult()).getStatus());

                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    st.execute("UPDATE ratchet_applied_migrations SET checksum = '0' || checksum");
                    HealthResult tampered = MicronautDatabases.first(health.getResult());
                    assertEquals(HealthStatus.DOWN, tampered.getStatus(), String.valueOf(tampered.getDetails()));
                    assertTrue(String.valueOf(tampered.getDetails()).contains("problem=CHECKSUM_DRIFT"),
                            String.valueOf(tampered.getDetails()));
                    st.execute("UPDATE ratchet_applied_migrations SET checksum = substr(checksum, 2)");
                }
                assertEquals(HealthStatus.UP, MicronautDatabases.first(health.getResult()).getStatus());

                ApplicationContext.run(MicronautDatabases.properties(db, "filesystem:" + newer)).close();
                HealthResult ahead = MicronautDatabases.first(health.getResult());
                assertEquals(HealthStatus.UP, ahead.getStatus(), "the previous release goes on serving: " + ahead.getDetails());
                Map<?, ?> namespace = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ahead.getDetails()).get("default")).get("default");
                assertTrue(String.valueOf(namespace.get("databaseAhead")).startsWith("UNKNOWN_APPLIED_VERSION:"), namespace.toString());
                assertTrue(String.valueOf(namespace.get("databaseAhead")).contains("2_add_year"), namespace.toString());

                // The pool closed under it (as at shutdown, or as a pool that gave up): no status can be read.
                DataSource pool = old.getBean(DataSourceResolver.class).resolve(old.getBean(DataSource.class));
                ((AutoCloseable) pool).close();
                HealthResult unreadable = MicronautDatabases.first(health.getResult());
                assertEquals(HealthStatus.DOWN, unreadable.getStatus());
                String error = String.valueOf(((Map<?, ?>) ((Map<?, ?>) unreadable.getDetails()).get("default")).get("error"));
                assertTrue(error.startsWith("[CONNECTION_FAILED]"), "the error, not a failed endpoint: " + unreadable.getDetails());
            }
        }
    }

    /**
     * A counter dirty above this release's migrations (a newer release's migration outside a
     * transaction, running or, as here, failed) keeps the health UP under databaseAhead; dirty at
     * this release's own version, it is DOWN.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCounterDirtyAboveThisReleaseKeepsTheHealthUp(DatabaseKind kind, @TempDir Path newer) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), migrations.resolve("V1__create_book.sql"));
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), newer.resolve("V1__create_book.sql"));
            Files.writeString(newer.resolve("V2__backfill.sql"), "-- ratchet:no-transaction\nSELECT * FROM nowhere;");
            java.util.Map<String, Object> properties = MicronautDatabases.properties(db, "filesystem:" + migrations);
            properties.put("ratchet.datasources.default.tracker", "counter");
            try (ApplicationContext old = ApplicationContext.run(properties)) {
                RatchetHealthIndicator health = old.getBean(RatchetHealthIndicator.class);
                java.util.Map<String, Object> next = MicronautDatabases.properties(db, "filesystem:" + newer);
                next.put("ratchet.datasources.default.tracker", "counter");
                String failed = messages(assertThrows(Throwable.class, () -> ApplicationContext.run(next).close()));
                assertTrue(failed.contains("[NON_TRANSACTIONAL_MIGRATION_FAILED]"), failed);

                HealthResult ahead = MicronautDatabases.first(health.getResult());
                assertEquals(HealthStatus.UP, ahead.getStatus(), String.valueOf(ahead.getDetails()));
                Map<?, ?> namespace = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ahead.getDetails()).get("default"))
                        .get("default");
                assertTrue(String.valueOf(namespace.get("databaseAhead")).startsWith("DIRTY:"), namespace.toString());

                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    st.execute("UPDATE schema_migrations SET version = 1");
                }
                HealthResult own = MicronautDatabases.first(health.getResult());
                assertEquals(HealthStatus.DOWN, own.getStatus(), String.valueOf(own.getDetails()));
                assertTrue(String.valueOf(own.getDetails()).contains("problem=DIRTY"), String.valueOf(own.getDetails()));
            }
        }
    }

    /**
     * A rollback: the previous release starts on the database its successor migrated further
     * only when allow-newer-database says it may; then it serves, and its health is UP with a
     * warning naming the newer migration.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aRollbackStartsOnlyWhenTheConfigurationAllowsANewerDatabase(DatabaseKind kind, @TempDir Path newer)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), migrations.resolve("V1__create_book.sql"));
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), newer.resolve("V1__create_book.sql"));
            Files.writeString(newer.resolve("V2__add_year.sql"), "ALTER TABLE book ADD COLUMN year_published int;");
            ApplicationContext.run(MicronautDatabases.properties(db, "filesystem:" + newer)).close();

            java.util.Map<String, Object> properties = MicronautDatabases.properties(db, "filesystem:" + migrations);
            String refused = messages(assertThrows(Throwable.class, () -> ApplicationContext.run(properties).close()));
            assertTrue(refused.contains("[UNKNOWN_APPLIED_VERSION]") && refused.contains("2_add_year"), refused);
            assertTrue(refused.contains("set ratchet.datasources.default.allow-newer-database: true"), refused);
            assertFalse(refused.contains("allowNewerDatabase()"), refused);

            properties.put("ratchet.datasources.default.allow-newer-database", "true");
            try (ApplicationContext old = ApplicationContext.run(properties)) {
                BookCatalog catalog = old.getBean(BookCatalog.class);
                catalog.add(new Book(1L, "Kindred"));
                assertEquals(1, catalog.count(), "the previous release serves");
                HealthResult health = MicronautDatabases.first(old.getBean(RatchetHealthIndicator.class).getResult());
                assertEquals(HealthStatus.UP, health.getStatus(), String.valueOf(health.getDetails()));
                Map<?, ?> namespace = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) health.getDetails()).get("default"))
                        .get("default");
                assertTrue(String.valueOf(namespace.get("warnings")).contains("ahead of this code")
                        && String.valueOf(namespace.get("warnings")).contains("2_add_year"), namespace.toString());
            }
        }
    }

    /**
     * An expand/contract change: the release ships its contract migration with the target before
     * it, start-up runs up to the target, and the health indicator counts only what the target
     * covers; lifting the target runs the rest. A target the code or the configuration lacks stops
     * start-up naming the setting.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aTargetHoldsTheLaterMigrationsAndTheHealthIndicatorCountsUpToIt(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Files.copy(Path.of("src/test/resources/db/books/V1__create_book.sql"), migrations.resolve("V1__create_book.sql"));
            Files.writeString(migrations.resolve("V2__add_year.sql"), "ALTER TABLE book ADD COLUMN year_published int;");
            Files.writeString(migrations.resolve("V3__drop_title_copy.sql"), "CREATE TABLE contracted (id int);");
            Map<String, Object> properties = MicronautDatabases.properties(db, "filesystem:" + migrations);
            properties.put("ratchet.datasources.default.targets.default", "2");
            try (ApplicationContext staged = ApplicationContext.run(properties)) {
                HealthResult health = MicronautDatabases.first(staged.getBean(RatchetHealthIndicator.class).getResult());
                assertEquals(HealthStatus.UP, health.getStatus(), String.valueOf(health.getDetails()));
                Map<?, ?> namespace = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) health.getDetails()).get("default"))
                        .get("default");
                assertEquals(List.of(), namespace.get("pending"), namespace.toString());
                assertEquals(List.of("3_drop_title_copy"), namespace.get("pendingAfterTarget"), namespace.toString());
                assertEquals("2_add_year", namespace.get("target"), namespace.toString());
            }
            assertFalse(tableExists(db, "contracted"), "the migration after the target waits");

            properties.remove("ratchet.datasources.default.targets.default");
            ApplicationContext.run(properties).close();
            assertTrue(tableExists(db, "contracted"), "without the target, the rest runs");

            for (Map.Entry<String, String> bad : Map.of(
                    "ratchet.datasources.default.targets.default=9",
                    "ratchet.datasources.default.targets.default: namespace 'default' has no migration named '9' or of"
                            + " version 9 (its last is 3_drop_title_copy)",
                    "ratchet.datasources.default.targets.audit=1",
                    "ratchet.datasources.default.targets.audit: no namespace 'audit' is configured (configured:"
                            + " default)").entrySet()) {
                Map<String, Object> wrong = MicronautDatabases.properties(db, "filesystem:" + migrations);
                String[] setting = bad.getKey().split("=", 2);
                wrong.put(setting[0], setting[1]);
                String messages = messages(assertThrows(Throwable.class, () -> ApplicationContext.run(wrong).close()));
                assertTrue(messages.contains(bad.getValue()), bad.getKey() + ": " + messages);
            }
        }
    }

    /**
     * A location that names no directory (an unset placeholder) stops start-up naming the
     * setting, instead of reading the working directory or the classpath's root; so does one
     * without its prefix.
     */
    @org.junit.jupiter.api.Test
    void aLocationThatNamesNoDirectoryStopsStartUpNamingTheSetting() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            Map<String, String> expected = Map.of(
                    "ratchet.datasources.default.locations=filesystem:",
                    "ratchet.datasources.default.locations: migration location 'filesystem:' names no directory"
                            + " (an unset placeholder?): give filesystem:DIR",
                    "ratchet.datasources.default.namespaces.audit=classpath:",
                    "ratchet.datasources.default.namespaces.audit: migration location 'classpath:' names no directory",
                    "ratchet.datasources.default.locations=db/books",
                    "ratchet.datasources.default.locations: migration location 'db/books' must start with classpath:"
                            + " or filesystem:");
            for (Map.Entry<String, String> e : expected.entrySet()) {
                java.util.Map<String, Object> properties = MicronautDatabases.properties(db, "classpath:db/books");
                String[] setting = e.getKey().split("=", 2);
                properties.put(setting[0], setting[1]);
                String messages = messages(assertThrows(Throwable.class, () -> ApplicationContext.run(properties).close()));
                assertTrue(messages.contains(e.getValue()), e.getKey() + ": " + messages);
            }
        }
    }
}
