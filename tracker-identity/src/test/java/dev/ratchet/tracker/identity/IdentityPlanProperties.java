package dev.ratchet.tracker.identity;

import dev.ratchet.AppliedEntry;
import dev.ratchet.ErrorKind;
import dev.ratchet.History;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Plan;
import dev.ratchet.RatchetException;
import dev.ratchet.TransactionMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The identity tracker's pure planning over generated name lists (unicode and long names included). */
class IdentityPlanProperties {
    private final IdentityTracker tracker = IdentityTracker.builder().build();

    @Provide
    Arbitrary<List<String>> names() {
        // Any text but control characters, which migration names may not contain.
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(200).filter(s -> !s.isBlank())
                .filter(s -> s.codePoints().noneMatch(Character::isISOControl))
                .list().uniqueElements().ofMinSize(1).ofMaxSize(25);
    }

    private static Namespace code(List<String> names) {
        List<Migration> ms = new ArrayList<>();
        for (String n : names) {
            ms.add(Migration.builder(n).sql("SELECT 1").build());
        }
        return Namespace.of("app", ms);
    }

    private static History applied(List<String> names) {
        List<AppliedEntry> entries = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            entries.add(new AppliedEntry(Optional.of(names.get(i)), Optional.empty(), OptionalLong.of(i),
                    Optional.empty(), Optional.empty(), OptionalLong.empty()));
        }
        return new History("app", entries, Map.of());
    }

    @Property
    void anAppliedPrefixLeavesTheTailPending(@ForAll("names") List<String> names, @ForAll int cut) {
        int k = Math.floorMod(cut, names.size() + 1);
        Plan plan = tracker.plan(applied(names.subList(0, k)), code(names));
        assertEquals(names.subList(k, names.size()), plan.pending().stream().map(Migration::name).toList());
    }

    @Property
    void moreAppliedThanCodeIsBinaryOlderEvenWhenTheOverlapDiffers(@ForAll("names") List<String> names,
                                                                 @ForAll boolean renameOverlap) {
        if (names.size() < 2) {
            return;
        }
        List<String> code = new ArrayList<>(names.subList(0, names.size() - 1));
        if (renameOverlap) {
            code.set(0, code.get(0) + "_renamed");
        }
        RatchetException e = assertThrows(RatchetException.class, () -> tracker.plan(applied(names), code(code)));
        assertEquals(ErrorKind.BINARY_OLDER_THAN_DB, e.kind());
        assertEquals(List.of(names.get(names.size() - 1)), e.context().get("unknown"));
    }

    @Property
    void theFirstDifferingIndexIsReported(@ForAll("names") List<String> names, @ForAll int at) {
        int i = Math.floorMod(at, names.size());
        List<String> code = new ArrayList<>(names);
        code.set(i, names.get(i) + "\u00e9");
        RatchetException e = assertThrows(RatchetException.class, () -> tracker.plan(applied(names), code(code)));
        assertEquals(ErrorKind.NAME_DIVERGENCE, e.kind());
        assertEquals(i, e.context().get("index"));
    }

    @Example
    void chainIsTheDefaultTransactionMode() {
        assertEquals(TransactionMode.CHAIN, tracker.defaultTransactionMode());
    }

    @Property
    void anEditedAppliedMigrationIsNamedWithBothChecksumsAndCapitalsAreNoEdit(@ForAll("names") List<String> names,
                                                                              @ForAll int pick) {
        Namespace ns = code(names);
        int edited = Math.floorMod(pick, names.size());
        List<AppliedEntry> entries = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String sum = ns.migrations().get(i).checksum().orElseThrow();
            // Every other row holds its digest in capitals: the same digest, no edit.
            entries.add(new AppliedEntry(Optional.of(names.get(i)), Optional.empty(), OptionalLong.of(i),
                    Optional.of(i == edited ? "0".repeat(64) : sum.toUpperCase(Locale.ROOT)), Optional.empty(),
                    OptionalLong.empty()));
        }
        IdentityTracker fail = IdentityTracker.builder().checksumVerification(dev.ratchet.ChecksumVerification.FAIL)
                .build();
        RatchetException e = assertThrows(RatchetException.class,
                () -> fail.plan(new History("app", entries, Map.of()), ns));
        assertEquals(ErrorKind.CHECKSUM_DRIFT, e.kind());
        Migration m = ns.migrations().get(edited);
        assertEquals(List.of(m.name() + " (" + m.origin() + "): recorded 000000000000..., code "
                + m.checksum().orElseThrow()), e.context().get("drifted"));
    }

    @Example
    void driftDetectionIsClaimedExactlyWhenChecksumsAreCompared() {
        for (dev.ratchet.ChecksumVerification mode : dev.ratchet.ChecksumVerification.values()) {
            IdentityTracker t = IdentityTracker.builder().checksumVerification(mode).build();
            assertEquals(mode != dev.ratchet.ChecksumVerification.OFF,
                    t.capabilities().contains(dev.ratchet.spi.Capability.CHECKSUM_DRIFT_DETECTION), mode.name());
        }
    }
}
