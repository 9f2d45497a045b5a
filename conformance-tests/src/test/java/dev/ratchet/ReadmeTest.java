package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's Java example is this code, and it runs; its error-kind table matches the enum. */
@Timeout(60)
class ReadmeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static String readme() throws Exception {
        return Files.readString(ROOT.resolve("README.md"));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theJavaExampleRuns(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            DataSource dataSource = db.dataSource();
            Path migrations = ROOT.resolve("examples/quickstart");
            // readme-example:migrate:start
            Ratchet ratchet = Ratchet.builder()
                    .dataSource(dataSource)
                    .tracker(AppliedSetTracker.builder().build())
                    .namespace(Namespace.of("app", MigrationSource.directory(migrations).load()))
                    .build();

            MigrateResult result = ratchet.migrate();
            for (AppliedMigration m : result.applied()) {
                System.out.println("applied " + m.name() + " in " + m.duration().toMillis() + " ms");
            }

            NamespaceStatus status = ratchet.status().get(0);
            System.out.println(status.applied().size() + " applied, " + status.pending().size() + " pending");
            // readme-example:migrate:end
            assertEquals(List.of("1_create_authors", "2_create_books", "3_add_isbn"),
                    result.applied().stream().map(AppliedMigration::name).toList());
            assertEquals(3, status.applied().size());
            assertTrue(status.isUpToDate());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theCutoverExampleRuns(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            DataSource dataSource = db.dataSource();
            Path migrations = ROOT.resolve("examples/quickstart");
            Ratchet.builder().dataSource(dataSource).tracker(CounterTracker.builder().build())
                    .namespace(Namespace.of("app", MigrationSource.directory(migrations).load())).build().migrate();
            // readme-example:cutover:start
            CutoverResult moved = Cutover.builder()
                    .dataSource(dataSource)
                    .from(CounterTracker.builder().build())        // golang-migrate's schema_migrations
                    .to(AppliedSetTracker.builder().build())
                    .namespace(Namespace.of("app", MigrationSource.directory(migrations).load()))
                    .retire(Cutover.Retire.RENAME)                 // schema_migrations -> schema_migrations_retired
                    .build()
                    .run();
            // readme-example:cutover:end
            assertEquals(CutoverResult.Status.MOVED, moved.moves().get(0).status());
            assertEquals(3, moved.moves().get(0).rows().size());
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"migrate", "cutover"})
    void theReadmeShowsTheExamplesVerbatim(String id) {
        dev.ratchet.conformance.ReadmeSnippets.assertShown(ROOT.resolve("README.md"),
                Path.of("src/test/java/dev/ratchet/ReadmeTest.java"), id);
    }

    @Test
    void theReadmeStartsWithTheTwoSetUpCommands() throws Exception {
        List<String> lines = readme().lines().limit(6).toList();
        assertEquals(List.of("# Ratchet", "", "```sh", "./ratchet migrate --migrations examples/quickstart",
                "scripts/test.sh", "```"), lines);
        assertTrue(Files.readString(ROOT.resolve(".ci/run")).contains("scripts/test.sh"));
    }

    @Test
    void everyErrorKindIsDocumentedWithItsFamilyAndHint() throws Exception {
        String readme = readme();
        for (ErrorKind kind : ErrorKind.values()) {
            String hint = kind.defaultHint().replace("<", "&lt;").replace(">", "&gt;");
            String row = "| `" + kind + "` | " + kind.family() + " | ";
            assertTrue(readme.contains(row), "README lacks the row of " + kind);
            String line = readme.lines().filter(l -> l.startsWith(row)).findFirst().orElseThrow();
            assertTrue(line.endsWith("| " + hint + " |"), "README's hint of " + kind + " differs from the code: " + line);
        }
    }

    /** Every relative link of the README and of the documents it links to names a file that is there. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"README.md", "benchmarks/HISTORY.md", "RELIABILITY.md"})
    void everyRelativeLinkResolves(String document) throws Exception {
        Path doc = ROOT.resolve(document);
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("\\]\\(([^)\\s#]+)[^)]*\\)")
                .matcher(Files.readString(doc));
        int relative = 0;
        while (link.find()) {
            String target = link.group(1);
            if (target.contains("://") || target.startsWith("mailto:")) {
                continue;
            }
            relative++;
            assertTrue(Files.exists(doc.getParent().resolve(target).normalize()),
                    document + " links to " + target + ", which is not there");
        }
        if (document.equals("README.md")) {
            assertTrue(relative >= 4, "the README's links were not found: " + relative);
        }
    }
}
