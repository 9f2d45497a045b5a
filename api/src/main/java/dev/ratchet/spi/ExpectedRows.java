package dev.ratchet.spi;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows a tracker table must hold for one namespace, checked in one query that returns one
 * row: how a tracker implements {@link Tracker#provesUpToDate} without reading its history row
 * by row. The database condenses the compared columns of its rows, in order, into one value
 * ({@link Dialect#condense}); the expected rows are written the same way in Java; the table holds
 * exactly them when the row counts and the two values agree and every row's other columns read
 * back ({@link Dialect#holds}).
 *
 * <p>Each field is written as its length in characters, a colon and its text, so that two
 * different lists of rows never give the same text (a field holding a separator cannot pass for
 * two fields, nor a row with a NULL field, which the database leaves out, for none).
 *
 * <pre>{@code
 * ExpectedRows rows = new ExpectedRows(List.of(new Column("version", TEXT), new Column("name", TEXT)));
 * for (Migration m : codeInVersionTextOrder) {
 *     rows.add(m.version().orElseThrow().toString(), m.name());
 * }
 * boolean exact = rows.heldBy(context, table, "namespace", ns, dialect.inCodePointOrder("version"),
 *         List.of(new Column("applied_at", TIMESTAMP)));
 * }</pre>
 */
public final class ExpectedRows {
    /** A column of the tracker table and the kind it was installed as. */
    public record Column(String name, Dialect.ColumnKind kind) {
    }

    private final List<Column> compared;
    private final StringBuilder text = new StringBuilder();
    private int count;

    /** Rows of these columns, compared as text ({@code CAST(column AS TEXT)} on the database's side). */
    public ExpectedRows(List<Column> comparedColumns) {
        if (comparedColumns.isEmpty()) {
            throw new IllegalArgumentException("at least one column is compared");
        }
        this.compared = List.copyOf(comparedColumns);
    }

    /** Appends the next expected row: one text per compared column, as the database's text of it. */
    public ExpectedRows add(String... fields) {
        if (fields.length != compared.size()) {
            throw new IllegalArgumentException(compared.size() + " fields expected, got " + fields.length);
        }
        for (String f : fields) {
            text.append(f.codePointCount(0, f.length())).append(':').append(f);
        }
        count++;
        return this;
    }

    /** How many rows were added. */
    public int size() {
        return count;
    }

    /**
     * True when {@code table}'s rows of {@code namespace}, in the order of {@code orderBy} (SQL,
     * see {@link Dialect#inCodePointOrder}), are exactly the expected rows and each one's
     * {@code readable} columns read back. False proves nothing: the dialect has no condensing
     * aggregate, or some row differs or may not read back. One round trip.
     *
     * @param table           the qualified, quoted tracker table
     * @param namespaceColumn the column that holds the namespace
     */
    public boolean heldBy(TrackerContext context, String table, String namespaceColumn, String namespace,
                          String orderBy, List<Column> readable) throws SQLException {
        Dialect d = context.dialect();
        StringBuilder row = new StringBuilder();
        List<String> conditions = new ArrayList<>();
        for (Column c : compared) {
            String t = "CAST(" + c.name() + " AS " + d.textType() + ")";
            if (!row.isEmpty()) {
                row.append(" || ");
            }
            row.append("CAST(length(").append(t).append(") AS ").append(d.textType()).append(") || ':' || ").append(t);
            Optional<String> holds = d.holds(c.name(), c.kind());
            if (holds.isEmpty()) {
                return false;
            }
            conditions.add(holds.get());
        }
        for (Column r : readable) {
            Optional<String> holds = d.holds(r.name(), r.kind());
            if (holds.isEmpty()) {
                return false;
            }
            conditions.add(holds.get());
        }
        Optional<String> condensed = d.condense(row.toString(), orderBy);
        if (condensed.isEmpty()) {
            return false;
        }
        String sql = "SELECT count(*), " + condensed.get() + ", sum(CASE WHEN " + String.join(" AND ", conditions)
                + " THEN 0 ELSE 1 END) FROM " + table + " WHERE " + namespaceColumn + " = ?";
        try (PreparedStatement ps = context.connection().prepareStatement(sql)) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                long rows = rs.getLong(1);
                String held = rs.getString(2);
                long unreadable = rs.getLong(3);
                if (rows != count || unreadable != 0) {
                    return false;
                }
                return count == 0 ? held == null : d.condensed(text.toString()).equals(held);
            }
        }
    }
}
