package dev.ratchet.spi;

import java.util.List;

/**
 * Makes a tracker's usual layouts discoverable through {@link java.util.ServiceLoader}, so that
 * Ratchet notices history kept by a tracker it was not configured with (and refuses to re-run
 * it) before a first {@code migrate()} writes anything. Register an implementation in
 * {@code META-INF/services/dev.ratchet.spi.TrackerProvider}.
 */
public interface TrackerProvider {
    /** The tracker configurations to look for, typically each layout with its default table. */
    List<Tracker> knownLayouts();

    /**
     * The tracker this provider knows by {@code name} (such as {@code applied-set}), configured
     * with the given layout, schema and table where present; empty for a name it does not know.
     *
     * @throws IllegalArgumentException for a layout the tracker does not have
     */
    default java.util.Optional<Tracker> create(String name, java.util.Optional<String> layout,
                                               java.util.Optional<String> schema, java.util.Optional<String> table) {
        return java.util.Optional.empty();
    }
}
