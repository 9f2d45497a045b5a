package dev.ratchet.tracker.identity;

import dev.ratchet.ChecksumVerification;
import dev.ratchet.ErrorKind;
import dev.ratchet.Fixtures;
import dev.ratchet.MigrateResult;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.NamespaceStatus;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.SchemaFingerprint;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.ratchet.Fixtures.effects;
import static dev.ratchet.Fixtures.rows;
import static dev.ratchet.Fixtures.tableExists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The identity tracker on PostgreSQL and SQLite. */
@Timeout(120)
class IdentityTrackerTest {
    private static final String ROWS = "SELECT namespace, sequence, name FROM schema_version";

    /** A versionless migration that creates table {@code name} and counts its effect. */
    static Migration named(String name) {
        return Migration.builder(name)
                .sql("CREATE TABLE " + name + " (id int);\nINSERT INTO effects(name) VALUES ('" + name + "');").build();
    }

    static List<Migration> named(String... names) {
        List<Migration> out = new ArrayList<>();
        for (String n : names) {
            out.add(named(n));
        }
        return out;
    }

    private static Ratchet identity(TestDatabase db, List<Migration> code) {
        return identity(db, Namespace.of(Fixtures.NS, code));
    }

    private static Ratchet identity(TestDatabase db, Namespace... namespaces) {
        Ratchet.Builder b = Ratchet.builder().dataSource(db.dataSource()).tracker(IdentityTracker.builder().build());
        for (Namespace ns : namespaces) {
            b.namespace(ns);
        }
        return b.build();
    }

