package dev.ratchet.tracker.counter;

import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerProvider;

import java.util.List;

/**
 * Lets Ratchet notice counter history (golang-migrate's {@code schema_migrations}, the
 * per-namespace layout, the legacy {@code schema_version} count) when configured with another tracker.
 */
public final class CounterTrackerProvider implements TrackerProvider {
    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public CounterTrackerProvider() {
    }

    @Override
    public List<Tracker> knownLayouts() {
        return List.of(CounterTracker.builder().build(),
                CounterTracker.builder().layout(CounterTracker.Layout.PER_NAMESPACE).build(),
                CounterTracker.builder().layout(CounterTracker.Layout.LEGACY_COUNT).build());
    }

    @Override
    public java.util.Optional<Tracker> create(String name, java.util.Optional<String> layout,
                                              java.util.Optional<String> schema, java.util.Optional<String> table) {
        if (!name.equals("counter")) {
            return java.util.Optional.empty();
        }
        CounterTracker.Layout l = switch (layout.orElse("single-row")) {
            case "single-row", "golang-migrate" -> CounterTracker.Layout.SINGLE_ROW;
            case "per-namespace" -> CounterTracker.Layout.PER_NAMESPACE;
            case "legacy" -> CounterTracker.Layout.LEGACY_COUNT;
            default -> throw new IllegalArgumentException("unknown counter layout '" + layout.get()
                    + "': use single-row, per-namespace or legacy");
        };
        CounterTracker.Builder b = CounterTracker.builder().layout(l).schema(schema.orElse(null));
        table.ifPresent(b::table);
        return java.util.Optional.of(b.build());
    }
}
