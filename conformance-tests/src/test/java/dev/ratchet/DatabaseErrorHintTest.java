package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.SchemaFingerprint;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static dev.ratchet.Fixtures.creates;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The database errors a first deployment meets most (a user without rights, a read-only server
 * or file, a tracker schema that is not there) say what to do about them, instead of the kind's
 * "see the SQLSTATE", and leave the database as it was.
 */
@Timeout(60)
class DatabaseErrorHintTest {

    private static RatchetException migrateFails(TestDatabase db, Ratchet ratchet) {
        RatchetException e = assertThrows(RatchetException.class, ratchet::migrate);
        assertEquals(ErrorKind.DATABASE_ERROR, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void aUserWithoutTheRightToCreateIsToldToGrantIt() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            String role = newRole(db, "ratchet_weak_");
            try {
                exec(db, "GRANT USAGE ON SCHEMA " + db.schema() + " TO " + role);
                exec(db, "GRANT " + role + " TO CURRENT_USER");
                String before = SchemaFingerprint.of(db);
                Ratchet ratchet = Ratchet.builder().dataSource(opening(db, "SET ROLE " + role)).tracker(AppliedSetTracker.builder().build())
                        .namespace(Namespace.of(Fixtures.NS, creates(1))).build();
                RatchetException e = migrateFails(db, ratchet);
                assertEquals("42501", e.context().get("sqlState"));
                assertTrue(e.hint().startsWith("the database user lacks a privilege this needs"), e.hint());
                assertEquals(before, SchemaFingerprint.of(db));

                // The same privilege missing in a migration's own statement: the same hint.
                exec(db, "GRANT CREATE ON SCHEMA " + db.schema() + " TO " + role);
                exec(db, "CREATE TABLE owned_by_another (id int)");
                Migration alter = Migration.builder("1_alter").version(Version.of(1))
                        .sql("ALTER TABLE owned_by_another ADD COLUMN note text;").build();
                RatchetException inMigration = assertThrows(RatchetException.class, () -> Ratchet.builder()
                        .dataSource(opening(db, "SET ROLE " + role)).tracker(AppliedSetTracker.builder().build())
                        .namespace(Namespace.of(Fixtures.NS, List.of(alter))).build().migrate());
                assertEquals(ErrorKind.MIGRATION_FAILED, inMigration.kind(), inMigration.getMessage());
                assertEquals("1_alter", inMigration.context().get("migration"));
                assertEquals("42501", inMigration.context().get("sqlState"));
                assertTrue(inMigration.hint().startsWith("the database user lacks a privilege this needs"),
                        inMigration.hint());
            } finally {
                exec(db, "DROP OWNED BY " + role);
                exec(db, "DROP ROLE " + role);
            }
        }
    }

