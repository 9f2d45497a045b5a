package dev.ratchet;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read-only state of one namespace, as {@link Ratchet#status()} reports it.
 *
 * @param namespace         the namespace
 * @param tracker           the tracker id
 * @param trackerInstalled  whether the tracker table exists
 * @param applied           the applied entries, in tracker order
 * @param facts             tracker facts, such as a counter's {@code version} and {@code dirty}
 * @param pending           what {@code migrate()} would run; empty when there is a problem
 * @param unverifiable      code migrations this tracker cannot tell whether they ran
 *                          ("unverifiable by this tracker"; a counter cannot see gaps below it)
 * @param warnings          warnings the tracker raised
 * @param problem           why {@code migrate()} would refuse, if it would
 */
public record NamespaceStatus(String namespace, String tracker, boolean trackerInstalled,
                              List<AppliedEntry> applied, Map<String, String> facts, List<Migration> pending,
                              List<Migration> unverifiable, List<String> warnings,
                              Optional<RatchetException> problem) {
    /** Defensive copies. */
    public NamespaceStatus {
        applied = List.copyOf(applied);
        facts = Map.copyOf(facts);
        pending = List.copyOf(pending);
        unverifiable = List.copyOf(unverifiable);
        warnings = List.copyOf(warnings);
    }

    /** True when nothing is pending and there is no problem. */
    public boolean isUpToDate() {
        return pending.isEmpty() && problem.isEmpty();
    }
}
