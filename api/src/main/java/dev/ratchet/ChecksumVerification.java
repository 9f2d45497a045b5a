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
    /** Do not compare. */
    OFF
}
