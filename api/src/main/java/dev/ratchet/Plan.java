package dev.ratchet;

import java.util.List;
import java.util.Objects;

/**
 * What will run next for one namespace: the pending migrations in execution order, and
 * warnings a tracker raised without refusing (for example checksum drift in {@code WARN}
 * mode). A tracker that refuses to plan throws a {@link RatchetException} instead.
 *
 * @param namespace the namespace
 * @param pending      the migrations to run, in order
 * @param unverifiable code migrations the tracker cannot tell whether they ran (a counter cannot
 *                     see below its value); never reported as applied
 * @param warnings     human-readable warnings
 */
public record Plan(Namespace namespace, List<Migration> pending, List<Migration> unverifiable,
                   List<String> warnings) {
    /** Defensive copies. */
    public Plan {
        Objects.requireNonNull(namespace, "namespace");
        pending = MigrationFiles.SortedByVersion.copyOf(pending);
        unverifiable = MigrationFiles.SortedByVersion.copyOf(unverifiable);
        warnings = List.copyOf(warnings);
    }

    /** A plan of a tracker that sees every applied migration. */
    public Plan(Namespace namespace, List<Migration> pending, List<String> warnings) {
        this(namespace, pending, List.of(), warnings);
    }

    /** True when nothing is pending. */
    public boolean isUpToDate() {
        return pending.isEmpty();
    }
}
