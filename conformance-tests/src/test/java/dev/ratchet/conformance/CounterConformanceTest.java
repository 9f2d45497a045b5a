package dev.ratchet.conformance;

import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;

import java.util.List;
import java.util.function.Supplier;

/** The suite against the counter tracker in golang-migrate's single-row layout. */
class CounterConformanceTest implements TrackerContract {
    @Override
    public Tracker tracker() {
        return CounterTracker.builder().build();
    }

    @Override
    public List<Supplier<Tracker>> cutoverTargets() {
        return List.of(() -> AppliedSetTracker.builder().build(), this::tracker);
    }
}
