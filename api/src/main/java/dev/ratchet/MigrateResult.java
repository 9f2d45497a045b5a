package dev.ratchet;

import java.util.List;

/**
 * What {@link Ratchet#migrate()} did: the migrations it applied and committed, in order, and
 * the warnings trackers raised.
 *
 * @param applied  the committed migrations with their durations
 * @param warnings warnings, each prefixed with its namespace
 */
public record MigrateResult(List<AppliedMigration> applied, List<String> warnings) {
    /** Defensive copies. */
    public MigrateResult {
        applied = List.copyOf(applied);
        warnings = List.copyOf(warnings);
    }
}
