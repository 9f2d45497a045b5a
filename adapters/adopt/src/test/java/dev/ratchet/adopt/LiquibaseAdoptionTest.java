package dev.ratchet.adopt;

import dev.ratchet.CutoverResult;
import dev.ratchet.ErrorKind;
import dev.ratchet.RatchetException;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static dev.ratchet.adopt.AdoptSupport.code;
import static dev.ratchet.adopt.AdoptSupport.exec;
import static dev.ratchet.adopt.AdoptSupport.migrate;
import static dev.ratchet.adopt.AdoptSupport.tableExists;
import static dev.ratchet.adopt.AdoptSupport.writeMigrations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Databases updated by the real Liquibase (formatted SQL changelog), adopted into each of Ratchet's trackers. */
@Timeout(180)
class LiquibaseAdoptionTest {

    /** Runs {@code liquibase update} with a changelog of one changeset per id, each creating table t<i>. */
    private static void liquibaseUpdate(TestDatabase db, Path dir, String... ids) throws Exception {
        StringBuilder changelog = new StringBuilder("--liquibase formatted sql\n\n");
        for (int i = 0; i < ids.length; i++) {
            changelog.append("--changeset dev:").append(ids[i]).append("\n").append(AdoptSupport.body(i + 1)).append('\n');
        }
        liquibaseUpdate(db, dir, changelog.toString());
    }

    /** Runs {@code liquibase update} with {@code changelog} as liquibase/changelog.sql; returns that file. */
    static Path liquibaseUpdate(TestDatabase db, Path dir, String changelog) throws Exception {
        Path changelogDir = Files.createDirectories(dir.resolve("liquibase"));
        Files.writeString(changelogDir.resolve("changelog.sql"), changelog);
        System.setProperty("liquibase.analytics.enabled", "false");
        try (Connection c = db.connect()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            if (db.kind() == DatabaseKind.POSTGRESQL) {
                database.setDefaultSchemaName(db.schema());
            }
            Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(changelogDir),
                    Scope.Attr.ui.name(), new LoggerUIService()), () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                    .addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG, "changelog.sql")
                    .setOutput(OutputStream.nullOutputStream())
                    .execute());
        }
        return changelogDir.resolve("changelog.sql");
    }

    private static Path code(Path dir) throws Exception {
        return Files.createDirectories(dir.resolve("ratchet"));
    }

    private static Adoption.Builder adoption(TestDatabase db, AdoptSupport.Target target, Path dir) throws Exception {
        return Adoption.builder().dataSource(db.dataSource()).from(ForeignTool.LIQUIBASE).to(target.tracker())
                .namespace(AdoptSupport.code("app", code(dir)));
    }

    @ParameterizedTest
    @MethodSource("dev.ratchet.adopt.AdoptSupport#kindsAndTargets")
    void adoptedThenTheNextMigrateAppliesExactlyTheNewMigration(DatabaseKind kind, AdoptSupport.Target target,
                                                                @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            liquibaseUpdate(db, dir, "1", "V2__t2", "3_t3");
            writeMigrations(code(dir), 1, 2, 3);

            AdoptionResult r = adoption(db, target, dir).build().run();

            assertEquals(CutoverResult.Status.MOVED, r.moves().moves().get(0).status());
            assertEquals(List.of("1_t1", "2_t2", "3_t3"), r.moves().moves().get(0).rows().stream()
                    .map(e -> e.name().orElseThrow()).toList(), "ids mapped by the default rule");
            assertEquals(CutoverResult.Status.ALREADY_MOVED,
                    adoption(db, target, dir).build().run().moves().moves().get(0).status());
            writeMigrations(code(dir), 4);
            assertEquals(List.of("4_t4"), migrate(db, target.tracker(), AdoptSupport.code("app", code(dir))));
            assertTrue(tableExists(db, "t4"));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void changesetsWithoutVersionsNeedAMappingAndAFailedOneRefuses(DatabaseKind kind, @TempDir Path dir)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            liquibaseUpdate(db, dir, "create-authors", "create-books");
            writeMigrations(code(dir), 1, 2);

            RatchetException unmatched = assertThrows(RatchetException.class,
                    () -> adoption(db, AdoptSupport.Target.APPLIED_SET, dir).build().run());
            assertEquals(ErrorKind.FOREIGN_ENTRY_UNMATCHED, unmatched.kind());
            assertEquals(List.of("create-authors::dev::changelog.sql", "create-books::dev::changelog.sql"),
                    unmatched.context().get("unmatched"));

            exec(db, "UPDATE databasechangelog SET exectype = 'FAILED' WHERE id = 'create-books'");
            RatchetException failed = assertThrows(RatchetException.class, () -> adoption(db,
                    AdoptSupport.Target.APPLIED_SET, dir).map("create-authors::dev::changelog.sql", "1_t1")
                    .map("create-books::dev::changelog.sql", "2_t2").build().run());
            assertEquals(ErrorKind.FOREIGN_MIGRATION_FAILED, failed.kind());
            assertFalse(tableExists(db, "ratchet_applied_migrations"), "nothing written");

            exec(db, "UPDATE databasechangelog SET exectype = 'EXECUTED' WHERE id = 'create-books'");
            AdoptionResult r = adoption(db, AdoptSupport.Target.APPLIED_SET, dir)
                    .map("create-authors::dev::changelog.sql", "1_t1")
                    .map("create-books::dev::changelog.sql", "2_t2").build().run();
            assertEquals(List.of("1_t1", "2_t2"), r.moves().moves().get(0).rows().stream()
                    .map(e -> e.name().orElseThrow()).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void skippedChangesetsAreLeftOutAndAnUnknownTypeIsUnsupported(DatabaseKind kind, @TempDir Path dir)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            liquibaseUpdate(db, dir, "1", "2", "3");
            writeMigrations(code(dir), 1, 2, 3);
            exec(db, "UPDATE databasechangelog SET exectype = 'SKIPPED' WHERE id = '3'");

            AdoptionResult r = adoption(db, AdoptSupport.Target.APPLIED_SET, dir).build().dryRun();
            assertEquals(List.of("1_t1", "2_t2"), r.moves().moves().get(0).rows().stream()
                    .map(e -> e.name().orElseThrow()).toList());
            assertTrue(r.leftOut().stream().anyMatch(l -> l.identity().startsWith("3::")
                    && l.reason().startsWith("not applied")), r.leftOut().toString());

            exec(db, "UPDATE databasechangelog SET exectype = 'INVENTED' WHERE id = '2'");
            RatchetException e = assertThrows(RatchetException.class,
                    () -> adoption(db, AdoptSupport.Target.APPLIED_SET, dir).build().run());
            assertEquals(ErrorKind.FOREIGN_ENTRY_UNSUPPORTED, e.kind());
        }
    }
}
