package dev.ratchet.spi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The database-specific pieces a tracker needs to write portable SQL. Ratchet chooses the
 * dialect from the connection's metadata; trackers never branch on the product themselves.
 */
public interface Dialect {
    /** A stable short name: {@code postgresql} or {@code sqlite}. */
    String name();

    /** Quotes an identifier that {@link Identifiers} already accepted. */
    String quote(String identifier);

    /** {@code "schema"."table"}, both quoted. */
    default String qualify(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    /** The column type for unbounded text. */
    String textType();

    /** The column type for a point in time. */
    String timestampType();

    /** The column type for a 64-bit integer. */
    String bigintType();

    /** The column type for a boolean. */
    String booleanType();

    /** Binds an instant to a parameter of {@link #timestampType()}. */
    void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException;

    /** Reads an instant written by {@link #bindInstant}; empty for SQL NULL. */
    Optional<Instant> readInstant(ResultSet rs, String column) throws SQLException;

    /**
     * The lower-cased column names of a table, or empty when the table does not exist.
     * One round trip (two on PostgreSQL, where one join of the catalogs costs a new backend more).
     */
    Optional<Set<String>> columns(Connection connection, String schema, String table) throws SQLException;

    /** True when the error is a primary-key or unique-constraint violation. */
    boolean isUniqueViolation(SQLException e);

    /**
     * An aggregate over a query's rows that condenses each row's fields, the texts named by
     * {@code fields} (one per compared column, in order; SQL text, or NULL), into one value: the
     * value {@link #condensed} gives for the same rows in Java. Where {@link #condensesInOrder}, the
     * rows come from a subquery ordered by the rows' key, and the aggregate takes them in that order
     * (it does not sort them itself); otherwise in any order: each row's fields hold its key, so the
     * order follows from the fields, and a dialect may condense the rows as a multiset and save the
     * server a sort. With it a tracker compares its whole table with what the code expects in one
     * round trip and one row (see {@link Tracker#provesUpToDate}). Rows with a field that is SQL
     * NULL are left out. Empty when this database has no such aggregate.
     */
    default Optional<String> condense(List<String> fields) {
        return Optional.empty();
    }

    /**
     * Whether {@link #condense} and {@link #condensed} depend on the rows' order: when true the rows
     * reach the aggregate in key order and {@link ExpectedRows} puts the expected rows' texts in
     * that order; when false they condense the rows as a multiset, and the expected rows' texts
     * are passed in the order they were added, without sorting them by their key.
     */
    default boolean condensesInOrder() {
        return true;
    }

    /**
     * What {@link #condense} yields for rows whose texts, in order, are {@code rowTexts}: each
     * row's fields, each followed by {@link ExpectedRows#SEPARATOR}, which no field holds. Empty
     * when these rows cannot be condensed as the database would (then they prove nothing).
     */
    default Optional<String> condensed(List<String> rowTexts) {
        return Optional.of(String.join("", rowTexts));
    }

    /**
     * {@code column} (a text column) as an {@code ORDER BY} term that orders by code point, as
     * {@link String#compareTo} does for text without surrogates, whatever the database's
     * collation.
     */
    default String inCodePointOrder(String column) {
        return column;
    }

    /** The kinds of column a tracker installs: {@link #textType()}, {@link #timestampType()}, {@link #bigintType()}. */
    enum ColumnKind {
        TEXT, TIMESTAMP, BIGINT
    }

    /**
     * A SQL condition that holds for a row only when its value in {@code column}, installed as
     * {@code kind}, is SQL NULL or a value of that kind that a tracker's read takes as it is
     * (for a timestamp: one {@link #readInstant} reads). A row it fails for proves nothing; a
     * row it holds for must read back. Empty when this database cannot tell.
     */
    default Optional<String> holds(String column, ColumnKind kind) {
        return Optional.empty();
    }

    /**
     * Where checking values of {@code kind} in Java costs less than {@link #holds} at every row:
     * an aggregate over a query's rows that joins the texts of {@code field} (a value of a column
     * installed as {@code kind}, as {@code CAST(value AS textType)} gives it, or SQL NULL), each
     * followed by {@link ExpectedRows#SEPARATOR}, in any order, leaving NULLs out; the Java side
     * then asks {@link #holdsText} of each. Empty (the default) when {@link #holds} is asked row by
     * row instead.
     */
    default Optional<String> handOver(String field, ColumnKind kind) {
        return Optional.empty();
    }

    /**
     * For a kind {@link #handOver} hands over: true only when the text {@code texts[from, to)}, a
     * value's text as that aggregate gives it, is one a tracker's read takes as it is, as for
     * {@link #holds} (for a timestamp: one {@link #readInstant} reads).
     */
    default boolean holdsText(String texts, int from, int to, ColumnKind kind) {
        return false;
    }

    /**
     * A SQL condition that names no column of a query's rows, so that a query over
     * {@code table} (qualified and quoted) evaluates it once, and that holds only when every value
     * {@code column} can hold is one {@link #holds} holds for: where the column's declared type
     * decides what a read takes (PostgreSQL), that it is the type of {@code kind}. Empty when only
     * each row's value can tell (SQLite, whose columns take values of any type): then
     * {@link #holds} is asked row by row.
     */
    default Optional<String> holdsForEveryRow(String table, String column, ColumnKind kind) {
        return Optional.empty();
    }
}
