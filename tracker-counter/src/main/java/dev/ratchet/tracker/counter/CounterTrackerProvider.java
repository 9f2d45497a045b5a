package dev.ratchet.tracker.counter;

import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerProvider;

import java.util.List;

/**
 * Lets Ratchet notice counter history (golang-migrate's {@code schema_migrations}, the
 * per-namespace layout, the legacy {@code schema_version} count) when configured with another tracker.
 */
public final class CounterTrackerProvider implements TrackerProvider {
    @Override
    public List<Tracker> knownLayouts() {
        return List.of(CounterTracker.builder().build(),
                CounterTracker.builder().layout(CounterTracker.Layout.PER_NAMESPACE).build(),
                CounterTracker.builder().layout(CounterTracker.Layout.LEGACY_COUNT).build());
    }
}
