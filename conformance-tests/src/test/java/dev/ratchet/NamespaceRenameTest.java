package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.identity.IdentityTracker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static dev.ratchet.Fixtures.creates;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A namespace is a name: the same migrations run under another one (a renamed namespace, or the
 * command line's {@code --migrations}, the namespace {@code default}, given an application's
 * migrations) found no history and ran every migration again. The tracker's other namespaces are
 * read first now; same-named migrations of other content, and namespaces with target schemas of
 * their own, refuse nothing.
 */
@Timeout(120)
class NamespaceRenameTest {

    private static Ratchet ratchet(TestDatabase db, Tracker tracker, Namespace ns) {
        return Ratchet.builder().dataSource(db.dataSource()).tracker(tracker).namespace(ns).build();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theSameMigrationsUnderAnotherNamespaceAreRefusedNotRunAgain(DatabaseKind kind) throws Exception {
        for (Tracker tracker : List.of(AppliedSetTracker.builder().build(), IdentityTracker.builder().build())) {
            try (TestDatabase db = TestDatabases.open(kind)) {
                Fixtures.createEffectsTable(db);
                ratchet(db, tracker, Namespace.of("app", creates(1, 2))).migrate();
                Ratchet renamed = ratchet(db, tracker, Namespace.of("default", creates(1, 2, 3)));

                RatchetException problem = renamed.status().get(0).problem().orElseThrow();
                assertEquals(ErrorKind.HISTORY_UNDER_ANOTHER_NAMESPACE, problem.kind(), problem.getMessage());
                assertEquals("app", problem.context().get("otherNamespace"));
                assertEquals(List.of("1_create_t1", "2_create_t2"), problem.context().get("applied"));
                assertTrue(problem.hint().startsWith("run them under namespace 'app'"), problem.hint());
                assertEquals(ErrorKind.HISTORY_UNDER_ANOTHER_NAMESPACE,
                        assertThrows(RatchetException.class, renamed::plan).kind());
                RatchetException refused = assertThrows(RatchetException.class, renamed::migrate);
                assertEquals(ErrorKind.HISTORY_UNDER_ANOTHER_NAMESPACE, refused.kind(), refused.getMessage());
                assertEquals(Map.of("1", 1, "2", 1), Fixtures.effects(db), tracker.id() + ": nothing ran again");

                // Under its own name it runs on.
                assertEquals(1, ratchet(db, tracker, Namespace.of("app", creates(1, 2, 3))).migrate().applied().size());
                assertEquals(Map.of("1", 1, "2", 1, "3", 1), Fixtures.effects(db));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aSameNamedMigrationOfOtherContentRefusesNothing(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            // Plugins, each a namespace whose first migration is called init.
            ratchet(db, AppliedSetTracker.builder().build(), Namespace.of("plugin_a", List.of(Migration.builder("1_init")
                    .version(Version.of(1)).sql("CREATE TABLE a_things (id int);").build()))).migrate();
            MigrateResult b = ratchet(db, AppliedSetTracker.builder().build(), Namespace.of("plugin_b", List.of(
                    Migration.builder("1_init").version(Version.of(1)).sql("CREATE TABLE b_things (id int);").build())))
                    .migrate();
            assertEquals(1, b.applied().size());
            assertTrue(Fixtures.tableExists(db, "b_things"));
        }
    }

    /** Namespaces that run the same migrations on purpose, each in a target schema of its own. */
    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "POSTGRESQL")
    void aNamespaceWithATargetSchemaOfItsOwnRunsTheSameMigrations(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            String tenant = db.schema() + "_tenant";
            List<Migration> code = List.of(Migration.builder("1_things").version(Version.of(1))
                    .sql("CREATE TABLE things (id int);").build());
            try {
                ratchet(db, AppliedSetTracker.builder().build(), Namespace.of("shared", code)).migrate();
                assertEquals(1, ratchet(db, AppliedSetTracker.builder().build(),
                        Namespace.of("tenant", code).withSchema(tenant)).migrate().applied().size());
            } finally {
                Fixtures.exec(db, "DROP SCHEMA IF EXISTS " + tenant + " CASCADE");
            }
        }
    }
}
