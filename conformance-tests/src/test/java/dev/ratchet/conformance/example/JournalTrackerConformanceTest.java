package dev.ratchet.conformance.example;

import dev.ratchet.conformance.TrackerContract;
import dev.ratchet.spi.Tracker;

/** How a third party runs the suite against its tracker: this is the whole class. */
class JournalTrackerConformanceTest implements TrackerContract {
    @Override
    public Tracker tracker() {
        return new JournalTracker();
    }
}
