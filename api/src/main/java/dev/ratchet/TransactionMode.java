package dev.ratchet;

/** How pending migrations of a namespace are grouped into transactions. */
public enum TransactionMode {
    /** Each migration's body and its tracker row commit together, one transaction each. */
    PER_MIGRATION,
    /**
     * All pending migrations of a namespace commit together or not at all. A non-transactional
     * migration ends the chain before it; it runs alone and a new chain starts after it.
     */
    CHAIN
}
