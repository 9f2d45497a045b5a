package dev.ratchet;

/**
 * What a tracker does when an applied migration's recorded checksum differs from the code's.
 * A recorded checksum that is unknown (NULL: unknown provenance, e.g. backfilled rows) is
 * never compared.
 */
public enum ChecksumVerification {
    /** Refuse with {@link ErrorKind#CHECKSUM_DRIFT}. */
    FAIL,
    /** Proceed, and report a warning in the plan. */
    WARN,
    /**
     * Do not compare; checksums are still recorded, so verification can be turned on later. A
     * runner then reads the files of pending migrations only: a boot with nothing to do reads
     * no migration file, where {@code FAIL} and {@code WARN} read and hash every one (the cost
     * that grows with the history; see the benchmarks).
     */
    OFF
}
