package dev.ratchet.adopt;

import dev.ratchet.AppliedMigration;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.ReadmeSnippets;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's adoption example, run on a database Flyway migrated. */
class ReadmeExampleTest {

    @Test
    void theReadmeAdoptionExampleRunsAndIsShownVerbatim(@TempDir Path migrations) throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            for (String file : List.of("V1__create_authors.sql", "V2__create_books.sql")) {
                Files.copy(Path.of("../../examples/quickstart", file), migrations.resolve(file));
            }
            Flyway.configure().dataSource(db.dataSource()).locations("filesystem:" + migrations).load().migrate();
            DataSource dataSource = db.dataSource();

            // readme-example:adopt:start
            AdoptionResult adopted = Adoption.builder()
                    .dataSource(dataSource)
                    .from(ForeignTool.FLYWAY)                      // flyway_schema_history
                    .to(AppliedSetTracker.builder().build())
                    .namespace(Namespace.of("app", MigrationSource.directory(migrations).load()))
                    .build()
                    .run();                                        // or dryRun()
            // readme-example:adopt:end

            assertEquals(2, adopted.moves().moves().get(0).rows().size());
            Files.copy(Path.of("../../examples/quickstart/3_add_isbn.up.sql"), migrations.resolve("3_add_isbn.up.sql"));
            List<String> applied = Ratchet.builder().dataSource(dataSource).tracker(AppliedSetTracker.builder().build())
                    .namespace(Namespace.of("app", MigrationSource.directory(migrations).load())).build().migrate()
                    .applied().stream().map(AppliedMigration::name).toList();
            assertEquals(List.of("3_add_isbn"), applied);
        }
        ReadmeSnippets.assertShown(Path.of("../../README.md"),
                Path.of("src/test/java/dev/ratchet/adopt/ReadmeExampleTest.java"), "adopt");
    }
}
