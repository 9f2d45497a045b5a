package dev.ratchet.tracker.appliedset;

import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerProvider;

import java.util.List;

/** Lets Ratchet notice applied-set history in its default table when configured with another tracker. */
public final class AppliedSetTrackerProvider implements TrackerProvider {
    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public AppliedSetTrackerProvider() {
    }

    @Override
    public List<Tracker> knownLayouts() {
        return List.of(AppliedSetTracker.builder().build());
    }

    @Override
    public java.util.Optional<Tracker> create(String name, java.util.Optional<String> layout,
                                              java.util.Optional<String> schema, java.util.Optional<String> table) {
        if (!name.equals("applied-set")) {
            return java.util.Optional.empty();
        }
        if (layout.isPresent()) {
            throw new IllegalArgumentException("the applied-set tracker has no layouts; remove ':" + layout.get() + "'");
        }
        AppliedSetTracker.Builder b = AppliedSetTracker.builder().schema(schema.orElse(null));
        table.ifPresent(b::table);
        return java.util.Optional.of(b.build());
    }
}
