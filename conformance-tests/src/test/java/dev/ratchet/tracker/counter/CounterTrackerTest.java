package dev.ratchet.tracker.counter;

import dev.ratchet.ErrorKind;
import dev.ratchet.Fixtures;
import dev.ratchet.MigrateResult;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.NamespaceStatus;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.SchemaFingerprint;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.ratchet.Fixtures.create;
import static dev.ratchet.Fixtures.creates;
import static dev.ratchet.Fixtures.effects;
import static dev.ratchet.Fixtures.rows;
import static dev.ratchet.Fixtures.tableExists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The counter tracker on PostgreSQL and SQLite, against golang-migrate's own table layout. */
@Timeout(120)
class CounterTrackerTest {
    private static final Tracker GOLANG = CounterTracker.builder().build();
    private static final String ROW = "SELECT version, dirty FROM schema_migrations";

    private static Ratchet counter(TestDatabase db, List<Migration> code) {
        return Fixtures.builder(db, GOLANG, code).build();
    }

    /** The table exactly as golang-migrate's driver for this database creates it, with its row. */
    private static void golangMigrateTable(TestDatabase db, long version, boolean dirty) throws Exception {
        if (db.kind() == DatabaseKind.POSTGRESQL) {
            Fixtures.exec(db, "CREATE TABLE IF NOT EXISTS \"schema_migrations\" (version bigint not null primary key,"
                    + " dirty boolean not null)");
            Fixtures.exec(db, "INSERT INTO \"schema_migrations\" (version, dirty) VALUES (" + version + ", " + dirty + ")");
        } else {
            Fixtures.exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool)");
            Fixtures.exec(db, "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version)");
            Fixtures.exec(db, "INSERT INTO schema_migrations (version, dirty) VALUES (" + version + ", "
                    + (dirty ? 1 : 0) + ")");
        }
    }

    private static String clean(long version, DatabaseKind kind) {
        return version + "|" + (kind == DatabaseKind.POSTGRESQL ? "f" : "0");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aGolangMigrateDatabaseIsMigratedForwardAndLeftAsGolangMigrateExpectsIt(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Fixtures.exec(db, "CREATE TABLE t1 (id int PRIMARY KEY)");
            Fixtures.exec(db, "CREATE TABLE t2 (id int PRIMARY KEY)");
            golangMigrateTable(db, 2, false);

            MigrateResult result = counter(db, creates(1, 2, 3, 4)).migrate();

            assertEquals(List.of("3_create_t3", "4_create_t4"), result.applied().stream().map(a -> a.name()).toList());
            assertEquals(List.of(clean(4, kind)), rows(db, ROW), "one row, the new version, dirty=false");
            assertEquals(Map.of("3", 1, "4", 1), effects(db));
            assertTrue(counter(db, creates(1, 2, 3, 4)).migrate().applied().isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aDirtyCounterRefusesAndForceRecovers(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Migration partial = Migration.builder("2_partial").version(Version.of(2))
                    .sql(Migration.NO_TRANSACTION_DIRECTIVE + "\nCREATE TABLE half (id int);\nSELECT * FROM nowhere;")
                    .build();
            RatchetException failed = assertThrows(RatchetException.class,
                    () -> counter(db, List.of(create(1), partial)).migrate());
            assertEquals(ErrorKind.NON_TRANSACTIONAL_MIGRATION_FAILED, failed.kind());
            // It is recorded, as dirty: the failure says so, and how to force, instead of "run migrate again".
            assertTrue(failed.getMessage().contains("statements before the failing one stay applied, and the counter"
                    + " tracker marks the namespace dirty at it: migrate refuses until it is forced."), failed.getMessage());
            assertTrue(failed.hint().startsWith("the namespace is dirty now: inspect the schema; if migration 2"
                    + " (2_partial) fully applied, force version 2; if not, undo its partial effect and force version 1"
                    + " (force with the tracker counter@schema_migrations); then fix the migration"), failed.hint());
            assertEquals(List.of("2|" + (kind == DatabaseKind.POSTGRESQL ? "t" : "1")), rows(db, ROW),
                    "the unfinished non-transactional migration left the counter dirty at 2");
            String before = SchemaFingerprint.of(db);

            Migration fixed = Migration.builder("2_partial").version(Version.of(2))
                    .sql(Migration.NO_TRANSACTION_DIRECTIVE + "\nCREATE TABLE half (id int);").build();
            RatchetException dirty = assertThrows(RatchetException.class,
                    () -> counter(db, List.of(create(1), fixed)).migrate());
            assertEquals(ErrorKind.DIRTY, dirty.kind());
            assertTrue(dirty.hint().contains("if migration 2 (2_partial) fully applied, force version 2; if not, undo"
                    + " its partial effect and force version 1"), dirty.hint());
            assertEquals(1L, dirty.context().get("versionBefore"));
            assertEquals(before, SchemaFingerprint.of(db), "nothing changed on refusal");
            assertFalse(counter(db, List.of(create(1), fixed)).status().get(0).problem().isEmpty());

            Fixtures.exec(db, "DROP TABLE half"); // the operator undoes the partial effect
            String undone = SchemaFingerprint.of(db);
            for (long typo : new long[] {0, 3, 10}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> counter(db, List.of(create(1), fixed)).force(Fixtures.NS, Version.of(typo)));
                assertTrue(e.getMessage().startsWith("version " + typo + " is not a migration of namespace 'app'"
                        + " (its versions: 1 to 2)"), e.getMessage());
            }
            assertEquals(undone, SchemaFingerprint.of(db), "a version not in the code is refused before any write");
            counter(db, List.of(create(1), fixed)).force(Fixtures.NS, Version.of(1));
            assertEquals(List.of(clean(1, kind)), rows(db, ROW));
            MigrateResult result = counter(db, List.of(create(1), fixed)).migrate();
            assertEquals(1, result.applied().size());
            assertEquals(List.of(clean(2, kind)), rows(db, ROW));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aDatabaseGolangMigrateLeftDirtyIsRefusedNamingTheVersion(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            golangMigrateTable(db, 3, true);
            String before = SchemaFingerprint.of(db);

            RatchetException e = assertThrows(RatchetException.class, () -> counter(db, creates(1, 2, 3, 4)).migrate());

            assertEquals(ErrorKind.DIRTY, e.kind());
            assertEquals(3L, e.context().get("version"));
            assertTrue(e.getMessage().contains("dirty at version 3"), e.getMessage());
            assertEquals(2L, e.context().get("versionBefore"), "the code's version before the dirty one");
            assertEquals(Fixtures.withoutLeaseTable(before), Fixtures.withoutLeaseTable(SchemaFingerprint.of(db)));

            RatchetException gap = assertThrows(RatchetException.class, () -> counter(db, creates(1, 4)).migrate());
            assertEquals(1L, gap.context().get("versionBefore"), "dirty at a version this code lacks: " + gap.hint());
            assertTrue(gap.hint().contains("if migration 3 fully applied, force version 3"), gap.hint());
            RatchetException first = assertThrows(RatchetException.class, () -> counter(db, creates(3, 4)).migrate());
            assertTrue(first.hint().contains("undo its partial effect and delete the namespace's counter row in"
                    + " schema_migrations (this code has no migration before it)"), first.hint());
            assertTrue(first.hint().endsWith(" (force with the tracker counter@schema_migrations)"), first.hint());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCounterAboveEveryCodeVersionIsBinaryOlderThanDb(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            golangMigrateTable(db, 5, false);
            String before = SchemaFingerprint.of(db);

            RatchetException e = assertThrows(RatchetException.class, () -> counter(db, creates(1, 2, 3, 4)).migrate());

            assertEquals(ErrorKind.BINARY_OLDER_THAN_DB, e.kind());
            assertEquals(5L, e.context().get("counter"));
            assertEquals(4L, e.context().get("highestCodeVersion"));
            assertEquals(Fixtures.withoutLeaseTable(before), Fixtures.withoutLeaseTable(SchemaFingerprint.of(db)));
        }
    }

    /** The blind spot every counter has, shown rather than hidden. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aGapBelowTheCounterIsNeverRunAndStatusFlagsItUnverifiable(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            counter(db, creates(1, 2, 4)).migrate();  // 3 was merged late, on another branch

            MigrateResult result = counter(db, creates(1, 2, 3, 4, 5)).migrate();

            assertEquals(List.of("5_create_t5"), result.applied().stream().map(a -> a.name()).toList());
            assertFalse(tableExists(db, "t3"), "3 is below the counter: a counter never runs it");
            NamespaceStatus status = counter(db, creates(1, 2, 3, 4, 5)).status().get(0);
            assertTrue(status.applied().isEmpty(), "a counter does not claim to know what is applied");
            assertEquals(List.of("1_create_t1", "2_create_t2", "3_create_t3", "4_create_t4", "5_create_t5"),
                    status.unverifiable().stream().map(Migration::name).toList());
            assertTrue(status.pending().isEmpty());
            assertEquals("5", status.facts().get(CounterTracker.FACT_VERSION));
        }
    }

    @Test
    void versionsThatDoNotFitASigned64BitIntegerAreRefusedAtConfiguration() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            for (String v : List.of("9223372036854775808", "20191100000001000000", "1.2")) {
                Migration m = Migration.builder(v + "_big").version(Version.parse(v)).sql("SELECT 1").build();
                RatchetException e = assertThrows(RatchetException.class,
                        () -> Fixtures.builder(db, GOLANG, List.of(m)).build());
                assertEquals(ErrorKind.VERSION_OUT_OF_RANGE, e.kind(), v);
                assertTrue(e.getMessage().contains(v), e.getMessage());
            }
            Migration max = Migration.builder("max").version(Version.parse("9223372036854775807")).sql("SELECT 1").build();
            Fixtures.builder(db, GOLANG, List.of(max)).build();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void perNamespaceLayoutKeepsOneCounterPerNamespace(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            CounterTracker perNs = CounterTracker.builder().layout(CounterTracker.Layout.PER_NAMESPACE).build();
            Ratchet ratchet = Ratchet.builder().dataSource(db.dataSource()).tracker(perNs)
                    .namespace(Namespace.of("a", creates(1, 2)))
                    .namespace(Namespace.of("b", List.of(create(7)))).build();

            assertEquals(3, ratchet.migrate().applied().size());

            assertEquals(List.of("a|2|" + (kind == DatabaseKind.POSTGRESQL ? "f" : "0"),
                            "b|7|" + (kind == DatabaseKind.POSTGRESQL ? "f" : "0")),
                    rows(db, "SELECT namespace, version, dirty FROM ratchet_counter"));
            assertThrows(IllegalArgumentException.class, () -> Ratchet.builder().dataSource(db.dataSource())
                    .tracker(GOLANG).namespace(Namespace.of("a", creates(1)))
                    .namespace(Namespace.of("b", creates(2))).build(), "single-row tracks one namespace");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theLegacyCountLayoutIsReadForStatusButNeverWritten(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.exec(db, "CREATE TABLE schema_version (namespace text PRIMARY KEY, version integer NOT NULL DEFAULT 0,"
                    + " applied_at timestamp)");
            Fixtures.exec(db, "INSERT INTO schema_version (namespace, version) VALUES ('app', 2)");
            String before = SchemaFingerprint.of(db);
            CounterTracker legacy = CounterTracker.builder().layout(CounterTracker.Layout.LEGACY_COUNT).build();
            Ratchet ratchet = Fixtures.builder(db, legacy, creates(1, 2, 3)).build();

            NamespaceStatus status = ratchet.status().get(0);
            assertEquals(List.of("3_create_t3"), status.pending().stream().map(Migration::name).toList());
            assertEquals(2, status.unverifiable().size());
            assertEquals(ErrorKind.UNSUPPORTED_FEATURE, assertThrows(RatchetException.class, ratchet::migrate).kind());
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    @Timeout(600)
    void twoRunnersRacingFiftyTimesApplyEachMigrationOnce(DatabaseKind kind) throws Exception {
        List<Migration> code = creates(1, 2, 3, 4, 5);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                try (TestDatabase db = TestDatabases.open(kind)) {
                    Fixtures.createEffectsTable(db);
                    if (round % 2 == 1) {
                        counter(db, creates(1, 2)).migrate(); // partly migrated
                    }
                    CyclicBarrier start = new CyclicBarrier(2);
                    List<Future<MigrateResult>> runs = new ArrayList<>();
                    for (int r = 0; r < 2; r++) {
                        Ratchet ratchet = counter(db, code);
                        runs.add(pool.submit(() -> {
                            start.await(30, TimeUnit.SECONDS);
                            return ratchet.migrate();
                        }));
                    }
                    for (Future<MigrateResult> run : runs) {
                        run.get(120, TimeUnit.SECONDS);
                    }
                    assertEquals(Map.of("1", 1, "2", 1, "3", 1, "4", 1, "5", 1), effects(db), "round " + round);
                    assertEquals(List.of(clean(5, kind)), rows(db, ROW), "round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aProcessKilledInsideATransactionalMigrationLeavesCounterAndSchemaAgreeingAndClean(DatabaseKind kind)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Path ready = Files.createTempFile("ratchet-crash-", ".ready");
            Files.delete(ready);
            Process child = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), db.url(), ready.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(ready) && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(Files.exists(ready), "the child reached migration 2");
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                Files.deleteIfExists(ready);
            }

            assertEquals(List.of(clean(1, kind)), rows(db, ROW), "counter at 1 and clean");
            assertFalse(tableExists(db, "t2"), "the killed migration's table is gone: counter and schema agree");
            assertEquals(Map.of("1", 1), effects(db));

            MigrateResult result = Fixtures.builder(db, GOLANG, creates(1, 2)).lockTimeout(Duration.ofSeconds(30))
                    .build().migrate();
            assertEquals(1, result.applied().size(), "the next boot needs no manual step");
            assertEquals(List.of(clean(2, kind)), rows(db, ROW));
        }
    }

    @Test
    void aSessionTerminatedInsideATransactionalMigrationLeavesTheCounterClean() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Fixtures.createEffectsTable(db);
            Migration killed = Migration.builder("2_create_t2").version(Version.of(2)).checksumOf("killed")
                    .body(c -> {
                        try (var st = c.createStatement()) {
                            st.execute("CREATE TABLE t2 (id int PRIMARY KEY)");
                            int pid;
                            try (var rs = st.executeQuery("SELECT pg_backend_pid()")) {
                                rs.next();
                                pid = rs.getInt(1);
                            }
                            try (var other = java.sql.DriverManager.getConnection(TestDatabases.postgresServerUrl());
                                 var kill = other.createStatement()) {
                                kill.execute("SELECT pg_terminate_backend(" + pid + ")");
                            }
                            st.execute("INSERT INTO effects(name) VALUES ('2')");
                        }
                    }).build();

            RatchetException e = assertThrows(RatchetException.class,
                    () -> counter(db, List.of(create(1), killed)).migrate());

            assertEquals(ErrorKind.CONNECTION_FAILED, e.kind());
            assertEquals(List.of(clean(1, DatabaseKind.POSTGRESQL)), rows(db, ROW));
            assertFalse(tableExists(db, "t2"));
            assertEquals(1, counter(db, creates(1, 2)).migrate().applied().size());
            assertEquals(List.of(clean(2, DatabaseKind.POSTGRESQL)), rows(db, ROW));
        }
    }
}
