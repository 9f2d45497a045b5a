package dev.ratchet;

import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Migrations and database probes shared by the engine and tracker tests. */
public final class Fixtures {
    public static final String NS = "app";

    private Fixtures() {
    }

    /** Creates the side table that counts migration effects; it has no unique key on purpose. */
    public static void createEffectsTable(TestDatabase db) throws SQLException {
        exec(db, "CREATE TABLE effects (name varchar(200) NOT NULL)");
    }

    /** Migration {@code v}: creates table {@code t<v>} and counts its effect. */
    public static Migration create(int v) {
        return Migration.builder(v + "_create_t" + v)
                .version(Version.of(v))
                .sql("CREATE TABLE t" + v + " (id int PRIMARY KEY);\nINSERT INTO effects(name) VALUES ('" + v + "');")
                .build();
    }

    /** Migration {@code v} that creates its table, counts an effect, then fails. */
    public static Migration failing(int v) {
        return Migration.builder(v + "_create_t" + v)
                .version(Version.of(v))
                .sql("CREATE TABLE t" + v + " (id int PRIMARY KEY);\nINSERT INTO effects(name) VALUES ('" + v + "');\n"
                        + "INSERT INTO no_such_table VALUES (1);")
                .build();
    }

    /**
     * Migration {@code v}, named {@code name}, whose Java body counts {@code inBody} down and then
     * waits (at most a minute) for {@code release}: a run held in the middle of a migration.
     */
    public static Migration waiting(String name, int v, boolean transactional,
                                    java.util.concurrent.CountDownLatch inBody,
                                    java.util.concurrent.CountDownLatch release) {
        return Migration.builder(name).version(Version.of(v)).transactional(transactional).body(connection -> {
            inBody.countDown();
            try {
                if (!release.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("not released within a minute");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).build();
    }

    public static List<Migration> creates(int... versions) {
        List<Migration> out = new ArrayList<>();
        for (int v : versions) {
            out.add(create(v));
        }
        return out;
    }

    public static Ratchet.Builder builder(TestDatabase db, List<Migration> migrations) {
        return builder(db, AppliedSetTracker.builder().build(), migrations);
    }

    public static Ratchet.Builder builder(TestDatabase db, dev.ratchet.spi.Tracker tracker, List<Migration> migrations) {
        return Ratchet.builder()
                .dataSource(db.dataSource())
                .tracker(tracker)
                .namespace(Namespace.of(NS, migrations))
                .lockTimeout(Duration.ofSeconds(60));
    }

    public static Ratchet ratchet(TestDatabase db, List<Migration> migrations) {
        return builder(db, migrations).build();
    }

    public static Ratchet ratchet(TestDatabase db, TransactionMode mode, List<Migration> migrations) {
        return builder(db, migrations).transactionMode(mode).build();
    }

    /** {@code version|name|checksum} of every tracker row of {@link #NS}, by version. */
    public static List<String> trackerRows(TestDatabase db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT version, name, checksum FROM ratchet_applied_migrations WHERE namespace = ?")) {
            ps.setString(1, NS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                }
            }
        }
        rows.sort((a, b) -> Version.parse(a.substring(0, a.indexOf('|')))
                .compareTo(Version.parse(b.substring(0, b.indexOf('|')))));
        return rows;
    }

    /** The rows the code's migrations should leave in the tracker. */
    public static List<String> expectedRows(List<Migration> migrations) {
        List<String> rows = new ArrayList<>();
        for (Migration m : migrations) {
            rows.add(m.version().orElseThrow() + "|" + m.name() + "|" + m.checksum().orElseThrow());
        }
        return rows;
    }

    /** Every row of a table as {@code a|b|c}, sorted. */
    public static List<String> rows(TestDatabase db, String sql) throws SQLException {
        return rows(db.dataSource(), sql);
    }

    /** The rows of {@code sql} on a connection of {@code source}, columns joined by '|', sorted. */
    public static List<String> rows(javax.sql.DataSource source, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = source.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }

    /** How many times each migration's effect was committed. */
    public static Map<String, Integer> effects(TestDatabase db) throws SQLException {
        Map<String, Integer> out = new TreeMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, count(*) FROM effects GROUP BY name")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }

    public static boolean tableExists(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.connect();
             ResultSet rs = c.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema == null || schema.equals(db.schema())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A fingerprint without SQLite's lease table (Ratchet's lock, created on first use). */
    public static String withoutLeaseTable(String fingerprint) {
        return fingerprint.replaceAll("(?m)^[^ ]*_lock(_1)?: .*\\n(  .*\\n)*", "");
    }

    public static void exec(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Runs the UPDATEs that the refusal's hint gives, and checks that each changes one row. */
    public static void runRepairs(TestDatabase db, RatchetException refusal) throws Exception {
        List<?> statements = (List<?>) refusal.context().get("repair");
        org.junit.jupiter.api.Assertions.assertEquals(1, statements.size(), refusal.getMessage());
        for (Object sql : statements) {
            org.junit.jupiter.api.Assertions.assertTrue(refusal.hint().contains((String) sql), refusal.hint());
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                org.junit.jupiter.api.Assertions.assertEquals(1, st.executeUpdate((String) sql), sql.toString());
            }
        }
    }
}
