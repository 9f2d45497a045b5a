package dev.ratchet.spi;

/**
 * What a tracker can detect or do. The conformance suite tests exactly what a tracker
 * claims; a capability it does not claim is reported as skipped, never as passed.
 */
public enum Capability {
    /** Runs a migration missing below the highest applied one (gaps are first-class). */
    GAPS,
    /** Refuses when an applied migration was renamed in code. */
    RENAME_DETECTION,
    /** Refuses (or warns) when an applied migration's body changed. */
    CHECKSUM_DRIFT_DETECTION,
    /**
     * Refuses when the database records a migration the code does not have, wherever it is in
     * the history (a file deleted after it ran). A counter cannot: it sees only its value.
     */
    UNKNOWN_APPLIED_DETECTION,
    /** Refuses code older than the database: the newest applied migrations are missing from it. */
    BINARY_OLDER_DETECTION,
    /**
     * Tells what a newer release applied after the code's last migration ({@link Tracker#ahead}),
     * so that with {@link dev.ratchet.Ratchet.Builder#allowNewerDatabase()} an older release
     * boots on a database that a newer one migrated (a rollback).
     */
    NEWER_DATABASE,
    /** Refuses when code reorders applied migrations. */
    REORDER_DETECTION,
    /** Tracks migrations that have no version. */
    VERSIONLESS_MIGRATIONS,
    /** Marks a non-transactional migration in progress and refuses until an operator resolves it. */
    DIRTY_STATE,
    /** Keeps several namespaces in one table. */
    MULTIPLE_NAMESPACES
}
