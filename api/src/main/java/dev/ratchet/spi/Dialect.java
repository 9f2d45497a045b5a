package dev.ratchet.spi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
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
     * One round trip.
     */
    Optional<Set<String>> columns(Connection connection, String schema, String table) throws SQLException;

    /** True when the error is a primary-key or unique-constraint violation. */
    boolean isUniqueViolation(SQLException e);
}
