/**
 * The applied-set tracker: {@link dev.ratchet.tracker.appliedset.AppliedSetTracker}, found by name through its
 * {@link dev.ratchet.spi.TrackerProvider} service too.
 */
module dev.ratchet.tracker.appliedset {
    requires transitive dev.ratchet.api;

    exports dev.ratchet.tracker.appliedset;

    provides dev.ratchet.spi.TrackerProvider with dev.ratchet.tracker.appliedset.AppliedSetTrackerProvider;
}
