package dev.ratchet.cli;

import dev.ratchet.Trackers;
import dev.ratchet.spi.Tracker;

/** A tracker named on the command line; see {@link Trackers#byName(String)}. */
final class TrackerSpec {
    /** What {@code --help} shows. */
    static final String SYNTAX = "applied-set | counter[:per-namespace|:legacy] | identity, optionally @[SCHEMA.]TABLE";

    private TrackerSpec() {
    }

    /** Builds the tracker; a bad spec is a usage error ({@link IllegalArgumentException}). */
    static Tracker parse(String spec) {
        return Trackers.byName(spec);
    }
}
