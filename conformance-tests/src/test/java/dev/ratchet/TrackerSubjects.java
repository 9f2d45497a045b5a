package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import dev.ratchet.tracker.identity.IdentityTracker;
import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Ratchet's trackers under their names, for tests parameterized by database and tracker. */
final class TrackerSubjects {
    /** A tracker, made anew for each use, and the name a test report shows. */
    record Subject(String label, Supplier<Tracker> tracker) {
        @Override
        public String toString() {
            return label;
        }
    }

    static final Subject APPLIED_SET = new Subject("applied-set", () -> AppliedSetTracker.builder().build());
    static final Subject IDENTITY = new Subject("identity", () -> IdentityTracker.builder().build());
    static final Subject COUNTER = new Subject("counter", () -> CounterTracker.builder().build());

    private TrackerSubjects() {
    }

    /** {@code (kind, subject)} for every database kind and each of {@code subjects}. */
    static Stream<Arguments> onEveryDatabase(Subject... subjects) {
        List<Arguments> out = new ArrayList<>();
        for (DatabaseKind kind : DatabaseKind.values()) {
            for (Subject s : subjects) {
                out.add(Arguments.of(kind, s));
            }
        }
        return out.stream();
    }
}
