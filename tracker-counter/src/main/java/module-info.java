/**
 * The counter tracker: {@link dev.ratchet.tracker.counter.CounterTracker}, found by name through its
 * {@link dev.ratchet.spi.TrackerProvider} service too.
 */
module dev.ratchet.tracker.counter {
    requires transitive dev.ratchet.api;

    exports dev.ratchet.tracker.counter;

    provides dev.ratchet.spi.TrackerProvider with dev.ratchet.tracker.counter.CounterTrackerProvider;
}
