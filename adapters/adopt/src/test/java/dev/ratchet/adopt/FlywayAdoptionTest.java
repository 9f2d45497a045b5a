package dev.ratchet.adopt;

import dev.ratchet.Cutover;
import dev.ratchet.CutoverResult;
import dev.ratchet.ErrorKind;
import dev.ratchet.RatchetException;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.ratchet.adopt.AdoptSupport.code;
import static dev.ratchet.adopt.AdoptSupport.exec;
import static dev.ratchet.adopt.AdoptSupport.migrate;
import static dev.ratchet.adopt.AdoptSupport.tableExists;
import static dev.ratchet.adopt.AdoptSupport.writeMigrations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Databases migrated by the real Flyway, adopted into each of Ratchet's trackers. */
@Timeout(180)
class FlywayAdoptionTest {

    private static FluentConfiguration flyway(TestDatabase db, Path dir) {
        FluentConfiguration c = Flyway.configure().dataSource(db.dataSource()).locations("filesystem:" + dir);
        return db.kind() == DatabaseKind.POSTGRESQL ? c.schemas(db.schema()) : c;
    }

    private static Adoption.Builder adoption(TestDatabase db, AdoptSupport.Target target, Path dir) {
        return Adoption.builder().dataSource(db.dataSource()).from(ForeignTool.FLYWAY).to(target.tracker())
                .namespace(code("app", dir));
    }

