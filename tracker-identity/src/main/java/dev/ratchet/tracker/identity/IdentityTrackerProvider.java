package dev.ratchet.tracker.identity;

import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerProvider;

import java.util.List;

/** Lets Ratchet notice identity history in its default table when configured with another tracker. */
public final class IdentityTrackerProvider implements TrackerProvider {
    @Override
    public List<Tracker> knownLayouts() {
        return List.of(IdentityTracker.builder().build());
    }
}
