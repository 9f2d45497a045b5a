package dev.ratchet.micronaut;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.micronaut.example.Book;
import dev.ratchet.micronaut.example.BookCatalog;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The example application (one subclass per database): Ratchet creates the table the repository uses. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BookApplicationTest implements TestPropertyProvider {
    private TestDatabase db;

    /** The database this run uses. */
    abstract DatabaseKind kind();

    @Inject
    BookCatalog catalog;

    @Inject
    RatchetHealthIndicator health;

    @Override
    public Map<String, String> getProperties() {
        db = TestDatabases.open(kind());
        Map<String, String> props = new java.util.HashMap<>();
        MicronautDatabases.properties(db, "classpath:db/books").forEach((k, v) -> props.put(k, String.valueOf(v)));
        return props;
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    @Test
    void theRepositoryWorksOnTheTableRatchetCreatedBeforeAnyBeanNeededIt() {
        assertEquals(0, catalog.booksAtStartup(), "a bean queried the migrated table in its constructor");
        catalog.add(new Book(1L, "The Left Hand of Darkness"));
        assertEquals(List.of("The Left Hand of Darkness"), catalog.titles(), "the repository works on the migrated table");
    }

    @Test
    void theHealthIndicatorReportsStatusPerNamespace() {
        HealthResult result = MicronautDatabases.first(health.getResult());
        assertEquals(HealthStatus.UP, result.getStatus());
        Map<?, ?> details = (Map<?, ?>) result.getDetails();
        Map<?, ?> namespace = (Map<?, ?>) ((Map<?, ?>) details.get("default")).get("default");
        assertEquals(1, namespace.get("applied"));
        assertEquals(List.of(), namespace.get("pending"));
    }
}
