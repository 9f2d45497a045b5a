package dev.ratchet.conformance;

import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import dev.ratchet.tracker.identity.IdentityTracker;

import java.util.List;
import java.util.function.Supplier;

/** The suite against the applied-set tracker. */
class AppliedSetConformanceTest implements TrackerContract {
    @Override
    public Tracker tracker() {
        return AppliedSetTracker.builder().build();
    }

    @Override
    public java.util.Optional<RowDeleter> rowDeleter() {
        return java.util.Optional.of((connection, namespace, name) -> {
            try (var ps = connection.prepareStatement("DELETE FROM ratchet_applied_migrations WHERE namespace = ? AND name = ?")) {
                ps.setString(1, namespace);
                ps.setString(2, name);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Supplier<Tracker>> cutoverTargets() {
        return List.of(() -> IdentityTracker.builder().build(), () -> CounterTracker.builder().build(), this::tracker);
    }
}
