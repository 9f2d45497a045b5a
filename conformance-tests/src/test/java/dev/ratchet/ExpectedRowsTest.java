package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.internal.DatabaseDialect;
import dev.ratchet.spi.Dialect;
import dev.ratchet.spi.ExpectedRows;
import dev.ratchet.spi.TrackerContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ExpectedRows} as a third-party tracker uses it, with fields of its own choosing: the
 * encoding of its one-row proof (each field followed by U+001F, non-NULL counts beside the text)
 * never takes one list of rows for another. What the two trackers built on it prove is
 * {@code UpToDateProofTest}'s.
 */
class ExpectedRowsTest {
    private static final String SEPARATOR = "\u001f";
    private static final ExpectedRows.Column A = new ExpectedRows.Column("a", Dialect.ColumnKind.TEXT);

    private static boolean held(TestDatabase db, List<String[]> expected) throws SQLException {
        return held(db, expected, false);
    }

    /** With {@code oneArray}, every row is added from the same array, refilled row after row. */
    private static boolean held(TestDatabase db, List<String[]> expected, boolean oneArray) throws SQLException {
        try (Connection c = db.connect()) {
            Dialect d = DatabaseDialect.of(c);
            ExpectedRows rows = new ExpectedRows(List.of(A, new ExpectedRows.Column("b", Dialect.ColumnKind.TEXT)));
            String[] reused = new String[2];
            for (String[] row : expected) {
                if (oneArray) {
                    System.arraycopy(row, 0, reused, 0, 2);
                    rows.add(reused);
                } else {
                    rows.add(row);
                }
            }
            return rows.heldBy(new TrackerContext(c, d, db.schema()), table(db, d), "namespace", "n",
                    A, List.of());
        }
    }

    private static String table(TestDatabase db, Dialect d) {
        return d.quote(db.schema()) + "." + d.quote("expected_rows");
    }

