package dev.ratchet.tracker.counter;

import dev.ratchet.ErrorKind;
import dev.ratchet.History;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Plan;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The counter's pure planning over generated code and counter values. */
class CounterPlanProperties {
    private final CounterTracker tracker = CounterTracker.builder().build();

    @Provide
    Arbitrary<Set<Long>> versionSets() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE).set().ofMinSize(1).ofMaxSize(30);
    }

    private static Namespace code(Set<Long> versions) {
        List<Migration> ms = new ArrayList<>();
        for (long v : versions) {
            ms.add(Migration.builder(v + "_m").version(Version.of(v)).sql("SELECT 1").build());
        }
        return Namespace.of("app", ms);
    }

    private static History counterAt(long version, boolean dirty) {
        return new History("app", List.of(), Map.of(CounterTracker.FACT_VERSION, Long.toString(version),
                CounterTracker.FACT_DIRTY, Boolean.toString(dirty)));
    }

    private static List<Long> versions(List<Migration> ms) {
        return ms.stream().map(m -> m.version().orElseThrow().parts().get(0).longValueExact()).toList();
    }

    @Property
    void pendingIsAboveTheCounterAndEverythingElseUnverifiable(@ForAll("versionSets") Set<Long> codeVersions,
                                                             @ForAll int pick) {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(codeVersions));
        long counter = sorted.get(Math.floorMod(pick, sorted.size()));
        Plan plan = tracker.plan(counterAt(counter, false), code(codeVersions));
        assertEquals(sorted.stream().filter(v -> v > counter).toList(), versions(plan.pending()));
        assertEquals(sorted.stream().filter(v -> v <= counter).toList(), versions(plan.unverifiable()));
    }

    @Property
    void dirtyIsRefusedBeforeAnyOtherCheck(@ForAll("versionSets") Set<Long> codeVersions, @ForAll long counter) {
        RatchetException e = assertThrows(RatchetException.class,
                () -> tracker.plan(counterAt(Math.abs(counter % Long.MAX_VALUE), true), code(codeVersions)));
        assertEquals(ErrorKind.DIRTY, e.kind());
    }

    @Property
    void aCounterAboveTheCodeIsBinaryOlderThanDb(@ForAll("versionSets") Set<Long> codeVersions) {
        long highest = new TreeSet<>(codeVersions).last();
        if (highest < Long.MAX_VALUE) {
            assertEquals(ErrorKind.BINARY_OLDER_THAN_DB, assertThrows(RatchetException.class,
                    () -> tracker.plan(counterAt(highest + 1, false), code(codeVersions))).kind());
        }
    }

    @Example
    void noCounterMeansEverythingPendingInVersionOrder() {
        Plan plan = tracker.plan(History.empty("app"), code(Set.of(10L, 2L, 33L)));
        assertEquals(List.of(2L, 10L, 33L), versions(plan.pending()));
    }

    @Example
    void aCounterWithNoMatchingMigrationIsRefused() {
        assertEquals(ErrorKind.UNKNOWN_APPLIED_VERSION, assertThrows(RatchetException.class,
                () -> tracker.plan(counterAt(5, false), code(Set.of(1L, 2L, 9L)))).kind());
    }
}
