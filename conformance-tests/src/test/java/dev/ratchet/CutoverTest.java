package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.SchemaFingerprint;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import dev.ratchet.tracker.identity.IdentityTracker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.ratchet.Fixtures.creates;
import static dev.ratchet.Fixtures.effects;
import static dev.ratchet.Fixtures.rows;
import static dev.ratchet.Fixtures.tableExists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cutover between every pair of trackers, on PostgreSQL and SQLite. */
@Timeout(180)
class CutoverTest {
    /** The three trackers with their default tables. */
    enum Kind {
        COUNTER(() -> CounterTracker.builder().build(), "schema_migrations",
                "SELECT version, dirty FROM schema_migrations"),
        APPLIED_SET(() -> AppliedSetTracker.builder().build(), "ratchet_applied_migrations",
                "SELECT version, name, checksum, applied_at FROM ratchet_applied_migrations"),
        IDENTITY(() -> IdentityTracker.builder().build(), "schema_version",
                "SELECT sequence, name, checksum, applied_at FROM schema_version");

        final Supplier<Tracker> tracker;
        final String table;
        final String rowsQuery;

        Kind(Supplier<Tracker> tracker, String table, String rowsQuery) {
            this.tracker = tracker;
            this.table = table;
            this.rowsQuery = rowsQuery;
        }
    }

    static Stream<Arguments> directions() {
        List<Arguments> out = new ArrayList<>();
        for (DatabaseKind db : DatabaseKind.values()) {
            for (Kind from : Kind.values()) {
                for (Kind to : Kind.values()) {
                    if (from != to) {
                        out.add(Arguments.of(db, from, to));
                    }
                }
            }
        }
        return out.stream();
    }

    private static Ratchet migrator(DataSource ds, Kind kind, List<Migration> code) {
        return Ratchet.builder().dataSource(ds).tracker(kind.tracker.get())
                .transactionMode(TransactionMode.PER_MIGRATION)
                .namespace(Namespace.of(Fixtures.NS, code)).build();
    }

