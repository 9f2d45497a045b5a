package dev.ratchet;

import java.util.List;
import java.util.Optional;

/**
 * What {@link Ratchet#verify()} found. Every pending migration ran inside a transaction that
 * was then rolled back, so the database is as it was.
 *
 * @param verified    migrations that ran without error, as {@code namespace/name}
 * @param notVerified migrations that could not be tried in a transaction, with the reason
 * @param failure     the first migration failure, if any (later migrations were not tried)
 * @param warnings    what {@link Ratchet#migrate()} would warn of (drift in {@code WARN} mode, a
 *                    database ahead of the code), each prefixed with its namespace, as in
 *                    {@link MigrateResult#warnings()}
 */
public record VerifyResult(List<String> verified, List<String> notVerified, Optional<RatchetException> failure,
                           List<String> warnings) {
    /** Defensive copies. */
    public VerifyResult {
        verified = List.copyOf(verified);
        notVerified = List.copyOf(notVerified);
        warnings = List.copyOf(warnings);
    }

    /** A result without warnings: the constructor of the releases before {@link #warnings()}. */
    public VerifyResult(List<String> verified, List<String> notVerified, Optional<RatchetException> failure) {
        this(verified, notVerified, failure, List.of());
    }

    /** True when every pending migration ran cleanly. */
    public boolean ok() {
        return failure.isEmpty() && notVerified.isEmpty();
    }
}
