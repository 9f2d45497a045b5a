package dev.ratchet;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A migration written in Java. It receives the run's pinned connection and must not commit,
 * roll back, close it or change its auto-commit mode: the engine owns the transaction.
 *
 * <pre>{@code
 * MigrationBody body = connection -> {
 *     try (var ps = connection.prepareStatement("INSERT INTO colour(name) VALUES (?)")) {
 *         ps.setString(1, "red");
 *         ps.executeUpdate();
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface MigrationBody {
    /** Runs the migration on the pinned connection. */
    void run(Connection connection) throws SQLException;
}
