package dev.ratchet.conformance;

import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import dev.ratchet.tracker.identity.IdentityTracker;

import java.util.List;
import java.util.function.Supplier;

/** The suite against the identity tracker. */
class IdentityConformanceTest implements TrackerContract {
    @Override
    public Tracker tracker() {
        return IdentityTracker.builder().build();
    }

    @Override
    public List<Supplier<Tracker>> cutoverTargets() {
        return List.of(() -> AppliedSetTracker.builder().build(), () -> CounterTracker.builder().build(), this::tracker);
    }
}
