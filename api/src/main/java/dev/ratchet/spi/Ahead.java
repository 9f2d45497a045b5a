package dev.ratchet.spi;

import dev.ratchet.History;

import java.util.List;
import java.util.Objects;

/**
 * What a newer release applied after the code's last migration, as a tracker tells it apart
 * ({@link Tracker#ahead}): the history as it stood within the code, and what lies beyond.
 *
 * @param within the history without what lies beyond the code's last migration
 * @param beyond what lies beyond it, one description each (a name, or a version where the tracker
 *               keeps no names), in the tracker's order; never empty
 */
public record Ahead(History within, List<String> beyond) {
    /** Defensive copies. */
    public Ahead {
        Objects.requireNonNull(within, "within");
        beyond = List.copyOf(beyond);
        if (beyond.isEmpty()) {
            throw new IllegalArgumentException("nothing lies beyond the code: there is no Ahead");
        }
    }
}
