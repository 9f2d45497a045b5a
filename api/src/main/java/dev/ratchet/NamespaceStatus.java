package dev.ratchet;

import java.util.List;
import java.util.Optional;

/**
 * The read-only state of one namespace, as {@link Ratchet#status()} reports it.
 *
 * @param namespace         the namespace
 * @param tracker           the tracker id
 * @param trackerInstalled  whether the tracker table exists
 * @param applied           the applied entries, in tracker order
 * @param pending           what {@code migrate()} would run; empty when there is a problem
 * @param warnings          warnings the tracker raised
 * @param problem           why {@code migrate()} would refuse, if it would
 */
public record NamespaceStatus(String namespace, String tracker, boolean trackerInstalled,
                              List<AppliedEntry> applied, List<Migration> pending, List<String> warnings,
                              Optional<RatchetException> problem) {
    /** Defensive copies. */
    public NamespaceStatus {
        applied = List.copyOf(applied);
        pending = List.copyOf(pending);
        warnings = List.copyOf(warnings);
    }

    /** True when nothing is pending and there is no problem. */
    public boolean isUpToDate() {
        return pending.isEmpty() && problem.isEmpty();
    }
}
