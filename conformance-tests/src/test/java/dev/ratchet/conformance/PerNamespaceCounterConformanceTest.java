package dev.ratchet.conformance;

import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.counter.CounterTracker;

/** The suite against the counter tracker's per-namespace layout. */
class PerNamespaceCounterConformanceTest implements TrackerContract {
    @Override
    public Tracker tracker() {
        return CounterTracker.builder().layout(CounterTracker.Layout.PER_NAMESPACE).build();
    }
}
