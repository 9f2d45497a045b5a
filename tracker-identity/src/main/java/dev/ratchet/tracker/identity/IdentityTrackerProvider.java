package dev.ratchet.tracker.identity;

import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerProvider;

import java.util.List;

/** Lets Ratchet notice identity history in its default table when configured with another tracker. */
public final class IdentityTrackerProvider implements TrackerProvider {
    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public IdentityTrackerProvider() {
    }

    @Override
    public List<Tracker> knownLayouts() {
        return List.of(IdentityTracker.builder().build());
    }

    @Override
    public java.util.Optional<Tracker> create(String name, java.util.Optional<String> layout,
                                              java.util.Optional<String> schema, java.util.Optional<String> table) {
        if (!name.equals("identity")) {
            return java.util.Optional.empty();
        }
        if (layout.isPresent()) {
            throw new IllegalArgumentException("the identity tracker has no layouts; remove ':" + layout.get() + "'");
        }
        IdentityTracker.Builder b = IdentityTracker.builder().schema(schema.orElse(null));
        table.ifPresent(b::table);
        return java.util.Optional.of(b.build());
    }
}