    /**
     * A user who may not create schemas (no CREATE on the database, as an application's user
     * usually has not) migrates a namespace into a target schema made for it. CREATE SCHEMA IF
     * NOT EXISTS checks that privilege before it looks for the schema, so the run failed.
     */
    @Test
    void aUserWhoMayNotCreateSchemasMigratesIntoATargetSchemaMadeForIt() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            String role = newRole(db, "ratchet_app_");
            String made = db.schema() + "_made";
            try {
                exec(db, "GRANT USAGE, CREATE ON SCHEMA " + db.schema() + " TO " + role);
                exec(db, "GRANT " + role + " TO CURRENT_USER");
                exec(db, "CREATE SCHEMA " + made + " AUTHORIZATION " + role);
                Ratchet ratchet = Ratchet.builder().dataSource(opening(db, "SET ROLE " + role))
                        .tracker(AppliedSetTracker.builder().build())
                        .namespace(Namespace.of(Fixtures.NS, List.of(Migration.builder("1_widgets").version(Version.of(1))
                                .sql("CREATE TABLE widgets (id int);").build())).withSchema(made)).build();
                assertEquals(1, ratchet.migrate().applied().size());
                try (Connection c = db.connect(); Statement st = c.createStatement(); java.sql.ResultSet rs =
                        st.executeQuery("SELECT tableowner FROM pg_tables WHERE schemaname = '" + made
                                + "' AND tablename = 'widgets'")) {
                    assertTrue(rs.next(), "the migration ran in the target schema");
                    assertEquals(role, rs.getString(1));
                }
            } finally {
                exec(db, "DROP SCHEMA IF EXISTS " + made + " CASCADE");
                exec(db, "DROP OWNED BY " + role);
                exec(db, "DROP ROLE " + role);
            }
        }
    }

    @Test
    void aReadOnlyPostgresqlSessionIsNamedAsSuch() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            String before = SchemaFingerprint.of(db);
            Ratchet ratchet = Ratchet.builder()
                    .dataSource(opening(db, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")).tracker(AppliedSetTracker.builder().build())
                    .namespace(Namespace.of(Fixtures.NS, creates(1))).build();
            RatchetException e = migrateFails(db, ratchet);
            assertEquals("25006", e.context().get("sqlState"));
            assertTrue(e.hint().startsWith("the connection is read-only"), e.hint());
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    @Test
    void aSqliteFileOpenedReadOnlyIsNamedAsSuch() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            Fixtures.createEffectsTable(db);
            String before = SchemaFingerprint.of(db);
            String url = db.url() + (db.url().contains("?") ? "&" : "?") + "open_mode=1";
            Ratchet ratchet = Ratchet.builder().connections(ConnectionSource.url(url, null, null))
                    .tracker(AppliedSetTracker.builder().build()).namespace(Namespace.of(Fixtures.NS, creates(1)))
                    .build();
            RatchetException e = migrateFails(db, ratchet);
            assertEquals(8, e.context().get("vendorCode"), "SQLITE_READONLY");
            assertTrue(e.hint().startsWith("the connection is read-only"), e.hint());
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    /** A SQLite database another connection holds past the lock timeout (SQLite's busy wait). */
    @Test
    void aSqliteDatabaseHeldPastTheLockTimeoutIsNamedAsSuch() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            Fixtures.createEffectsTable(db);
            String before = SchemaFingerprint.of(db);
            try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
                st.execute("BEGIN EXCLUSIVE");
                Ratchet ratchet = Fixtures.builder(db, creates(1)).lockTimeout(java.time.Duration.ofMillis(500)).build();
                RatchetException e = assertThrows(RatchetException.class, ratchet::status);
                assertEquals(ErrorKind.DATABASE_ERROR, e.kind(), e.getMessage());
                assertEquals(5, e.context().get("vendorCode"), "SQLITE_BUSY");
                assertTrue(e.hint().startsWith("another connection held the database for longer than the lock timeout"),
                        e.hint());
                st.execute("ROLLBACK");
            }
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    @Test
    void aTrackerSchemaThatDoesNotExistIsToBeCreatedFirst() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            String before = SchemaFingerprint.of(db);
            Ratchet ratchet = Ratchet.builder().dataSource(db.dataSource())
                    .tracker(AppliedSetTracker.builder().schema("no_such_schema_" + System.nanoTime()).build())
                    .namespace(Namespace.of(Fixtures.NS, creates(1))).build();
            RatchetException e = migrateFails(db, ratchet);
            assertEquals("3F000", e.context().get("sqlState"));
            assertTrue(e.hint().startsWith("create the schema first"), e.hint());
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    /** The database's data source, whose connections run {@code statement} when they are opened. */
    private static WrappingDataSource opening(TestDatabase db, String statement) {
        return new WrappingDataSource(db.dataSource()) {
            @Override
            protected Connection wrap(Connection c) throws SQLException {
                try (Statement st = c.createStatement()) {
                    st.execute(statement);
                }
                return c;
            }
        };
    }

    /** A new role that cannot log in, named {@code prefix} and a random tail; skips the test when the user cannot create one. */
    private static String newRole(TestDatabase db, String prefix) {
        String role = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            exec(db, "CREATE ROLE " + role + " NOLOGIN");
        } catch (SQLException e) {
            assumeTrue(false, "the test user cannot create roles: " + e.getMessage());
        }
        return role;
    }

    private static void exec(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
