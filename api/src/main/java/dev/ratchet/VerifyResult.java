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
 */
public record VerifyResult(List<String> verified, List<String> notVerified, Optional<RatchetException> failure) {
    /** Defensive copies. */
    public VerifyResult {
        verified = List.copyOf(verified);
        notVerified = List.copyOf(notVerified);
    }

    /** True when every pending migration ran cleanly. */
    public boolean ok() {
        return failure.isEmpty() && notVerified.isEmpty();
    }
}
