package dev.ratchet.micronaut;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.ReadmeSnippets;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.micronaut.example.BookCatalog;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's Micronaut example runs, and the README shows it verbatim. */
@Timeout(60)
class ReadmeExampleTest {

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theReadmeExampleRuns(DatabaseKind kind) {
        long books;
        try (TestDatabase db = TestDatabases.open(kind)) {
            String url = db.url();
            // readme-example:micronaut:start
            try (ApplicationContext app = ApplicationContext.run(Map.of(
                    "datasources.default.url", url,
                    "ratchet.datasources.default.tracker", "applied-set",
                    "ratchet.datasources.default.locations", "classpath:db/books"))) {
                BookCatalog catalog = app.getBean(BookCatalog.class);  // its constructor read the migrated table
                books = catalog.booksAtStartup();
            }
            // readme-example:micronaut:end
        }
        assertEquals(0, books);
        ReadmeSnippets.assertShown(Path.of("../../README.md"),
                Path.of("src/test/java/dev/ratchet/micronaut/ReadmeExampleTest.java"), "micronaut");
    }
}
