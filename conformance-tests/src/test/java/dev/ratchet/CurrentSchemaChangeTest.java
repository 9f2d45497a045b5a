package dev.ratchet;

import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import dev.ratchet.tracker.identity.IdentityTracker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Supplier;

import static dev.ratchet.Fixtures.creates;
import static dev.ratchet.Fixtures.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tracker with no schema configured keeps its table in the session's current schema, and that
 * schema can change under a deployment: a schema named after the database user, created since,
 * comes first in PostgreSQL's default search path ({@code "$user", public}). The tracker then
 * found no table, created one, and ran every migration again (a seed's rows were inserted
 * twice). Now the same tracker's table in the search path's other schemas is looked at first.
 */
@Timeout(120)
class CurrentSchemaChangeTest {

    private static DataSource withSearchPath(TestDatabase db, String path) {
        return new WrappingDataSource(db.dataSource()) {
            @Override
            protected Connection wrap(Connection c) throws SQLException {
                try (Statement st = c.createStatement()) {
                    st.execute("SET search_path TO " + path);
                }
                return c;
            }
        };
    }

    private static Tracker tracker(String name) {
        return switch (name) {
            case "applied-set" -> AppliedSetTracker.builder().build();
            case "counter" -> CounterTracker.builder().build();
            case "identity" -> IdentityTracker.builder().build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"applied-set", "counter", "identity"})
    void aTrackerTableLeftBehindByACurrentSchemaChangeRefusesARunOfEverythingAgain(String name) throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String old = db.schema();
            String fresh = db.schema() + "_user";
            Fixtures.createEffectsTable(db);
            try {
                Ratchet.builder().dataSource(withSearchPath(db, old)).tracker(tracker(name))
                        .namespace(Namespace.of(Fixtures.NS, creates(1, 2))).build().migrate();
                exec(db, "CREATE SCHEMA " + fresh);
                Supplier<Ratchet> moved = () -> Ratchet.builder().dataSource(withSearchPath(db, fresh + ", " + old))
                        .tracker(tracker(name)).namespace(Namespace.of(Fixtures.NS, creates(1, 2, 3))).build();

                NamespaceStatus status = moved.get().status().get(0);
                RatchetException problem = status.problem().orElseThrow();
                assertEquals(ErrorKind.HISTORY_IN_ANOTHER_SCHEMA, problem.kind(), problem.getMessage());
                assertTrue(problem.getMessage().contains("records 2 of its migrations as applied"), problem.getMessage());
                String there = old + "." + tracker(name).table();
                assertEquals(there, problem.context().get("table"));
                assertTrue(problem.hint().contains("schema(\"" + old + "\")"), problem.hint());
                assertEquals(ErrorKind.HISTORY_IN_ANOTHER_SCHEMA,
                        assertThrows(RatchetException.class, () -> moved.get().plan()).kind());
                RatchetException refused = assertThrows(RatchetException.class, () -> moved.get().migrate());
                assertEquals(ErrorKind.HISTORY_IN_ANOTHER_SCHEMA, refused.kind(), refused.getMessage());
                assertEquals(java.util.Map.of("1", 1, "2", 1), Fixtures.effects(db), "nothing ran again");
                assertFalse(tableIn(db, fresh, tracker(name).table()), "no second tracker table");

                // Pinned to the schema that holds the history, as the hint says: it runs on from there.
                Tracker pinned = dev.ratchet.Trackers.byName(String.valueOf(problem.context().get("trackerName")));
                Ratchet.builder().dataSource(withSearchPath(db, fresh + ", " + old)).tracker(pinned)
                        .namespace(Namespace.of(Fixtures.NS, creates(1, 2, 3))).build().migrate();
                assertEquals(java.util.Map.of("1", 1, "2", 1, "3", 1), Fixtures.effects(db), "each ran once");
            } finally {
                exec(db, "DROP SCHEMA IF EXISTS " + fresh + " CASCADE");
            }
        }
    }

    /**
     * Schema per tenant: a new tenant's schema has no tracker table yet, while the schema after it
     * on the search path has one holding other migrations' history. That refuses nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"applied-set", "identity"})
    void anotherSchemasTableHoldingOtherMigrationsRefusesNothing(String name) throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String shared = db.schema();
            String tenant = db.schema() + "_tenant";
            Fixtures.createEffectsTable(db);
            try {
                List<Migration> sharedCode = List.of(Migration.builder("1_shared").version(Version.of(1))
                        .sql("CREATE TABLE shared_things (id int);").build());
                Ratchet.builder().dataSource(withSearchPath(db, shared)).tracker(tracker(name))
                        .namespace(Namespace.of(Fixtures.NS, sharedCode)).build().migrate();
                exec(db, "CREATE SCHEMA " + tenant);
                MigrateResult result = Ratchet.builder().dataSource(withSearchPath(db, tenant + ", " + shared))
                        .tracker(tracker(name)).namespace(Namespace.of(Fixtures.NS, List.of(
                                Migration.builder("5_tenant").version(Version.of(5))
                                        .sql("CREATE TABLE tenant_things (id int);").build()))).build().migrate();
                assertEquals(1, result.applied().size());
                assertTrue(tableIn(db, tenant, tracker(name).table()), "the tenant's own tracker table");
                assertTrue(tableIn(db, tenant, "tenant_things"));
            } finally {
                exec(db, "DROP SCHEMA IF EXISTS " + tenant + " CASCADE");
            }
        }
    }

    private static boolean tableIn(TestDatabase db, String schema, String table) throws SQLException {
        try (Connection c = db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
