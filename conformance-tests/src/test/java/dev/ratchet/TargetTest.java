package dev.ratchet;

import dev.ratchet.TrackerSubjects.Subject;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.Capability;
import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.ratchet.TrackerSubjects.APPLIED_SET;
import static dev.ratchet.TrackerSubjects.IDENTITY;
import static dev.ratchet.TrackerSubjects.COUNTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A namespace's target ({@link Namespace#through}): migrate, verify and plan stop after it and
 * leave the later migrations pending, on each database and tracker, while the tracker still
 * checks the whole history against the whole code.
 */
@Timeout(120)
class TargetTest {
    static Stream<Arguments> subjects() {
        return TrackerSubjects.onEveryDatabase(APPLIED_SET, IDENTITY, COUNTER);
    }

    private static Ratchet ratchet(TestDatabase db, Subject s, Namespace ns) {
        return Ratchet.builder().dataSource(db.dataSource()).tracker(s.tracker().get()).namespace(ns).build();
    }

    private static List<String> names(List<Migration> migrations) {
        return migrations.stream().map(Migration::name).toList();
    }

    private static List<String> applied(MigrateResult result) {
        return result.applied().stream().map(AppliedMigration::name).toList();
    }

    private static List<String> pending(TestDatabase db, Subject s, Namespace ns) {
        return names(ratchet(db, s, ns).status().get(0).pending());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void migrateVerifyAndPlanStopAtTheTarget(DatabaseKind kind, Subject s) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Namespace all = Namespace.of(Fixtures.NS, Fixtures.creates(1, 2, 3, 4, 5));

            assertEquals(List.of("1_create_t1", "2_create_t2", "3_create_t3"),
                    names(ratchet(db, s, all.through("3")).plan().get(0).pending()), "plan, before anything ran");
            assertEquals(List.of("1_create_t1", "2_create_t2", "3_create_t3"),
                    applied(ratchet(db, s, all.through("3_create_t3")).migrate()), "by name");
            assertEquals(List.of("1", "2", "3"), Fixtures.rows(db, "SELECT name FROM effects"));
            assertEquals(List.of("4_create_t4", "5_create_t5"), pending(db, s, all), "status shows the rest pending");
            assertEquals(List.of("4_create_t4", "5_create_t5"), pending(db, s, all.through("4")),
                    "status is not limited by a target");

            // At or past the target: nothing to do, and no refusal.
            assertEquals(List.of(), ratchet(db, s, all.through("3")).migrate().applied());
            assertEquals(List.of(), ratchet(db, s, all.through("2")).migrate().applied());
            assertTrue(ratchet(db, s, all.through("2")).plan().get(0).isUpToDate());

            VerifyResult verified = ratchet(db, s, all.through("004")).verify();
            assertEquals(List.of(Fixtures.NS + "/4_create_t4"), verified.verified(), "by version, any form of it");
            assertTrue(verified.ok(), verified.toString());

            assertEquals(List.of("4_create_t4"), applied(ratchet(db, s, all.through("4")).migrate()));
            assertEquals(List.of("5_create_t5"), applied(ratchet(db, s, all).migrate()), "no target: the rest");
            assertEquals(List.of("1", "2", "3", "4", "5"), Fixtures.rows(db, "SELECT name FROM effects"));
        }
    }

    /**
     * A target behind the database undoes nothing (golang-migrate's goto would run down files):
     * migrate, from the quick proof and from a read, and plan say so, naming what is applied after it.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void aDatabasePastTheTargetIsWarnedOfAndKeepsItsMigrations(DatabaseKind kind, Subject s) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Namespace three = Namespace.of(Fixtures.NS, Fixtures.creates(1, 2, 3));
            ratchet(db, s, three).migrate();
            String past = Fixtures.NS + ": the database is past the target 1_create_t1: 2 migration(s) after it are"
                    + " not pending (2_create_t2, 3_create_t3); a target stops a run before the migrations after it, it"
                    + " undoes none";

            MigrateResult upToDate = ratchet(db, s, three.through("1")).migrate();
            assertEquals(List.of(), upToDate.applied());
            assertEquals(List.of(past), upToDate.warnings(), "every migration applied");

            Namespace four = Namespace.of(Fixtures.NS, Fixtures.creates(1, 2, 3, 4));
            MigrateResult pendingAfter = ratchet(db, s, four.through("1")).migrate();
            assertEquals(List.of(), pendingAfter.applied());
            assertEquals(List.of(past), pendingAfter.warnings(), "4 is pending, not applied");
            assertEquals(List.of(past.substring(Fixtures.NS.length() + 2)),
                    ratchet(db, s, four.through("1")).plan().get(0).warnings());

            assertEquals(List.of(), ratchet(db, s, four.through("3")).migrate().warnings(), "at the target: no warning");
            assertEquals(List.of("1", "2", "3"), Fixtures.rows(db, "SELECT name FROM effects"), "nothing ran or undone");
            assertEquals(List.of("4_create_t4"), pending(db, s, four));
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void theTrackerStillChecksTheWholeHistory(DatabaseKind kind, Subject s) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, s, Namespace.of(Fixtures.NS, Fixtures.creates(1, 2, 3))).migrate();
            // Code older than the database is refused with a target before it as without one.
            Namespace older = Namespace.of(Fixtures.NS, Fixtures.creates(1, 2));
            RatchetException without = assertThrows(RatchetException.class, () -> ratchet(db, s, older).migrate());
            RatchetException with = assertThrows(RatchetException.class,
                    () -> ratchet(db, s, older.through("1")).migrate());
            assertEquals(without.kind(), with.kind(), with.getMessage());
            assertEquals(List.of("1", "2", "3"), Fixtures.rows(db, "SELECT name FROM effects"), "nothing ran");
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(DatabaseKind.class)
    void aGapBeforeTheTargetRunsAndNothingAfterIt(DatabaseKind kind) throws Exception {
        Subject s = APPLIED_SET;
        assertTrue(s.tracker().get().capabilities().contains(Capability.GAPS));
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, s, Namespace.of(Fixtures.NS, Fixtures.creates(1, 3))).migrate();
            Namespace merged = Namespace.of(Fixtures.NS, Fixtures.creates(1, 2, 3, 4, 5));
            MigrateResult gapRun = ratchet(db, s, merged.through("3")).migrate();
            assertEquals(List.of("2_create_t2"), applied(gapRun));
            assertEquals(List.of(), gapRun.warnings(), "nothing after the target is applied");
            assertEquals(List.of("4_create_t4", "5_create_t5"), pending(db, s, merged));
            assertEquals(List.of(Fixtures.NS + ": the database is past the target 2_create_t2: 1 migration(s) after it"
                    + " are not pending (3_create_t3); a target stops a run before the migrations after it, it undoes none"),
                    ratchet(db, s, merged.through("2")).migrate().warnings(), "3 is applied, 4 and 5 pending");
        }
    }

    /** A tracker of another author may build its plan's namespace anew: the target is the engine's. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(DatabaseKind.class)
    void theTargetHoldsWhateverNamespaceATrackersPlanCarries(DatabaseKind kind) throws Exception {
        Tracker rebuilding = new dev.ratchet.conformance.faulty.ForwardingTracker(AppliedSetTracker.builder().build()) {
            @Override
            public Plan plan(History history, Namespace namespace) {
                Plan p = inner.plan(history, namespace);
                return new Plan(Namespace.of(namespace.name(), namespace.migrations()), p.pending(), p.unverifiable(),
                        p.warnings());
            }
        };
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Namespace all = Namespace.of(Fixtures.NS, Fixtures.creates(1, 2, 3));
            assertEquals(List.of("1_create_t1"), applied(Ratchet.builder().dataSource(db.dataSource()).tracker(rebuilding)
                    .namespace(all.through("1")).build().migrate()));
        }
    }

    @Test
    void aTargetTheCodeLacksIsRefusedNamingTheNamespace() {
        Namespace ns = Namespace.of("app", Fixtures.creates(1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ns.through("7"));
        assertEquals("namespace 'app' has no migration named '7' or of version 7 (its last is 2_create_t2)",
                e.getMessage());
        assertEquals("2_create_t2", ns.through("2.0").target().orElseThrow(), "2.0 is version 2");
        assertEquals("billing", ns.through("1").withSchema("billing").schema().orElseThrow());
        assertEquals("1_create_t1", ns.withSchema("billing").through("1").target().orElseThrow());
        assertEquals("1_create_t1", ns.through("1").withSchema("billing").target().orElseThrow());
        assertEquals(ns.migrations(), ns.upToTarget(), "no target: every migration");
        assertEquals(List.of("1_create_t1"), names(ns.through("1").upToTarget()));
        assertEquals(List.of("1_create_t1", "2_create_t2"), names(ns.through("2_create_t2").upToTarget()));
    }
}
