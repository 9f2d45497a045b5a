package dev.ratchet.conformance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Everything in a test database that a migration run could change, as comparable text: every
 * table, view, index and sequence with its definition, and every table's rows (sorted). Two
 * equal fingerprints mean "nothing changed"; the text of a difference says what did.
 */
public final class SchemaFingerprint {
    private SchemaFingerprint() {
    }

    /** The fingerprint of the test database (its schema on PostgreSQL, its file on SQLite). */
    public static String of(TestDatabase db) {
        try (Connection c = db.connect()) {
            TreeMap<String, String> objects = new TreeMap<>();
            if (db.kind() == DatabaseKind.POSTGRESQL) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT c.relname, c.relkind, coalesce(pg_get_indexdef(c.oid), ''),"
                                + " (SELECT string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod), ','"
                                + "   ORDER BY a.attnum) FROM pg_attribute a"
                                + "   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)"
                                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                + " WHERE n.nspname = ?")) {
                    ps.setString(1, db.schema());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            objects.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                        }
                    }
                }
            } else {
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT name, type, coalesce(sql, '') FROM sqlite_master")) {
                    while (rs.next()) {
                        objects.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3));
                    }
                }
            }
            StringBuilder out = new StringBuilder();
            for (var e : objects.entrySet()) {
                out.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
                boolean table = db.kind() == DatabaseKind.POSTGRESQL ? e.getValue().startsWith("r ")
                        : e.getValue().startsWith("table ");
                if (table) {
                    for (String row : rows(c, db, e.getKey())) {
                        out.append("  ").append(row).append('\n');
                    }
                }
            }
            return out.toString();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot fingerprint " + db + ": " + e.getMessage(), e);
        }
    }

    private static List<String> rows(Connection c, TestDatabase db, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        String q = '"' + db.schema().replace("\"", "\"\"") + "\".\"" + table.replace("\"", "\"\"") + '"';
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + q)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }
}
