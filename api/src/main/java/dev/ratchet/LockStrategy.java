package dev.ratchet;

/**
 * How runners exclude each other while they migrate a namespace. Only runs with something to
 * do take the lock: an up-to-date boot reads the tracker and returns without it.
 *
 * <pre>{@code
 * Ratchet.builder().lockStrategy(LockStrategy.LEASE)   // behind a transaction-pooling PgBouncer
 * }</pre>
 */
public enum LockStrategy {
    /**
     * The default. PostgreSQL: a session advisory lock, once a probe has shown that it excludes
     * (the driver talks to the server session it reports, a second session lands on another
     * server session and cannot take the lock, and the first keeps its server session); when the
     * probe fails, for instance through a transaction-pooling PgBouncer, the lease row, with a log
     * line that says why. SQLite: the lease row.
     */
    AUTO,
    /**
     * PostgreSQL session advisory locks without the probe, for direct connections where a
     * second connection for the probe is unwelcome. Refused on SQLite ({@code UNSUPPORTED_FEATURE}).
     */
    ADVISORY,
    /**
     * A lease row in {@code <tracker table>_lock}, written in its own short transactions,
     * renewed inside every migration transaction and expiring {@code lockLease} after its holder
     * stopped renewing: correct through any connection pooler. On PostgreSQL every lease write
     * also takes the transaction-scoped advisory lock of the namespace, so a lease holder and a
     * runner holding the session advisory lock exclude each other too.
     */
    LEASE
}
