package dev.ratchet.spi;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rows a tracker table must hold for one namespace, checked in one query that returns one
 * row: how a tracker implements {@link Tracker#provesUpToDate} without reading its history row
 * by row. Each row's compared columns are its fields; the database condenses its rows' fields
 * into one value ({@link Dialect#condense}); the expected rows are condensed the same way in
 * Java; the table holds exactly them when the row counts and the two values agree and every
 * row's other columns read back ({@link Dialect#holdsForEveryRow} once, or at each row
 * {@link Dialect#holds} in SQL or {@link Dialect#holdsText} in Java, of texts the query hands
 * over, {@link Dialect#handOver}). One of the compared columns is the rows' key; since every
 * row's fields hold its key, a database may compare the rows as a multiset (PostgreSQL sums a
 * 64-bit hash of each row's fields, each field hashed with the previous one's hash as its seed)
 * or as one text in key order (SQLite), and rows may be added in any order: they are put in key
 * order here when the database needs it.
 *
 * <p>Where a row's fields are joined into one text (SQLite, and the expected rows' texts in
 * Java), each field is followed by the unit separator U+001F, and the query also counts each
 * compared column's non-NULL values. A list of rows holding that character in a field proves
 * nothing (the Java side refuses it). Two different rows then never give the same text: when
 * the texts, the row counts and the non-NULL counts agree, no row was left out for a NULL field,
 * so each of the database's row texts has exactly as many separators as an expected row's text
 * has (one per field), none of them inside a field; cut at its separators, it is the same fields
 * in the same order. On PostgreSQL, two different multisets of rows give the same sum of hashes
 * by chance once in about 2<sup>64</sup>: the sum guards against edits and mistakes, as the
 * plan's own reading does, not against someone who can write the table (who could write the rows
 * the code expects as well).
 *
 * <pre>{@code
 * Column version = new Column("version", TEXT);
 * ExpectedRows rows = new ExpectedRows(List.of(version, new Column("name", TEXT)));
 * for (Migration m : migrations) {
 *     rows.add(m.version().orElseThrow().toString(), m.name());
 * }
 * boolean exact = rows.heldBy(context, table, "namespace", ns, version,
 *         List.of(new Column("applied_at", TIMESTAMP)));
 * }</pre>
 */
public final class ExpectedRows {
    /** A column of the tracker table and the kind it was installed as. */
    public record Column(String name, Dialect.ColumnKind kind) {
    }

    private final List<Column> compared;
    /** Each expected row's text: its fields, each followed by the separator. */
    private final List<String> texts = new ArrayList<>();
    private boolean unprovable;

    /**
     * Ends each field of an expected row's text ({@link Dialect#condensed}): U+001F. A dialect that
     * joins a row's fields on the database's side writes it into the SQL literal as it is (both
     * databases take it so).
     */
    public static final char SEPARATOR = '\u001f';

    /**
     * The subquery's names for the compared fields' texts (followed by the field's index) and for
     * whether a row may not read back: unlike any column's name a tracker would choose, so that
     * the subquery's ORDER BY, which takes a result's name before a column's, orders by the key.
     */
    private static final String FIELD = "ratchet_proof_field_";
    private static final String UNREADABLE = "ratchet_proof_unreadable";
    /** The subquery's names for the texts of columns handed over to Java ({@link Dialect#handOver}). */
    private static final String HANDED = "ratchet_proof_handed_";

    /** Rows of these columns, compared as text ({@code CAST(column AS TEXT)} on the database's side). */
    public ExpectedRows(List<Column> comparedColumns) {
        if (comparedColumns.isEmpty()) {
            throw new IllegalArgumentException("at least one column is compared");
        }
        this.compared = List.copyOf(comparedColumns);
    }

    /**
     * Adds an expected row, in any order: one text per compared column, as the database's text of
     * it.
     */
    public ExpectedRows add(String... fields) {
        if (fields.length != compared.size()) {
            throw new IllegalArgumentException(compared.size() + " fields expected, got " + fields.length);
        }
        int length = fields.length;
        for (String f : fields) {
            if (f.indexOf(SEPARATOR) >= 0) {
                unprovable = true;
            }
            length += f.length();
        }
        StringBuilder row = new StringBuilder(length);
        for (String f : fields) {
            row.append(f).append(SEPARATOR);
        }
        texts.add(row.toString());
        return this;
    }

    /** How many rows were added. */
    public int size() {
        return texts.size();
    }

    /**
     * True when {@code table}'s rows of {@code namespace} are exactly the expected rows and each
     * one's {@code readable} columns read back. False proves nothing: the dialect has no
     * condensing aggregate, an expected field holds the separator or cannot be condensed, or some
     * row differs or may not read back. One round trip.
     *
     * @param table           the qualified, quoted tracker table
     * @param namespaceColumn the column that holds the namespace
     * @param key             one of the compared columns, whose value no two rows share (the
     *                        table's key): a text key is ordered by code point
     *                        ({@link Dialect#inCodePointOrder}), a
     *                        {@link Dialect.ColumnKind#BIGINT} key as a number
     * @throws IllegalArgumentException when {@code key} is not one of the compared columns
     */
    public boolean heldBy(TrackerContext context, String table, String namespaceColumn, String namespace,
                          Column key, List<Column> readable) throws SQLException {
        int keyIndex = indexOf(key);
        if (keyIndex < 0) {
            throw new IllegalArgumentException("the key " + key + " is not one of the compared columns " + compared);
        }
        if (unprovable) {
            return false;
        }
        Dialect d = context.dialect();
        // The rows of the namespace in a subquery, each with its fields' texts and whether it may
        // not read back: where the database condenses the rows in order, the subquery orders them
        // by the key, which it may read from the key's index in that order, without a sort (a
        // database such as PostgreSQL merges a subquery without ORDER BY into the query).
        StringBuilder inner = new StringBuilder("SELECT ");
        List<String> fields = new ArrayList<>(compared.size());
        StringBuilder nonNull = new StringBuilder();
        List<String> once = new ArrayList<>();
        List<String> perRow = new ArrayList<>();
        List<Column> handed = new ArrayList<>();
        for (int i = 0; i < compared.size(); i++) {
            Column c = compared.get(i);
            String field = FIELD + i;
            inner.append(i == 0 ? "" : ", ").append("CAST(").append(c.name()).append(" AS ").append(d.textType())
                    .append(") AS ").append(field);
            fields.add(field);
            nonNull.append(", count(").append(field).append(')');
            if (!compared(d, table, c, once) && !readable(d, table, c, once, perRow, handed)) {
                return false;
            }
        }
        for (Column r : readable) {
            if (!readable(d, table, r, once, perRow, handed)) {
                return false;
            }
        }
        // Each handed-over column's texts joined, and how many are not NULL.
        StringBuilder handOver = new StringBuilder();
        for (int j = 0; j < handed.size(); j++) {
            Column h = handed.get(j);
            String field = HANDED + j;
            inner.append(", CAST(").append(h.name()).append(" AS ").append(d.textType()).append(") AS ").append(field);
            handOver.append(", ").append(d.handOver(field, h.kind()).orElseThrow()).append(", count(").append(field)
                    .append(')');
        }
        Optional<String> condensed = d.condense(fields);
        if (condensed.isEmpty()) {
            return false;
        }
        // How many rows may not read back: 0 when the once-asked conditions hold and no row fails
        // its own; sum() of no rows is NULL, read as 0.
        String mayNotRead = "0";
        if (!perRow.isEmpty()) {
            inner.append(", CASE WHEN ").append(String.join(" AND ", perRow)).append(" THEN 0 ELSE 1 END AS ")
                    .append(UNREADABLE);
            mayNotRead = "sum(" + UNREADABLE + ")";
        }
        if (!once.isEmpty()) {
            mayNotRead = "CASE WHEN " + String.join(" AND ", once) + " THEN " + mayNotRead + " ELSE 1 END";
        }
        inner.append(" FROM ").append(table).append(" WHERE ").append(namespaceColumn).append(" = ?");
        if (d.condensesInOrder()) {
            inner.append(" ORDER BY ")
                    .append(key.kind() == Dialect.ColumnKind.TEXT ? d.inCodePointOrder(key.name()) : key.name());
        }
        String sql = "SELECT count(*), " + condensed.get() + ", " + mayNotRead + nonNull + handOver + " FROM ("
                + inner + ") AS ratchet_rows";
        try (PreparedStatement ps = context.connection().prepareStatement(sql)) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                int count = texts.size();
                long rows = rs.getLong(1);
                String held = rs.getString(2);
                long unreadable = rs.getLong(3);
                if (rows != count || unreadable != 0) {
                    return false;
                }
                for (int i = 0; i < compared.size(); i++) {
                    if (rs.getLong(4 + i) != count) {
                        return false; // a NULL field: its row is not in the text
                    }
                }
                for (int j = 0; j < handed.size(); j++) {
                    int at = 4 + compared.size() + 2 * j;
                    if (!eachHolds(d, handed.get(j).kind(), rs.getString(at), rs.getLong(at + 1))) {
                        return false;
                    }
                }
                if (count == 0) {
                    return held == null;
                }
                List<String> ordered = d.condensesInOrder() ? inKeyOrder(keyIndex, key.kind()) : texts;
                if (ordered == null) {
                    return false;
                }
                Optional<String> expected = d.condensed(ordered); // no lambda: see indexOf
                return expected.isPresent() && expected.get().equals(held);
            }
        }
    }

    /**
     * For a compared column: true when its values need no check of their own, having added the
     * once-asked condition that they read back to {@code once} where the database has one. A text
     * or number column needs none: a read gets the text the proof compares (the database's text of
     * the value, whatever its type: SQLite's {@code CAST} and its column text agree), or the number
     * that text spells; checking each row's type on SQLite only made the proof stricter than the
     * read, at about a sixth of its query (2026-12-04). A timestamp is still checked: the expected
     * text need not be one a read takes.
     */
    private static boolean compared(Dialect d, String table, Column column, List<String> once) {
        if (column.kind() == Dialect.ColumnKind.TIMESTAMP) {
            return false;
        }
        forEveryRow(d, table, column, once);
        return true;
    }

    /** Adds the once-asked condition that {@code column}'s values read back to {@code once}; false when there is none. */
    private static boolean forEveryRow(Dialect d, String table, Column column, List<String> once) {
        Optional<String> condition = d.holdsForEveryRow(table, column.name(), column.kind());
        if (condition.isEmpty()) {
            return false;
        }
        once.add(condition.get());
        return true;
    }

    /**
     * Adds the condition that {@code column}'s values read back to {@code once} (asked once per
     * query) or, where the database can only tell row by row, {@code column} to {@code handed}
     * (its values are checked here) or that condition to {@code perRow}; false when it cannot tell
     * at all.
     */
    private static boolean readable(Dialect d, String table, Column column, List<String> once, List<String> perRow,
                                    List<Column> handed) {
        if (forEveryRow(d, table, column, once)) {
            return true;
        }
        if (d.handOver(column.name(), column.kind()).isPresent()) {
            handed.add(column);
            return true;
        }
        Optional<String> holds = d.holds(column.name(), column.kind());
        if (holds.isEmpty()) {
            return false;
        }
        perRow.add(holds.get());
        return true;
    }

    /**
     * Whether {@code joined}, the texts of {@code count} values handed over, each followed by the
     * separator, are that many texts {@link Dialect#holdsText} holds for: a value holding the
     * separator makes one text more than {@code count}, and so proves nothing.
     */
    private static boolean eachHolds(Dialect d, Dialect.ColumnKind kind, String joined, long count) {
        if (joined == null) {
            return count == 0;
        }
        int at = 0;
        for (long done = 0; done < count; done += CHUNK) {
            at = holdUpTo(d, kind, joined, at, (int) Math.min(CHUNK, count - done));
            if (at < 0) {
                return false;
            }
        }
        return at == joined.length();
    }

    /**
     * Checks the next {@code texts} texts of {@code joined} from {@code at}: where the text after
     * them starts, or -1 when one does not hold or is not there. The loop's body, a method of its
     * own for the reason {@link #CHUNK} gives.
     */
    private static int holdUpTo(Dialect d, Dialect.ColumnKind kind, String joined, int at, int texts) {
        for (int t = 0; t < texts; t++) {
            int end = joined.indexOf(SEPARATOR, at);
            if (end < 0 || !d.holdsText(joined, at, end, kind)) {
                return -1;
            }
            at = end + 1;
        }
        return at;
    }

    /**
     * Where {@code column} is among the compared columns, or -1. Compares names and kinds itself: a
     * record's own {@code equals} is linked on its first call, which cost an application's first
     * boot about 19 ms (a JVM's first use of {@code ObjectMethods}); a lambda's call site, a
     * millisecond or two.
     */
    private int indexOf(Column column) {
        for (int i = 0; i < compared.size(); i++) {
            Column c = compared.get(i);
            if (c.name().equals(column.name()) && c.kind() == column.kind()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The texts in the order of their field {@code keyIndex}, as the database orders that column:
     * a number as a number, anything else by code point. Null when two rows have the same key, or
     * a number key is not a whole number (the rows prove nothing).
     */
    private List<String> inKeyOrder(int keyIndex, Dialect.ColumnKind kind) {
        int n = texts.size();
        if (keyIndex == 0 && kind == Dialect.ColumnKind.TEXT) {
            // The key first, and (the common case, checked below) of chars above the separator and
            // below the surrogates: then String's order of the texts is their keys' code-point
            // order, since the separator that ends a key sorts before any char a longer key goes
            // on with. One sort of the texts, without a key or index array (versions such as 1 to
            // 1,000 are not in code-point order as added: 1, 10, 100, 1000, 101 ...).
            String[] sorted = texts.toArray(new String[0]);
            Arrays.sort(sorted);
            int found = PLAIN;
            for (int from = 0; from < n && found == PLAIN; from += CHUNK) {
                found = plainAndDistinct(sorted, from, Math.min(n, from + CHUNK));
            }
            if (found == SAME_KEY) {
                return null;
            }
            if (found == PLAIN) {
                return Arrays.asList(sorted);
            }
        }
        String[] keys = new String[n];
        long[] numbers = kind == Dialect.ColumnKind.BIGINT ? new long[n] : null;
        for (int i = 0; i < n; i++) {
            String text = texts.get(i);
            int start = 0;
            for (int f = 0; f < keyIndex; f++) {
                start = text.indexOf(SEPARATOR, start) + 1;
            }
            keys[i] = text.substring(start, text.indexOf(SEPARATOR, start));
            if (numbers != null) {
                try {
                    numbers[i] = Long.parseLong(keys[i]);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Comparator<Integer> byKey = numbers != null
                ? (a, b) -> Long.compare(numbers[a], numbers[b])
                : (a, b) -> compareCodePoints(keys[a], keys[b]);
        boolean sorted = true; // the common case: rows added in key order
        for (int i = 1; i < n && sorted; i++) {
            sorted = byKey.compare(order[i - 1], order[i]) < 0;
        }
        if (!sorted) {
            Arrays.sort(order, byKey);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (i > 0 && byKey.compare(order[i - 1], order[i]) == 0) {
                return null;
            }
            out.add(texts.get(order[i]));
        }
        return out;
    }

    /**
     * How many texts one call of {@link #plainAndDistinct} looks at: a loop that runs once per
     * boot stays in the interpreter for a JVM's first dozen boots, a method called for every 16
     * rows is compiled during the first (the api module's {@code MigrationFiles.CHUNK} says more).
     */
    private static final int CHUNK = 16;
    private static final int PLAIN = 0;
    private static final int SAME_KEY = 1;
    private static final int NOT_PLAIN = 2;

    /**
     * For the texts {@code sorted[from .. to)}: {@link #NOT_PLAIN} when a key (the first field)
     * holds a char below the separator or from the surrogates on, else {@link #SAME_KEY} when a
     * key is the one before it, else {@link #PLAIN}.
     */
    private static int plainAndDistinct(String[] sorted, int from, int to) {
        for (int i = from; i < to; i++) {
            String text = sorted[i];
            int end = text.indexOf(SEPARATOR);
            for (int c = 0; c < end; c++) {
                char ch = text.charAt(c);
                if (ch < SEPARATOR || ch >= 0xD800) {
                    return NOT_PLAIN;
                }
            }
            if (i > 0 && sorted[i - 1].indexOf(SEPARATOR) == end && text.regionMatches(0, sorted[i - 1], 0, end)) {
                return SAME_KEY;
            }
        }
        return PLAIN;
    }

    /**
     * Code-point order, which UTF-8's byte order is too. {@link String#compareTo} differs only where
     * the first differing chars are a surrogate and a char at U+E000 or above: surrogates are moved
     * above those chars there, as ICU does.
     */
    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return x >= 0xD800 && y >= 0xD800 ? codePointRank(x) - codePointRank(y) : x - y;
            }
        }
        return a.length() - b.length();
    }

    /** A char at U+D800 or above ranked so that surrogates come after U+E000 to U+FFFF. */
    private static int codePointRank(char c) {
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }
}
