package dev.ratchet;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a tracker read back for one namespace: the applied entries in the tracker's order and
 * tracker-specific facts (for example a counter's {@code dirty=true}).
 *
 * @param namespace the namespace name
 * @param entries   the applied entries, in tracker order
 * @param facts     tracker facts, by name; empty when the tracker records nothing for the namespace
 */
public record History(String namespace, List<AppliedEntry> entries, Map<String, String> facts) {
    /** Defensive copies. */
    public History {
        Objects.requireNonNull(namespace, "namespace");
        entries = List.copyOf(entries);
        facts = Map.copyOf(facts);
    }

    /** An empty history (nothing applied, or no tracker table yet). */
    public static History empty(String namespace) {
        return new History(namespace, List.of(), Map.of());
    }

    /** True when nothing is applied. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
