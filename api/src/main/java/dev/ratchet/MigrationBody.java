package dev.ratchet;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A migration written in Java. It receives the run's pinned connection. In a transactional
 * migration (the default) the engine owns the transaction: {@code commit()}, {@code rollback()},
 * {@code setAutoCommit(true)} and {@code close()} throw an {@link java.sql.SQLException} (SQLSTATE
 * 25000) and the migration fails, rolled back; {@code getAutoCommit()} answers false and
 * {@code setAutoCommit(false)} changes nothing, so code that begins a transaction only when none
 * is open joins the engine's; savepoints are allowed. A migration built with
 * {@code transactional(false)} may manage its own transactions (a backfill committing in
 * batches); a transaction it leaves open is committed when it returns and rolled back when it
 * throws. Neither may close the connection. Inside the engine's transaction, SQL that would end it
 * ({@code COMMIT}, {@code BEGIN}, ...) is refused as well, run through {@code createStatement()}
 * or given to {@code prepareStatement}; {@code unwrap} reaches the driver's connection unguarded.
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