    private static void refusesUnchanged(TestDatabase db, ErrorKind kind, Runnable action, Consumer<RatchetException> more)
            throws Exception {
        String before = SchemaFingerprint.of(db);
        RatchetException e = assertThrows(RatchetException.class, action::run);
        assertEquals(kind, e.kind(), e.getMessage());
        more.accept(e);
        assertEquals(before, SchemaFingerprint.of(db), "nothing changed after " + kind);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void runsTheTailWithContiguousSequencesAndIsIdempotent(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            identity(db, named("a_first", "b_second")).migrate();
            MigrateResult result = identity(db, named("a_first", "b_second", "c_third")).migrate();

            assertEquals(List.of("c_third"), result.applied().stream().map(a -> a.name()).toList());
            assertEquals(List.of("app|0|a_first", "app|1|b_second", "app|2|c_third"), rows(db, ROWS));
            assertTrue(identity(db, named("a_first", "b_second", "c_third")).migrate().applied().isEmpty());
            NamespaceStatus status = identity(db, named("a_first", "b_second", "c_third", "d_fourth")).status().get(0);
            assertEquals(List.of("a_first", "b_second", "c_third"),
                    status.applied().stream().map(e -> e.name().orElseThrow()).toList());
            assertEquals(List.of("d_fourth"), status.pending().stream().map(Migration::name).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void everyRefusalHasItsKindAndChangesNothing(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            identity(db, named("a", "b", "c")).migrate();

            refusesUnchanged(db, ErrorKind.BINARY_OLDER_THAN_DB, () -> identity(db, named("a", "b")).migrate(),
                    e -> assertEquals(List.of("c"), e.context().get("unknown")));
            refusesUnchanged(db, ErrorKind.NAME_DIVERGENCE, () -> identity(db, named("a", "c", "b", "d")).migrate(),
                    e -> {
                        assertEquals(1, e.context().get("index"));
                        assertEquals("b", e.context().get("applied"));
                        assertEquals("c", e.context().get("code"));
                        assertTrue(e.hint().contains("reordered") && e.hint().contains("deleted"), e.hint());
                        assertFalse(e.context().containsKey("repair"), "a reorder is no rename");
                    });
            refusesUnchanged(db, ErrorKind.NAME_DIVERGENCE, () -> identity(db, named("a", "b_renamed", "c")).migrate(),
                    e -> {
                        assertEquals(1, e.context().get("index"));
                        assertTrue(e.hint().startsWith("the code renamed 'b' to 'b_renamed'"), e.hint());
                    });
            refusesUnchanged(db, ErrorKind.BASELINE_NAMESPACE_POPULATED,
                    () -> identity(db, named("a", "b", "c")).baseline(Fixtures.NS, List.of("a")), e -> { });

            Migration edited = Migration.builder("b").sql("CREATE TABLE b (id int, extra int);").build();
            Ratchet failOnDrift = Ratchet.builder().dataSource(db.dataSource())
                    .tracker(IdentityTracker.builder().checksumVerification(ChecksumVerification.FAIL).build())
                    .namespace(Namespace.of(Fixtures.NS, List.of(named("a"), edited, named("c")))).build();
            refusesUnchanged(db, ErrorKind.CHECKSUM_DRIFT, failOnDrift::migrate, e -> { });
            MigrateResult warned = identity(db, List.of(named("a"), edited, named("c"))).migrate();
            assertEquals(1, warned.warnings().size(), "WARN is the default");

            Fixtures.exec(db, "DELETE FROM schema_version WHERE name = 'b'");
            refusesUnchanged(db, ErrorKind.NAME_DIVERGENCE, () -> identity(db, named("a", "b", "c")).migrate(),
                    e -> assertEquals("c", e.context().get("applied")));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theStatementsTheHintsGiveRecordARenameAndAcceptAnEdit(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            identity(db, named("a", "b")).migrate();
            Migration edited = Migration.builder("a").sql("CREATE TABLE a (id int);\n-- reformatted\n"
                    + "INSERT INTO effects(name) VALUES ('a');").build();
            Migration renamed = Migration.builder("b_it's").sql(named("b").script().orElseThrow()).build();
            Ratchet failOnDrift = Ratchet.builder().dataSource(db.dataSource())
                    .tracker(IdentityTracker.builder().checksumVerification(ChecksumVerification.FAIL).build())
                    .namespace(Namespace.of(Fixtures.NS, List.of(edited, renamed, named("c")))).build();

            RatchetException rename = assertThrows(RatchetException.class, failOnDrift::migrate);
            assertEquals(ErrorKind.NAME_DIVERGENCE, rename.kind(), rename.getMessage());
            Fixtures.runRepairs(db, rename);
            RatchetException drift = assertThrows(RatchetException.class, failOnDrift::migrate);
            assertEquals(ErrorKind.CHECKSUM_DRIFT, drift.kind(), drift.getMessage());
            Fixtures.runRepairs(db, drift);

            assertEquals(List.of("c"), failOnDrift.migrate().applied().stream().map(m -> m.name()).toList());
            assertEquals(Map.of("a", 1, "b", 1, "c", 1), effects(db), "a and b ran once");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theLengthCheckComesBeforeTheNameCheck(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            identity(db, named("a", "b", "c")).migrate();
            // An older binary whose overlap also has a rename: it must be told it is older.
            refusesUnchanged(db, ErrorKind.BINARY_OLDER_THAN_DB, () -> identity(db, named("a", "x")).migrate(), e -> { });
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anOldCounterShapedTableIsRefusedBeforeAnyDdl(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.exec(db, "CREATE TABLE schema_version (namespace text PRIMARY KEY, version integer NOT NULL,"
                    + " applied_at timestamp)");
            Fixtures.exec(db, "INSERT INTO schema_version (namespace, version) VALUES ('app', 2)");

            refusesUnchanged(db, ErrorKind.OLD_TRACKER_SHAPE, () -> identity(db, named("a", "b", "c")).migrate(), e -> { });
            refusesUnchanged(db, ErrorKind.OLD_TRACKER_SHAPE,
                    () -> identity(db, named("a", "b", "c")).baseline(Fixtures.NS, List.of("a", "b")), e -> { });
            String before = SchemaFingerprint.of(db);
            NamespaceStatus status = identity(db, named("a", "b", "c")).status().get(0);
            assertEquals(ErrorKind.OLD_TRACKER_SHAPE, status.problem().orElseThrow().kind(), "status flags it");
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void baselineRefusalsHappenBeforeAnyInsert(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Ratchet ratchet = identity(db, named("a", "b", "c"));
            refusesUnchanged(db, ErrorKind.BASELINE_NAME_NOT_IN_CODE,
                    () -> ratchet.baseline(Fixtures.NS, List.of("a", "zzz")), e -> assertEquals("zzz", e.context().get("name")));
            refusesUnchanged(db, ErrorKind.BASELINE_OUT_OF_ORDER,
                    () -> ratchet.baseline(Fixtures.NS, List.of("a", "c")), e -> assertEquals(1, e.context().get("index")));
            refusesUnchanged(db, ErrorKind.BASELINE_OUT_OF_ORDER,
                    () -> ratchet.baseline(Fixtures.NS, List.of("b")), e -> assertEquals(0, e.context().get("index")));

            ratchet.baseline(Fixtures.NS, List.of("a", "b"));
            assertEquals(List.of("app|0|a", "app|1|b"), rows(db, ROWS), "creates the table, sequences 0..n-1");
            assertTrue(rows(db, "SELECT checksum FROM schema_version").stream().allMatch(r -> r.equals("null")),
                    "what ran before the baseline is unknown: no checksum");
            Fixtures.createEffectsTable(db);
            assertEquals(List.of("c"), ratchet.migrate().applied().stream().map(a -> a.name()).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anInterruptedBaselineScriptResumes(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Namespace a = Namespace.of("a", named("a1", "a2"));
            Namespace b = Namespace.of("b", List.of(named("b1")));
            Namespace c = Namespace.of("c", named("c1", "c2"));
            Ratchet ratchet = identity(db, a, b, c);
            Map<String, List<String>> script = Map.of("a", List.of("a1", "a2"), "b", List.of("b1"), "c", List.of("c1"));

            ratchet.baseline("a", script.get("a")); // ... and the script died here

            List<String> refused = new ArrayList<>();
            for (String ns : List.of("a", "b", "c")) {
                try {
                    ratchet.baseline(ns, script.get(ns));
                } catch (RatchetException e) {
                    assertEquals(ErrorKind.BASELINE_NAMESPACE_POPULATED, e.kind());
                    refused.add(ns);
                }
            }
            assertEquals(List.of("a"), refused);
            assertEquals(List.of("a|0|a1", "a|1|a2", "b|0|b1", "c|0|c1"), rows(db, ROWS));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aFailureInAChainRollsBackThatRunAndKeepsEarlierNamespaces(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Migration broken = Migration.builder("y_broken").sql("CREATE TABLE y_broken (id int); SELECT * FROM nowhere;")
                    .build();
            Namespace first = Namespace.of("first", named("f1", "f2"));
            Namespace second = Namespace.of("second", List.of(named("s1"), named("s2"), broken, named("s4")));

            RatchetException e = assertThrows(RatchetException.class, () -> identity(db, first, second).migrate());

            assertEquals(ErrorKind.MIGRATION_FAILED, e.kind());
            assertTrue(e.getMessage().contains("chain transaction was rolled back"), e.getMessage());
            assertEquals(List.of("first|0|f1", "first|1|f2"), rows(db, ROWS), "the namespace before the failure committed");
            assertEquals(Map.of("f1", 1, "f2", 1), effects(db));
            assertFalse(tableExists(db, "s1"), "every migration of the failed chain is gone");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    @Timeout(600)
    void twoRunnersRacingFiftyTimesApplyEachOnceWithContiguousSequences(DatabaseKind kind) throws Exception {
        List<Migration> code = named("m1", "m2", "m3", "m4", "m5");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                try (TestDatabase db = TestDatabases.open(kind)) {
                    Fixtures.createEffectsTable(db);
                    if (round % 2 == 1) {
                        identity(db, code.subList(0, 2)).migrate();
                    }
                    CyclicBarrier start = new CyclicBarrier(2);
                    List<Future<MigrateResult>> runs = new ArrayList<>();
                    for (int r = 0; r < 2; r++) {
                        Ratchet ratchet = identity(db, code);
                        runs.add(pool.submit(() -> {
                            start.await(30, TimeUnit.SECONDS);
                            return ratchet.migrate();
                        }));
                    }
                    for (Future<MigrateResult> run : runs) {
                        run.get(120, TimeUnit.SECONDS);
                    }
                    assertEquals(Map.of("m1", 1, "m2", 1, "m3", 1, "m4", 1, "m5", 1), effects(db), "round " + round);
                    assertEquals(List.of("app|0|m1", "app|1|m2", "app|2|m3", "app|3|m4", "app|4|m5"), rows(db, ROWS),
                            "round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void javaMigrationsWithoutVersionsWork(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Migration create = Migration.builder("create_colours").checksumOf("v1")
                    .body(c -> {
                        try (Statement st = c.createStatement()) {
                            st.execute("CREATE TABLE colours (name varchar(10))");
                        }
                    }).build();
            Migration fill = Migration.builder("fill_colours").checksumOf("v1")
                    .body(c -> {
                        try (Statement st = c.createStatement()) {
                            st.execute("INSERT INTO colours VALUES ('red')");
                        }
                    }).build();
            assertEquals(2, identity(db, List.of(create, fill)).migrate().applied().size());
            assertEquals(List.of("red"), rows(db, "SELECT name FROM colours"));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void perMigrationModeKeepsWhatCommittedBeforeAFailure(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Migration broken = Migration.builder("c_broken").sql("CREATE TABLE c_broken (id int); SELECT * FROM nowhere;")
                    .build();
            Ratchet perMigration = Ratchet.builder().dataSource(db.dataSource())
                    .tracker(IdentityTracker.builder().build())
                    .transactionMode(dev.ratchet.TransactionMode.PER_MIGRATION)
                    .namespace(Namespace.of(Fixtures.NS, List.of(named("a"), named("b"), broken))).build();

            assertEquals(ErrorKind.MIGRATION_FAILED, assertThrows(RatchetException.class, perMigration::migrate).kind());

            assertEquals(List.of("app|0|a", "app|1|b"), rows(db, ROWS));
            assertFalse(tableExists(db, "c_broken"));
        }
    }
}
