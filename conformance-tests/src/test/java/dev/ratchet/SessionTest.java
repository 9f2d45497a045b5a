package dev.ratchet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One pinned connection per run, given back to the pool as it was found. */
@Timeout(120)
class SessionTest {

    private static String searchPath(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW search_path")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(db.dataSource());
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    @Test
    void aPooledConnectionReturnsWithItsSearchPathAfterSuccessAndAfterFailure() throws Exception {
        String target = "rt_target_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db)) {
            String before;
            try (Connection c = pool.getConnection()) {
                before = searchPath(c);
            }
            Namespace ns = Namespace.of("plugin", List.of(
                    Migration.builder("1_widgets").version(Version.of(1)).sql("CREATE TABLE widgets (id int)").build()))
                    .withSchema(target);
            Ratchet ratchet = Ratchet.builder().dataSource(pool).tracker(AppliedSetTracker.builder().build())
                    .namespace(ns).build();

            assertEquals(1, ratchet.migrate().applied().size());

            try (Connection c = pool.getConnection()) {
                assertEquals(before, searchPath(c), "search_path restored after a successful run");
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = '"
                             + target + "' AND tablename = 'widgets'")) {
                    rs.next();
                    assertEquals(1, rs.getInt(1), "the migration ran in the namespace's target schema");
                }
            }
            assertTrue(Fixtures.tableExists(db, "ratchet_applied_migrations"),
                    "the tracker table stays in the session's schema, not the target schema");

            Namespace broken = Namespace.of("plugin", List.of(
                    Migration.builder("1_widgets").version(Version.of(1)).sql("CREATE TABLE widgets (id int)").build(),
                    Migration.builder("2_broken").version(Version.of(2)).sql("SELECT * FROM missing_table").build()))
                    .withSchema(target);
            assertThrows(RatchetException.class, () -> Ratchet.builder().dataSource(pool)
                    .tracker(AppliedSetTracker.builder().build()).namespace(broken).build().migrate());

            try (Connection c = pool.getConnection()) {
                assertEquals(before, searchPath(c), "search_path restored after a failed run");
                assertTrue(c.getAutoCommit(), "auto-commit restored");
            }
        } finally {
            try (Connection c = java.sql.DriverManager.getConnection(TestDatabases.postgresServerUrl());
                 Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + target + " CASCADE");
            }
        }
    }

    @Test
    void sqliteBusyTimeoutIsRestoredAndTargetSchemasAreRefused() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE); HikariDataSource pool = pool(db)) {
            int before;
            try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("PRAGMA busy_timeout")) {
                rs.next();
                before = rs.getInt(1);
            }
            Fixtures.createEffectsTable(db);
            Ratchet.builder().dataSource(pool).tracker(AppliedSetTracker.builder().build())
                    .namespace(Namespace.of("app", Fixtures.creates(1))).build().migrate();
            try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("PRAGMA busy_timeout")) {
                rs.next();
                assertEquals(before, rs.getInt(1));
            }

            RatchetException e = assertThrows(RatchetException.class, () -> Ratchet.builder().dataSource(pool)
                    .tracker(AppliedSetTracker.builder().build())
                    .namespace(Namespace.of("other", Fixtures.creates(2)).withSchema("elsewhere")).build().migrate());
            assertEquals(ErrorKind.UNSUPPORTED_FEATURE, e.kind());
            assertFalse(Fixtures.tableExists(db, "t2"));
        }
    }

    /**
     * {@code lockTimeout} bounds the wait for the migration lock; a statement that waits on another
     * session's table lock is bounded by the connection's own {@code lock_timeout} (README, "Lock,
     * then read"), and fails with the server's SQLSTATE, what Ratchet was doing, and nothing written.
     */
    @Test
    void aTrackerReadBlockedByAnotherSessionEndsAtTheConnectionsLockTimeoutAndWritesNothing() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Fixtures.createEffectsTable(db);
            Ratchet.builder().dataSource(db.dataSource()).tracker(AppliedSetTracker.builder().build())
                    .namespace(Namespace.of("app", Fixtures.creates(1))).build().migrate();
            // as the README says to: the server setting in the JDBC URL
            org.postgresql.ds.PGSimpleDataSource bounded = new org.postgresql.ds.PGSimpleDataSource();
            bounded.setURL(db.url() + "&options=-c%20lock_timeout%3D300ms");
            try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
                holder.setAutoCommit(false);
                st.execute("LOCK TABLE ratchet_applied_migrations IN ACCESS EXCLUSIVE MODE");
                for (List<Migration> code : List.of(Fixtures.creates(1), Fixtures.creates(1, 2))) {
                    RatchetException e = assertThrows(RatchetException.class, () -> Ratchet.builder()
                            .dataSource(bounded).tracker(AppliedSetTracker.builder().build())
                            .namespace(Namespace.of("app", code)).build().migrate(), code.size() + " migrations");
                    assertEquals(ErrorKind.DATABASE_ERROR, e.kind(), e.getMessage());
                    assertTrue(e.getMessage().contains("55P03"), "the server's lock_timeout SQLSTATE: " + e.getMessage());
                }
                holder.rollback();
            }
            assertFalse(Fixtures.tableExists(db, "t2"), "nothing ran while the tracker could not be read");
            MigrateResult after = Ratchet.builder().dataSource(bounded).tracker(AppliedSetTracker.builder().build())
                    .namespace(Namespace.of("app", Fixtures.creates(1, 2))).build().migrate();
            assertEquals(1, after.applied().size(), "once the lock is gone the same boot migrates: its own lock was released");
        }
    }
}
