package dev.ratchet;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link Cutover} did (or, in a dry run, would do).
 *
 * @param moves     one entry per namespace, in order
 * @param retiredAs the name the source table was renamed to, or {@code "dropped"}; empty when kept
 * @param dryRun    true when nothing was written
 */
public record CutoverResult(List<NamespaceMove> moves, Optional<String> retiredAs, boolean dryRun) {
    /** Defensive copy. */
    public CutoverResult {
        moves = List.copyOf(moves);
    }

    /**
     * The move of one namespace.
     *
     * @param namespace the namespace
     * @param status    what happened
     * @param rows      the entries written to the target (or that would be, in a dry run)
     */
    public record NamespaceMove(String namespace, Status status, List<AppliedEntry> rows) {
        /** Defensive copy. */
        public NamespaceMove {
            rows = List.copyOf(rows);
        }
    }

    /** What happened to one namespace. */
    public enum Status {
        /** The history was written to the target. */
        MOVED,
        /** A dry run: {@link NamespaceMove#rows()} is what would be written. */
        WOULD_MOVE,
        /** The target already holds exactly this history (a re-run): nothing written. */
        ALREADY_MOVED,
        /** Neither tracker holds history for this namespace. */
        NOTHING_TO_MOVE
    }
}
