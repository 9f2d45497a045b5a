package dev.ratchet.tracker.appliedset;

import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerProvider;

import java.util.List;

/** Lets Ratchet notice applied-set history in its default table when configured with another tracker. */
public final class AppliedSetTrackerProvider implements TrackerProvider {
    @Override
    public List<Tracker> knownLayouts() {
        return List.of(AppliedSetTracker.builder().build());
    }
}