    /** Replaces the table's rows of namespace 'n' with {@code rows} (a, b; either may be null). */
    private static void hold(TestDatabase db, String[]... rows) throws SQLException {
        try (Connection c = db.connect()) {
            Dialect d = DatabaseDialect.of(c);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS " + table(db, d) + " (namespace " + d.textType()
                        + " NOT NULL, a " + d.textType() + ", b " + d.textType() + ")");
                st.execute("DELETE FROM " + table(db, d));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table(db, d)
                    + " (namespace, a, b) VALUES ('n', ?, ?)")) {
                for (String[] row : rows) {
                    ps.setString(1, row[0]);
                    ps.setString(2, row[1]);
                    ps.executeUpdate();
                }
            }
        }
    }

    private static String[] row(String a, String b) {
        return new String[] {a, b};
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theSameRowsAreHeldAndAnyOtherRowsAreNot(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            hold(db, row("1", "x"), row("2", ""), row("3", "ünï:c"));
            assertTrue(held(db, List.of(row("1", "x"), row("2", ""), row("3", "ünï:c"))));
            assertFalse(held(db, List.of(row("1", "x"), row("2", ""))), "a row fewer");
            assertFalse(held(db, List.of(row("1", "x"), row("2", ""), row("3", "ünï:d"))), "a field differs");
            assertFalse(held(db, List.of(row("1", "x2"), row("", ""), row("3", "ünï:c"))),
                    "the same characters, cut elsewhere");
            hold(db);
            assertTrue(held(db, List.of()), "no rows, none expected");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void manyRowsAreHeldExactlyWhateverTheCallerDoesWithItsArrayAfterAddingIt(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            List<String[]> expected = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                expected.add(row(String.format("%04d", i), i == 150 ? "ünï:c €" : "b" + i));
            }
            hold(db, expected.toArray(String[][]::new));
            assertTrue(held(db, expected), "300 rows, one with a character beyond Latin-1");
            assertTrue(held(db, expected, true), "each row added from one array, refilled after each add");
            List<String[]> lastDiffers = new ArrayList<>(expected);
            lastDiffers.set(299, row("0299", "b299x"));
            assertFalse(held(db, lastDiffers), "the last field differs");
            assertFalse(held(db, lastDiffers, true), "the last field differs, added from one array");
            assertFalse(held(db, expected.subList(0, 299)), "the last row is missing");
        }
    }

    /**
     * An expected field holding the separator proves nothing: the row (a 'x', b 'y' + separator +
     * 'z') gives the same text as the expected (a 'x' + separator + 'y', b 'z').
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anExpectedFieldHoldingTheSeparatorProvesNothing(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            hold(db, row("x", "y" + SEPARATOR + "z"));
            assertFalse(held(db, List.<String[]>of(row("x" + SEPARATOR + "y", "z"))));
            hold(db, row("x" + SEPARATOR + "y", "z"));
            assertFalse(held(db, List.<String[]>of(row("x" + SEPARATOR + "y", "z"))), "not even the same rows");
        }
    }

    /**
     * A row with a NULL field is left out of the database's text; the first row's b carrying the
     * second row's fields gives the expected text. The non-NULL counts tell.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aRowLeftOutForANullFieldCannotBeCarriedByAnother(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            List<String[]> expected = List.of(row("1", "x"), row("2", "y"));
            hold(db, row("1", "x" + SEPARATOR + "2" + SEPARATOR + "y"), row("2", null));
            assertFalse(held(db, expected), "b NULL");
            hold(db, row("1", "x" + SEPARATOR + "2" + SEPARATOR + "y"), row(null, "y"));
            assertFalse(held(db, expected), "a NULL");
        }
    }

    /**
     * Rows may be added in any order: where the database compares them in key order (SQLite), they
     * are put in it, a text key by code point, which {@link String#compareTo} is not past the
     * surrogates (U+FF21 sorts before U+1F600 in UTF-8, after it in UTF-16).
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void rowsAddedInAnyOrderAreHeldInTheKeysOrderByCodePoint(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            String fullwidthA = "\uFF21";
            String grinning = "\uD83D\uDE00";
            hold(db, row("1", "x"), row("10", "y"), row("9", "z"), row(fullwidthA, "w"), row(grinning, "v"));
            List<String[]> shuffled = List.of(row(grinning, "v"), row("9", "z"), row(fullwidthA, "w"), row("10", "y"),
                    row("1", "x"));
            assertTrue(held(db, shuffled), "the same rows, added out of order");
            assertTrue(held(db, List.of(row("1", "x"), row("10", "y"), row("9", "z"), row(fullwidthA, "w"),
                    row(grinning, "v"))), "the same rows, added in code-point order");
            assertFalse(held(db, List.of(row(grinning, "v"), row("9", "z"), row(fullwidthA, "v"), row("10", "y"),
                    row("1", "x"))), "two rows' b swapped");
        }
    }

    /**
     * Where the database compares the rows in key order (SQLite), the expected rows are put in it
     * by one sort of their texts when every key is of chars above the separator and below the
     * surrogates, and are then looked at 16 at a time: 40 keys added out of order are held in
     * order, and two expected rows with the same key prove nothing, wherever the pair falls in
     * those sixteens (first, across one's end, last), even when the table holds the same two rows.
     */
    @ParameterizedTest
    @EnumSource(names = "SQLITE")
    void onSqliteTwoRowsWithTheSameKeyProveNothingWhereverTheyFallInKeyOrder(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            List<String[]> rows = new ArrayList<>();
            for (int i = 39; i >= 0; i--) {
                rows.add(row("k" + i, "b" + i));
            }
            hold(db, rows.toArray(String[][]::new));
            assertTrue(held(db, rows), "40 rows added in reverse key order");
            // in code-point order k0, k1, k10 .. k19, k2, k20 ...: k0 comes first, k22 16th (its
            // second row 17th, in the next sixteen), k9 last
            for (String key : List.of("k0", "k22", "k9")) {
                List<String[]> twice = new ArrayList<>(rows);
                twice.add(row(key, "zz")); // after the first in key order, in String order and in the table
                hold(db, twice.toArray(String[][]::new));
                assertFalse(held(db, twice), key + " twice");
            }
        }
    }

    /** A number key is ordered as a number: 9 before 10. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void rowsWithANumberKeyAreHeldInNumberOrder(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind); Connection c = db.connect()) {
            Dialect d = DatabaseDialect.of(c);
            String table = d.quote(db.schema()) + "." + d.quote("numbered_rows");
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + table + " (namespace " + d.textType() + " NOT NULL, seq " + d.bigintType()
                        + ", b " + d.textType() + ")");
                st.execute("INSERT INTO " + table + " (namespace, seq, b) VALUES ('n', 9, 'nine'), ('n', 10, 'ten'),"
                        + " ('n', -1, 'minus one'), ('n', 100, 'hundred')");
            }
            ExpectedRows.Column seq = new ExpectedRows.Column("seq", Dialect.ColumnKind.BIGINT);
            TrackerContext ctx = new TrackerContext(c, d, db.schema());
            List<ExpectedRows.Column> columns = List.of(seq, new ExpectedRows.Column("b", Dialect.ColumnKind.TEXT));
            ExpectedRows inOrder = new ExpectedRows(columns).add("-1", "minus one").add("9", "nine").add("10", "ten")
                    .add("100", "hundred");
            assertTrue(inOrder.heldBy(ctx, table, "namespace", "n", seq, List.of()), "added in number order");
            ExpectedRows shuffled = new ExpectedRows(columns).add("100", "hundred").add("10", "ten").add("-1", "minus one")
                    .add("9", "nine");
            assertTrue(shuffled.heldBy(ctx, table, "namespace", "n", seq, List.of()), "added out of order");
            ExpectedRows other = new ExpectedRows(columns).add("100", "hundred").add("10", "nine").add("-1", "minus one")
                    .add("9", "ten");
            assertFalse(other.heldBy(ctx, table, "namespace", "n", seq, List.of()), "two rows' b swapped");
        }
    }

    /**
     * A column whose values may not read back proves nothing: on PostgreSQL one whose declared
     * type is no longer the installed one (asked once per query, from the table's row type), on
     * SQLite a value of another type in it (asked row by row).
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aColumnWhoseValuesMayNotReadBackProvesNothing(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind); Connection c = db.connect()) {
            Dialect d = DatabaseDialect.of(c);
            String table = d.quote(db.schema()) + "." + d.quote("typed_rows");
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + table + " (namespace " + d.textType() + " NOT NULL, a " + d.textType()
                        + ", n " + d.bigintType() + ")");
                st.execute("INSERT INTO " + table + " (namespace, a, n) VALUES ('n', '1', 5), ('n', '2', NULL)");
            }
            TrackerContext ctx = new TrackerContext(c, d, db.schema());
            ExpectedRows.Column n = new ExpectedRows.Column("n", Dialect.ColumnKind.BIGINT);
            ExpectedRows rows = new ExpectedRows(List.of(A)).add("1").add("2");
            assertTrue(rows.heldBy(ctx, table, "namespace", "n", A, List.of(n)), "every value reads back");
            try (Statement st = c.createStatement()) {
                st.execute(kind == DatabaseKind.POSTGRESQL ? "ALTER TABLE " + table + " ALTER COLUMN n TYPE text"
                        : "UPDATE " + table + " SET n = 'five' WHERE a = '1'");
            }
            assertFalse(rows.heldBy(ctx, table, "namespace", "n", A, List.of(n)), "n may not read back");
            assertTrue(rows.heldBy(ctx, table, "namespace", "n", A, List.of()), "n is not asked for");
            if (kind == DatabaseKind.SQLITE) {
                for (String other : List.of("1.5", "X'35'", "'12abc'", "' '", "''", "'5 5'")) {
                    try (Statement st = c.createStatement()) {
                        st.execute("UPDATE " + table + " SET n = " + other + " WHERE a = '1'");
                    }
                    assertFalse(rows.heldBy(ctx, table, "namespace", "n", A, List.of(n)), other);
                }
                for (String number : List.of("7", "-9223372036854775808", "'42'", "3.0", "NULL")) {
                    try (Statement st = c.createStatement()) {
                        st.execute("UPDATE " + table + " SET n = " + number + " WHERE a = '1'");
                    }
                    assertTrue(rows.heldBy(ctx, table, "namespace", "n", A, List.of(n)), number);
                }
            }
            if (kind == DatabaseKind.POSTGRESQL) {
                try (Statement st = c.createStatement()) {
                    st.execute("ALTER TABLE " + table + " ALTER COLUMN a TYPE varchar(10)");
                }
                assertFalse(rows.heldBy(ctx, table, "namespace", "n", A, List.of()),
                        "a compared column of another type, the same texts");
                assertFalse(new ExpectedRows(List.of(A)).heldBy(ctx, table, "namespace", "none", A, List.of()),
                        "no rows of the namespace, a column of another type");
            }
        }
    }

    /** The key fixes each row's place, so a database may compare the rows as a multiset: it must be compared. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aKeyThatIsNotOneOfTheComparedColumnsIsRefused(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind); Connection c = db.connect()) {
            hold(db, row("1", "x"));
            Dialect d = DatabaseDialect.of(c);
            ExpectedRows rows = new ExpectedRows(List.of(new ExpectedRows.Column("b", Dialect.ColumnKind.TEXT)));
            rows.add("x");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> rows.heldBy(new TrackerContext(c, d, db.schema()), table(db, d), "namespace", "n", A, List.of()));
            assertTrue(e.getMessage().contains("not one of the compared columns"), e.getMessage());
            ExpectedRows.Column numberB = new ExpectedRows.Column("b", Dialect.ColumnKind.BIGINT);
            e = assertThrows(IllegalArgumentException.class,
                    () -> rows.heldBy(new TrackerContext(c, d, db.schema()), table(db, d), "namespace", "n", numberB, List.of()));
            assertTrue(e.getMessage().contains("not one of the compared columns"), "a compared column's name, another kind: "
                    + e.getMessage());
            // A column equal to a compared one, not the same object, is that column.
            assertTrue(rows.heldBy(new TrackerContext(c, d, db.schema()), table(db, d), "namespace", "n",
                    new ExpectedRows.Column("b", Dialect.ColumnKind.TEXT), List.of()));
        }
    }
}
