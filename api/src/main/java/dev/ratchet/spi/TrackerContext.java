package dev.ratchet.spi;

import java.sql.Connection;

/**
 * What the engine hands a tracker for one operation: the pinned connection, the dialect, and
 * the schema to use when the tracker has no schema configured (the session's current schema,
 * resolved once per run, so a namespace's target schema never moves the tracker table).
 *
 * @param connection    the pinned connection; the tracker must not commit, roll back or close it
 * @param dialect       the database dialect
 * @param defaultSchema the schema of unqualified tracker tables
 */
public record TrackerContext(Connection connection, Dialect dialect, String defaultSchema) {
}
