package dev.ratchet.conformance;

import dev.ratchet.AppliedEntry;
import dev.ratchet.NamespaceStatus;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the suite reads back from a test database. */
public final class Probe {
    private Probe() {
    }

    /** Creates the side table of migration effects; it has no unique key on purpose. */
    public static void createEffects(TestDatabase db) {
        exec(db, "CREATE TABLE effects (id int NOT NULL)");
    }

    /** How many times each spec's effect is committed, by id. */
    public static Map<Integer, Integer> effects(TestDatabase db) {
        Map<Integer, Integer> out = new TreeMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, count(*) FROM effects GROUP BY id")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read effects from " + db + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Each of these specs applied exactly once, nothing else. */
    public static Map<Integer, Integer> once(List<Spec> specs) {
        Map<Integer, Integer> out = new TreeMap<>();
        specs.forEach(s -> out.put(s.id(), 1));
        return out;
    }

    /** Runs one statement. */
    public static void exec(TestDatabase db, String sql) {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + db + ": " + e.getMessage(), e);
        }
    }

    /** Where a tracker reports sequences, they run 0..n-1 in read order. */
    public static void checkSequences(NamespaceStatus status) {
        List<AppliedEntry> applied = status.applied();
        for (int i = 0; i < applied.size(); i++) {
            if (applied.get(i).sequence().isPresent() && applied.get(i).sequence().getAsLong() != i) {
                throw new AssertionError("namespace " + status.namespace() + ": applied entry " + i + " ("
                        + applied.get(i).name().orElse("?") + ") has sequence " + applied.get(i).sequence().getAsLong()
                        + "; sequences must run 0..n-1");
            }
        }
    }
}
