package dev.ratchet.conformance;

import dev.ratchet.ChecksumVerification;
import dev.ratchet.ErrorKind;
import dev.ratchet.MigrateResult;
import dev.ratchet.MigrationListener;
import dev.ratchet.Namespace;
import dev.ratchet.NamespaceStatus;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.TransactionMode;
import dev.ratchet.VerifyResult;
import dev.ratchet.spi.Capability;
import dev.ratchet.spi.Tracker;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.state.ActionChain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The tracker conformance suite. A tracker passes when every property here holds on every
 * database of {@link #databases()}; a property about a capability the tracker does not claim
 * is skipped (see {@link RequiresCapability}), never counted as passed.
 *
 * <p>Run it against a tracker with a test class of a few lines:
 * <pre>{@code
 * class MyTrackerConformanceTest implements TrackerContract {
 *     public Tracker tracker() { return new MyTracker(); }
 * }
 * }</pre>
 * Every property opens fresh databases for each try and reports the seed of a failure, which
 * {@code @Property(seed = "...")} replays. See {@code conformance-tests/README.md}.
 */
@AddLifecycleHook(value = ConformanceTries.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
public interface TrackerContract {
    /**
     * Tries per database-backed property: enough to find bugs, small enough for CI. A deeper run
     * sets {@value ConformanceTries#PROPERTY} (see {@link ConformanceTries}).
     */
    int TRIES = 12;

    /** A new tracker, configured as an application would. */
    Tracker tracker();

    /** The databases to run on (default: PostgreSQL and SQLite). */
    default List<DatabaseProvider> databases() {
        return List.of(DatabaseProvider.postgres(), DatabaseProvider.sqlite());
    }

    /**
     * How to delete one tracker row by hand, for the property about tampered tracker tables
     * (default: none, and that property is skipped). The SPI has no such operation, so the
     * tracker's author supplies the SQL: {@code (connection, namespace, name) -> DELETE ...}.
     */
    default java.util.Optional<RowDeleter> rowDeleter() {
        return java.util.Optional.empty();
    }

    /** Deletes the tracker row of one applied migration, as an operator editing the table would. */
    @FunctionalInterface
    interface RowDeleter {
        void delete(java.sql.Connection connection, String namespace, String name) throws java.sql.SQLException;
    }

    /** Trackers the stateful model may cut over to and back (default: none). */
    default List<Supplier<Tracker>> cutoverTargets() {
        return List.of();
    }

    // ------------------------------------------------------------------ generators

    /** Migration lists: 1 to 6 migrations with unicode and long names, plain, dotted or 20-digit versions. */
    @Provide
    default Arbitrary<List<Spec>> code() {
        Arbitrary<String> description = Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyz_éßüжω日本")
                .withCharRange('a', 'z')
                .ofMinLength(1).ofMaxLength(80);
        return Combinators.combine(description.list().ofMinSize(1).ofMaxSize(6), Arbitraries.integers().between(0, 2))
                .as((descriptions, style) -> Spec.of(descriptions, style, 0, tracker()));
    }

    // ------------------------------------------------------------------ helpers

    /** A Ratchet for the tracker under test (quiet, not looking at other trackers). */
    default Ratchet.Builder ratchet(TestDatabase db, Tracker tracker, Namespace... namespaces) {
        Ratchet.Builder b = Ratchet.builder().dataSource(db.dataSource()).tracker(tracker).ignoreOtherTrackers()
                .lockTimeout(Duration.ofSeconds(60)).listener(new MigrationListener() {
                });
        for (Namespace ns : namespaces) {
            b.namespace(ns);
        }
        return b;
    }

    /** Runs {@code check} on a fresh database of every provider, closing it afterwards. */
    default void onEveryDatabase(DatabaseCheck check) throws Exception {
        for (DatabaseProvider provider : databases()) {
            try (TestDatabase db = provider.open()) {
                Probe.createEffects(db);
                try {
                    check.run(db);
                } catch (AssertionError e) {
                    throw new AssertionError("on " + provider.name() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** A check against one database. */
    @FunctionalInterface
    interface DatabaseCheck {
        void run(TestDatabase db) throws Exception;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static void equal(Object expected, Object actual, String message) {
        if (!expected.equals(actual)) {
            throw new AssertionError(message + ": expected " + expected + " but was " + actual);
        }
    }

    private static RatchetException refusal(Runnable action, String what) {
        try {
            action.run();
        } catch (RatchetException e) {
            return e;
        }
        throw new AssertionError(what + " was not refused");
    }

    // ------------------------------------------------------------------ properties

    /** Migrating twice equals migrating once; status() and plan() never write; namespaces stay apart. */
    @Property(tries = TRIES)
    default void migratingTwiceEqualsMigratingOnce(@ForAll("code") List<Spec> code, @ForAll boolean split)
            throws Exception {
        Tracker tracker = tracker();
        boolean two = split && code.size() > 1 && tracker.capabilities().contains(Capability.MULTIPLE_NAMESPACES);
        List<Spec> first = two ? code.subList(0, code.size() / 2) : code;
        List<Spec> second = two ? code.subList(code.size() / 2, code.size()) : List.of();
        Namespace[] namespaces = two
                ? new Namespace[] {Spec.namespace("alpha", first), Spec.namespace("beta", second)}
                : new Namespace[] {Spec.namespace("alpha", first)};
        onEveryDatabase(db -> {
            Ratchet ratchet = ratchet(db, tracker, namespaces).build();
            String fresh = SchemaFingerprint.of(db);
            ratchet.status();
            ratchet.plan();
            equal(fresh, SchemaFingerprint.of(db), "status() and plan() wrote to a fresh database");

            MigrateResult once = ratchet.migrate();
            equal(code.size(), once.applied().size(), "migrations applied by the first migrate()");
            equal(Probe.once(code), Probe.effects(db), "effects after the first migrate()");
            String migrated = SchemaFingerprint.of(db);

            if (tracker.capabilities().contains(Capability.MULTIPLE_NAMESPACES)) {
                heldNamespacesAgree(db, tracker, two ? Set.of("alpha", "beta") : Set.of("alpha"));
            }

            MigrateResult twice = ratchet(db, tracker(), namespaces).build().migrate();
            check(twice.applied().isEmpty(), "the second migrate() applied " + twice.applied());
            equal(migrated, SchemaFingerprint.of(db), "the second migrate() changed the database");
            for (NamespaceStatus s : ratchet.status()) {
                check(s.isUpToDate(), "status of " + s.namespace() + " after migrate(): " + s);
                Probe.checkSequences(s);
            }
            ratchet.plan().forEach(p -> check(p.isUpToDate(), "plan() after migrate(): " + p.pending()));
            equal(migrated, SchemaFingerprint.of(db), "status() or plan() wrote to a migrated database");
        });
    }

    /**
     * A cutover that retires its source table asks {@link Tracker#holdsOnly} first: a true answer
     * for namespaces that miss one the table holds would drop that one's history. So it never
     * answers true then; and {@link Tracker#namespacesHeld}, where answered, lists exactly the
     * namespaces migrated.
     */
    private static void heldNamespacesAgree(TestDatabase db, Tracker tracker, Set<String> held) throws Exception {
        try (java.sql.Connection c = db.connect()) {
            dev.ratchet.spi.TrackerContext context = new dev.ratchet.spi.TrackerContext(c,
                    dev.ratchet.internal.DatabaseDialect.of(c), db.schema());
            java.util.Optional<Set<String>> listed = tracker.namespacesHeld(context);
            listed.ifPresent(l -> equal(held, l, "namespacesHeld() after migrating " + held));
            for (String left : held) {
                Set<String> others = new java.util.TreeSet<>(held);
                others.remove(left);
                others.add("unrelated");
                check(!tracker.holdsOnly(context, others), "holdsOnly(" + others + ") said true, but the table holds"
                        + " history of '" + left + "': retiring it after a cutover of " + others + " would lose it");
            }
        }
    }

    /**
     * A chain (several migrations in one transaction, recorded together through
     * {@link Tracker#recordAll}) leaves the history that one transaction per migration leaves
     * ({@link Tracker#record} once each), when and how long aside; also on top of history
     * already applied.
     */
    @Property(tries = TRIES)
    default void aChainRecordsWhatOneTransactionPerMigrationRecords(@ForAll("code") List<Spec> code,
                                                                   @ForAll @IntRange(min = 0, max = 6) int alreadyApplied)
            throws Exception {
        List<Spec> prefix = code.subList(0, Math.min(alreadyApplied, code.size()));
        for (DatabaseProvider provider : databases()) {
            Map<TransactionMode, List<String>> histories = new java.util.EnumMap<>(TransactionMode.class);
            for (TransactionMode mode : TransactionMode.values()) {
                try (TestDatabase db = provider.open()) {
                    Probe.createEffects(db);
                    if (!prefix.isEmpty()) {
                        ratchet(db, tracker(), Spec.namespace("app", prefix)).transactionMode(mode).build().migrate();
                    }
                    MigrateResult r = ratchet(db, tracker(), Spec.namespace("app", code)).transactionMode(mode).build()
                            .migrate();
                    equal(code.size() - prefix.size(), r.applied().size(),
                            "on " + provider.name() + ": migrations applied in " + mode + " mode");
                    equal(Probe.once(code), Probe.effects(db), "on " + provider.name() + ": effects in " + mode + " mode");
                    NamespaceStatus status = ratchet(db, tracker(), Spec.namespace("app", code)).build().status().get(0);
                    check(status.isUpToDate(), "on " + provider.name() + ": status after " + mode + " mode: " + status);
                    List<String> history = new ArrayList<>();
                    status.applied().forEach(e -> history.add(e.name() + " " + e.version() + " " + e.sequence() + " "
                            + e.checksum()));
                    history.add("facts " + new java.util.TreeMap<>(status.facts()));
                    histories.put(mode, history);
                }
            }
            equal(histories.get(TransactionMode.PER_MIGRATION), histories.get(TransactionMode.CHAIN),
                    "on " + provider.name() + ": the history a chain recorded (expected: one transaction per migration's)");
        }
    }

    /** K runners released together: every migration's effect committed exactly once. */
    @Property(tries = TRIES)
    default void concurrentBootsApplyEachMigrationOnce(@ForAll("code") List<Spec> code,
                                                       @ForAll @IntRange(min = 2, max = 8) int runners,
                                                       @ForAll @IntRange(min = 0, max = 6) int alreadyApplied)
            throws Exception {
        List<Spec> prefix = code.subList(0, Math.min(alreadyApplied, code.size()));
        onEveryDatabase(db -> {
            if (!prefix.isEmpty()) {
                ratchet(db, tracker(), Spec.namespace("app", prefix)).build().migrate();
            }
            CyclicBarrier start = new CyclicBarrier(runners);
            ExecutorService pool = Executors.newFixedThreadPool(runners);
            try {
                List<Future<MigrateResult>> runs = new ArrayList<>();
                for (int i = 0; i < runners; i++) {
                    Ratchet ratchet = ratchet(db, tracker(), Spec.namespace("app", code)).build();
                    runs.add(pool.submit(() -> {
                        start.await(60, TimeUnit.SECONDS);
                        return ratchet.migrate();
                    }));
                }
                for (Future<MigrateResult> run : runs) {
                    try {
                        run.get(180, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (!(e.getCause() instanceof RatchetException r) || r.kind() != ErrorKind.CONCURRENT_APPLY) {
                            throw new AssertionError("a runner failed with a non-retryable error: " + e.getCause(),
                                    e.getCause());
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            equal(Probe.once(code), Probe.effects(db), runners + " concurrent runners");
            NamespaceStatus status = ratchet(db, tracker(), Spec.namespace("app", code)).build().status().get(0);
            check(status.isUpToDate(), "status after concurrent boots: " + status);
            Probe.checkSequences(status);
        });
    }

    /** A history with holes: the holes run in order (GAPS), or the tracker refuses, or reports them unverifiable. */
    @Property(tries = TRIES)
    default void gapsFollowTheClaimedBehaviour(@ForAll("code") List<Spec> code, @ForAll long holeSeed)
            throws Exception {
        if (code.size() < 3) {
            return;
        }
        java.util.Random random = new java.util.Random(holeSeed);
        List<Spec> holes = new ArrayList<>();
        List<Spec> applied = new ArrayList<>();
        for (int i = 0; i < code.size(); i++) {
            boolean hole = i > 0 && i < code.size() - 1 && (holes.isEmpty() || random.nextBoolean());
            (hole ? holes : applied).add(code.get(i));
        }
        boolean gaps = tracker().capabilities().contains(Capability.GAPS);
        onEveryDatabase(db -> {
            ratchet(db, tracker(), Spec.namespace("app", applied)).build().migrate();
            String before = SchemaFingerprint.of(db);
            Ratchet full = ratchet(db, tracker(), Spec.namespace("app", code)).build();
            if (gaps) {
                MigrateResult result = full.migrate();
                equal(holes.stream().map(Spec::name).toList(),
                        result.applied().stream().map(a -> a.name()).toList(), "the holes run, in order");
                equal(Probe.once(code), Probe.effects(db), "effects after running the holes");
                return;
            }
            try {
                MigrateResult result = full.migrate();
                check(result.applied().isEmpty(), "a tracker without GAPS ran " + result.applied());
                Set<String> unverifiable = new HashSet<>(full.status().get(0).unverifiable().stream()
                        .map(m -> m.name()).toList());
                for (Spec hole : holes) {
                    check(unverifiable.contains(hole.name()), "hole " + hole.name()
                            + " was neither run, nor refused, nor reported unverifiable");
                }
            } catch (RatchetException e) {
                equal(ErrorKind.Family.REFUSED, e.kind().family(), "kind of the refusal " + e.kind());
                if (e.context().containsKey("index")) {
                    equal(code.indexOf(holes.get(0)), e.context().get("index"), "index of the first hole");
                }
                equal(before, SchemaFingerprint.of(db), "a refusal changed the database");
            }
        });
    }

    /** An applied migration renamed in code is refused; nothing is applied. */
    @Property(tries = TRIES)
    @RequiresCapability(Capability.RENAME_DETECTION)
    default void aRenamedAppliedMigrationIsRefused(@ForAll("code") List<Spec> code, @ForAll int pick)
            throws Exception {
        int i = Math.floorMod(pick, code.size());
        onEveryDatabase(db -> {
            ratchet(db, tracker(), Spec.namespace("app", code)).build().migrate();
            String before = SchemaFingerprint.of(db);
            List<Spec> renamed = new ArrayList<>(code);
            renamed.set(i, code.get(i).renamed());
            RatchetException e = refusal(() -> ratchet(db, tracker(), Spec.namespace("app", renamed)).build().migrate(),
                    "renaming applied migration " + code.get(i).name());
            check(Set.of(ErrorKind.RENAMED_AFTER_APPLY, ErrorKind.NAME_DIVERGENCE).contains(e.kind()),
                    "a rename was refused with " + e.kind());
            equal(before, SchemaFingerprint.of(db), "the refusal changed the database");
        });
    }

    /** Applied migrations reordered in code are refused; nothing is applied. */
    @Property(tries = TRIES)
    @RequiresCapability(Capability.REORDER_DETECTION)
    default void reorderedAppliedMigrationsAreRefused(@ForAll("code") List<Spec> code, @ForAll int pick)
            throws Exception {
        if (code.size() < 2) {
            return;
        }
        int i = Math.floorMod(pick, code.size() - 1);
        onEveryDatabase(db -> {
            ratchet(db, tracker(), Spec.namespace("app", code)).build().migrate();
            String before = SchemaFingerprint.of(db);
            List<Spec> reordered = new ArrayList<>(code);
            reordered.set(i, code.get(i + 1));
            reordered.set(i + 1, code.get(i));
            RatchetException e = refusal(() -> ratchet(db, tracker(), Spec.namespace("app", reordered)).build()
                    .migrate(), "swapping applied migrations " + i + " and " + (i + 1));
            equal(ErrorKind.NAME_DIVERGENCE, e.kind(), "kind of the refusal");
            equal(i, e.context().get("index"), "index of the divergence");
            equal(before, SchemaFingerprint.of(db), "the refusal changed the database");
        });
    }

    /** A binary older than the database (code lacks the last applied migrations) is refused. */
    @Property(tries = TRIES)
    @RequiresCapability(Capability.BINARY_OLDER_DETECTION)
    default void aBinaryOlderThanTheDatabaseIsRefused(@ForAll("code") List<Spec> code,
                                                      @ForAll @IntRange(min = 1, max = 6) int missing)
            throws Exception {
        int keep = Math.max(0, code.size() - missing);
        onEveryDatabase(db -> {
            ratchet(db, tracker(), Spec.namespace("app", code)).build().migrate();
            String before = SchemaFingerprint.of(db);
            RatchetException e = refusal(() -> ratchet(db, tracker(), Spec.namespace("app", code.subList(0, keep)))
                    .build().migrate(), "code without its last " + (code.size() - keep) + " applied migrations");
            check(Set.of(ErrorKind.BINARY_OLDER_THAN_DB, ErrorKind.UNKNOWN_APPLIED_VERSION).contains(e.kind()),
                    "an older binary was refused with " + e.kind());
            equal(before, SchemaFingerprint.of(db), "the refusal changed the database");
        });
    }

    /**
     * With {@code allowNewerDatabase()}, code without the last applied migrations (an older
     * release run on purpose, as in a rollback) boots: it runs and writes nothing, warns, and its
     * status has nothing pending and no problem; the newer code then finds nothing to run. An
     * applied migration deleted within the code is still refused.
     */
    @Property(tries = TRIES)
    @RequiresCapability(Capability.NEWER_DATABASE)
    default void anOlderReleaseBootsOnANewerDatabaseWhenAllowed(@ForAll("code") List<Spec> code,
                                                                 @ForAll @IntRange(min = 1, max = 6) int missing,
                                                                 @ForAll int pick) throws Exception {
        int keep = Math.max(0, code.size() - missing);
        List<Spec> older = code.subList(0, keep);
        onEveryDatabase(db -> {
            ratchet(db, tracker(), Spec.namespace("app", code)).build().migrate();
            String before = SchemaFingerprint.of(db);
            Ratchet allowed = ratchet(db, tracker(), Spec.namespace("app", older)).allowNewerDatabase().build();
            MigrateResult result = allowed.migrate();
            check(result.applied().isEmpty(), "the older release applied " + result.applied());
            check(result.warnings().stream().anyMatch(w -> w.contains("ahead of this code")),
                    "no warning that the database is ahead: " + result.warnings());
            NamespaceStatus status = allowed.status().get(0);
            check(status.isUpToDate(), "status of the older release: " + status);
            check(status.warnings().stream().anyMatch(w -> w.contains("ahead of this code")),
                    "status() does not warn that the database is ahead: " + status.warnings());
            allowed.plan().forEach(p -> check(p.isUpToDate(), "plan() of the older release: " + p.pending()));
            VerifyResult verified = allowed.verify();
            check(verified.ok() && verified.verified().isEmpty(), "verify() of the older release: " + verified);
            check(verified.warnings().stream().anyMatch(w -> w.contains("ahead of this code")),
                    "verify() does not warn that the database is ahead: " + verified.warnings());
            equal(before, SchemaFingerprint.of(db), "the older release changed the database");
            MigrateResult newer = ratchet(db, tracker(), Spec.namespace("app", code)).build().migrate();
            check(newer.applied().isEmpty(), "the newer release ran again: " + newer.applied());

            if (code.size() > 2 && tracker().capabilities().contains(Capability.UNKNOWN_APPLIED_DETECTION)) {
                // an older release (without the last migration) that also lacks one of its own
                List<Spec> deleted = new ArrayList<>(code.subList(0, code.size() - 1));
                Spec gone = deleted.remove(Math.floorMod(pick, code.size() - 2)); // not that release's last
                RatchetException e = refusal(() -> ratchet(db, tracker(), Spec.namespace("app", deleted))
                        .allowNewerDatabase().build().migrate(), "deleting applied migration " + gone.name()
                        + " from an older release");
                check(Set.of(ErrorKind.UNKNOWN_APPLIED_VERSION, ErrorKind.BINARY_OLDER_THAN_DB,
                        ErrorKind.NAME_DIVERGENCE).contains(e.kind()), "a deleted migration was refused with " + e.kind());
                equal(before, SchemaFingerprint.of(db), "the refusal changed the database");
            }
        });
    }

    /**
     * With {@code allowNewerDatabase()}, an older release that would still run a migration on a
     * newer database (one the newer release did not run) is refused, and nothing is written.
     */
    @Property(tries = TRIES)
    @RequiresCapability({Capability.NEWER_DATABASE, Capability.GAPS})
    default void anOlderReleaseWithAMigrationToRunIsRefusedOnANewerDatabase(@ForAll("code") List<Spec> code,
                                                                            @ForAll int pick) throws Exception {
        if (code.size() < 2) {
            return;
        }
        int hole = Math.floorMod(pick, code.size() - 1);
        List<Spec> newer = new ArrayList<>(code);
        newer.remove(hole);
        List<Spec> older = code.subList(0, code.size() - 1);
        onEveryDatabase(db -> {
            ratchet(db, tracker(), Spec.namespace("app", newer)).build().migrate();
            String before = SchemaFingerprint.of(db);
            RatchetException e = refusal(() -> ratchet(db, tracker(), Spec.namespace("app", older))
                    .allowNewerDatabase().build().migrate(), "an older release with " + code.get(hole).name()
                    + " to run on a newer database");
            check(Set.of(ErrorKind.UNKNOWN_APPLIED_VERSION, ErrorKind.BINARY_OLDER_THAN_DB).contains(e.kind()),
                    "refused with " + e.kind());
            equal(List.of(code.get(hole).name()), e.context().get("pending"), "what the refusal says would run");
            equal(before, SchemaFingerprint.of(db), "the refusal changed the database");
        });
    }

    /** An applied migration deleted from the code, anywhere in it, is refused; nothing is applied. */
    @Property(tries = TRIES)
    @RequiresCapability(Capability.UNKNOWN_APPLIED_DETECTION)
    default void anAppliedMigrationDeletedFromTheCodeIsRefused(@ForAll("code") List<Spec> code, @ForAll int pick,
                                                               @ForAll boolean addPending) throws Exception {
        int i = Math.floorMod(pick, code.size());
        onEveryDatabase(db -> {
            ratchet(db, tracker(), Spec.namespace("app", code)).build().migrate();
            String before = SchemaFingerprint.of(db);
            List<Spec> deleted = new ArrayList<>(code);
            deleted.remove(i);
            if (addPending) {
                deleted.addAll(Spec.of(List.of("later"), 0, 1000, tracker()));
            }
            RatchetException e = refusal(() -> ratchet(db, tracker(), Spec.namespace("app", deleted)).build().migrate(),
                    "deleting applied migration " + code.get(i).name() + " from the code");
            check(Set.of(ErrorKind.UNKNOWN_APPLIED_VERSION, ErrorKind.BINARY_OLDER_THAN_DB, ErrorKind.NAME_DIVERGENCE)
                    .contains(e.kind()), "a deleted migration was refused with " + e.kind());
            equal(before, SchemaFingerprint.of(db), "the refusal changed the database");
        });
    }

    /**
     * A tracker row deleted by hand (not the last one): a name-prefix tracker refuses at that
     * index; a gap-tolerant tracker reports the migration pending again (it cannot tell a deleted
     * row from a gap). Skipped without a {@link #rowDeleter()}.
     */
    @Property(tries = TRIES)
    @RequiresRowDeleter
    default void aDeletedTrackerRowIsDetectedOrReportedPending(@ForAll("code") List<Spec> code, @ForAll int pick)
            throws Exception {
        if (code.size() < 2) {
            return;
        }
        RowDeleter deleter = rowDeleter().orElseThrow();
        int i = Math.floorMod(pick, code.size() - 1);
        boolean prefix = tracker().capabilities().contains(Capability.REORDER_DETECTION);
        boolean gaps = tracker().capabilities().contains(Capability.GAPS);
        onEveryDatabase(db -> {
            ratchet(db, tracker(), Spec.namespace("app", code)).build().migrate();
            try (java.sql.Connection c = db.connect()) {
                deleter.delete(c, "app", code.get(i).name());
            }
            String before = SchemaFingerprint.of(db);
            Ratchet ratchet = ratchet(db, tracker(), Spec.namespace("app", code)).build();
            if (prefix) {
                RatchetException e = refusal(ratchet::migrate, "a deleted tracker row at index " + i);
                equal(ErrorKind.NAME_DIVERGENCE, e.kind(), "kind of the refusal");
                equal(i, e.context().get("index"), "index of the divergence");
                equal(before, SchemaFingerprint.of(db), "the refusal changed the database");
            } else if (gaps) {
                NamespaceStatus status = ratchet.status().get(0);
                equal(List.of(code.get(i).name()), status.pending().stream().map(m -> m.name()).toList(),
                        "pending after deleting the row of " + code.get(i).name());
            }
        });
    }

    /**
     * The quick proof of an up-to-date boot ({@link Tracker#provesUpToDate}) never contradicts the
     * plan: after a migrate, against the same code and against the code renamed, edited,
     * shortened, reordered or lengthened at a random place, and then with a row deleted by hand
     * (with {@link #rowDeleter()}), a tracker that says "up to date" must have a plan, from a
     * fresh read, with nothing pending, no refusal and no warning. A tracker that never claims
     * the proof passes as it is: its boots always read and plan.
     */
    @Property(tries = TRIES)
    default void theUpToDateProofNeverContradictsThePlan(@ForAll("code") List<Spec> code, @ForAll int pick)
            throws Exception {
        int i = Math.floorMod(pick, code.size());
        Map<String, List<Spec>> variants = new java.util.LinkedHashMap<>();
        variants.put("the same code", code);
        List<Spec> renamed = new ArrayList<>(code);
        renamed.set(i, code.get(i).renamed());
        variants.put("a rename at " + i, renamed);
        List<Spec> edited = new ArrayList<>(code);
        edited.set(i, code.get(i).edit());
        variants.put("an edit at " + i, edited);
        List<Spec> shorter = new ArrayList<>(code);
        shorter.remove(i);
        variants.put("a deletion from the code at " + i, shorter);
        if (code.size() > 1) {
            int j = Math.min(i, code.size() - 2);
            List<Spec> swapped = new ArrayList<>(code);
            swapped.set(j, code.get(j + 1));
            swapped.set(j + 1, code.get(j));
            variants.put("a swap at " + j, swapped);
        }
        List<Spec> longer = new ArrayList<>(code);
        longer.addAll(Spec.of(List.of("later"), 0, 1000, tracker()));
        variants.put("a migration more", longer);
        onEveryDatabase(db -> {
            ratchet(db, tracker(), Spec.namespace("app", code)).build().migrate();
            for (Map.Entry<String, List<Spec>> v : variants.entrySet()) {
                proofAgreesWithThePlan(db, v.getValue(), v.getKey());
            }
            if (rowDeleter().isPresent()) {
                try (java.sql.Connection c = db.connect()) {
                    rowDeleter().get().delete(c, "app", code.get(i).name());
                }
                proofAgreesWithThePlan(db, code, "the tracker row of " + code.get(i).name() + " deleted");
            }
        });
    }

    /**
     * A tracker table edited by hand, cell by cell, never passes the quick proof of an up-to-date
     * boot where a read would refuse it or plan work: after a migrate, one or two cells of the
     * tracker's table (its columns as the database's catalog lists them) are set to NULL (on
     * PostgreSQL after dropping the column's NOT NULL), to the next column's value, to a text with
     * a space or in another case, to 0, 1 or -1; whenever {@code provesUpToDate} then says true, a
     * fresh read and plan find nothing pending, refuse nothing and warn about nothing. An edit the
     * database refuses (a type, a key) leaves the cell as it was.
     */
    @Property(tries = TRIES)
    default void theUpToDateProofNeverTakesACellEditTheReadRefuses(@ForAll("code") List<Spec> code,
                                                                   @ForAll("cellEdits") List<CellEdit> edits)
            throws Exception {
        onEveryDatabase(db -> {
            ratchet(db, tracker(), Spec.namespace("app", code)).build().migrate();
            List<String> done = new ArrayList<>();
            try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
                Tracker tracker = tracker();
                String schema = tracker.schema().orElse(db.schema());
                List<String> columns = new ArrayList<>();
                boolean sqlite = db.kind() == DatabaseKind.SQLITE;
                try (java.sql.ResultSet rs = c.getMetaData().getColumns(null, sqlite ? null : schema, tracker.table(),
                        null)) {
                    while (rs.next()) {
                        columns.add(rs.getString("COLUMN_NAME"));
                    }
                }
                check(!columns.isEmpty(), "the catalog lists the columns of " + schema + "." + tracker.table());
                String table = sqlite ? quoted(tracker.table()) : quoted(schema) + "." + quoted(tracker.table());
                for (CellEdit e : edits) {
                    for (String sql : e.sql(table, columns, !sqlite)) {
                        try {
                            st.execute(sql);
                            done.add(sql);
                        } catch (java.sql.SQLException refused) {
                            // the database refused the edit: the cell is as it was
                        }
                    }
                }
            }
            proofAgreesWithThePlan(db, code, "the edits " + done);
        });
    }

    /** An identifier in double quotes, as both databases take it. */
    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * An edit of one cell: the column at {@code column} (modulo their number) of the rows holding
     * its {@code row}-th smallest value is set to {@code value}: SQL in which {@code $} is that
     * column, or {@code @}, the next column.
     */
    record CellEdit(int row, int column, String value) {
        List<String> sql(String table, List<String> columns, boolean postgres) {
            int i = Math.floorMod(column, columns.size());
            String c = quoted(columns.get(i));
            String next = quoted(columns.get((i + 1) % columns.size()));
            String update = "UPDATE " + table + " SET " + c + " = " + (value.equals("@") ? next : value.replace("$", c))
                    + " WHERE " + c + " IN (SELECT " + c + " FROM " + table + " ORDER BY " + c + " LIMIT 1 OFFSET "
                    + row + ")";
            if (postgres && value.equals("NULL")) {
                return List.of("ALTER TABLE " + table + " ALTER COLUMN " + c + " DROP NOT NULL", update);
            }
            return List.of(update);
        }
    }

    /** One or two cell edits. */
    @Provide
    default Arbitrary<List<CellEdit>> cellEdits() {
        Arbitrary<String> values = Arbitraries.of("NULL", "@", "''", "' '", "$ || ' '", "' ' || $", "upper($)",
                "lower($)", "0", "1", "-1", "$ + 1");
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 11), values)
                .as(CellEdit::new).list().ofMinSize(1).ofMaxSize(2);
    }

    /** When the tracker proves {@code code} up to date on {@code db}, its plan agrees. */
    private void proofAgreesWithThePlan(TestDatabase db, List<Spec> code, String what) throws Exception {
        Namespace ns = Spec.namespace("app", code);
        Tracker tracker = tracker();
        try (java.sql.Connection c = db.connect()) {
            dev.ratchet.spi.TrackerContext context = new dev.ratchet.spi.TrackerContext(c,
                    dev.ratchet.internal.DatabaseDialect.of(c), db.schema());
            if (tracker.detect(context) != dev.ratchet.spi.TableState.PRESENT || !tracker.provesUpToDate(context, ns)) {
                return;
            }
            dev.ratchet.Plan plan;
            try {
                plan = tracker.plan(tracker.read(context, "app"), ns);
            } catch (RatchetException e) {
                throw new AssertionError("after " + what + " the tracker proved the database up to date,"
                        + " but its plan refuses: " + e.getMessage(), e);
            }
            check(plan.isUpToDate(), "after " + what + " the tracker proved the database up to date, but "
                    + plan.pending().size() + " migration(s) are pending");
            equal(List.of(), plan.warnings(), "warnings of a plan after " + what + " proved up to date");
        }
    }

    /** An applied migration whose body changed is refused or warned about, never ignored. */
    @Property(tries = TRIES)
    @RequiresCapability(Capability.CHECKSUM_DRIFT_DETECTION)
    default void checksumDriftIsDetected(@ForAll("code") List<Spec> code, @ForAll int pick) throws Exception {
        int i = Math.floorMod(pick, code.size());
        onEveryDatabase(db -> {
            ratchet(db, tracker(), Spec.namespace("app", code)).build().migrate();
            String before = SchemaFingerprint.of(db);
            List<Spec> edited = new ArrayList<>(code);
            edited.set(i, code.get(i).edit());
            try {
                MigrateResult result = ratchet(db, tracker(), Spec.namespace("app", edited)).build().migrate();
                check(result.warnings().stream().anyMatch(w -> w.contains(code.get(i).name())),
                        "the edit of " + code.get(i).name() + " was neither refused nor warned about: "
                                + result.warnings());
            } catch (RatchetException e) {
                equal(ErrorKind.CHECKSUM_DRIFT, e.kind(), "kind of the refusal");
                equal(before, SchemaFingerprint.of(db), "the refusal changed the database");
            }
        });
    }

    /**
     * A tracker whose checksum verification is set by name ({@code withChecksumVerification}, as
     * the command line and application settings do) keeps its table and acts by the mode it was
     * given: {@code FAIL} refuses an edited applied migration and changes nothing, {@code WARN}
     * warns, {@code OFF} neither, and none of them runs anything again.
     */
    @Property(tries = 4)
    @RequiresChecksumVerificationSetting
    default void aChecksumVerificationSetByNameKeepsTheTableAndActsByItsMode(@ForAll("code") List<Spec> code,
                                                                            @ForAll int pick) throws Exception {
        int i = Math.floorMod(pick, code.size());
        List<Spec> edited = new ArrayList<>(code);
        edited.set(i, code.get(i).edit());
        for (ChecksumVerification mode : ChecksumVerification.values()) {
            Tracker set = tracker().withChecksumVerification(mode).orElseThrow(() -> new AssertionError(
                    "withChecksumVerification(FAIL) answered, but withChecksumVerification(" + mode + ") is empty"));
            equal(List.of(tracker().id(), tracker().table(), tracker().schema(), tracker().layoutName()),
                    List.of(set.id(), set.table(), set.schema(), set.layoutName()),
                    "id, table, schema and layout of the tracker with checksum verification " + mode);
            equal(mode != ChecksumVerification.OFF, set.capabilities().contains(Capability.CHECKSUM_DRIFT_DETECTION),
                    "whether the tracker with checksum verification " + mode + " claims CHECKSUM_DRIFT_DETECTION");
            onEveryDatabase(db -> {
                ratchet(db, tracker(), Spec.namespace("app", code)).build().migrate();
                String before = SchemaFingerprint.of(db);
                if (mode == ChecksumVerification.FAIL) {
                    RatchetException e = refusal(() -> ratchet(db, set, Spec.namespace("app", edited)).build().migrate(),
                            "with FAIL, the edit of " + code.get(i).name());
                    equal(ErrorKind.CHECKSUM_DRIFT, e.kind(), "kind of the refusal");
                } else {
                    MigrateResult result = ratchet(db, set, Spec.namespace("app", edited)).build().migrate();
                    equal(mode == ChecksumVerification.WARN,
                            result.warnings().stream().anyMatch(w -> w.contains(code.get(i).name())),
                            "with " + mode + ", whether the edit of " + code.get(i).name() + " was warned about ("
                                    + result.warnings() + ")");
                    equal(List.of(), result.applied(), "migrations run again with " + mode);
                }
                equal(before, SchemaFingerprint.of(db), "the database after a boot with " + mode);
            });
        }
    }

    /**
     * A body failing at a random migration and statement leaves the last committed state of
     * the transaction mode, no trace of the failed migration, and a clean re-run after the fix.
     */
    @Property(tries = TRIES)
    default void aFailingBodyRollsBackToTheLastCommittedState(@ForAll("code") List<Spec> code,
                                                             @ForAll int failPick,
                                                             @ForAll @IntRange(min = 0, max = 2) int statement,
                                                             @ForAll @IntRange(min = 0, max = 6) int alreadyApplied,
                                                             @ForAll TransactionMode mode) throws Exception {
        int fail = Math.floorMod(failPick, code.size());
        List<Spec> prefix = code.subList(0, Math.min(alreadyApplied, fail));
        List<Spec> broken = new ArrayList<>(code);
        broken.set(fail, code.get(fail).failing(statement));
        onEveryDatabase(db -> {
            if (!prefix.isEmpty()) {
                ratchet(db, tracker(), Spec.namespace("app", prefix)).transactionMode(mode).build().migrate();
            }
            RatchetException e = refusal(() -> ratchet(db, tracker(), Spec.namespace("app", broken))
                    .transactionMode(mode).build().migrate(), "a failing migration");
            equal(ErrorKind.MIGRATION_FAILED, e.kind(), "kind of the failure");
            List<Spec> committed = mode == TransactionMode.PER_MIGRATION ? code.subList(0, fail) : prefix;
            equal(Probe.once(committed), Probe.effects(db), "effects after the failure in " + mode + " mode");
            NamespaceStatus status = ratchet(db, tracker(), Spec.namespace("app", code)).build().status().get(0);
            check(status.problem().isEmpty(), "status after the failure: " + status.problem());
            check(status.pending().stream().anyMatch(m -> m.name().equals(code.get(fail).name())),
                    "the failed migration is not pending: it was recorded");

            MigrateResult fixed = ratchet(db, tracker(), Spec.namespace("app", code)).transactionMode(mode).build()
                    .migrate();
            equal(code.size() - committed.size(), fixed.applied().size(), "migrations applied after the fix");
            equal(Probe.once(code), Probe.effects(db), "effects after the fix");
        });
    }

    /**
     * The stateful model: random sequences of adding migrations (some failing), booting, fixing,
     * editing, renaming and dropping applied migrations in code, and cutting over to another
     * tracker and back; the database is compared with an in-memory model after every step.
     */
    @Property(tries = 6)
    default void theTrackerFollowsTheModel(@ForAll("modelChains") ActionChain<Model> chain) {
        try {
            chain.withInvariant("effects match the model", Model::checkInvariant).run();
        } finally {
            Model.closeAll();
        }
    }

    /** The model's action chains. */
    @Provide
    default Arbitrary<ActionChain<Model>> modelChains() {
        return Model.chains(this);
    }
}
