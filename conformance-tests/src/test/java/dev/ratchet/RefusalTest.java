package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.SchemaFingerprint;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.ratchet.Fixtures.create;
import static dev.ratchet.Fixtures.creates;
import static dev.ratchet.Fixtures.ratchet;
import static dev.ratchet.Fixtures.tableExists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each refusal of the applied-set tracker has its kind, and changes nothing in the database. */
@Timeout(120)
class RefusalTest {

    private static RatchetException refused(TestDatabase db, List<Migration> code) {
        return assertThrows(RatchetException.class, () -> ratchet(db, code).migrate());
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void renameAfterApplyIsRefused(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, creates(1, 2)).migrate();
            String before = SchemaFingerprint.of(db);
            Migration renamed = Migration.builder("2_make_t2").version(Version.of(2))
                    .sql(create(2).script().orElseThrow()).build();

            RatchetException e = refused(db, List.of(create(1), renamed, create(3)));

            assertEquals(ErrorKind.RENAMED_AFTER_APPLY, e.kind());
            assertTrue(e.getMessage().contains("applied as '2_create_t2', code has '2_make_t2'"), e.getMessage());
            assertEquals(before, SchemaFingerprint.of(db));
            assertFalse(tableExists(db, "t3"));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void unknownAppliedVersionIsRefused(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, creates(1, 2, 3)).migrate();
            String before = SchemaFingerprint.of(db);

            RatchetException e = refused(db, creates(1, 2, 4));

            assertEquals(ErrorKind.UNKNOWN_APPLIED_VERSION, e.kind());
            assertEquals(List.of("3 (3_create_t3)"), e.context().get("unknown"));
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void checksumDriftIsRefusedWarnedOrIgnoredAsConfigured(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, creates(1, 2)).migrate();
            String before = SchemaFingerprint.of(db);
            Migration edited = Migration.builder("2_create_t2").version(Version.of(2))
                    .sql(create(2).script().orElseThrow() + "\n-- edited after it shipped\n").build();
            List<Migration> code = List.of(create(1), edited, create(3));

            RatchetException e = refused(db, code);
            assertEquals(ErrorKind.CHECKSUM_DRIFT, e.kind());
            assertTrue(e.getMessage().contains("2_create_t2"), e.getMessage());
            assertEquals(before, SchemaFingerprint.of(db));

            MigrateResult warned = Fixtures.builder(db, code)
                    .tracker(AppliedSetTracker.builder().checksumVerification(ChecksumVerification.WARN).build())
                    .build().migrate();
            assertEquals(1, warned.warnings().size(), warned.warnings().toString());
            assertTrue(warned.warnings().get(0).contains("2_create_t2"));
            assertEquals(List.of("3_create_t3"), warned.applied().stream().map(AppliedMigration::name).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theStatementsTheHintsGiveAcceptARenameAndAnEdit(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, creates(1, 2, 3)).migrate();
            Migration edited = Migration.builder("1_create_t1").version(Version.of(1))
                    .sql(create(1).script().orElseThrow() + "\n-- reformatted after it shipped\n").build();
            Migration renamed = Migration.builder("2_o'brien's_t2").version(Version.of(2))
                    .sql(create(2).script().orElseThrow()).build();
            List<Migration> code = List.of(edited, renamed, create(3), create(4));

            RatchetException rename = refused(db, code);
            assertEquals(ErrorKind.RENAMED_AFTER_APPLY, rename.kind());
            Fixtures.runRepairs(db, rename);

            RatchetException drift = refused(db, code);
            assertEquals(ErrorKind.CHECKSUM_DRIFT, drift.kind(), drift.getMessage());
            assertTrue(drift.context().get("drifted").toString().contains("1_create_t1"), drift.getMessage());
            Fixtures.runRepairs(db, drift);

            MigrateResult result = ratchet(db, code).migrate();
            assertEquals(List.of("4_create_t4"), result.applied().stream().map(AppliedMigration::name).toList(),
                    "the accepted migrations were not run again");
            assertTrue(ratchet(db, code).status().get(0).problem().isEmpty());
        }
    }


    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aRowWithUnknownChecksumIsNeverFlagged(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, creates(1)).migrate();
            Fixtures.exec(db, "UPDATE ratchet_applied_migrations SET checksum = NULL");
            Migration edited = Migration.builder("1_create_t1").version(Version.of(1))
                    .sql("CREATE TABLE something_else (id int)").build();

            MigrateResult result = ratchet(db, List.of(edited, create(2))).migrate();

            assertTrue(result.warnings().isEmpty());
            assertEquals(List.of("2_create_t2"), result.applied().stream().map(AppliedMigration::name).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void versionCollisionInFilesNamesBothFilesBeforeTouchingTheDatabase(DatabaseKind kind, @TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("V3__add_users.sql"), "CREATE TABLE users (id int);");
        Files.writeString(dir.resolve("3_add_accounts.up.sql"), "CREATE TABLE accounts (id int);");
        try (TestDatabase db = TestDatabases.open(kind)) {
            String before = SchemaFingerprint.of(db);

            RatchetException e = assertThrows(RatchetException.class,
                    () -> Fixtures.builder(db, List.of()).migrations(MigrationSource.directory(dir)).build().migrate());

            assertEquals(ErrorKind.VERSION_COLLISION, e.kind());
            assertTrue(e.getMessage().contains("V3__add_users.sql") && e.getMessage().contains("3_add_accounts.up.sql"),
                    e.getMessage());
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aTableOfAnotherShapeIsNeverWrittenTo(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            // golang-migrate's table, under the name the applied-set tracker was told to use.
            Fixtures.exec(db, "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
            Fixtures.exec(db, "INSERT INTO schema_migrations VALUES (7, false)");
            String before = SchemaFingerprint.of(db);

            RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.builder(db, creates(1))
                    .tracker(AppliedSetTracker.builder().table("schema_migrations").build()).build().migrate());

            assertEquals(ErrorKind.FOREIGN_TRACKER_TABLE, e.kind());
            assertEquals(Fixtures.withoutLeaseTable(before), Fixtures.withoutLeaseTable(SchemaFingerprint.of(db)));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aHandEditedRowIsReportedNotGuessed(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, creates(1, 2)).migrate();
            Fixtures.exec(db, "UPDATE ratchet_applied_migrations SET version = 'two' WHERE version = '2'");

            RatchetException e = refused(db, creates(1, 2, 3));

            assertEquals(ErrorKind.CORRUPT_TRACKER_ROW, e.kind());
            assertTrue(e.getMessage().contains("'two'"), e.getMessage());
            assertFalse(tableExists(db, "t3"));
        }
    }
}
