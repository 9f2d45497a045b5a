package dev.ratchet.conformance;

/** The databases the suite runs on. */
public enum DatabaseKind {
    /** PostgreSQL: {@code RATCHET_TEST_POSTGRES_URL}, else Testcontainers. */
    POSTGRESQL,
    /** SQLite on a temporary file. */
    SQLITE
}
