/**
 * The identity tracker: {@link dev.ratchet.tracker.identity.IdentityTracker}, found by name through its
 * {@link dev.ratchet.spi.TrackerProvider} service too.
 */
module dev.ratchet.tracker.identity {
    requires transitive dev.ratchet.api;

    exports dev.ratchet.tracker.identity;

    provides dev.ratchet.spi.TrackerProvider with dev.ratchet.tracker.identity.IdentityTrackerProvider;
}
