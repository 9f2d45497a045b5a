package dev.ratchet.spi;

import dev.ratchet.Migration;

import java.util.Objects;

/**
 * One successful migration of a transaction, as {@link Tracker#recordAll} receives it.
 *
 * @param migration the migration whose body succeeded
 * @param outcome   when its body finished and how long it took
 */
public record Recording(Migration migration, Outcome outcome) {
    /** Null checks. */
    public Recording {
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(outcome, "outcome");
    }
}
