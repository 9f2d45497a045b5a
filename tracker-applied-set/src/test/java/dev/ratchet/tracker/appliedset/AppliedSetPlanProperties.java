package dev.ratchet.tracker.appliedset;

import dev.ratchet.AppliedEntry;
import dev.ratchet.ChecksumVerification;
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
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The applied-set tracker's pure planning, over generated code and histories. */
class AppliedSetPlanProperties {
    private final AppliedSetTracker fail = AppliedSetTracker.builder().build();

    @Provide
    Arbitrary<Set<Integer>> versionSets() {
        return Arbitraries.integers().between(1, 500).set().ofMinSize(1).ofMaxSize(40);
    }

    private static Migration migration(int v) {
        return Migration.builder(v + "_m" + v).version(Version.of(v)).sql("SELECT " + v + ";").build();
    }

    private static Namespace code(Set<Integer> versions, long shuffleSeed) {
        List<Migration> ms = new ArrayList<>();
        for (int v : versions) {
            ms.add(migration(v));
        }
        Collections.shuffle(ms, new Random(shuffleSeed)); // code order must not matter
        return Namespace.of("app", ms);
    }

    private static AppliedEntry applied(String name, int v, String checksum) {
        return new AppliedEntry(Optional.of(name), Optional.of(Version.of(v)), OptionalLong.empty(),
                Optional.ofNullable(checksum), Optional.empty(), OptionalLong.empty());
    }

    private static History history(List<AppliedEntry> entries) {
        return new History("app", entries, Map.of());
    }

    @Property
    void pendingIsCodeMinusAppliedInAscendingOrder(@ForAll("versionSets") Set<Integer> codeVersions,
                                                   @ForAll long seed, @ForAll boolean nullChecksums) {
        Random random = new Random(seed);
        List<AppliedEntry> entries = new ArrayList<>();
        TreeSet<Integer> expected = new TreeSet<>();
        for (int v : codeVersions) {
            if (random.nextBoolean()) {
                entries.add(applied(v + "_m" + v, v, nullChecksums ? null : migration(v).checksum().orElseThrow()));
            } else {
                expected.add(v);
            }
        }
        Plan plan = fail.plan(history(entries), code(codeVersions, seed));
        assertEquals(List.copyOf(expected), plan.pending().stream()
                .map(m -> m.version().orElseThrow().parts().get(0).intValue()).toList());
        assertTrue(plan.warnings().isEmpty());
    }

    @Property
    void anAppliedVersionMissingFromCodeIsRefusedListingIt(@ForAll("versionSets") Set<Integer> codeVersions,
                                                          @ForAll @IntRange(min = 501, max = 900) int extra) {
        List<AppliedEntry> entries = new ArrayList<>();
        for (int v : codeVersions) {
            entries.add(applied(v + "_m" + v, v, null));
        }
        entries.add(applied(extra + "_gone", extra, null));
        RatchetException e = assertThrows(RatchetException.class,
                () -> fail.plan(history(entries), code(codeVersions, 1)));
        assertEquals(ErrorKind.UNKNOWN_APPLIED_VERSION, e.kind());
        assertEquals(List.of(extra + " (" + extra + "_gone)"), e.context().get("unknown"));
    }

    @Property
    void aRenamedAppliedMigrationIsRefusedNamingBoth(@ForAll("versionSets") Set<Integer> codeVersions,
                                                    @ForAll long seed) {
        List<Integer> vs = new ArrayList<>(codeVersions);
        int renamed = vs.get(new Random(seed).nextInt(vs.size()));
        List<AppliedEntry> entries = List.of(applied(renamed + "_old_name", renamed, null));
        RatchetException e = assertThrows(RatchetException.class,
                () -> fail.plan(history(entries), code(codeVersions, seed)));
        assertEquals(ErrorKind.RENAMED_AFTER_APPLY, e.kind());
        assertTrue(e.getMessage().contains(renamed + "_old_name") && e.getMessage().contains(renamed + "_m" + renamed),
                e.getMessage());
    }

    @Property
    void checksumDriftFollowsTheConfiguredMode(@ForAll("versionSets") Set<Integer> codeVersions,
                                              @ForAll ChecksumVerification mode) {
        int drifted = codeVersions.iterator().next();
        List<AppliedEntry> entries = List.of(applied(drifted + "_m" + drifted, drifted, "0".repeat(64)));
        AppliedSetTracker tracker = AppliedSetTracker.builder().checksumVerification(mode).build();
        Namespace ns = code(codeVersions, 7);
        switch (mode) {
            case FAIL -> assertEquals(ErrorKind.CHECKSUM_DRIFT,
                    assertThrows(RatchetException.class, () -> tracker.plan(history(entries), ns)).kind());
            case WARN -> {
                Plan plan = tracker.plan(history(entries), ns);
                assertEquals(1, plan.warnings().size());
                assertEquals(codeVersions.size() - 1, plan.pending().size());
            }
            case OFF -> assertTrue(tracker.plan(history(entries), ns).warnings().isEmpty());
        }
        // The claim follows the mode: a runner reads applied files only for a tracker that compares.
        assertEquals(mode != ChecksumVerification.OFF,
                tracker.capabilities().contains(dev.ratchet.spi.Capability.CHECKSUM_DRIFT_DETECTION), mode.name());
    }

    @Property
    void anEditedAppliedMigrationIsNamedWithBothChecksumsAndCapitalsAreNoEdit(
            @ForAll("versionSets") Set<Integer> codeVersions, @ForAll long seed) {
        List<Integer> vs = new ArrayList<>(codeVersions);
        int edited = vs.get(new Random(seed).nextInt(vs.size()));
        List<AppliedEntry> entries = new ArrayList<>();
        for (int v : vs) {
            String sum = migration(v).checksum().orElseThrow();
            // Every other row holds its digest in capitals: the same digest, no edit.
            entries.add(applied(v + "_m" + v, v, v == edited ? "0".repeat(64) : sum.toUpperCase(Locale.ROOT)));
        }
        RatchetException e = assertThrows(RatchetException.class,
                () -> fail.plan(history(entries), code(codeVersions, seed)));
        assertEquals(ErrorKind.CHECKSUM_DRIFT, e.kind());
        Migration m = migration(edited);
        assertEquals(List.of(m.name() + " (" + m.origin() + "): recorded 000000000000..., code "
                + m.checksum().orElseThrow()), e.context().get("drifted"));
    }

    @Example
    void aMigrationWithoutVersionIsRefused() {
        Namespace ns = Namespace.of("app", List.of(Migration.builder("seed").body(c -> { }).build()));
        assertEquals(ErrorKind.VERSION_REQUIRED,
                assertThrows(RatchetException.class, () -> fail.plan(History.empty("app"), ns)).kind());
    }

    @Example
    void capabilitiesAreWhatItDetects() {
        assertTrue(fail.capabilities().containsAll(Set.of(dev.ratchet.spi.Capability.GAPS,
                dev.ratchet.spi.Capability.RENAME_DETECTION, dev.ratchet.spi.Capability.CHECKSUM_DRIFT_DETECTION,
                dev.ratchet.spi.Capability.UNKNOWN_APPLIED_DETECTION)));
        assertTrue(!fail.capabilities().contains(dev.ratchet.spi.Capability.VERSIONLESS_MIGRATIONS));
    }
}
