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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tracker's table is a name too: migrations that ran with a tracker configured with a table of
 * its own ({@code applied-set@app_history}) ran every one again under a tracker configured without
 * it (an operator's command line without the application's {@code --tracker}, a table setting
 * renamed), which found no history in its own table. The schema's other tables that a known
 * tracker recognises are read first now; another application's history table in the same schema
 * refuses nothing.
 */
@Timeout(120)
class TrackerTableRenameTest {

    private static Ratchet ratchet(TestDatabase db, Tracker tracker, List<Migration> code) {
        return Ratchet.builder().dataSource(db.dataSource()).tracker(tracker).namespace(Namespace.of("app", code)).build();
    }

    private static Migration init(String sql) {
        return Migration.builder("1_init").version(Version.of(1)).sql(sql).build();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void historyInATableOfAnotherNameIsRefusedNotRunAgain(DatabaseKind kind) throws Exception {
        for (Tracker tracker : List.of(AppliedSetTracker.builder().build(), IdentityTracker.builder().build())) {
            try (TestDatabase db = TestDatabases.open(kind)) {
                Fixtures.createEffectsTable(db);
                String where = db.schema() + ".app_history";
                String name = tracker.id() + "@" + where;
                ratchet(db, Trackers.byName(name), creates(1, 2)).migrate();

                for (Tracker now : List.of(tracker, Trackers.byName(tracker.id() + "@other_history"))) {
                    Ratchet renamed = ratchet(db, now, creates(1, 2, 3));
                    RatchetException problem = renamed.status().get(0).problem().orElseThrow();
                    assertEquals(ErrorKind.HISTORY_IN_ANOTHER_TABLE, problem.kind(), problem.getMessage());
                    assertEquals(where, problem.context().get("table"));
                    assertEquals(name, problem.context().get("trackerName"));
                    assertEquals(List.of("1_create_t1", "2_create_t2"), problem.context().get("applied"));
                    assertTrue(problem.hint().contains("Trackers.byName(\"" + name + "\")"), problem.hint());
                    assertEquals(ErrorKind.HISTORY_IN_ANOTHER_TABLE,
                            assertThrows(RatchetException.class, renamed::plan).kind());
                    RatchetException refused = assertThrows(RatchetException.class, renamed::migrate);
                    assertEquals(ErrorKind.HISTORY_IN_ANOTHER_TABLE, refused.kind(), refused.getMessage());
                    assertEquals(Map.of("1", 1, "2", 1), Fixtures.effects(db), tracker.id() + ": nothing ran again");
                    assertFalse(Fixtures.tableExists(db, now.table()), "no second tracker table: " + now.table());
                }

                // The tracker the hint names runs on; so does a bootstrap that moves the history.
                assertEquals(List.of("3_create_t3"), ratchet(db, Trackers.byName(name), creates(1, 2, 3)).migrate()
                        .applied().stream().map(AppliedMigration::name).toList());
                MigrateResult moved = Ratchet.builder().dataSource(db.dataSource()).tracker(tracker)
                        .namespace(Namespace.of("app", creates(1, 2, 3, 4))).bootstrapFrom(Trackers.byName(name))
                        .build().migrate();
                assertEquals(List.of("4_create_t4"), moved.applied().stream().map(AppliedMigration::name).toList());
                assertEquals(Map.of("1", 1, "2", 1, "3", 1, "4", 1), Fixtures.effects(db));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anotherTrackersTableOfAnotherNameIsFoundToo(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, Trackers.byName("applied-set@app_history"), creates(1)).migrate();
            RatchetException refused = assertThrows(RatchetException.class,
                    ratchet(db, IdentityTracker.builder().build(), creates(1, 2))::migrate);
            assertEquals(ErrorKind.HISTORY_IN_ANOTHER_TABLE, refused.kind(), refused.getMessage());
            assertEquals("applied-set@" + db.schema() + ".app_history", refused.context().get("trackerName"));
            assertTrue(refused.getMessage().contains("the applied-set tracker (not the identity tracker configured now)"),
                    refused.getMessage());
            assertEquals(Map.of("1", 1), Fixtures.effects(db));

            // Where that table belongs to something else, the look is skipped.
            NamespaceStatus ignoring = Ratchet.builder().dataSource(db.dataSource())
                    .tracker(IdentityTracker.builder().build()).namespace(Namespace.of("app", creates(1, 2)))
                    .ignoreOtherTrackers().build().status().get(0);
            assertTrue(ignoring.problem().isEmpty(), () -> ignoring.problem().orElseThrow().getMessage());
            assertEquals(2, ignoring.pending().size());
        }
    }

    /**
     * Two applications share a schema, each with a history table of its own and the namespace of
     * the same name: the other's table is not this one's history, even where both begin with the
     * same migration.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anotherApplicationsHistoryTableInTheSameSchemaRefusesNothing(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Migration sameInit = init("CREATE TABLE shared_things (id int);");
            ratchet(db, Trackers.byName("applied-set@billing_history"), List.of(sameInit, Migration.builder("2_invoices")
                    .version(Version.of(2)).sql("CREATE TABLE invoices (id int);").build())).migrate();
            ratchet(db, Trackers.byName("identity@mail_history"), List.of(init("CREATE TABLE mail (id int);"))).migrate();

            MigrateResult shop = ratchet(db, Trackers.byName("applied-set@shop_history"), List.of(
                    init("CREATE TABLE IF NOT EXISTS shared_things (id int);"), Migration.builder("2_orders")
                            .version(Version.of(2)).sql("CREATE TABLE orders (id int);").build())).migrate();
            assertEquals(2, shop.applied().size());
            MigrateResult search = ratchet(db, Trackers.byName("applied-set@search_history"), List.of(
                    init("CREATE TABLE IF NOT EXISTS shared_things (id int);"),
                    Migration.builder("2_invoices").version(Version.of(2)).sql("CREATE TABLE search_invoices (id int);")
                            .build())).migrate();
            assertEquals(2, search.applied().size());
            assertTrue(Fixtures.tableExists(db, "orders") && Fixtures.tableExists(db, "search_invoices"));
        }
    }
}
