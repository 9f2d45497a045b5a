package dev.ratchet.conformance.faulty;

import dev.ratchet.AppliedEntry;
import dev.ratchet.ErrorKind;
import dev.ratchet.History;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Plan;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;
import dev.ratchet.conformance.TrackerContract;
import dev.ratchet.spi.Outcome;
import dev.ratchet.spi.Recording;
import dev.ratchet.spi.TableState;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.identity.IdentityTracker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A catalogue of deliberately broken trackers. Each is a {@link TrackerContract} run only by
 * {@code FaultyTrackerCatalogueTest}, which requires the suite to fail every one of them. Not
 * named {@code *Test}: the build must not run them as ordinary tests.
 */
final class FaultyTrackers {
    private FaultyTrackers() {
    }

    /** Each variant, with the property expected to catch it first. */
    static final Map<Class<? extends TrackerContract>, String> CATALOGUE = new java.util.LinkedHashMap<>();

    static {
        CATALOGUE.put(RecordsOutsideItsTransaction.class, "aFailingBodyRollsBackToTheLastCommittedState");
        CATALOGUE.put(SkipsTheLock.class, "concurrentBootsApplyEachMigrationOnce");
        CATALOGUE.put(ReadsAStaleHistory.class, "migratingTwiceEqualsMigratingOnce");
        CATALOGUE.put(IgnoresChecksums.class, "checksumDriftIsDetected");
        CATALOGUE.put(OffByOneSequence.class, "migratingTwiceEqualsMigratingOnce");
        CATALOGUE.put(LosesAGap.class, "gapsFollowTheClaimedBehaviour");
        CATALOGUE.put(WrongErrorKind.class, "aRenamedAppliedMigrationIsRefused");
        CATALOGUE.put(RecordsNothing.class, "migratingTwiceEqualsMigratingOnce");
        CATALOGUE.put(ReadsEveryNamespace.class, "migratingTwiceEqualsMigratingOnce");
        CATALOGUE.put(WritesWhenDetecting.class, "migratingTwiceEqualsMigratingOnce");
        CATALOGUE.put(DropsUnknownRows.class, "anAppliedMigrationDeletedFromTheCodeIsRefused");
        CATALOGUE.put(BlindToRenames.class, "aRenamedAppliedMigrationIsRefused");
        CATALOGUE.put(BlindToReorders.class, "reorderedAppliedMigrationsAreRefused");
        CATALOGUE.put(ChainBatchLosesItsLastRow.class, "aChainRecordsWhatOneTransactionPerMigrationRecords");
        CATALOGUE.put(ProvesUpToDateWithoutChecksums.class, "theUpToDateProofNeverContradictsThePlan");
        CATALOGUE.put(OverlooksANamespace.class, "migratingTwiceEqualsMigratingOnce");
        CATALOGUE.put(TakesADeletedMigrationForANewerOne.class, "anOlderReleaseBootsOnANewerDatabaseWhenAllowed");
    }

