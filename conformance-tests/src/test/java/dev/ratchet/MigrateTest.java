package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.SchemaFingerprint;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ratchet.Fixtures.create;
import static dev.ratchet.Fixtures.creates;
import static dev.ratchet.Fixtures.effects;
import static dev.ratchet.Fixtures.expectedRows;
import static dev.ratchet.Fixtures.failing;
import static dev.ratchet.Fixtures.ratchet;
import static dev.ratchet.Fixtures.tableExists;
import static dev.ratchet.Fixtures.trackerRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The applied-set tracker driven by the engine, on PostgreSQL and SQLite. */
@Timeout(120)
class MigrateTest {

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void freshDatabaseAppliesEverythingOnceAndSecondRunNothing(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            List<Migration> code = creates(1, 2, 3, 10);

            MigrateResult first = ratchet(db, code).migrate();
            assertEquals(List.of("1_create_t1", "2_create_t2", "3_create_t3", "10_create_t10"),
                    first.applied().stream().map(AppliedMigration::name).toList());
            assertEquals(expectedRows(code), trackerRows(db), "tracker rows equal the code, with checksums");
            assertEquals(Map.of("1", 1, "2", 1, "3", 1, "10", 1), effects(db));

            String before = SchemaFingerprint.of(db);
            MigrateResult second = ratchet(db, code).migrate();
            assertTrue(second.applied().isEmpty(), "second run applies nothing: " + second.applied());
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    /** A namespace with no migrations (a location mistyped into an empty directory) runs nothing and says so. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aNamespaceWithNoMigrationsIsWarnedOf(DatabaseKind kind, @TempDir Path empty) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            MigrateResult none = Fixtures.builder(db, MigrationSource.directory(empty).load()).build().migrate();
            assertEquals(List.of(), none.applied());
            assertEquals(List.of(Fixtures.NS + ": the namespace has no migrations, so there is nothing to run: check"
                    + " where they are loaded from (an empty directory or resource folder loads none)"), none.warnings());
            assertEquals(List.of(), ratchet(db, creates(1)).migrate().warnings(), "with migrations, no warning");
        }
    }

    /**
     * A baseline on the applied-set tracker records any of the code's migrations, in code order,
     * unrun and with unknown checksums; one left out is a gap and runs at the next migrate. Every
     * refusal comes before the tracker table exists, and a second baseline is refused.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aBaselineRecordsMigrationsUnrunAndTheOnesLeftOutRunNext(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Ratchet ratchet = ratchet(db, creates(1, 2, 3));
            String before = SchemaFingerprint.of(db);
            RatchetException unknown = assertThrows(RatchetException.class,
                    () -> ratchet.baseline(Fixtures.NS, List.of("1_create_t1", "9_create_t9")));
            assertEquals(ErrorKind.BASELINE_NAME_NOT_IN_CODE, unknown.kind());
            assertEquals("9_create_t9", unknown.context().get("name"));
            RatchetException reversed = assertThrows(RatchetException.class,
                    () -> ratchet.baseline(Fixtures.NS, List.of("3_create_t3", "1_create_t1")));
            assertEquals(ErrorKind.BASELINE_OUT_OF_ORDER, reversed.kind());
            assertTrue(reversed.getMessage().contains("'1_create_t1' (at index 1) comes before '3_create_t3'"),
                    reversed.getMessage());
            RatchetException twice = assertThrows(RatchetException.class,
                    () -> ratchet.baseline(Fixtures.NS, List.of("1_create_t1", "1_create_t1")));
            assertEquals(ErrorKind.BASELINE_OUT_OF_ORDER, twice.kind());
            assertTrue(twice.getMessage().contains("is named twice"), twice.getMessage());
            assertEquals(before, SchemaFingerprint.of(db), "refusals write nothing, not even the tracker table");

            ratchet.baseline(Fixtures.NS, List.of("1_create_t1", "3_create_t3"));
            assertEquals(List.of("1|1_create_t1|null", "3|3_create_t3|null"), trackerRows(db),
                    "recorded unrun, checksum unknown");
            assertEquals(Map.of(), effects(db), "a baseline runs nothing");
            RatchetException again = assertThrows(RatchetException.class,
                    () -> ratchet.baseline(Fixtures.NS, List.of("1_create_t1")));
            assertEquals(ErrorKind.BASELINE_NAMESPACE_POPULATED, again.kind());

            assertEquals(List.of("2_create_t2"), ratchet.migrate().applied().stream().map(AppliedMigration::name).toList(),
                    "the migration left out is a gap, and runs");
            assertEquals(Map.of("2", 1), effects(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aGapRunsOnlyTheMissingMigration(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, creates(1, 2, 4)).migrate();
            assertFalse(tableExists(db, "t3"));

            MigrateResult result = ratchet(db, creates(1, 2, 3, 4)).migrate();

            assertEquals(List.of("3_create_t3"), result.applied().stream().map(AppliedMigration::name).toList());
            assertTrue(tableExists(db, "t3"));
            assertEquals(Map.of("1", 1, "2", 1, "3", 1, "4", 1), effects(db));
            assertEquals(expectedRows(creates(1, 2, 3, 4)), trackerRows(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void failingBodyLeavesNoRowAndNoObjectThenSucceedsWhenFixed(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            List<Migration> broken = List.of(create(1), create(2), failing(3), create(4));

            RatchetException e = assertThrows(RatchetException.class, () -> ratchet(db, broken).migrate());

            assertEquals(ErrorKind.MIGRATION_FAILED, e.kind());
            assertEquals("3_create_t3", e.context().get("migration"));
            assertEquals(3, e.context().get("statement"), "the third statement failed");
            assertTrue(e.getMessage().contains("nothing of it remains"), e.getMessage());
            assertEquals(expectedRows(creates(1, 2)), trackerRows(db), "1 and 2 committed, 3 has no row");
            assertFalse(tableExists(db, "t3"), "what the failed body created is gone");
            assertFalse(tableExists(db, "t4"), "nothing after the failure ran");
            assertEquals(Map.of("1", 1, "2", 1), effects(db));

            List<Migration> fixed = creates(1, 2, 3, 4);
            MigrateResult result = ratchet(db, fixed).migrate();
            assertEquals(List.of("3_create_t3", "4_create_t4"),
                    result.applied().stream().map(AppliedMigration::name).toList());
            assertEquals(expectedRows(fixed), trackerRows(db));
            assertEquals(Map.of("1", 1, "2", 1, "3", 1, "4", 1), effects(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void chainModeRollsBackTheWholePendingChain(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, TransactionMode.CHAIN, creates(1)).migrate();
            String before = SchemaFingerprint.of(db);

            List<Migration> broken = List.of(create(1), create(2), create(3), failing(4), create(5));
            RatchetException e = assertThrows(RatchetException.class,
                    () -> ratchet(db, TransactionMode.CHAIN, broken).migrate());

            assertEquals(ErrorKind.MIGRATION_FAILED, e.kind());
            assertEquals("4_create_t4", e.context().get("migration"));
            assertTrue(e.getMessage().contains("chain transaction was rolled back"), e.getMessage());
            assertEquals(before, SchemaFingerprint.of(db), "the whole chain (2, 3, 4) is gone");
            assertEquals(expectedRows(creates(1)), trackerRows(db));

            MigrateResult result = ratchet(db, TransactionMode.CHAIN, creates(1, 2, 3, 4, 5)).migrate();
            assertEquals(4, result.applied().size());
            assertEquals(expectedRows(creates(1, 2, 3, 4, 5)), trackerRows(db));
            assertEquals(Map.of("1", 1, "2", 1, "3", 1, "4", 1, "5", 1), effects(db));
        }
    }
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anUnreadableFileAmongThePendingAppliesNothing(DatabaseKind kind, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Files.writeString(dir.resolve("V1__one.sql"), "CREATE TABLE one (id int);");
            Files.write(dir.resolve("V2__two.sql"), new byte[] {(byte) 0xC3, (byte) 0x28});

            RatchetException e = assertThrows(RatchetException.class,
                    () -> ratchet(db, MigrationSource.directory(dir).load()).migrate());

            assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind());
            assertTrue(e.getMessage().contains("V2__two.sql"), e.getMessage());
            assertFalse(tableExists(db, "one"), "the readable first migration did not run either");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anUpToDateBootReadsFilesOnlyForATrackerThatKeepsChecksums(DatabaseKind kind, @TempDir Path dir)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path file = dir.resolve("V1__one.sql");
            Files.writeString(file, "CREATE TABLE IF NOT EXISTS one (id int);"); // both trackers apply it
            for (dev.ratchet.spi.Tracker tracker : List.of(dev.ratchet.tracker.appliedset.AppliedSetTracker.builder()
                    .build(), dev.ratchet.tracker.counter.CounterTracker.builder().build())) {
                Fixtures.builder(db, tracker, MigrationSource.directory(dir).load()).ignoreOtherTrackers().build()
                        .migrate();
            }
            Files.write(file, new byte[] {(byte) 0xC3, (byte) 0x28}); // now unreadable as UTF-8

            // The counter keeps no checksum: an applied migration's body is never needed.
            assertTrue(Fixtures.builder(db, dev.ratchet.tracker.counter.CounterTracker.builder().build(),
                    MigrationSource.directory(dir).load()).ignoreOtherTrackers().build().migrate().applied().isEmpty());
            // The applied-set tracker verifies every checksum, so it must read the file, and says it cannot.
            RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.builder(db,
                    dev.ratchet.tracker.appliedset.AppliedSetTracker.builder().build(),
                    MigrationSource.directory(dir).load()).ignoreOtherTrackers().build().migrate());
            assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind());
            // Verification off: checksums are recorded but never compared, so nothing is read.
            assertTrue(Fixtures.builder(db, dev.ratchet.tracker.appliedset.AppliedSetTracker.builder()
                            .checksumVerification(ChecksumVerification.OFF).build(),
                    MigrationSource.directory(dir).load()).ignoreOtherTrackers().build().migrate().applied().isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void withVerificationOffAnUpToDateBootAsksForNoFileWhileVerifyingAsksForEvery(DatabaseKind kind,
                                                                                  @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            for (int i = 1; i <= 40; i++) {
                Files.writeString(dir.resolve("V" + i + "__t" + i + ".sql"), "CREATE TABLE t" + i + " (id int);");
            }
            Fixtures.builder(db, dev.ratchet.tracker.identity.IdentityTracker.builder().build(),
                    MigrationSource.directory(dir).load()).build().migrate();

            List<Migration> off = MigrationSource.directory(dir).load();
            MigrateResult quiet = Fixtures.builder(db, dev.ratchet.tracker.identity.IdentityTracker.builder()
                    .checksumVerification(ChecksumVerification.OFF).build(), off).build().migrate();
            assertTrue(quiet.applied().isEmpty());
            assertEquals(List.of(), off.stream().filter(Migration::fileRequested).map(Migration::name).toList(),
                    "files a boot without verification asked for");

            List<Migration> verifying = MigrationSource.directory(dir).load();
            Fixtures.builder(db, dev.ratchet.tracker.identity.IdentityTracker.builder()
                    .checksumVerification(ChecksumVerification.FAIL).build(), verifying).build().migrate();
            assertTrue(verifying.stream().allMatch(Migration::fileRequested), "a verifying boot reads every file");
        }
    }
}
