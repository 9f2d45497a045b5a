package dev.ratchet.conformance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One isolated test database: a fresh PostgreSQL schema (set as the connections' current
 * schema) or a fresh SQLite file. Closing it drops the schema or deletes the file.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
 *     Ratchet.builder().dataSource(db.dataSource())...
 * }
 * }</pre>
 */
public interface TestDatabase extends AutoCloseable {
    /** Which database this is. */
    DatabaseKind kind();

    /** A data source whose every connection is new and lands in this test's schema or file. */
    DataSource dataSource();

    /** The JDBC URL of {@link #dataSource()}, including credentials if the server needs them. */
    String url();

    /** For PostgreSQL the test schema; for SQLite {@code main}. */
    String schema();

    /** A new connection; the caller closes it. */
    default Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    /** Drops the schema or deletes the file. */
    @Override
    void close();
}