    /** Records each migration on a second, auto-committing connection: outside the migration's transaction. */
    static final class RecordsOutsideItsTransaction implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public void record(TrackerContext ctx, Namespace ns, Migration m, Outcome o) throws SQLException {
                    String url = ctx.connection().getMetaData().getURL();
                    try (Connection other = DriverManager.getConnection(url)) {
                        inner.record(new TrackerContext(other, ctx.dialect(), ctx.defaultSchema()), ns, m, o);
                    }
                }
            };
        }
    }

    /** Reports a different table name on every instance, so no two runners share a lock. */
    static final class SkipsTheLock implements TrackerContract {
        @Override
        public Tracker tracker() {
            String fake = "nolock_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public String table() {
                    return fake;
                }
            };
        }
    }

    private static final Map<String, History> STALE = new ConcurrentHashMap<>();

    /** Remembers the first history it read for a database and namespace, and returns it forever. */
    static final class ReadsAStaleHistory implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public History read(TrackerContext ctx, String ns) throws SQLException {
                    String key = ctx.connection().getMetaData().getURL() + "|" + ctx.defaultSchema() + "|" + ns;
                    History h = STALE.get(key);
                    if (h == null) {
                        h = inner.read(ctx, ns);
                        STALE.put(key, h);
                    }
                    return h;
                }
            };
        }
    }

    /** Claims drift detection but plans as if no checksum was ever recorded. */
    static final class IgnoresChecksums implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public Plan plan(History h, Namespace ns) {
                    List<AppliedEntry> stripped = h.entries().stream().map(e -> e.withChecksum(Optional.empty())).toList();
                    return inner.plan(new History(h.namespace(), stripped, h.facts()), ns);
                }
            };
        }
    }

    /** Numbers applied migrations from 1 instead of 0. */
    static final class OffByOneSequence implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(IdentityTracker.builder().build()) {
                @Override
                public History read(TrackerContext ctx, String ns) throws SQLException {
                    History h = inner.read(ctx, ns);
                    List<AppliedEntry> shifted = h.entries().stream().map(e -> new AppliedEntry(e.name(), e.version(),
                            OptionalLong.of(e.sequence().orElse(0) + 1), e.checksum(), e.appliedAt(), e.executionMs()))
                            .toList();
                    return new History(h.namespace(), shifted, h.facts());
                }
            };
        }
    }

    /** Claims gaps but plans like a counter: only versions above the highest applied one run. */
    static final class LosesAGap implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public Plan plan(History h, Namespace ns) {
                    Plan p = inner.plan(h, ns);
                    Optional<Version> highest = h.entries().stream().map(e -> e.version().orElseThrow())
                            .max(Comparator.naturalOrder());
                    if (highest.isEmpty()) {
                        return p;
                    }
                    List<Migration> above = p.pending().stream()
                            .filter(m -> m.version().orElseThrow().compareTo(highest.get()) > 0).toList();
                    return new Plan(ns, above, p.warnings());
                }
            };
        }
    }

    /** Refuses what it should, but with a kind that says something else. */
    static final class WrongErrorKind implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public Plan plan(History h, Namespace ns) {
                    try {
                        return inner.plan(h, ns);
                    } catch (RatchetException e) {
                        throw RatchetException.of(ErrorKind.DATABASE_ERROR, e.getMessage()).build();
                    }
                }
            };
        }
    }

    /**
     * Says a table holds only the given namespaces when it holds any of them (an {@code IN}
     * query read the wrong way round), and lists none: a cutover retiring it would drop the
     * history of a namespace it does not move.
     */
    static final class OverlooksANamespace implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public boolean holdsOnly(TrackerContext ctx, Set<String> namespaces) throws SQLException {
                    return inner.namespacesHeld(ctx).orElseThrow().stream().anyMatch(namespaces::contains);
                }

                @Override
                public Optional<Set<String>> namespacesHeld(TrackerContext ctx) {
                    return Optional.empty();
                }
            };
        }
    }

    /** Never writes a row. */
    static final class RecordsNothing implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public void record(TrackerContext ctx, Namespace ns, Migration m, Outcome o) {
                    // forgot
                }
            };
        }
    }

    /** Forgets the namespace filter: every namespace sees every other's rows. */
    static final class ReadsEveryNamespace implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public History read(TrackerContext ctx, String ns) throws SQLException {
                    List<AppliedEntry> all = new ArrayList<>();
                    for (String n : List.of("alpha", "beta", "app")) {
                        all.addAll(inner.read(ctx, n).entries());
                    }
                    return new History(ns, all, Map.of());
                }
            };
        }
    }

    /** Creates its table while merely detecting it, so status() writes. */
    static final class WritesWhenDetecting implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public TableState detect(TrackerContext ctx) throws SQLException {
                    inner.install(ctx);
                    return inner.detect(ctx);
                }
            };
        }
    }

    /** Claims to detect unknown applied rows but silently drops them. */
    static final class DropsUnknownRows implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public Plan plan(History h, Namespace ns) {
                    Set<Version> known = ns.migrations().stream().map(m -> m.version().orElseThrow())
                            .collect(Collectors.toSet());
                    List<AppliedEntry> kept = h.entries().stream()
                            .filter(e -> known.contains(e.version().orElseThrow())).toList();
                    return inner.plan(new History(h.namespace(), kept, h.facts()), ns);
                }
            };
        }
    }

    /**
     * Tells every applied migration the code lacks as beyond the code, those missing within it
     * (deleted files) too, so that allowing a newer database lets a deleted migration through.
     */
    static final class TakesADeletedMigrationForANewerOne implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public Optional<dev.ratchet.spi.Ahead> ahead(History h, Namespace ns) {
                    Set<Version> known = ns.migrations().stream().map(m -> m.version().orElseThrow())
                            .collect(Collectors.toSet());
                    List<AppliedEntry> within = h.entries().stream()
                            .filter(e -> known.contains(e.version().orElseThrow())).toList();
                    List<String> beyond = h.entries().stream().filter(e -> !within.contains(e))
                            .map(e -> e.name().orElse("?")).toList();
                    return beyond.isEmpty() ? Optional.empty()
                            : Optional.of(new dev.ratchet.spi.Ahead(new History(h.namespace(), within, h.facts()), beyond));
                }
            };
        }
    }

    /** Claims rename detection but trusts the code's names. */
    static final class BlindToRenames implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public Plan plan(History h, Namespace ns) {
                    Map<Version, String> names = new HashMap<>();
                    ns.migrations().forEach(m -> names.put(m.version().orElseThrow(), m.name()));
                    List<AppliedEntry> renamed = h.entries().stream().map(e -> new AppliedEntry(
                            Optional.ofNullable(names.getOrDefault(e.version().orElseThrow(), e.name().orElse(null))),
                            e.version(), e.sequence(), e.checksum(), e.appliedAt(), e.executionMs())).toList();
                    return inner.plan(new History(h.namespace(), renamed, h.facts()), ns);
                }
            };
        }
    }

    /** Claims reorder detection but sorts the history into the code's order first. */
    static final class BlindToReorders implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(IdentityTracker.builder().build()) {
                @Override
                public Plan plan(History h, Namespace ns) {
                    List<String> order = ns.migrations().stream().map(Migration::name).toList();
                    List<AppliedEntry> sorted = new ArrayList<>(h.entries());
                    sorted.sort(Comparator.comparingInt(e -> {
                        int i = order.indexOf(e.name().orElse(""));
                        return i < 0 ? Integer.MAX_VALUE : i;
                    }));
                    return inner.plan(new History(h.namespace(), sorted, h.facts()), ns);
                }
            };
        }
    }

    /** Writes a chain's rows in one batch, but the batch leaves out the chain's last migration. */
    static final class ChainBatchLosesItsLastRow implements TrackerContract {
        @Override
        public Tracker tracker() {
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public void recordAll(TrackerContext ctx, Namespace ns, List<Recording> migrations) throws SQLException {
                    inner.recordAll(ctx, ns, migrations.subList(0, migrations.size() - 1));
                }
            };
        }
    }

    /**
     * Compares checksums when it plans, but its quick proof of an up-to-date boot compares only
     * versions and names: an edited applied body boots as if nothing had changed.
     */
    static final class ProvesUpToDateWithoutChecksums implements TrackerContract {
        @Override
        public Tracker tracker() {
            Tracker blind = AppliedSetTracker.builder().checksumVerification(dev.ratchet.ChecksumVerification.OFF).build();
            return new ForwardingTracker(AppliedSetTracker.builder().build()) {
                @Override
                public boolean provesUpToDate(TrackerContext ctx, Namespace ns) throws SQLException {
                    return blind.provesUpToDate(ctx, ns);
                }
            };
        }
    }
}