    private static Cutover.Builder cutover(DataSource ds, Kind from, Kind to, List<Migration> code) {
        return Cutover.builder().dataSource(ds).from(from.tracker.get()).to(to.tracker.get())
                .namespace(Namespace.of(Fixtures.NS, code));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("directions")
    void everyDirectionMovesHistorySoThatMigrateRunsExactlyWhatWasPending(DatabaseKind db, Kind from, Kind to)
            throws Exception {
        try (TestDatabase d = TestDatabases.open(db)) {
            Fixtures.createEffectsTable(d);
            migrator(d.dataSource(), from, creates(1, 2, 3)).migrate();
            List<Migration> code = creates(1, 2, 3, 4, 5);

            CutoverResult result = cutover(d.dataSource(), from, to, code).retire(Cutover.Retire.RENAME).build().run();

            assertEquals(CutoverResult.Status.MOVED, result.moves().get(0).status());
            assertEquals(3, result.moves().get(0).rows().size());
            assertEquals(d.schema() + "." + from.table + "_retired", result.retiredAs().orElseThrow());
            assertFalse(tableExists(d, from.table), "the source is retired");
            // The source's lease table outlives it, empty (README, "Moving between trackers"): on
            // SQLite the lock is always a lease row; PostgreSQL's advisory lock leaves no table.
            if (db == DatabaseKind.SQLITE) {
                assertEquals(List.of(), rows(d, "SELECT name FROM " + from.table + "_lock"), "no lease left held");
            } else {
                assertFalse(tableExists(d, from.table + "_lock"), "an advisory lock needs no table");
            }
            MigrateResult after = migrator(d.dataSource(), to, code).migrate();
            assertEquals(List.of("4_create_t4", "5_create_t5"), after.applied().stream().map(a -> a.name()).toList(),
                    "no re-run, no skip");
            assertEquals(Map.of("1", 1, "2", 1, "3", 1, "4", 1, "5", 1), effects(d));

            CutoverResult again = cutover(d.dataSource(), from, to, code).retire(Cutover.Retire.RENAME).build().run();
            assertEquals(CutoverResult.Status.ALREADY_MOVED, again.moves().get(0).status(), "a second run is a no-op");
        }
    }

    @ParameterizedTest(name = "{0}: {1} -> {2} -> {1}")
    @MethodSource("directions")
    void aRoundTripReproducesTheOriginalRows(DatabaseKind db, Kind a, Kind b) throws Exception {
        try (TestDatabase d = TestDatabases.open(db)) {
            Fixtures.createEffectsTable(d);
            List<Migration> code = creates(1, 2, 3);
            migrator(d.dataSource(), a, code).migrate();
            List<String> original = rows(d, a.rowsQuery);

            cutover(d.dataSource(), a, b, code).retire(Cutover.Retire.DROP).build().run();
            cutover(d.dataSource(), b, a, code).retire(Cutover.Retire.DROP).build().run();

            List<String> back = rows(d, a.rowsQuery);
            boolean bothCarryChecksums = a != Kind.COUNTER && b != Kind.COUNTER;
            if (bothCarryChecksums || a == Kind.COUNTER) {
                assertEquals(original, back);
            } else {
                // Through a counter, names and order survive; what ran (checksum, time) is unknown.
                assertEquals(original.stream().map(CutoverTest::identityColumns).toList(),
                        back.stream().map(CutoverTest::identityColumns).toList());
                assertTrue(back.stream().allMatch(r -> r.split("\\|")[2].equals("null")), back.toString());
            }
        }
    }

    private static String identityColumns(String row) {
        String[] c = row.split("\\|");
        return c[0] + "|" + c[1];
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void everyLossyMoveIsRefusedBeforeAnyWrite(DatabaseKind db) throws Exception {
        try (TestDatabase d = TestDatabases.open(db)) {
            Fixtures.createEffectsTable(d);
            List<Migration> code = creates(1, 2, 3, 4);
            migrator(d.dataSource(), Kind.APPLIED_SET, creates(1, 2, 4)).migrate();
            String before = SchemaFingerprint.of(d);

            RatchetException gap = assertThrows(RatchetException.class,
                    () -> cutover(d.dataSource(), Kind.APPLIED_SET, Kind.IDENTITY, code).build().run());
            assertEquals(ErrorKind.CUTOVER_GAP, gap.kind());
            assertEquals(List.of("3"), gap.context().get("missing"));
            assertTrue(gap.hint().contains("applied-set tracker first"), gap.hint());
            assertEquals(ErrorKind.CUTOVER_GAP, assertThrows(RatchetException.class,
                    () -> cutover(d.dataSource(), Kind.APPLIED_SET, Kind.COUNTER, code).build().run()).kind());
            assertEquals(ErrorKind.UNKNOWN_APPLIED_VERSION, assertThrows(RatchetException.class,
                    () -> cutover(d.dataSource(), Kind.APPLIED_SET, Kind.IDENTITY, creates(1, 2)).build().run()).kind(),
                    "a source row unknown to the code is refused, never dropped");
            assertEquals(Fixtures.withoutLeaseTable(before), Fixtures.withoutLeaseTable(SchemaFingerprint.of(d)));

            CutoverResult dry = cutover(d.dataSource(), Kind.APPLIED_SET, Kind.IDENTITY, creates(1, 2, 4))
                    .build().dryRun();
            assertTrue(dry.dryRun());
            assertEquals(CutoverResult.Status.WOULD_MOVE, dry.moves().get(0).status());
            assertEquals(List.of("1_create_t1", "2_create_t2", "4_create_t4"),
                    dry.moves().get(0).rows().stream().map(r -> r.name().orElseThrow()).toList());
            assertEquals(Fixtures.withoutLeaseTable(before), Fixtures.withoutLeaseTable(SchemaFingerprint.of(d)),
                    "a dry run changes nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void dirtyCountersVersionlessNamesDisagreeingTargetsAndSharedTablesAreRefused(DatabaseKind db) throws Exception {
        try (TestDatabase d = TestDatabases.open(db)) {
            Fixtures.createEffectsTable(d);
            Fixtures.exec(d, "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
            Fixtures.exec(d, "INSERT INTO schema_migrations VALUES (2, " + (db == DatabaseKind.SQLITE ? "1" : "true") + ")");
            String before = SchemaFingerprint.of(d);
            assertEquals(ErrorKind.DIRTY, assertThrows(RatchetException.class,
                    () -> cutover(d.dataSource(), Kind.COUNTER, Kind.APPLIED_SET, creates(1, 2, 3)).build().run()).kind());
            assertEquals(Fixtures.withoutLeaseTable(before), Fixtures.withoutLeaseTable(SchemaFingerprint.of(d)));

            Migration versionless = Migration.builder("seed_data").sql("SELECT 1").build();
            assertEquals(ErrorKind.VERSION_REQUIRED, assertThrows(RatchetException.class,
                    () -> cutover(d.dataSource(), Kind.IDENTITY, Kind.APPLIED_SET, List.of(versionless)).build()).kind());
            assertEquals(ErrorKind.VERSION_REQUIRED, assertThrows(RatchetException.class,
                    () -> cutover(d.dataSource(), Kind.IDENTITY, Kind.COUNTER, List.of(versionless)).build()).kind());

            Fixtures.exec(d, "DROP TABLE schema_migrations");

            // A target that already holds other history.
            migrator(d.dataSource(), Kind.IDENTITY, creates(1, 2, 3)).migrate();
            Ratchet appliedSet = Ratchet.builder().dataSource(d.dataSource()).tracker(Kind.APPLIED_SET.tracker.get())
                    .ignoreOtherTrackers().namespace(Namespace.of(Fixtures.NS, creates(1, 2, 3))).build();
            Fixtures.exec(d, "DELETE FROM effects");
            Fixtures.exec(d, "DROP TABLE t1");
            Fixtures.exec(d, "DROP TABLE t2");
            Fixtures.exec(d, "DROP TABLE t3");
            appliedSet.migrate();
            Fixtures.exec(d, "DELETE FROM ratchet_applied_migrations WHERE version = '3'");
            String beforeDisagree = SchemaFingerprint.of(d);
            RatchetException disagree = assertThrows(RatchetException.class,
                    () -> cutover(d.dataSource(), Kind.IDENTITY, Kind.APPLIED_SET, creates(1, 2, 3)).build().run());
            assertEquals(ErrorKind.CUTOVER_TARGET_DISAGREES, disagree.kind());
            assertEquals(List.of("1_create_t1", "2_create_t2"), disagree.context().get("target"));
            assertEquals(List.of("1_create_t1", "2_create_t2", "3_create_t3"), disagree.context().get("source"));
            assertEquals(Fixtures.withoutLeaseTable(beforeDisagree), Fixtures.withoutLeaseTable(SchemaFingerprint.of(d)));

            // Retiring a table that holds another namespace's history would lose it.
            Ratchet.builder().dataSource(d.dataSource()).tracker(Kind.IDENTITY.tracker.get())
                    .namespace(Namespace.of("other", List.of(Migration.builder("o1").sql("SELECT 1").build())))
                    .build().migrate();
            Fixtures.exec(d, "DROP TABLE ratchet_applied_migrations");
            String beforeRetire = SchemaFingerprint.of(d);
            assertEquals(ErrorKind.CUTOVER_WOULD_LOSE_HISTORY, assertThrows(RatchetException.class,
                    () -> cutover(d.dataSource(), Kind.IDENTITY, Kind.APPLIED_SET, creates(1, 2, 3))
                            .retire(Cutover.Retire.DROP).build().run()).kind());
            assertEquals(Fixtures.withoutLeaseTable(beforeRetire), Fixtures.withoutLeaseTable(SchemaFingerprint.of(d)));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theOldCounterTableBecomesTheIdentityTableOfTheSameName(DatabaseKind db) throws Exception {
        try (TestDatabase d = TestDatabases.open(db)) {
            Fixtures.exec(d, "CREATE TABLE schema_version (namespace text PRIMARY KEY, version integer NOT NULL,"
                    + " applied_at timestamp)");
            Fixtures.exec(d, "INSERT INTO schema_version (namespace, version) VALUES ('app', 2)");
            List<Migration> code = List.of(Migration.builder("init").sql("SELECT 1").build(),
                    Migration.builder("users").sql("SELECT 2").build(), Migration.builder("posts").sql("SELECT 3").build());
            Tracker legacy = CounterTracker.builder().layout(CounterTracker.Layout.LEGACY_COUNT).build();

            assertThrows(IllegalArgumentException.class, () -> Cutover.builder().dataSource(d.dataSource()).from(legacy)
                    .to(IdentityTracker.builder().build()).namespace(Namespace.of("app", code)).build(),
                    "the same table name needs the source retired");
            CutoverResult result = Cutover.builder().dataSource(d.dataSource()).from(legacy)
                    .to(IdentityTracker.builder().build()).namespace(Namespace.of("app", code))
                    .retire(Cutover.Retire.RENAME).build().run();

            assertEquals(CutoverResult.Status.MOVED, result.moves().get(0).status());
            assertEquals(List.of("0|init", "1|users"), rows(d, "SELECT sequence, name FROM schema_version"));
            assertEquals(List.of("app|2"), rows(d, "SELECT namespace, version FROM schema_version_retired"));
            assertEquals(CutoverResult.Status.ALREADY_MOVED, Cutover.builder().dataSource(d.dataSource()).from(legacy)
                    .to(IdentityTracker.builder().build()).namespace(Namespace.of("app", code))
                    .retire(Cutover.Retire.RENAME).build().run().moves().get(0).status());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aPartialMultiNamespaceCutoverIsCompletedByTheNextRun(DatabaseKind db) throws Exception {
        try (TestDatabase d = TestDatabases.open(db)) {
            Fixtures.createEffectsTable(d);
            Namespace a = Namespace.of("a", creates(1, 2));
            Namespace b = Namespace.of("b", creates(7));
            Ratchet.builder().dataSource(d.dataSource()).tracker(Kind.APPLIED_SET.tracker.get())
                    .namespace(a).namespace(b).build().migrate();

            Cutover.builder().dataSource(d.dataSource()).from(Kind.APPLIED_SET.tracker.get())
                    .to(Kind.IDENTITY.tracker.get()).namespace(a).build().run();
            CutoverResult rest = Cutover.builder().dataSource(d.dataSource()).from(Kind.APPLIED_SET.tracker.get())
                    .to(Kind.IDENTITY.tracker.get()).namespace(a).namespace(b).retire(Cutover.Retire.DROP).build().run();

            assertEquals(List.of(CutoverResult.Status.ALREADY_MOVED, CutoverResult.Status.MOVED),
                    rest.moves().stream().map(CutoverResult.NamespaceMove::status).toList());
            assertEquals(List.of("a|0|1_create_t1", "a|1|2_create_t2", "b|0|7_create_t7"),
                    rows(d, "SELECT namespace, sequence, name FROM schema_version"));
            assertFalse(tableExists(d, "ratchet_applied_migrations"));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCutoverAbortedAtAnyStatementLeavesOneAuthoritativeTrackerAndARerunFinishes(DatabaseKind db)
            throws Exception {
        int aborted = 0;
        for (int failAt = 1; ; failAt++) {
            try (TestDatabase d = TestDatabases.open(db)) {
                Fixtures.createEffectsTable(d);
                migrator(d.dataSource(), Kind.COUNTER, creates(1, 2, 3)).migrate();
                List<String> sourceBefore = rows(d, Kind.COUNTER.rowsQuery);
                FaultInjectingDataSource faulty = new FaultInjectingDataSource(d.dataSource(), failAt);
                List<Migration> code = creates(1, 2, 3, 4);
                try {
                    // A fault in the lease release leaves the lease behind, as a crash would: keep it short.
                    cutover(faulty, Kind.COUNTER, Kind.APPLIED_SET, code).retire(Cutover.Retire.RENAME)
                            .lockLease(java.time.Duration.ofSeconds(1)).build().run();
                } catch (RatchetException e) {
                    assertTrue(faulty.fired(), "only the injected fault fails the cutover: " + e.getMessage());
                }
                if (!faulty.fired()) {
                    break; // every statement has had its fault
                }
                aborted++;
                // Exactly one authoritative tracker: the source untouched and no target rows, or
                // (a fault after the commit) the target complete and the source retired.
                boolean sourceAuthoritative = tableExists(d, Kind.COUNTER.table)
                        && sourceBefore.equals(rows(d, Kind.COUNTER.rowsQuery))
                        && (!tableExists(d, Kind.APPLIED_SET.table) || rows(d, Kind.APPLIED_SET.rowsQuery).isEmpty());
                boolean targetAuthoritative = !tableExists(d, Kind.COUNTER.table)
                        && rows(d, "SELECT version FROM ratchet_applied_migrations").equals(List.of("1", "2", "3"));
                assertTrue(sourceAuthoritative ^ targetAuthoritative, "abort at statement " + failAt);

                cutover(d.dataSource(), Kind.COUNTER, Kind.APPLIED_SET, code).retire(Cutover.Retire.RENAME).build().run();
                assertFalse(tableExists(d, Kind.COUNTER.table));
                assertEquals(List.of("4_create_t4"), migrator(d.dataSource(), Kind.APPLIED_SET, code).migrate().applied()
                        .stream().map(a -> a.name()).toList(), "abort at statement " + failAt);
            }
        }
        assertTrue(aborted >= 5, "the cutover was aborted at each of its " + aborted + " statements");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void bootstrapMovesHistoryOnFirstMigrateAndWithoutItMigrateRefuses(DatabaseKind db) throws Exception {
        try (TestDatabase d = TestDatabases.open(db)) {
            Fixtures.createEffectsTable(d);
            migrator(d.dataSource(), Kind.COUNTER, creates(1, 2)).migrate();
            List<Migration> code = creates(1, 2, 3, 4);
            String before = SchemaFingerprint.of(d);

            Ratchet withoutBootstrap = Ratchet.builder().dataSource(d.dataSource())
                    .tracker(Kind.APPLIED_SET.tracker.get()).namespace(Namespace.of(Fixtures.NS, code)).build();
            RatchetException refused = assertThrows(RatchetException.class, withoutBootstrap::migrate);
            assertEquals(ErrorKind.FOREIGN_HISTORY_FOUND, refused.kind());
            assertTrue(refused.hint().contains("bootstrapFrom"), refused.hint());
            assertEquals(ErrorKind.FOREIGN_HISTORY_FOUND,
                    withoutBootstrap.status().get(0).problem().orElseThrow().kind(), "status() reports it");
            assertEquals(ErrorKind.FOREIGN_HISTORY_FOUND, assertThrows(RatchetException.class, withoutBootstrap::plan)
                    .kind(), "plan() says what migrate() would do, not that everything would run");
            assertEquals(ErrorKind.FOREIGN_HISTORY_FOUND, assertThrows(RatchetException.class, withoutBootstrap::verify)
                    .kind(), "verify() refuses as migrate() would");

            // A bootstrap source that holds nothing (the counter in another layout than the one
            // that holds the history) moves nothing: the other history still refuses the run.
            Ratchet wrongSource = Ratchet.builder().dataSource(d.dataSource()).tracker(Kind.APPLIED_SET.tracker.get())
                    .bootstrapFrom(Trackers.byName("counter:per-namespace"))
                    .namespace(Namespace.of(Fixtures.NS, code)).build();
            RatchetException wrong = assertThrows(RatchetException.class, wrongSource::migrate);
            assertEquals(ErrorKind.FOREIGN_HISTORY_FOUND, wrong.kind(), wrong.getMessage());
            assertTrue(wrong.getMessage().contains("The configured bootstrap source, the counter tracker on ")
                    && wrong.getMessage().contains("ratchet_counter, holds none for it."), wrong.getMessage());
            assertEquals(ErrorKind.FOREIGN_HISTORY_FOUND, assertThrows(RatchetException.class, wrongSource::plan).kind());
            assertEquals(ErrorKind.FOREIGN_HISTORY_FOUND, wrongSource.status().get(0).problem().orElseThrow().kind());
            assertEquals(Map.of("1", 1, "2", 1), effects(d), "nothing ran again");

            Ratchet withBootstrap = Ratchet.builder().dataSource(d.dataSource())
                    .tracker(Kind.APPLIED_SET.tracker.get()).bootstrapFrom(Kind.COUNTER.tracker.get())
                    .namespace(Namespace.of(Fixtures.NS, code)).build();
            NamespaceStatus preview = withBootstrap.status().get(0);
            assertTrue(preview.problem().isEmpty(), "a bootstrap would move the history");
            assertEquals(List.of("3_create_t3", "4_create_t4"), preview.pending().stream().map(Migration::name).toList(),
                    "status() lists what would run after the bootstrap");
            assertTrue(preview.warnings().get(0).contains("migrate first moves the history of the counter@"),
                    preview.warnings().toString());
            assertEquals(List.of("3_create_t3", "4_create_t4"), withBootstrap.plan().get(0).pending().stream()
                    .map(Migration::name).toList(), "plan() foresees the bootstrap that migrate() makes first");
            VerifyResult verified = withBootstrap.verify();
            assertTrue(verified.failure().isEmpty(), () -> verified.failure().get().getMessage());
            assertEquals(List.of(Fixtures.NS + "/3_create_t3", Fixtures.NS + "/4_create_t4"), verified.verified(),
                    "verify() tries what would run after the bootstrap, not what ran before it");
            assertEquals(Map.of("1", 1, "2", 1), effects(d), "neither plan() nor verify() bootstrapped or ran anything");
            MigrateResult result = withBootstrap.migrate();

            assertEquals(List.of("3_create_t3", "4_create_t4"), result.applied().stream().map(a -> a.name()).toList());
            assertEquals(Map.of("1", 1, "2", 1, "3", 1, "4", 1), effects(d));
            List<String> rows = rows(d, "SELECT version, checksum FROM ratchet_applied_migrations");
            assertEquals("1|null", rows.get(0), "bootstrapped rows have unknown provenance");
            assertFalse(rows.get(2).endsWith("|null"), "migrations run by Ratchet have checksums");
        }
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("directions")
    void aMoveFromATrackerTheDatabaseNeverHadLeavesTheDatabaseAsItWas(DatabaseKind db, Kind from, Kind to)
            throws Exception {
        try (TestDatabase d = TestDatabases.open(db)) {
            Fixtures.createEffectsTable(d);
            String before = SchemaFingerprint.of(d);
            // A conversion script pointed at a database (or schema) that never had the source.
            CutoverResult result = cutover(d.dataSource(), from, to, creates(1, 2)).retire(Cutover.Retire.RENAME)
                    .build().run();
            assertEquals(CutoverResult.Status.NOTHING_TO_MOVE, result.moves().get(0).status());
            assertTrue(result.retiredAs().isEmpty(), "nothing to retire");
            assertEquals(before, SchemaFingerprint.of(d), "not even a lease table is left behind");

            // A first boot with that tracker as its bootstrap source runs everything, and creates
            // nothing of the source's: no table, no lease table.
            assertEquals(List.of("1_create_t1", "2_create_t2"), Ratchet.builder().dataSource(d.dataSource())
                    .tracker(to.tracker.get()).bootstrapFrom(from.tracker.get())
                    .namespace(Namespace.of(Fixtures.NS, creates(1, 2))).build().migrate().applied().stream()
                    .map(a -> a.name()).toList());
            assertFalse(tableExists(d, from.table), "the source tracker's table");
            assertFalse(tableExists(d, from.table + "_lock"), "the source tracker's lease table");
        }
    }

    /** The directions whose target records names: a boot on the source can find its pending ones there. */
    static Stream<Arguments> directionsToNamedTargets() {
        return directions().filter(a -> a.get()[2] != Kind.COUNTER);
    }

    @ParameterizedTest
    @MethodSource("directionsToNamedTargets")
    void aBuildStillOnTheSourceRefusesToRunAgainWhatRanUnderTheTargetSinceTheBootstrap(DatabaseKind db, Kind from,
                                                                                     Kind to) throws Exception {
        try (TestDatabase d = TestDatabases.open(db)) {
            Fixtures.createEffectsTable(d);
            migrator(d.dataSource(), from, creates(1, 2)).migrate();
            // The new release: the target tracker, bootstrapped from the source, runs 3 and 4.
            assertEquals(List.of("3_create_t3", "4_create_t4"), Ratchet.builder().dataSource(d.dataSource())
                    .tracker(to.tracker.get()).bootstrapFrom(from.tracker.get())
                    .transactionMode(TransactionMode.PER_MIGRATION)
                    .namespace(Namespace.of(Fixtures.NS, creates(1, 2, 3, 4))).build().migrate().applied().stream()
                    .map(a -> a.name()).toList());
            String before = SchemaFingerprint.of(d);

            // An instance of the previous release, which shipped 3 but never ran it, still on the source.
            Ratchet previous = migrator(d.dataSource(), from, creates(1, 2, 3));
            RatchetException e = assertThrows(RatchetException.class, previous::migrate);
            assertEquals(ErrorKind.APPLIED_BY_ANOTHER_TRACKER, e.kind(), e.getMessage());
            assertEquals(List.of("3_create_t3"), e.context().get("applied"));
            assertEquals(to.tracker.get().id(), e.context().get("tracker"));
            assertTrue(e.getMessage().contains(to.table), e.getMessage());
            assertEquals(ErrorKind.APPLIED_BY_ANOTHER_TRACKER,
                    previous.status().get(0).problem().orElseThrow().kind(), "status() reports it");
            assertEquals(ErrorKind.APPLIED_BY_ANOTHER_TRACKER,
                    assertThrows(RatchetException.class, previous::plan).kind(), "plan() refuses too");
            assertEquals(ErrorKind.APPLIED_BY_ANOTHER_TRACKER,
                    assertThrows(RatchetException.class, previous::verify).kind(), "verify() refuses too");
            assertEquals(Map.of("1", 1, "2", 1, "3", 1, "4", 1), effects(d), "nothing ran twice");
            assertEquals(Fixtures.withoutLeaseTable(before), Fixtures.withoutLeaseTable(SchemaFingerprint.of(d)));

            // Only what the other table names refuses: with nothing to run, or with a migration that
            // never ran anywhere, the build on the source boots as before.
            assertTrue(migrator(d.dataSource(), from, creates(1, 2)).migrate().applied().isEmpty());
            assertEquals(List.of("9_create_t9"), migrator(d.dataSource(), from, creates(1, 2, 9)).migrate().applied()
                    .stream().map(a -> a.name()).toList());
        }
    }

    /**
     * Another tracker's table this user may not read is skipped, as one of another shape is. On
     * PostgreSQL the failed read would abort a transaction: verify asks before it opens its own.
     */
    @org.junit.jupiter.api.Test
    void anotherTrackersTableTheUserMayNotReadIsSkippedAndVerifyStillVerifies() throws Exception {
        String role = "rt_noread_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (TestDatabase d = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            Fixtures.createEffectsTable(d);
            migrator(d.dataSource(), Kind.COUNTER, creates(1, 2)).migrate();
            // Another namespace's history in the identity tracker's table, which the role may not read.
            List<Migration> other = List.of(Migration.builder("1_other").sql("SELECT 1").build());
            Ratchet.builder().dataSource(d.dataSource()).tracker(Kind.IDENTITY.tracker.get()).ignoreOtherTrackers()
                    .namespace(Namespace.of("other", other)).build().migrate();
            String schema;
            try (java.sql.Connection c = d.dataSource().getConnection(); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT current_schema()")) {
                rs.next();
                schema = rs.getString(1);
            }
            Fixtures.exec(d, "CREATE ROLE " + role);
            try {
                Fixtures.exec(d, "GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + role);
                Fixtures.exec(d, "GRANT ALL ON effects, schema_migrations TO " + role);
                DataSource asRole = (DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                            Object result = method.invoke(d.dataSource(), args);
                            if (result instanceof java.sql.Connection c) {
                                try (java.sql.Statement st = c.createStatement()) {
                                    st.execute("SET ROLE " + role);
                                }
                            }
                            return result;
                        });
                RatchetException denied = assertThrows(RatchetException.class, () -> Ratchet.builder()
                        .dataSource(asRole).tracker(Kind.IDENTITY.tracker.get()).ignoreOtherTrackers()
                        .namespace(Namespace.of("other", other)).build().status());
                assertEquals("42501", denied.sqlState().orElse(null), "the role may not read that table");

                VerifyResult verified = migrator(asRole, Kind.COUNTER, creates(1, 2, 3)).verify();
                assertEquals(java.util.Optional.empty(), verified.failure());
                assertEquals(List.of(Fixtures.NS + "/3_create_t3"), verified.verified());
                assertEquals(List.of("3_create_t3"), migrator(asRole, Kind.COUNTER, creates(1, 2, 3)).migrate()
                        .applied().stream().map(a -> a.name()).toList());
            } finally {
                Fixtures.exec(d, "DROP OWNED BY " + role);
                Fixtures.exec(d, "DROP ROLE " + role);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    @Timeout(600)
    void concurrentBootsWithBootstrapBootstrapOnce(DatabaseKind db) throws Exception {
        List<Migration> code = creates(1, 2, 3, 4);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                try (TestDatabase d = TestDatabases.open(db)) {
                    Fixtures.createEffectsTable(d);
                    migrator(d.dataSource(), Kind.COUNTER, creates(1, 2)).migrate();
                    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
                    List<java.util.concurrent.Future<MigrateResult>> runs = new ArrayList<>();
                    for (int r = 0; r < 4; r++) {
                        Ratchet ratchet = Ratchet.builder().dataSource(d.dataSource())
                                .tracker(Kind.APPLIED_SET.tracker.get()).bootstrapFrom(Kind.COUNTER.tracker.get())
                                .namespace(Namespace.of(Fixtures.NS, code)).build();
                        runs.add(pool.submit(() -> {
                            start.await(30, java.util.concurrent.TimeUnit.SECONDS);
                            return ratchet.migrate();
                        }));
                    }
                    for (var run : runs) {
                        run.get(120, java.util.concurrent.TimeUnit.SECONDS);
                    }
                    assertEquals(Map.of("1", 1, "2", 1, "3", 1, "4", 1), effects(d), "round " + round);
                    assertEquals(List.of("1|null", "2|null"),
                            rows(d, "SELECT version, checksum FROM ratchet_applied_migrations WHERE checksum IS NULL"),
                            "round " + round + ": bootstrapped once");
                    assertEquals(4, rows(d, "SELECT version FROM ratchet_applied_migrations").size());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