    @ParameterizedTest
    @MethodSource("dev.ratchet.adopt.AdoptSupport#kindsAndTargets")
    void adoptedThenTheNextMigrateAppliesExactlyTheNewMigration(DatabaseKind kind, AdoptSupport.Target target,
                                                                @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            writeMigrations(dir, 1, 2, 3);
            assertEquals(3, flyway(db, dir).load().migrate().migrationsExecuted);

            AdoptionResult first = adoption(db, target, dir).build().run();
            assertEquals(CutoverResult.Status.MOVED, first.moves().moves().get(0).status());
            assertEquals(List.of("1_t1", "2_t2", "3_t3"), first.moves().moves().get(0).rows().stream()
                    .map(e -> e.name().orElseThrow()).toList());
            List<dev.ratchet.Migration> files = code("app", dir).migrations();
            assertEquals(files.stream().map(m -> m.checksum()).toList(), first.moves().moves().get(0).rows().stream()
                    .map(e -> e.checksum()).toList(), "Flyway's CRC-32 proves each file is what ran: its checksum is"
                    + " carried");
            assertEquals(List.of(), first.warnings());
            assertTrue(first.moves().moves().get(0).rows().stream().allMatch(e -> e.appliedAt().isPresent()),
                    "Flyway's installed_on is carried");

            AdoptionResult again = adoption(db, target, dir).build().run();
            assertEquals(CutoverResult.Status.ALREADY_MOVED, again.moves().moves().get(0).status(), "idempotent");

            writeMigrations(dir, 4);
            assertEquals(List.of("4_t4"), migrate(db, target.tracker(), code("app", dir)));
            assertTrue(tableExists(db, "t4"));
            assertEquals(List.of(), migrate(db, target.tracker(), code("app", dir)));
        }
    }

    /**
     * Files with CR LF line ends and a byte order mark are proven by Flyway's CRC-32 as Flyway
     * computed it; a file edited after Flyway ran it is adopted without a checksum, with a
     * warning; and an edit of a proven file after adoption is drift.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void flywaysChecksumProvesTheFilesAndAnEditAfterAdoptionIsDrift(DatabaseKind kind, @TempDir Path dir)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            writeMigrations(dir, 1);
            Files.writeString(dir.resolve("V2__t2.sql"), "\uFEFF-- made on Windows\r\nCREATE TABLE t2 (id int);\r\n\r\n");
            Files.writeString(dir.resolve("V3__t3.sql"), "CREATE TABLE t3 (id int);\rINSERT INTO t3 VALUES (3);\n");
            writeMigrations(dir, 4);
            assertEquals(4, flyway(db, dir).load().migrate().migrationsExecuted);
            Files.writeString(dir.resolve("V4__t4.sql"), "CREATE TABLE t4 (id int, edited int);\n");

            AdoptionResult r = adoption(db, AdoptSupport.Target.APPLIED_SET, dir).build().run();
            List<dev.ratchet.Migration> files = code("app", dir).migrations();
            List<java.util.Optional<String>> carried = r.moves().moves().get(0).rows().stream()
                    .map(e -> e.checksum()).toList();
            assertEquals(files.subList(0, 3).stream().map(m -> m.checksum()).toList(), carried.subList(0, 3),
                    "CR LF, a lone CR and a byte order mark are as Flyway computed them");
            assertEquals(java.util.Optional.empty(), carried.get(3), "the edited file proves nothing");
            assertEquals(1, r.warnings().size(), r.warnings().toString());
            assertTrue(r.warnings().get(0).startsWith("app: 4_t4 (") && r.warnings().get(0).contains("flyway's"
                    + " checksum of '4 t4' is not the file's, so the file was edited after flyway ran it"),
                    r.warnings().get(0));

            assertEquals(List.of(), migrate(db, AdoptSupport.Target.APPLIED_SET.tracker(), code("app", dir)),
                    "the adopted history is up to date, the unproven row compared with nothing");
            Files.writeString(dir.resolve("V3__t3.sql"), "CREATE TABLE t3 (id int);\nINSERT INTO t3 VALUES (33);\n");
            RatchetException drift = assertThrows(RatchetException.class,
                    () -> migrate(db, AdoptSupport.Target.APPLIED_SET.tracker(), code("app", dir)));
            assertEquals(ErrorKind.CHECKSUM_DRIFT, drift.kind(), drift.getMessage());
            assertTrue(drift.getMessage().contains("3_t3"), drift.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aBaselineSeedsWhatItCoversAndRepeatablesAreLeftOutAndReported(DatabaseKind kind, @TempDir Path dir)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            writeMigrations(dir, 1, 2, 3);
            Files.writeString(dir.resolve("R__refresh.sql"), "CREATE TABLE IF NOT EXISTS r (id int);");
            // An existing database put under Flyway at version 2: V1 and V2 never ran under Flyway.
            exec(db, AdoptSupport.body(1), AdoptSupport.body(2));
            flyway(db, dir).baselineOnMigrate(true).baselineVersion("2").load().migrate();
            Files.delete(dir.resolve("R__refresh.sql")); // not a Ratchet migration name

            AdoptionResult r = adoption(db, AdoptSupport.Target.APPLIED_SET, dir).build().run();

            assertEquals(List.of("1_t1", "2_t2", "3_t3"), r.moves().moves().get(0).rows().stream()
                    .map(e -> e.name().orElseThrow()).toList(), "the baseline covers 1 and 2");
            assertTrue(r.leftOut().stream().anyMatch(l -> l.identity().contains("refresh")
                    && l.reason().startsWith("not a versioned migration")), r.leftOut().toString());
            writeMigrations(dir, 4);
            assertEquals(List.of("4_t4"), migrate(db, AppliedSetTracker.builder().build(), code("app", dir)));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aFailedRowRefusesAdoptionAndNothingIsWritten(DatabaseKind kind, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            writeMigrations(dir, 1, 2);
            flyway(db, dir).load().migrate();
            // What Flyway leaves on a database without transactional DDL when V3 fails.
            exec(db, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (3, '3', 't3', 'SQL', 'V3__t3.sql',"
                    + " 123, 'ops', 5, " + (kind == DatabaseKind.SQLITE ? "0" : "false") + ")");
            writeMigrations(dir, 3);

            RatchetException e = assertThrows(RatchetException.class,
                    () -> adoption(db, AdoptSupport.Target.APPLIED_SET, dir).build().run());

            assertEquals(ErrorKind.FOREIGN_MIGRATION_FAILED, e.kind());
            assertTrue(e.getMessage().contains("3 t3"), e.getMessage());
            assertFalse(tableExists(db, "ratchet_applied_migrations"), "nothing written");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anUnmatchedRowIsRefusedUnlessAllowedAndThenReported(DatabaseKind kind, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            writeMigrations(dir, 1, 2, 3);
            flyway(db, dir).load().migrate();
            Files.delete(dir.resolve("V2__t2.sql"));
            Files.writeString(dir.resolve("V3__renamed.sql"), AdoptSupport.body(3));
            Files.delete(dir.resolve("V3__t3.sql"));

            RatchetException e = assertThrows(RatchetException.class,
                    () -> adoption(db, AdoptSupport.Target.APPLIED_SET, dir).build().run());
            assertEquals(ErrorKind.FOREIGN_ENTRY_UNMATCHED, e.kind());
            assertEquals(List.of("2 t2", "3 t3"), e.context().get("unmatched"), "every unmatched entry is listed");
            assertFalse(tableExists(db, "ratchet_applied_migrations"));

            AdoptionResult r = adoption(db, AdoptSupport.Target.APPLIED_SET, dir).allowUnmatched().build().run();
            assertEquals(List.of("1_t1"), r.moves().moves().get(0).rows().stream()
                    .map(x -> x.name().orElseThrow()).toList());
            assertEquals(List.of("2 t2", "3 t3"), r.leftOut().stream()
                    .filter(l -> l.reason().equals("matches no migration of the code")).map(LeftOut::identity).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void retiringTheSourceRenamesFlywaysTableInTheSameTransaction(DatabaseKind kind, @TempDir Path dir)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            writeMigrations(dir, 1, 2);
            flyway(db, dir).load().migrate();

            AdoptionResult dry = adoption(db, AdoptSupport.Target.IDENTITY, dir).retireSource(Cutover.Retire.RENAME)
                    .build().dryRun();
            assertEquals(CutoverResult.Status.WOULD_MOVE, dry.moves().moves().get(0).status());
            assertFalse(tableExists(db, "schema_version"), "a dry run writes nothing");

            AdoptionResult r = adoption(db, AdoptSupport.Target.IDENTITY, dir).retireSource(Cutover.Retire.RENAME)
                    .build().run();
            assertTrue(r.moves().retiredAs().orElseThrow().endsWith("flyway_schema_history_retired"));
            assertFalse(tableExists(db, "flyway_schema_history"));
            assertTrue(tableExists(db, "flyway_schema_history_retired"));
        }
    }

    /**
     * Flyway with outOfOrder applied V2 after V3. Every migration is applied, so each tracker can
     * hold the history, and the next migrate runs only what is new.
     */
    @ParameterizedTest
    @MethodSource("dev.ratchet.adopt.AdoptSupport#kindsAndTargets")
    void aHistoryFlywayAppliedOutOfOrderIsAdoptedAsTheCodesOrder(DatabaseKind kind, AdoptSupport.Target target,
                                                                 @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            writeMigrations(dir, 1, 3);
            flyway(db, dir).load().migrate();
            writeMigrations(dir, 2);
            assertEquals(1, flyway(db, dir).outOfOrder(true).load().migrate().migrationsExecuted);

            AdoptionResult adopted = adoption(db, target, dir).build().run();
            assertEquals(CutoverResult.Status.MOVED, adopted.moves().moves().get(0).status());
            writeMigrations(dir, 4);
            assertEquals(List.of("4_t4"), migrate(db, target.tracker(), code("app", dir)));
        }
    }
}
