package dev.ratchet.internal;

import static dev.ratchet.internal.Session.cleanup;
import static dev.ratchet.internal.Session.inTransaction;
import static dev.ratchet.internal.Session.sql;

import dev.ratchet.AppliedMigration;
import dev.ratchet.ConnectionSource;
import dev.ratchet.ErrorKind;
import dev.ratchet.History;
import dev.ratchet.LockStrategy;
import dev.ratchet.MigrateResult;
import dev.ratchet.Migration;
import dev.ratchet.MigrationListener;
import dev.ratchet.Namespace;
import dev.ratchet.NamespaceStatus;
import dev.ratchet.Plan;
import dev.ratchet.RatchetException;
import dev.ratchet.TransactionMode;
import dev.ratchet.VerifyResult;
import dev.ratchet.internal.DatabaseDialect.MigrationLock;
import dev.ratchet.spi.Ahead;
import dev.ratchet.spi.TableState;
import dev.ratchet.spi.Capability;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;
import dev.ratchet.spi.Outcome;
import dev.ratchet.spi.Recording;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run loop behind {@link dev.ratchet.Ratchet}. One pinned connection per run; per
 * namespace: lock, then detect/install/read/plan, then run and record, then unlock; session
 * state restored before the connection goes back.
 */
public final class Engine {
    private static final int CONCURRENT_APPLY_ATTEMPTS = 3;

    /**
     * The engine's configuration, validated by the builder of {@link dev.ratchet.Ratchet}.
     *
     * @param source      where the connection comes from
     * @param tracker     the tracker
     * @param namespaces  the namespaces, in migration order
     * @param mode        the transaction mode
     * @param lockTimeout how long to wait for a lock
     * @param lockLease   how long a lease lasts without renewal (lease-based locks)
     * @param listener    progress hooks
     * @param bootstrapFrom the tracker to move history from when this one is empty, or null
     * @param lookForOtherTrackers whether to refuse when another known tracker holds history
     * @param lockStrategy how runners exclude each other
     * @param shutdownWait how long a JVM shutdown waits for a run it cancels (zero: it cancels none)
     * @param allowNewerDatabase whether code older than the database may run (see {@link #plan(History, Namespace)})
     */
    public record Config(ConnectionSource source, Tracker tracker, List<Namespace> namespaces, TransactionMode mode,
                         Duration lockTimeout, Duration lockLease, MigrationListener listener, Tracker bootstrapFrom,
                         boolean lookForOtherTrackers, LockStrategy lockStrategy, Duration shutdownWait,
                         boolean allowNewerDatabase) {
    }

    private final Config config;
    private final Tracker tracker;
    /** The runs of {@link #migrate} and {@link #verify} in progress, which {@link #cancel} stops. */
    private final java.util.Set<Cancellation> runs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** An engine for this configuration. */
    public Engine(Config config) {
        this.config = config;
        this.tracker = config.tracker();
    }

    // ---------------------------------------------------------------- migrate

    /** Migrates every namespace, in order. */
    public MigrateResult migrate() {
        requireWritable("migrate");
        prefetch();
        List<AppliedMigration> applied = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Cancellation run = Cancellation.begin(runs, config.shutdownWait());
        try (Session s = Session.open(config.source(), config.lockTimeout(), tracker, config.lockStrategy())) {
            run.attach(s.dialect, s.connection);
            for (Namespace ns : config.namespaces()) {
                for (int attempt = 1; ; attempt++) {
                    try {
                        migrateNamespace(s, ns, applied, warnings);
                        break;
                    } catch (RatchetException e) {
                        if (e.kind() != ErrorKind.CONCURRENT_APPLY || attempt >= CONCURRENT_APPLY_ATTEMPTS) {
                            throw e;
                        }
                    }
                }
            }
        } catch (RatchetException e) {
            throw run.explain(e);
        } finally {
            run.end(runs);
        }
        return new MigrateResult(applied, warnings);
    }

    /**
     * Stops the {@link #migrate} and {@link #verify} runs in progress, from another thread: the
     * statement of a body running is cancelled, no migration starts after it, and a wait for the
     * lock ends; each run then unwinds as after a failure and throws {@link ErrorKind#RUN_CANCELLED}.
     * Waits at most {@code wait} for them to have ended (released their locks); whether they have.
     * Does nothing to later runs.
     */
    public boolean cancel(java.time.Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Cancellation> now = List.copyOf(runs);
        now.forEach(Cancellation::request);
        boolean ended = true;
        for (Cancellation run : now) {
            ended &= run.awaitEnd(deadline);
        }
        return ended;
    }

    private void migrateNamespace(Session s, Namespace ns, List<AppliedMigration> applied, List<String> warnings) {
        checkTargetSchema(s, ns);
        if (ns.migrations().isEmpty()) {
            // As Flyway's "no migrations found": a location mistyped into an empty directory.
            warn(ns, "the namespace has no migrations, so there is nothing to run: check where they are loaded"
                    + " from (an empty directory or resource folder loads none)", warnings);
        }
        // The fast path of every boot after the first: a namespace that is up to date needs no
        // lock (on SQLite the lease is a write). Applied migrations are committed, so a read
        // without the lock that finds nothing pending is final; anything else is decided again
        // under the lock, from a fresh read.
        TableState state = detect(s, ns);
        if (state == TableState.FOREIGN_SHAPE) {
            throw foreignTable(s, ns);
        }
        RatchetException refusedWithoutLock = null;
        if (state == TableState.PRESENT) {
            if (provesUpToDate(s, ns)) {
                // Every migration is applied, those after a target too.
                pastTarget(ns, new Plan(ns, List.of(), List.of())).ifPresent(w -> warn(ns, w, warnings));
                return;
            }
            try {
                Plan unlocked = targeted(ns, plan(read(s, ns), ns));
                if (unlocked.isUpToDate()) {
                    // What it warns of (drift, a database ahead, past a target) is read, not
                    // written: no lock for it either, which a newer release may hold for long.
                    unlocked.warnings().forEach(w -> warn(ns, w, warnings));
                    return;
                }
            } catch (RatchetException refused) {
                // decided under the lock below: it may be another instance's run in progress (a
                // counter dirty while its migration runs outside a transaction)
                refusedWithoutLock = refused;
            }
        }
        MigrationLock lock;
        Cancellation.lockWait(ns.name(), true);
        try {
            lock = s.dialect.lock(s.connection, s.state, lockScope(s), ns.name(), config.lockTimeout(), config.lockLease());
        } catch (RatchetException e) {
            throw refusedWithoutLock == null || e.kind() != ErrorKind.LOCK_TIMEOUT ? e
                    : alsoRefused(e, refusedWithoutLock);
        } finally {
            Cancellation.lockWait(ns.name(), false);
        }
        Throwable primary = null;
        try {
            Observed observed = observe(s, ns);
            // With no history here, bootstrapOrRefuse moves the bootstrap source's, or else asks
            // every other tracker and refuses if one holds any: past that, none records a pending
            // migration. History it moved is checked below, as any other.
            boolean othersAsked = false;
            if (nothingApplied(observed.plan())) {
                if (bootstrapOrRefuse(s, ns)) {
                    observed = observe(s, ns);
                } else {
                    othersAsked = true;
                }
            }
            Plan plan = targeted(ns, observed.plan());
            for (String w : plan.warnings()) {
                warn(ns, w, warnings);
            }
            if (!plan.isUpToDate()) {
                if (!othersAsked) {
                    refuseAppliedElsewhere(s, plan);
                }
                requireReadable(plan.pending());
                for (String w : scriptWarnings(s, ns, plan.pending())) {
                    warn(ns, w, warnings);
                }
            }
            // Created once nothing is left to refuse: a pending file that cannot be read leaves
            // no tracker table behind.
            if (observed.state() == TableState.ABSENT) {
                inTransaction(s, ns, () -> install(s, ns));
            }
            if (!plan.isUpToDate()) {
                run(s, lock, plan, applied);
            }
        } catch (RuntimeException | Error e) {
            primary = e;
            throw e;
        } finally {
            cleanup(s, primary, "releasing the migration lock", ns, () -> lock.release(s.connection));
        }
    }

    /**
     * Every body about to be applied has been read (a directory source reads files when they are
     * needed, a jar with a checksum manifest the texts it applies): an unreadable file, or one
     * whose text disagrees with the manifest, fails the run before anything is applied.
     */
    private static void requireReadable(List<Migration> pending) {
        for (Migration m : pending) {
            m.prefetch();
        }
        for (Migration m : pending) {
            m.script();
        }
    }

    /**
     * A tracker that verifies checksums needs every file's text: reading starts in the background
     * now, while the runner connects and reads the tracker.
     */
    private void prefetch() {
        if (tracker.capabilities().contains(dev.ratchet.spi.Capability.CHECKSUM_DRIFT_DETECTION)) {
            for (Namespace ns : config.namespaces()) {
                List<Migration> ms = ns.migrations();
                for (int i = 0, n = ms.size(); i < n; i += CHUNK) {
                    prefetch(ms, i, Math.min(n, i + CHUNK));
                }
            }
        }
    }

    /**
     * How many migrations one call of {@link #prefetch(List, int, int)} takes: the loop over a
     * boot's migrations runs once per boot, in the interpreter for a JVM's first dozen boots, while
     * a method called 300 times a boot at N = 5000 is compiled during the first (see
     * {@code MigrationFiles.CHUNK}).
     */
    private static final int CHUNK = 16;

    /** Starts reading {@code ms[from .. to)}: a loop, not a method reference linked on a first boot. */
    private static void prefetch(List<Migration> ms, int from, int to) {
        for (int i = from; i < to; i++) {
            ms.get(i).prefetch();
        }
    }

    /**
     * Creates the tracker table. Two runners that both found it missing (possible only without
     * a working lock) race on the catalog; the loser gets a retryable {@code CONCURRENT_APPLY}.
     */
    private void install(Session s, Namespace ns) {
        try {
            tracker.install(s.context);
        } catch (SQLException e) {
            if (s.dialect.isUniqueViolation(e)) {
                throw RatchetException.of(ErrorKind.CONCURRENT_APPLY, "Another runner created the "
                                + tracker.id() + " tracker table at the same time.")
                        .with("namespace", ns.name()).cause(e).build();
            }
            throw Errors.database(s.dialect, e, "creating the tracker table", ns.name());
        }
    }

    /** True when the tracker records nothing for this namespace (a fresh database, or another tracker's). */
    private static boolean nothingApplied(Plan plan) {
        return plan.pending().size() == plan.namespace().migrations().size() && plan.unverifiable().isEmpty();
    }

    /**
     * With {@code bootstrapFrom}: moves that tracker's history here (returns true when it did).
     * When it moved none (no bootstrap source, or one that holds nothing for this namespace, such
     * as a counter configured in the wrong layout): refuses when a known other tracker holds
     * history for this namespace, so that history is never re-run.
     */
    private boolean bootstrapOrRefuse(Session s, Namespace ns) {
        if (config.bootstrapFrom() != null
                && bootstrapper().bootstrap(s, ns, config.lockTimeout(), config.lockLease())) {
            return true;
        }
        Optional<RatchetException> foreign = foreignHistory(s, ns);
        if (foreign.isPresent()) {
            throw foreign.get();
        }
        return false;
    }

    private Mover bootstrapper() {
        return new Mover(config.bootstrapFrom(), tracker, dev.ratchet.Cutover.Retire.KEEP, config.lockTimeout(),
                config.lockLease(), config.lockStrategy());
    }

    /**
     * What a migrate would run for {@code observed}'s namespace, without running or writing
     * anything, for plan, verify and status: where it would first bootstrap, the plan after that
     * bootstrap. Throws what the migrate would refuse before running anything: with nothing
     * applied here and no bootstrap to make, another tracker's history; otherwise a pending
     * migration another tracker's table records as applied.
     */
    private Plan foreseen(Session s, Plan observed) {
        if (observed.isUpToDate()) {
            return observed;
        }
        Namespace ns = observed.namespace();
        Optional<RatchetException> refusal;
        Plan plan = observed;
        if (!nothingApplied(observed)) {
            refusal = appliedElsewhere(s, observed);
        } else {
            Optional<Plan> bootstrapped = config.bootstrapFrom() == null ? Optional.empty()
                    : bootstrapper().planAfterBootstrap(s, ns);
            if (bootstrapped.isPresent()) {
                plan = bootstrapped.get();
                refusal = plan.isUpToDate() ? Optional.empty() : appliedElsewhere(s, plan);
            } else {
                refusal = foreignHistory(s, ns);
            }
        }
        if (refusal.isPresent()) {
            throw refusal.get();
        }
        return plan;
    }

    /**
     * Another known tracker (see {@link dev.ratchet.spi.TrackerProvider}) holding history for
     * {@code ns}; or this tracker's table in another schema of the search path holding it
     * ({@link #historyInAnotherSchema}); or this tracker holding its migrations under another
     * namespace ({@link #historyUnderAnotherNamespace}); or a tracker table of another name in the
     * tracker's schema naming them ({@link AnotherTable#historyInAnotherTable}).
     */
    private Optional<RatchetException> foreignHistory(Session s, Namespace ns) {
        return otherTrackersHistory(s, ns).or(() -> historyInAnotherSchema(s, ns))
                .or(() -> historyUnderAnotherNamespace(s, ns))
                .or(() -> config.lookForOtherTrackers() ? AnotherTable.historyInAnotherTable(s, tracker, ns)
                        : Optional.empty());
    }

    /**
     * This tracker's table recording some of {@code ns}'s migrations, by name and checksum, as
     * applied under another namespace, while {@code ns} has no history: the namespace was renamed,
     * or the command line's default namespace was given an application's migrations, and a
     * migrate would run them again. Entries without a name or a checksum (a counter's) are not
     * compared. Not for a namespace with a target schema (namespaces that run the same migrations
     * on purpose, each in a schema of its own), nor without {@code lookForOtherTrackers}.
     */
    private Optional<RatchetException> historyUnderAnotherNamespace(Session s, Namespace ns) {
        if (!config.lookForOtherTrackers() || ns.schema().isPresent()) {
            return Optional.empty();
        }
        if (detect(s, ns) != TableState.PRESENT) {
            return Optional.empty();
        }
        java.util.Set<String> held;
        try {
            held = new java.util.TreeSet<>(tracker.namespacesHeld(s.context).orElse(java.util.Set.of()));
        } catch (SQLException e) {
            throw Errors.database(s.dialect, e, "listing the namespaces the tracker table holds", ns.name());
        }
        held.remove(ns.name());
        if (held.isEmpty()) {
            return Optional.empty();
        }
        java.util.Map<String, String> checksums = new java.util.HashMap<>();
        for (Migration m : ns.migrations()) {
            try {
                m.checksum().ifPresent(c -> checksums.put(m.name(), c));
            } catch (RatchetException unreadable) {
                // compared without it; the run that reads it reports it
            }
        }
        for (String other : held) {
            History h;
            try {
                h = tracker.read(s.context, other);
            } catch (SQLException | RatchetException e) {
                continue;
            }
            List<String> same = new ArrayList<>();
            for (dev.ratchet.AppliedEntry e : h.entries()) {
                if (e.name().isPresent() && e.checksum().isPresent()
                        && e.checksum().get().equals(checksums.get(e.name().get()))) {
                    same.add(e.name().get());
                }
            }
            if (same.isEmpty()) {
                continue;
            }
            String table = s.qualifiedTable(tracker);
            return Optional.of(RatchetException.of(ErrorKind.HISTORY_UNDER_ANOTHER_NAMESPACE, "Namespace '"
                            + ns.name() + "' has no history in the " + tracker.id() + " tracker's table " + table
                            + ", but that table records " + same.size() + " of its migrations (" + String.join(", ",
                            same.size() > 5 ? same.subList(0, 5) : same) + (same.size() > 5 ? ", ..." : "")
                            + "), with the same names and checksums, as applied under namespace '" + other + "': the"
                            + " namespace was renamed, or these are that namespace's migrations. Migrating them"
                            + " under '" + ns.name() + "' would run them again.")
                    .with("namespace", ns.name()).with("otherNamespace", other).with("table", table)
                    .with("applied", List.copyOf(same))
                    .hint("run them under namespace '" + other + "' (on the command line --namespace " + other
                            + "=DIR; --migrations is the namespace 'default'); if both namespaces are to run these"
                            + " migrations, give '" + ns.name() + "' a target schema of its own (Namespace.withSchema),"
                            + " or call ignoreOtherTrackers()")
                    .build());
        }
        return Optional.empty();
    }

    /**
     * This tracker's table, of its name, in another schema of the session's search path, recording
     * some of {@code ns}'s migrations as applied, while the current schema holds no history for
     * it: the current schema changed since they ran ("$user" of the search path finding a schema
     * created since, a new currentSchema), and a migrate would create a new table and run them
     * again. A history the code cannot be planned against, or that accounts for none of its
     * migrations, is another's (another tenant's schema) and refuses nothing. Not for a tracker
     * whose schema is configured, nor without {@code lookForOtherTrackers}.
     */
    private Optional<RatchetException> historyInAnotherSchema(Session s, Namespace ns) {
        if (!config.lookForOtherTrackers() || tracker.schema().isPresent()) {
            return Optional.empty();
        }
        String current = s.context.defaultSchema();
        List<String> schemas;
        try {
            schemas = s.dialect.otherSchemasWithTable(s.connection, tracker.table(), current);
        } catch (SQLException e) {
            throw Errors.database(s.dialect, e, "looking for the tracker table in the search path's other schemas",
                    ns.name());
        }
        for (String schema : schemas) {
            TrackerContext ctx = new TrackerContext(s.connection, s.dialect, schema);
            int accounted;
            try {
                if (tracker.detect(ctx) != TableState.PRESENT) {
                    continue;
                }
                History h = tracker.read(ctx, ns.name());
                if (h.entries().isEmpty() && h.facts().isEmpty()) {
                    continue;
                }
                accounted = ns.migrations().size() - tracker.plan(h, ns).pending().size();
            } catch (SQLException | RatchetException e) {
                continue; // not this tracker's table, or not this code's history
            }
            if (accounted <= 0) {
                continue;
            }
            String here = current + "." + tracker.table();
            String there = schema + "." + tracker.table();
            return Optional.of(RatchetException.of(ErrorKind.HISTORY_IN_ANOTHER_SCHEMA, "Namespace '" + ns.name()
                            + "' has no history in " + here + ", the " + tracker.id() + " tracker's table in the"
                            + " session's current schema, but " + there + ", the same tracker's table in schema '"
                            + schema + "' of the search path, records " + accounted + " of its migrations as applied:"
                            + " the current schema is not the one it was when they ran (a schema named after the"
                            + " database user, which \"$user\" in the search path finds first, created since; or"
                            + " another currentSchema or search_path). Migrating here would create a new tracker"
                            + " table and run them again.")
                    .with("namespace", ns.name()).with("schema", schema).with("table", there)
                    .with("trackerName", dev.ratchet.Trackers.nameOf(tracker, there))
                    .hint("pin the tracker to the schema that holds the history: schema(\"" + schema + "\") on its"
                            + " builder, or --tracker " + dev.ratchet.Trackers.nameOf(tracker, there) + " on the command"
                            + " line; or give the connection the search_path it had. If that table belongs to"
                            + " something else (another tenant's schema), pin this tracker to schema '" + current
                            + "' instead, or call ignoreOtherTrackers()")
                    .build());
        }
        return Optional.empty();
    }

    /** Another known tracker (see {@link dev.ratchet.spi.TrackerProvider}) holding history for {@code ns}. */
    private Optional<RatchetException> otherTrackersHistory(Session s, Namespace ns) {
        return firstOtherHistory(s, ns, (other, table, h) -> {
            if (h.entries().isEmpty() && h.facts().isEmpty()) {
                return Optional.empty();
            }
            String bootstrapNote = config.bootstrapFrom() == null ? "" : " The configured bootstrap source, the "
                    + config.bootstrapFrom().id() + " tracker on " + s.qualifiedTable(config.bootstrapFrom())
                    + ", holds none for it.";
            return Optional.of(RatchetException.of(ErrorKind.FOREIGN_HISTORY_FOUND, "Namespace '" + ns.name()
                            + "' has no history in the " + tracker.id() + " tracker, but the " + other.id()
                            + " tracker's table " + table + " holds history for it; running everything again"
                            + " would re-run migrations that already ran." + bootstrapNote)
                    .with("namespace", ns.name()).with("tracker", other.id()).with("table", table)
                    .with("trackerName", dev.ratchet.Trackers.nameOf(other, table))
                    .hint("configure bootstrapFrom(Trackers.byName(\"" + dev.ratchet.Trackers.nameOf(other, table)
                            + "\")) or run a cutover, so that the history is moved; or, if that table belongs to"
                            + " something else, call ignoreOtherTrackers()")
                    .build());
        });
    }

    /**
     * Refuses when a migration about to run is recorded as applied, by its name, in another known
     * tracker's table for this namespace. A bootstrap keeps its source's table, and so may a
     * cutover: a build still configured with that tracker (an older release, a rollback) reads
     * the history as it was at the move, and would run again what has run since under the
     * tracker it moved to. Names are compared, so only a row naming the very migration refuses
     * (a counter records no names, and is never the one that refuses). Only a boot with something
     * to run reads the other tables.
     */
    private void refuseAppliedElsewhere(Session s, Plan plan) {
        Optional<RatchetException> refusal = appliedElsewhere(s, plan);
        if (refusal.isPresent()) {
            throw refusal.get();
        }
    }

    private Optional<RatchetException> appliedElsewhere(Session s, Plan plan) {
        Namespace ns = plan.namespace();
        java.util.Set<String> pending = new java.util.HashSet<>();
        plan.pending().forEach(m -> pending.add(m.name()));
        return firstOtherHistory(s, ns, (other, table, h) -> {
            List<String> ran = new ArrayList<>();
            for (dev.ratchet.AppliedEntry e : h.entries()) {
                if (e.name().isPresent() && pending.contains(e.name().get())) {
                    ran.add(e.name().get());
                }
            }
            if (ran.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(RatchetException.of(ErrorKind.APPLIED_BY_ANOTHER_TRACKER, "Namespace '" + ns.name()
                            + "' would run " + String.join(", ", ran) + ", which the " + other.id() + " tracker's table "
                            + table + " records as applied: the " + tracker.id() + " tracker's history is older than"
                            + " that table's (history moved there, by a bootstrap or a cutover that kept this"
                            + " tracker's table, and migrations ran there since). Running them again could apply"
                            + " a change twice.")
                    .with("namespace", ns.name()).with("tracker", other.id()).with("table", table)
                    .with("trackerName", dev.ratchet.Trackers.nameOf(other, table))
                    .with("applied", List.copyOf(ran))
                    .hint("run a build configured with the tracker " + dev.ratchet.Trackers.nameOf(other, table)
                            + ", which holds the namespace's history now; if that table belongs to something else,"
                            + " call ignoreOtherTrackers()").build());
        });
    }

    /** What {@link #firstOtherHistory} asks of each other tracker's history: a refusal, or none. */
    private interface OtherHistory {
        Optional<RatchetException> refusal(Tracker other, String table, History history);
    }

    /**
     * The first refusal {@code test} makes of the history that another known tracker (one with
     * another lock scope) holds for {@code ns}; none without {@code lookForOtherTrackers}. A table
     * absent, in another shape, or unreadable as that tracker's is skipped: it is not that
     * tracker's table after all.
     */
    private Optional<RatchetException> firstOtherHistory(Session s, Namespace ns, OtherHistory test) {
        if (!config.lookForOtherTrackers()) {
            return Optional.empty();
        }
        String ownScope = s.lockScope(tracker);
        for (Tracker other : Surveyor.knownLayouts()) {
            if (s.lockScope(other).equals(ownScope)) {
                continue;
            }
            TrackerContext ctx = s.contextFor(other);
            History h;
            try {
                if (other.detect(ctx) != TableState.PRESENT) {
                    continue;
                }
                h = other.read(ctx, ns.name());
            } catch (SQLException | RatchetException e) {
                continue; // not that tracker's table after all
            }
            Optional<RatchetException> refusal = test.refusal(other, ctx.defaultSchema() + "." + other.table(), h);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    private void run(Session s, MigrationLock lock, Plan plan, List<AppliedMigration> applied) {
        s.state.bodiesRan = true;
        Namespace ns = plan.namespace();
        Throwable primary = null;
        try {
            if (ns.schema().isPresent()) {
                sql(s, ns, "switching to the target schema", () -> s.dialect.useSchema(s.connection, s.state,
                        ns.schema().get()));
            }
            List<Migration> chain = new ArrayList<>();
            for (Migration m : plan.pending()) {
                if (!m.transactional()) {
                    runTransaction(s, lock, ns, chain, applied);
                    chain.clear();
                    runNonTransactional(s, lock, ns, m, applied);
                } else if (config.mode() == TransactionMode.PER_MIGRATION) {
                    runTransaction(s, lock, ns, List.of(m), applied);
                } else {
                    chain.add(m);
                }
            }
            runTransaction(s, lock, ns, chain, applied);
        } catch (RuntimeException | Error e) {
            primary = e;
            throw e;
        } finally {
            cleanup(s, primary, "restoring the search path", ns, () -> s.dialect.leaveSchema(s.connection, s.state));
        }
    }

    private void runTransaction(Session s, MigrationLock lock, Namespace ns, List<Migration> migrations,
                                List<AppliedMigration> applied) {
        if (migrations.isEmpty()) {
            return;
        }
        List<AppliedMigration> done = new ArrayList<>();
        List<Recording> recordings = new ArrayList<>(migrations.size());
        inTransaction(s, ns, () -> {
            // A chain's rows are written after its last body, in one call (one batch): the same
            // transaction, so the same rows commit or roll back with the bodies, in fewer round trips.
            for (Migration m : migrations) {
                sql(s, ns, "renewing the migration lock", () -> lock.renew(s.connection));
                Duration d = runBody(s, ns, m, migrations.size() > 1 ? migrations : null);
                recordings.add(new Recording(m, new Outcome(Instant.now(), d)));
                done.add(new AppliedMigration(ns.name(), m.name(), m.version(), d));
            }
            record(s, ns, recordings);
        });
        applied.addAll(done);
        for (Recording r : recordings) {
            config.listener().afterMigration(ns.name(), r.migration(), r.outcome().duration());
        }
    }

    private void runNonTransactional(Session s, MigrationLock lock, Namespace ns, Migration m,
                                     List<AppliedMigration> applied) {
        inTransaction(s, ns, () -> {
            sql(s, ns, "renewing the migration lock", () -> lock.renew(s.connection));
            sql(s, ns, "marking a non-transactional migration as started",
                    () -> tracker.beforeNonTransactional(s.context, ns, m));
        });
        Duration d = runBody(s, ns, m, null);
        inTransaction(s, ns, () -> record(s, ns, m, d));
        applied.add(new AppliedMigration(ns.name(), m.name(), m.version(), d));
        config.listener().afterMigration(ns.name(), m, d);
    }

    private Duration runBody(Session s, Namespace ns, Migration m, List<Migration> chain) {
        sql(s, ns, "reading the session's settings", () -> s.dialect.rememberSettings(s.connection, s.state));
        Cancellation.beforeBody(ns.name(), m.name());
        try {
            return body(s, ns, m, chain);
        } finally {
            Cancellation.afterBody();
        }
    }

    /** {@link #runBody} once the run may go on: the listener told, the body run, its failure explained. */
    private Duration body(Session s, Namespace ns, Migration m, List<Migration> chain) {
        config.listener().beforeMigration(ns.name(), m);
        long start = System.nanoTime();
        try {
            if (m.script().isPresent()) {
                List<SqlScript.Statement> statements = SqlScript.split(m.script().get(), s.dialect.scriptSyntax());
                List<String> sql = statements.stream().map(SqlScript.Statement::sql).toList();
                Optional<RatchetException> syntax = otherToolsSyntax(s, ns, m, chain, statements);
                if (syntax.isPresent()) {
                    throw syntax.get();
                }
                if (m.transactional()) {
                    Optional<RatchetException> refusal = transactionControl(ns, m, chain, statements);
                    if (refusal.isEmpty()) {
                        refusal = foreignKeysPragma(s, ns, m, chain, statements, null);
                    }
                    if (refusal.isPresent()) {
                        throw refusal.get();
                    }
                }
                boolean maySetSomething = statements.stream().anyMatch(SqlScript.Statement::mayChangeSettings);
                if (maySetSomething) {
                    sql(s, ns, "reading the placeholder settings migration '" + m.name() + "' sets",
                            () -> rememberPlaceholders(s, m.script().get()));
                }
                try {
                    if (statements.stream().anyMatch(SqlScript.Statement::copyFromStdin)) {
                        runWithCopy(s, statements);
                    } else if (m.transactional()) {
                        s.dialect.runInTransaction(s.connection, sql);
                    } else {
                        // Outside a transaction: statements sent together would form one implicit
                        // transaction on PostgreSQL, which CREATE INDEX CONCURRENTLY refuses.
                        s.dialect.runOneAtATime(s.connection, sql);
                    }
                } catch (DatabaseDialect.StatementFailure f) {
                    if (!m.transactional() && rollBackWhatTheScriptLeftOpen(s, f.error())) {
                        SqlScript.Statement st = statements.get(f.index());
                        throw failed(s, ns, m, chain, "statement " + (f.index() + 1) + " of " + statements.size()
                                        + " (line " + st.line() + ")", f.error(), f.index() + 1, st.line(),
                                " It ran outside Ratchet's transaction, in one it opened itself, which Ratchet rolled"
                                        + " back: statements before that BEGIN stay applied, those after it do not,"
                                        + notRecorded("it") + ".");
                    }
                    if (f.index() < 0) {
                        throw failed(s, ns, m, chain, "one of its " + statements.size() + " statements (lines "
                                + statements.get(0).line() + " to " + statements.get(statements.size() - 1).line()
                                + "; they were sent together, and the driver did not say which one failed)",
                                f.error(), null, null);
                    }
                    SqlScript.Statement st = statements.get(f.index());
                    throw failed(s, ns, m, chain, "statement " + (f.index() + 1) + " of " + statements.size()
                            + " (line " + st.line() + ")", f.error(), f.index() + 1, st.line());
                }
                if (!m.transactional() && rollBackWhatTheScriptLeftOpen(s, null)) {
                    throw RatchetException.of(ErrorKind.NON_TRANSACTIONAL_MIGRATION_FAILED, "Migration '" + m.name()
                                    + "' of namespace '" + ns.name() + "' (" + m.origin() + ") ran outside Ratchet's"
                                    + " transaction and left one of its own open (a BEGIN without its COMMIT). Ratchet"
                                    + " rolled it back: statements before that BEGIN stay applied, those after it do"
                                    + " not," + notRecorded("the migration") + ".")
                            .with("namespace", ns.name()).with("migration", m.name()).with("origin", m.origin())
                            .hint("end the script's transaction with COMMIT, or delete its BEGIN; inspect the"
                                    + " database for what the statements before the BEGIN did")
                            .build();
                }
                if (maySetSomething) {
                    resetSettings(s, ns, m);
                }
            } else {
                boolean returned = false;
                try {
                    m.callback().orElseThrow().run(BodyConnection.of(s.connection, m.transactional(), s.dialect,
                            sql -> rememberPlaceholders(s, sql)));
                    returned = true;
                    if (!m.transactional()) {
                        BodyConnection.settle(s.connection, false);
                    }
                } catch (SQLException | RuntimeException e) {
                    if (!m.transactional() && !returned) {
                        try {
                            BodyConnection.settle(s.connection, true);
                        } catch (SQLException | RuntimeException again) {
                            e.addSuppressed(again);
                        }
                    }
                    throw failed(s, ns, m, chain, returned ? "committing the transaction its Java body left open"
                            : "its Java body", e, null, null);
                }
                resetSettings(s, ns, m);
            }
        } catch (RatchetException e) {
            config.listener().migrationFailed(ns.name(), m, e);
            throw e;
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Reads the placeholder settings {@code sql} sets or resets ({@link SqlScript#placeholderSettings})
     * that no earlier body of the run set, for {@link #resetSettings} to put back after the body.
     */
    private static void rememberPlaceholders(Session s, String sql) throws SQLException {
        if (SqlScript.mayNamePlaceholders(sql)) {
            java.util.Set<String> names = SqlScript.placeholderSettings(sql);
            if (!names.isEmpty()) {
                s.dialect.rememberPlaceholders(s.connection, s.state, names);
            }
        }
    }

    /**
     * Puts back the session settings a body may have changed, so that each migration runs as in a
     * run of its own: a {@code SET search_path} or {@code SET lock_timeout} of one migration does
     * not reach the migrations after it, nor the tracker's writes.
     */
    private static void resetSettings(Session s, Namespace ns, Migration m) {
        sql(s, ns, "putting back the session settings migration '" + m.name() + "' changed",
                () -> s.dialect.resetSettings(s.connection, s.state));
    }

    /**
     * Refuses a script that runs in the engine's transaction and would end it: a COMMIT there
     * keeps the body without its tracker row (it runs again at the next boot) and, in a chain,
     * the migrations before it without theirs; on SQLite a BEGIN fails. Files written for a tool
     * that runs them outside a transaction (golang-migrate) often carry their own BEGIN and COMMIT.
     */
    private static Optional<RatchetException> transactionControl(Namespace ns, Migration m, List<Migration> chain,
                                                                 List<SqlScript.Statement> statements) {
        for (int i = 0; i < statements.size(); i++) {
            SqlScript.Statement st = statements.get(i);
            Optional<String> command = st.transactionControl();
            if (command.isPresent()) {
                return Optional.of(statementRefusal(ErrorKind.TRANSACTION_CONTROL_IN_MIGRATION, ns, m, chain, i, st,
                        "runs in Ratchet's transaction, but its statement " + (i + 1) + " of " + statements.size()
                                + " (line " + st.line() + ") is " + command.get() + ", which would end that transaction"
                                + " or begin another: the migration would commit apart from its tracker row"
                                + (chain == null ? "" : ", and so would the migrations of its chain before it")));
            }
        }
        return Optional.empty();
    }

    /**
     * A script refused for its statement {@code index} before any of it ran: "Migration '...' of
     * namespace '...' (origin) {@code why}. Nothing of it ran", with the statement and its line.
     */
    private static RatchetException statementRefusal(ErrorKind kind, Namespace ns, Migration m, List<Migration> chain,
                                                     int index, SqlScript.Statement st, String why) {
        return RatchetException.of(kind, "Migration '" + m.name() + "' of namespace '" + ns.name() + "' ("
                        + m.origin() + ") " + why + ". Nothing of it ran"
                        + (chain == null ? "." : "; the chain transaction was rolled back."))
                .with("namespace", ns.name()).with("migration", m.name()).with("origin", m.origin())
                .with("statement", index + 1).with("line", st.line()).build();
    }

    /**
     * Runs a script that has a {@code COPY ... FROM STDIN} with its data (pg_dump's output), one
     * statement at a time: the COPY through the driver's copy protocol, the others as usual.
     */
    private static void runWithCopy(Session s, List<SqlScript.Statement> statements)
            throws DatabaseDialect.StatementFailure {
        for (int i = 0; i < statements.size(); i++) {
            SqlScript.Statement st = statements.get(i);
            try {
                if (st.copyFromStdin()) {
                    s.dialect.copyIn(s.connection, st.sql(), st.copyData());
                } else {
                    DatabaseDialect.execute(s.connection, st.sql());
                }
            } catch (SQLException e) {
                throw new DatabaseDialect.StatementFailure(i, e);
            }
        }
    }

    /**
     * Refuses a script with text another tool handles before the database sees it, before any of
     * it runs: a psql meta-command line (see {@link SqlScript.Statement#psqlMetaCommand}), a sqlite3
     * shell dot-command ({@link SqlScript.Statement#sqliteDotCommand}) or a
     * Flyway placeholder ({@link SqlScript.Statement#placeholderName}), which sent as they are
     * would be syntax errors; a goose or dbmate down section with no up section
     * ({@link SqlScript#downSectionWithoutUp}), whose statements would not run; or a NUL
     * character ({@link #nulCharacter}), which no database takes.
     */
    private static Optional<RatchetException> otherToolsSyntax(Session s, Namespace ns, Migration m,
                                                               List<Migration> chain,
                                                               List<SqlScript.Statement> statements) {
        Optional<RatchetException> nul = nulCharacter(ns, m, chain);
        if (nul.isPresent()) {
            return nul;
        }
        java.util.OptionalInt down = SqlScript.downSectionWithoutUp(m.script().orElse(""), s.dialect.scriptSyntax());
        if (down.isPresent()) {
            return Optional.of(RatchetException.of(ErrorKind.DOWN_SECTION_WITHOUT_UP, "Migration '" + m.name()
                            + "' of namespace '" + ns.name() + "' (" + m.origin() + ") opens a down section on line "
                            + down.getAsInt() + " and has no up section, which goose and dbmate refuse: none of its"
                            + " statements after that line would run. Nothing of it ran"
                            + (chain == null ? "." : "; the chain transaction was rolled back."))
                    .with("namespace", ns.name()).with("migration", m.name()).with("origin", m.origin())
                    .with("line", down.getAsInt()).build());
        }
        for (int i = 0; i < statements.size(); i++) {
            SqlScript.Statement st = statements.get(i);
            Optional<String> dot = st.sqliteDotCommand();
            if (dot.isPresent()) {
                return Optional.of(statementRefusal(ErrorKind.SQLITE_DOT_COMMAND, ns, m, chain, i, st,
                        "has a sqlite3 shell dot-command on line " + st.line() + " (" + dot.get() + "), which only"
                                + " the sqlite3 shell runs: sent to the database it is a syntax error"));
            }
            Optional<String> command = st.psqlMetaCommand();
            if (command.isPresent()) {
                return Optional.of(statementRefusal(ErrorKind.PSQL_META_COMMAND, ns, m, chain, i, st,
                        "has a psql meta-command on line " + st.line() + " (" + command.get() + "), which only psql"
                                + " runs: sent to the database it is a syntax error"));
            }
            Optional<String> placeholder = st.placeholderName();
            if (placeholder.isPresent()) {
                return Optional.of(statementRefusal(ErrorKind.UNRESOLVED_PLACEHOLDER, ns, m, chain, i, st,
                        "has a placeholder, " + placeholder.get() + ", in its statement " + (i + 1) + " of "
                                + statements.size() + " (line " + st.line() + "): Ratchet replaces no placeholders"
                                + " (Flyway does), and sent as it is the statement is a syntax error"));
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses a script with a NUL character, before any of it runs ({@link ErrorKind#NUL_IN_SCRIPT}):
     * SQLite takes a statement's text only up to a NUL, so a file saved as UTF-16BE (a NUL before
     * every ASCII character) ran nothing at all and was recorded as applied; PostgreSQL's protocol
     * cannot carry one, and the connection failed with a protocol error.
     */
    private static Optional<RatchetException> nulCharacter(Namespace ns, Migration m, List<Migration> chain) {
        String script = m.script().orElse("");
        int at = script.indexOf('\0');
        if (at < 0) {
            return Optional.empty();
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (script.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        long nuls = script.chars().filter(c -> c == 0).count();
        String utf16 = nuls * 3 >= script.length()
                ? " About half its characters are NUL: it was saved as UTF-16 without a byte order mark." : "";
        return Optional.of(RatchetException.of(ErrorKind.NUL_IN_SCRIPT, "Migration '" + m.name() + "' of namespace '"
                        + ns.name() + "' (" + m.origin() + ") holds a NUL character (U+0000) on line " + line
                        + ", column " + (at - lineStart + 1) + (nuls > 1 ? ", and " + (nuls - 1) + " more" : "")
                        + ", which no SQL statement can hold: SQLite would end the statement there and PostgreSQL"
                        + " refuses it." + utf16 + " Nothing of it ran"
                        + (chain == null ? "." : "; the chain transaction was rolled back."))
                .with("namespace", ns.name()).with("migration", m.name()).with("origin", m.origin())
                .with("line", line).build());
    }

    /**
     * Refuses a script that runs in the engine's transaction and sets SQLite's
     * {@code foreign_keys} pragma while the connection has foreign keys on: SQLite ignores the
     * pragma inside a transaction, so the {@code PRAGMA foreign_keys = OFF} of a table rebuild
     * does nothing and its {@code DROP TABLE} deletes (with {@code ON DELETE CASCADE}, silently)
     * the rows that refer to the table. With foreign keys off the pragma changes nothing either,
     * but nothing is at risk: then the warning goes to {@code warnings}, when given.
     */
    private Optional<RatchetException> foreignKeysPragma(Session s, Namespace ns, Migration m, List<Migration> chain,
                                                         List<SqlScript.Statement> statements, List<String> warnings) {
        for (int i = 0; i < statements.size(); i++) {
            SqlScript.Statement st = statements.get(i);
            if (!st.setsForeignKeys()) {
                continue;
            }
            boolean on;
            try {
                on = s.dialect.foreignKeysOn(s.connection);
            } catch (SQLException e) {
                throw Errors.database(s.dialect, e, "reading PRAGMA foreign_keys before migration '" + m.name()
                        + "'", ns.name());
            }
            String what = "runs in Ratchet's transaction, but its statement " + (i + 1) + " of " + statements.size()
                    + " (line " + st.line() + ") sets PRAGMA foreign_keys, which SQLite ignores inside a transaction";
            if (on) {
                return Optional.of(statementRefusal(ErrorKind.FOREIGN_KEYS_PRAGMA_IN_TRANSACTION, ns, m, chain, i, st,
                        what + ": foreign keys would stay on for the whole migration, and a DROP TABLE of a table that"
                                + " other rows refer to would delete those rows (ON DELETE CASCADE) or fail"));
            }
            if (warnings != null) {
                warnings.add("Migration '" + m.name() + "' of namespace '" + ns.name() + "' (" + m.origin() + ") "
                        + what + ": it has no effect. Foreign keys are off on this connection, so nothing"
                        + " depends on it; on a connection with foreign_keys=on this migration is refused"
                        + " (FOREIGN_KEYS_PRAGMA_IN_TRANSACTION).");
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The warnings of pending scripts, before any of them runs: a script with no statement to run
     * (blanks and comments only, or an empty up section), which would be recorded as applied having
     * run nothing, as when a comment left open hides the statements after it; and a script that
     * sets a foreign_keys pragma SQLite will ignore, on a connection with foreign keys off (one with
     * them on is refused when its turn comes).
     */
    private List<String> scriptWarnings(Session s, Namespace ns, List<Migration> pending) {
        List<String> out = new ArrayList<>();
        for (Migration m : pending) {
            String script;
            try {
                script = m.script().orElse(null);
            } catch (RatchetException unreadable) {
                continue; // reported as the failure of that migration when its turn comes (verify)
            }
            boolean foreignKeys = script != null && m.transactional() && SqlScript.mentionsForeignKeys(script);
            if (script == null || !foreignKeys && !SqlScript.mayHaveNoStatement(script)) {
                continue;
            }
            List<SqlScript.Statement> statements = SqlScript.split(script, s.dialect.scriptSyntax());
            if (statements.isEmpty()) {
                out.add("Migration '" + m.name() + "' of namespace '" + ns.name() + "' (" + m.origin() + ") has no"
                        + " statement to run: its text is blanks and comments only (or its up section is empty), so it"
                        + " is recorded as applied having run nothing. If it should run something, look for a"
                        + " comment left open above its statements.");
            }
            if (foreignKeys) {
                foreignKeysPragma(s, ns, m, null, statements, out);
            }
        }
        return out;
    }

    /**
     * The refusal {@link #runBody} would make of the first pending script that would end the
     * engine's transaction or set a foreign_keys pragma it ignores, for {@code plan()} and
     * {@code status()} to report before a migrate.
     */
    private Optional<RatchetException> scriptRefusal(Session s, Plan plan) {
        for (Migration m : plan.pending()) {
            if (m.script().isPresent()) {
                List<SqlScript.Statement> statements = SqlScript.split(m.script().get(), s.dialect.scriptSyntax());
                Optional<RatchetException> refusal = otherToolsSyntax(s, plan.namespace(), m, null, statements);
                if (refusal.isEmpty() && m.transactional()) {
                    refusal = transactionControl(plan.namespace(), m, null, statements);
                    if (refusal.isEmpty()) {
                        refusal = foreignKeysPragma(s, plan.namespace(), m, null, statements, null);
                    }
                }
                if (refusal.isPresent()) {
                    return refusal;
                }
            }
        }
        return Optional.empty();
    }

    private RatchetException failed(Session s, Namespace ns, Migration m, List<Migration> chain, String where,
                                    Exception e, Integer statement, Integer line) {
        return failed(s, ns, m, chain, where, e, statement, line, null);
    }

    /**
     * A script that runs outside the engine's transaction may open one of its own (BEGIN) and
     * fail or end before its COMMIT. Left open, it would hold the engine's next statements: on
     * SQLite the release of the lease, which the connection's close then rolls back (the lease
     * stays held until it expires), on PostgreSQL everything after an error, and the pool would get
     * the connection back inside it. Rolls it back and says whether there was one.
     */
    private static boolean rollBackWhatTheScriptLeftOpen(Session s, SQLException failure) {
        try {
            if (!s.dialect.transactionOpen(s.connection)) {
                return false;
            }
            DatabaseDialect.execute(s.connection, "ROLLBACK");
            return true;
        } catch (SQLException e) {
            if (failure == null) {
                throw Errors.database(s.dialect, e, "rolling back the transaction a script left open", null);
            }
            failure.addSuppressed(e);
            return false;
        }
    }

    private RatchetException failed(Session s, Namespace ns, Migration m, List<Migration> chain, String where,
                                    Exception e, Integer statement, Integer line, String undoneInstead) {
        String sqlState = e instanceof SQLException se ? se.getSQLState() : null;
        boolean connectionLost = e instanceof SQLException se && s.dialect.isConnectionError(se);
        String lost = connectionLost ? Errors.lostConnection(sqlState) : null;
        String undone = undoneInstead != null ? undoneInstead : !m.transactional()
                ? " It ran outside a transaction: statements before the failing one stay applied,"
                + notRecorded("it") + "."
                : chain != null ? " The chain transaction was rolled back: none of the " + chain.size()
                + " migrations in it remain applied."
                : " Its transaction was rolled back: nothing of it remains.";
        ErrorKind kind = connectionLost ? ErrorKind.CONNECTION_FAILED
                : m.transactional() ? ErrorKind.MIGRATION_FAILED : ErrorKind.NON_TRANSACTIONAL_MIGRATION_FAILED;
        BodyConnection.Refused refused = refusedIn(e);
        String databaseHint = e instanceof SQLException se ? Errors.migrationHint(s.dialect, se) : null;
        String hint = "53200".equals(sqlState) && chain != null
                ? "a chain transaction holds the locks of every object its " + chain.size() + " migrations touch until"
                + " it commits; raise max_locks_per_transaction, or use TransactionMode.PER_MIGRATION"
                : refused != null ? refused.hint()
                : m.transactional() && !connectionLost && needsNoTransaction(s, sqlState, e)
                ? "this statement cannot run inside a transaction: " + (m.script().isPresent()
                ? "make the migration's first line " + Migration.NO_TRANSACTION_DIRECTIVE
                : "build the migration with transactional(false)") + "; it then runs alone, outside any"
                + " transaction, and is recorded once it succeeds"
                : "55P04".equals(sqlState)
                ? "a new enum value can be used only once the transaction that added it has committed: add the value"
                + " in one migration and use it in a later one" + (chain == null ? ""
                : "; in a chain transaction (TransactionMode.CHAIN) those two still share one, so run the adding"
                + " migration outside it (" + Migration.NO_TRANSACTION_DIRECTIVE + ") or use PER_MIGRATION")
                : "57014".equals(sqlState) && String.valueOf(e.getMessage()).contains("statement timeout")
                ? "the server's statement_timeout (set for the user, the database or the session) cancelled it: let"
                + " this migration run longer with a first statement SET LOCAL statement_timeout = '30min' (SET in a"
                + " migration outside a transaction), or raise it for the migration's user"
                : "57014".equals(sqlState)
                ? "another session cancelled the statement (pg_cancel_backend, or a client's cancel request): nothing"
                + " is wrong with the migration itself; run migrate again when whoever cancelled it agrees"
                : databaseHint != null ? databaseHint
                : lost != null
                ? lost + ": " + (m.transactional()
                ? "run migrate again once the server accepts connections; what was rolled back runs again"
                : "the migration ran outside a transaction, so its statements before the failing one may stay"
                + " applied; check the schema before the next run")
                : "55P03".equals(sqlState)
                ? "another session holds a lock this statement needs (often a long transaction on the same table), and"
                + " lock_timeout or NOWAIT gave up waiting: find it in pg_stat_activity and pg_locks, and run migrate"
                + " again when it ends; raise lock_timeout (SET LOCAL) only if the application can wait that long"
                + " behind the migration"
                : kind.defaultHint();
        if (!m.transactional() && tracker.capabilities().contains(Capability.DIRTY_STATE)) {
            hint = forceHint(s, ns, connectionLost, e) + (hint.equals(kind.defaultHint()) ? "" : "; " + hint);
        }
        return RatchetException.of(kind,
                        "Migration '" + m.name() + "' of namespace '" + ns.name() + "' (" + m.origin() + ") failed at "
                                + where + ": " + e.getMessage()
                                + (sqlState == null ? "" : " (SQLSTATE " + sqlState + ")") + "." + undone)
                .with("namespace", ns.name()).with("migration", m.name()).with("origin", m.origin())
                .with("statement", statement).with("line", line).with("sqlState", sqlState)
                .hint(hint).cause(e).build();
    }

    /**
     * How a failed non-transactional migration is left in the tracker: a tracker with a dirty
     * flag committed it before the body ran ({@link Tracker#beforeNonTransactional}), and it stays
     * until an operator forces the namespace; every other tracker recorded nothing.
     */
    private String notRecorded(String subject) {
        return tracker.capabilities().contains(Capability.DIRTY_STATE)
                ? " and the " + tracker.id() + " tracker marks the namespace dirty at it: migrate refuses until it is"
                + " forced"
                : " and " + subject + " is not recorded";
    }

    /**
     * The hint for a failed non-transactional migration under a tracker with a dirty flag: the
     * tracker's own refusal of the dirty namespace, read back now, names the versions to force to,
     * as the next run would. Without the connection, or when the read says something else, a
     * pointer to {@code status}, which prints the same refusal.
     */
    private String forceHint(Session s, Namespace ns, boolean connectionLost, Exception failure) {
        String then = "; then fix the migration (if it is to run again) and run migrate again";
        if (!connectionLost) {
            try {
                tracker.plan(tracker.read(s.context, ns.name()), ns);
            } catch (RatchetException dirty) {
                if (dirty.kind() == ErrorKind.DIRTY && dirty.hint() != null) {
                    return "the namespace is dirty now: " + dirty.hint() + then;
                }
            } catch (SQLException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        return "the namespace is dirty now: inspect the schema, undo or finish the migration's partial effect, and"
                + " force the namespace to the version it is now at (status names both choices)" + then;
    }

    /**
     * The guarded connection's refusal behind {@code e}: the body's own exception, or the cause of
     * one a library wrapped it in (Jdbi's TransactionException, Spring's exceptions).
     */
    private static BodyConnection.Refused refusedIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyConnection.Refused refused) {
                return refused;
            }
        }
        return null;
    }

    /**
     * Whether a statement failed only because it ran inside a transaction: PostgreSQL's SQLSTATE
     * 25001 ({@code CREATE INDEX CONCURRENTLY}, {@code VACUUM}, {@code ALTER SYSTEM}, ...), or
     * SQLite's refusal of {@code VACUUM}, a change into WAL mode or of the safety level there.
     */
    private static boolean needsNoTransaction(Session s, String sqlState, Exception e) {
        if ("25001".equals(sqlState)) {
            return true;
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        return s.dialect instanceof SqliteDialect
                && (message.contains("within a transaction") || message.contains("inside a transaction"));
    }

    private void record(Session s, Namespace ns, Migration m, Duration d) {
        record(s, ns, List.of(new Recording(m, new Outcome(Instant.now(), d))));
    }

    /** Records one migration ({@link Tracker#record}) or a chain's ({@link Tracker#recordAll}). */
    private void record(Session s, Namespace ns, List<Recording> recordings) {
        Migration first = recordings.get(0).migration();
        boolean one = recordings.size() == 1;
        String chain = "the " + recordings.size() + " migrations of the chain '" + first.name() + "' to '"
                + recordings.get(recordings.size() - 1).migration().name() + "'";
        try {
            if (one) {
                tracker.record(s.context, ns, first, recordings.get(0).outcome());
            } else {
                tracker.recordAll(s.context, ns, recordings);
            }
        } catch (SQLException batch) {
            SQLException e = Errors.unwrapBatch(batch);
            if (s.dialect.isUniqueViolation(e)) {
                throw RatchetException.of(ErrorKind.CONCURRENT_APPLY, (one ? "Migration '" + first.name() + "'"
                                : "One of " + chain) + " of namespace '" + ns.name() + "' was recorded by another"
                                + " runner first; this run's attempt was rolled back (" + e.getMessage() + ").")
                        .with("namespace", ns.name()).with("migration", one ? first.name() : null)
                        .cause(e).build();
            }
            throw Errors.database(s.dialect, e, "recording " + (one ? "migration '" + first.name() + "'" : chain),
                    ns.name());
        }
    }

    private void requireWritable(String operation) {
        if (!tracker.writable()) {
            throw RatchetException.of(ErrorKind.UNSUPPORTED_FEATURE, "The " + tracker.id() + " tracker on table "
                            + tracker.table() + " is read-only here; it cannot " + operation + ".")
                    .hint("cut over to a writable tracker, or use status() and plan() only").build();
        }
    }

    // ---------------------------------------------------------------- force

    /** Operator repair through {@link Tracker#force}, under the namespace lock. */
    public void force(String namespace, dev.ratchet.Version version) {
        requireWritable("force");
        // A version the code does not have would leave a counter every boot refuses (above the
        // code: BINARY_OLDER_THAN_DB; below or between: UNKNOWN_APPLIED_VERSION): a typo, refused.
        List<Migration> code = namespace(namespace).migrations();
        if (code.stream().noneMatch(m -> m.version().filter(v -> v.compareTo(version) == 0).isPresent())) {
            throw new IllegalArgumentException("version " + version + " is not a migration of namespace '" + namespace
                    + "' (" + (code.isEmpty() ? "it has none" : "its versions: " + code.get(0).version().map(String::valueOf)
                    .orElse("?") + " to " + code.get(code.size() - 1).version().map(String::valueOf).orElse("?"))
                    + "): force records the last migration that fully applied, so it takes one of the code's versions;"
                    + " to record that none did, delete the tracker's row");
        }
        underLock(namespace, (s, ns, state) -> inTransaction(s, ns, () -> {
            if (state == TableState.ABSENT) {
                sql(s, ns, "creating the tracker table", () -> tracker.install(s.context));
            }
            sql(s, ns, "forcing the tracker", () -> tracker.force(s.context, ns.name(), version));
        }));
    }

    /** Records names as applied without running them, through {@link Tracker#baseline}. */
    public void baseline(String namespace, List<String> names) {
        requireWritable("baseline");
        // Names not in code or out of order refuse before the lock, which on SQLite is a write.
        tracker.baseline(History.empty(namespace), namespace(namespace), names);
        underLock(namespace, (s, ns, state) -> {
            History history = state == TableState.ABSENT ? History.empty(ns.name()) : read(s, ns);
            if (!history.isEmpty()) {
                throw RatchetException.of(ErrorKind.BASELINE_NAMESPACE_POPULATED, "Baseline of namespace '"
                                + ns.name() + "' refused: it already has " + history.entries().size() + " tracker rows.")
                        .with("namespace", ns.name()).build();
            }
            List<dev.ratchet.AppliedEntry> entries = tracker.baseline(history, ns, names);
            inTransaction(s, ns, () -> {
                if (state == TableState.ABSENT) {
                    sql(s, ns, "creating the tracker table", () -> tracker.install(s.context));
                }
                sql(s, ns, "writing the baseline", () -> tracker.seed(s.context, ns.name(), entries));
            });
        });
    }

    @FunctionalInterface
    private interface LockedWork {
        void run(Session s, Namespace ns, TableState state);
    }

    /** Opens a session, takes the namespace lock, detects the tracker table and runs {@code work}. */
    private Namespace namespace(String name) {
        return config.namespaces().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no namespace '" + name + "' is configured"));
    }

    private void underLock(String namespace, LockedWork work) {
        Namespace ns = namespace(namespace);
        try (Session s = Session.open(config.source(), config.lockTimeout(), tracker, config.lockStrategy())) {
            if (s.dialect.lockWrites(s.state) && detect(s, ns) == TableState.FOREIGN_SHAPE) {
                throw foreignTable(s, ns); // an old or foreign shape refuses before the lock writes its lease
            }
            MigrationLock lock = s.dialect.lock(s.connection, s.state, lockScope(s), ns.name(),
                    config.lockTimeout(), config.lockLease());
            Throwable primary = null;
            try {
                work.run(s, ns, detect(s, ns));
            } catch (RuntimeException | Error e) {
                primary = e;
                throw e;
            } finally {
                cleanup(s, primary, "releasing the migration lock", ns, () -> lock.release(s.connection));
            }
        }
    }

    // ---------------------------------------------------------------- verify

    /** Runs every pending migration in a transaction per namespace, then rolls it back. */
    public VerifyResult verify() {
        prefetch();
        List<String> verified = new ArrayList<>();
        List<String> notVerified = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Optional<RatchetException> failure = Optional.empty();
        Cancellation run = Cancellation.begin(runs, config.shutdownWait());
        try (Session s = Session.open(config.source(), config.lockTimeout(), tracker, config.lockStrategy())) {
            run.attach(s.dialect, s.connection);
            for (Namespace ns : config.namespaces()) {
                failure = verifyNamespace(s, ns, verified, notVerified, warnings);
                if (failure.isPresent()) {
                    break;
                }
            }
        } catch (RatchetException e) {
            throw run.explain(e);
        } finally {
            run.end(runs);
        }
        return new VerifyResult(verified, notVerified, failure.map(run::explain), warnings);
    }

    private Optional<RatchetException> verifyNamespace(Session s, Namespace ns, List<String> verified,
                                                       List<String> notVerified, List<String> warnings) {
        checkTargetSchema(s, ns);
        // PostgreSQL: the advisory lock writes nothing. SQLite: BEGIN IMMEDIATE is the lock, and a
        // lease row would be a write that outlives the rollback.
        MigrationLock lock = s.dialect.supportsTargetSchema()
                ? s.dialect.lock(s.connection, s.state, lockScope(s), ns.name(), config.lockTimeout(), config.lockLease())
                : null;
        Throwable primary = null;
        try {
            // Before the transaction: a read of another tracker's table that fails (a table this
            // user may not read, say) would abort a PostgreSQL transaction, and every statement of
            // the verification after it would fail for that reason instead.
            Plan foreseen = foreseen(s, observe(s, ns).plan());
            sql(s, ns, "starting a transaction", () -> s.dialect.begin(s.connection));
            try {
                Plan plan = lockedPlan(s, ns, Install.CURRENT_TRANSACTION);
                // what migrate would warn of (drift in WARN mode, a database ahead) reaches the listener
                plan.warnings().forEach(w -> warn(ns, w, warnings));
                if (nothingApplied(plan)) {
                    plan = foreseen; // after the bootstrap a migrate would make first (not made here)
                }
                plan = targeted(ns, plan);
                if (plan.isUpToDate()) {
                    return Optional.empty();
                }
                // and so do its warnings of the scripts about to run (one that runs nothing, say)
                scriptWarnings(s, ns, plan.pending()).forEach(w -> warn(ns, w, warnings));
                if (ns.schema().isPresent()) {
                    sql(s, ns, "switching to the target schema", () -> s.dialect.useSchema(s.connection, s.state,
                            ns.schema().get()));
                }
                String blockedBy = null;
                for (Migration m : plan.pending()) {
                    String id = ns.name() + "/" + m.name();
                    if (blockedBy != null) {
                        notVerified.add(id + ": follows " + blockedBy + ", which could not be verified");
                    } else if (!m.transactional()) {
                        notVerified.add(id + ": runs outside a transaction, so it cannot be tried and rolled back");
                        blockedBy = m.name();
                    } else {
                        try {
                            Duration d = runBody(s, ns, m, null);
                            record(s, ns, m, d);
                            verified.add(id);
                        } catch (RatchetException e) {
                            return Optional.of(e);
                        }
                    }
                }
                return Optional.empty();
            } finally {
                try {
                    s.dialect.rollback(s.connection);
                } finally {
                    s.dialect.leaveSchema(s.connection, s.state);
                }
            }
        } catch (SQLException e) {
            primary = e;
            throw Errors.database(s.dialect, e, "rolling back the verification", ns.name());
        } catch (RuntimeException | Error e) {
            primary = e;
            throw e;
        } finally {
            if (lock != null) {
                cleanup(s, primary, "releasing the migration lock", ns, () -> lock.release(s.connection));
            }
        }
    }

    // ---------------------------------------------------------------- read-only

    /** The state of every namespace; writes nothing, takes no lock. */
    public List<NamespaceStatus> status() {
        prefetch();
        List<NamespaceStatus> out = new ArrayList<>();
        try (Session s = Session.open(config.source(), config.lockTimeout(), tracker, config.lockStrategy())) {
            for (Namespace ns : config.namespaces()) {
                out.add(statusOf(s, ns));
            }
        }
        return out;
    }

    private NamespaceStatus statusOf(Session s, Namespace ns) {
        TableState state;
        try {
            state = detect(s, ns);
        } catch (RatchetException e) {
            if (e.kind().family() != ErrorKind.Family.REFUSED) {
                throw e;
            }
            return new NamespaceStatus(ns.name(), tracker.id(), true, List.of(), java.util.Map.of(), List.of(),
                    List.of(), List.of(), Optional.of(e));
        }
        if (state == TableState.FOREIGN_SHAPE) {
            return new NamespaceStatus(ns.name(), tracker.id(), true, List.of(), java.util.Map.of(), List.of(),
                    List.of(), List.of(), Optional.of(foreignTable(s, ns)));
        }
        History history = state == TableState.ABSENT ? History.empty(ns.name()) : read(s, ns);
        boolean installed = state == TableState.PRESENT;
        try {
            Plan plan = plan(history, ns);
            Optional<RatchetException> elsewhere;
            try {
                Plan foreseen = foreseen(s, plan);
                if (foreseen != plan) {
                    // A bootstrap comes first: pending is what the migrate would run after it.
                    Tracker source = config.bootstrapFrom();
                    String sourceName = dev.ratchet.Trackers.nameOf(source, s.qualifiedTable(source));
                    List<String> warnings = new ArrayList<>(plan.warnings());
                    warnings.add("nothing is recorded here yet; migrate first moves the history of the " + sourceName
                            + " tracker, the bootstrap source, leaving " + foreseen.pending().size()
                            + " migration(s) to run");
                    plan = new Plan(ns, foreseen.pending(), foreseen.unverifiable(), warnings);
                }
                elsewhere = Optional.empty();
            } catch (RatchetException refused) {
                elsewhere = Optional.of(refused);
            }
            if (elsewhere.isPresent() && elsewhere.get().kind() == ErrorKind.FOREIGN_HISTORY_FOUND) {
                return new NamespaceStatus(ns.name(), tracker.id(), installed, history.entries(), history.facts(),
                        List.of(), List.of(), plan.warnings(), elsewhere);
            }
            if (elsewhere.isPresent()) {
                return new NamespaceStatus(ns.name(), tracker.id(), installed, history.entries(), history.facts(),
                        plan.pending(), plan.unverifiable(), plan.warnings(), elsewhere);
            }
            Plan planned = plan;
            return new NamespaceStatus(ns.name(), tracker.id(), installed, history.entries(), history.facts(),
                    plan.pending(), plan.unverifiable(), plan.warnings(),
                    missingTrackerSchema(s, ns, state).or(() -> scriptRefusal(s, planned)));
        } catch (RatchetException e) {
            return new NamespaceStatus(ns.name(), tracker.id(), installed, history.entries(), history.facts(),
                    List.of(), List.of(), List.of(), Optional.of(e));
        }
    }

    /** The plan of every namespace; no lock, no writes. Throws the first refusal. */
    public List<Plan> plan() {
        prefetch();
        List<Plan> out = new ArrayList<>();
        try (Session s = Session.open(config.source(), config.lockTimeout(), tracker, config.lockStrategy())) {
            for (Namespace ns : config.namespaces()) {
                Observed observed = observe(s, ns);
                Plan plan = targeted(ns, foreseen(s, observed.plan()));
                Optional<RatchetException> refusal = missingTrackerSchema(s, ns, observed.state())
                        .or(() -> scriptRefusal(s, plan));
                if (refusal.isPresent()) {
                    throw refusal.get();
                }
                out.add(plan);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- shared steps

    /**
     * The plan with only the pending migrations up to the target of {@code ns}, in code order
     * ({@link Namespace#through}); the plan itself when {@code ns} has none. The target is taken
     * from the engine's namespace, never from the plan a tracker returned.
     */
    static Plan targeted(Namespace ns, Plan plan) {
        if (ns.target().isEmpty()) {
            return plan;
        }
        java.util.Set<String> upToTarget = new java.util.HashSet<>();
        ns.upToTarget().forEach(m -> upToTarget.add(m.name()));
        List<String> warnings = new ArrayList<>(plan.warnings());
        pastTarget(ns, plan).ifPresent(warnings::add);
        return new Plan(ns, plan.pending().stream().filter(m -> upToTarget.contains(m.name())).toList(),
                plan.unverifiable(), warnings);
    }

    /**
     * That the database is already past the namespace's target, if it is: some migration after the
     * target is not pending in {@code plan} (the tracker's, the target not applied to it). It is
     * applied, or for a counter at or below the counter ({@code unverifiable}). A target stops a
     * run before the later migrations; it undoes none of them, as golang-migrate's {@code goto}
     * would with its down files.
     */
    static Optional<String> pastTarget(Namespace ns, Plan plan) {
        if (ns.target().isEmpty()) {
            return Optional.empty();
        }
        List<Migration> all = ns.migrations();
        int upTo = ns.upToTarget().size();
        java.util.Set<String> pending = new java.util.HashSet<>();
        plan.pending().forEach(m -> pending.add(m.name()));
        List<String> past = all.subList(upTo, all.size()).stream().map(Migration::name)
                .filter(n -> !pending.contains(n)).toList();
        if (past.isEmpty()) {
            return Optional.empty();
        }
        int shown = Math.min(past.size(), 5);
        return Optional.of("the database is past the target " + ns.target().get() + ": " + past.size()
                + " migration(s) after it are not pending (" + String.join(", ", past.subList(0, shown))
                + (shown < past.size() ? ", ..." : "") + "); a target stops a run before the migrations after"
                + " it, it undoes none");
    }

    private void warn(Namespace ns, String warning, List<String> warnings) {
        warnings.add(ns.name() + ": " + warning);
        config.listener().warning(ns.name(), warning);
    }

    /** The most names of migrations beyond the code that a warning lists. */
    private static final int AHEAD_SHOWN = 10;

    /**
     * The tracker's plan. With {@code allowNewerDatabase()}, a history the tracker refuses as
     * newer than the code ({@code BINARY_OLDER_THAN_DB}, {@code UNKNOWN_APPLIED_VERSION}) is
     * planned without what lies beyond the code's last migration ({@link Tracker#ahead}): the
     * migrations the code has are checked as always, what lies beyond is left as it is and named
     * in a warning. Code that would still run something there is refused: the newer release did
     * not have it, or did not run it, and an older release writing to a newer database's history
     * is what the option does not allow.
     */
    private Plan plan(History history, Namespace ns) {
        try {
            return tracker.plan(history, ns);
        } catch (RatchetException refused) {
            if (!config.allowNewerDatabase() || (refused.kind() != ErrorKind.BINARY_OLDER_THAN_DB
                    && refused.kind() != ErrorKind.UNKNOWN_APPLIED_VERSION && refused.kind() != ErrorKind.DIRTY)) {
                throw refused;
            }
            Optional<Ahead> ahead = tracker.ahead(history, ns);
            if (ahead.isEmpty()) {
                throw refused;
            }
            List<String> beyond = ahead.get().beyond();
            String named = shown(beyond);
            Plan within = tracker.plan(ahead.get().within(), ns);
            if (!within.isUpToDate()) {
                List<String> pending = within.pending().stream().map(Migration::name).toList();
                throw RatchetException.of(refused.kind(), "Namespace '" + ns.name() + "' is ahead of this code ("
                                + named + " after its last migration), and this code would still run "
                                + shown(pending) + ", which the release that"
                                + " migrated further did not run: an older release may boot on a newer database only"
                                + " when it has nothing to run.")
                        .with("namespace", ns.name()).with("beyond", beyond).with("pending", pending)
                        .hint("deploy a release that contains the database's migrations; if these migrations"
                                + " are to run, add them to that release")
                        .build();
            }
            List<String> warnings = new ArrayList<>(within.warnings());
            warnings.add("the database is ahead of this code: after its last migration it records " + named
                    + ", from a newer release, left as it is (a newer database is allowed)");
            return new Plan(ns, within.pending(), within.unverifiable(), warnings);
        }
    }

    /**
     * A lock timeout that also says what the history read without the lock was refused with: an
     * older release restarting while a newer one holds the lock for a long migration learns, after
     * its wait, that the database is ahead, not only that someone is migrating.
     */
    private static RatchetException alsoRefused(RatchetException timeout, RatchetException refused) {
        String hint = timeout.hint();
        RatchetException e = timeout.reworded(text -> text.equals(hint) ? text : text + " Read without the lock,"
                + " the history is refused as well, which stands once the lock is free unless the run holding it"
                + " changes the history: " + refused.getMessage());
        e.addSuppressed(refused);
        return e;
    }

    /** The first {@link #AHEAD_SHOWN} of {@code names}, and how many there are when that is not all. */
    private static String shown(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(AHEAD_SHOWN, names.size())))
                + (names.size() > AHEAD_SHOWN ? ", ... (" + names.size() + " in all)" : "");
    }

    /** What the tracker found for a namespace: its table's state and the plan. */
    private record Observed(TableState state, Plan plan) {
    }

    /** Detect, read and plan, writing nothing. */
    private Observed observe(Session s, Namespace ns) {
        TableState state = detect(s, ns);
        if (state == TableState.FOREIGN_SHAPE) {
            throw foreignTable(s, ns);
        }
        History history = state == TableState.ABSENT ? History.empty(ns.name()) : read(s, ns);
        return new Observed(state, plan(history, ns));
    }

    /** Where {@link #lockedPlan} may create a missing tracker table. */
    private enum Install {
        /** Never (plan, status). */
        NONE,
        /** In the transaction already open (verify, which rolls it back). */
        CURRENT_TRANSACTION
    }

    /**
     * Detect, install when allowed, read and plan: under the lock and in its transaction for
     * verify; for plan ({@link Install#NONE}), what a migrate would run, or its refusal.
     */
    private Plan lockedPlan(Session s, Namespace ns, Install install) {
        Observed observed = observe(s, ns);
        if (install == Install.NONE) {
            return foreseen(s, observed.plan());
        }
        if (observed.state() == TableState.ABSENT && install == Install.CURRENT_TRANSACTION) {
            sql(s, ns, "creating the tracker table", () -> tracker.install(s.context));
        }
        return observed.plan();
    }

    /**
     * That a migrate would fail creating the tracker table, if it would: its table is absent and
     * the schema it is configured for (an attached database on SQLite) does not exist. Ratchet
     * creates its tracker table, never a schema. For {@code status()} and {@code plan()} to say so
     * before a migrate, as they report a script a migrate would refuse.
     */
    private Optional<RatchetException> missingTrackerSchema(Session s, Namespace ns, TableState state) {
        if (state != TableState.ABSENT || tracker.schema().isEmpty()) {
            return Optional.empty();
        }
        String schema = tracker.schema().get();
        boolean exists;
        try {
            exists = s.dialect.schemaExists(s.connection, schema);
        } catch (SQLException e) {
            throw Errors.database(s.dialect, e, "looking for the tracker table's schema", ns.name());
        }
        if (exists) {
            return Optional.empty();
        }
        boolean sqlite = s.dialect instanceof SqliteDialect;
        return Optional.of(RatchetException.of(ErrorKind.DATABASE_ERROR, "The tracker table "
                        + s.qualifiedTable(tracker) + " of namespace '" + ns.name() + "' is to be created in "
                        + (sqlite ? "the attached database '" + schema + "', which the connection has not attached"
                        : "schema '" + schema + "', which the database does not have") + ": migrate would fail"
                        + " creating it.")
                .hint(sqlite ? Errors.MISSING_ATTACHED_DATABASE_HINT : Errors.MISSING_SCHEMA_HINT)
                .with("namespace", ns.name()).with("schema", schema).build());
    }

    private TableState detect(Session s, Namespace ns) {
        try {
            return tracker.detect(s.context);
        } catch (SQLException e) {
            // SQLite cannot even look into a database that is not attached: no table is there.
            if (tracker.schema().isPresent()) {
                try {
                    if (!s.dialect.schemaExists(s.connection, tracker.schema().get())) {
                        return TableState.ABSENT;
                    }
                } catch (SQLException again) {
                    e.addSuppressed(again);
                }
            }
            throw Errors.database(s.dialect, e, "inspecting the tracker table", ns.name());
        }
    }

    /**
     * The tracker's quick proof that nothing is to be done (one row however long the history).
     * A failure proves nothing: the read and plan that follow decide, and report it.
     */
    private boolean provesUpToDate(Session s, Namespace ns) {
        try {
            return tracker.provesUpToDate(s.context, ns);
        } catch (SQLException | RatchetException e) {
            return false;
        }
    }

    private History read(Session s, Namespace ns) {
        try {
            return tracker.read(s.context, ns.name());
        } catch (SQLException e) {
            throw Errors.database(s.dialect, e, "reading the tracker table", ns.name());
        }
    }

    private RatchetException foreignTable(Session s, Namespace ns) {
        String table = s.context.defaultSchema() + "." + tracker.table();
        return RatchetException.of(ErrorKind.FOREIGN_TRACKER_TABLE, "Table " + table
                        + " exists but is not in the shape of the " + tracker.id()
                        + " tracker; Ratchet will not write to it.")
                .with("namespace", ns.name()).with("table", table).with("tracker", tracker.id()).build();
    }

    private void checkTargetSchema(Session s, Namespace ns) {
        if (ns.schema().isPresent() && !s.dialect.supportsTargetSchema()) {
            throw RatchetException.of(ErrorKind.UNSUPPORTED_FEATURE, "Namespace '" + ns.name() + "' has target schema '"
                            + ns.schema().get() + "', but " + s.dialect.name() + " has no schemas to switch to.")
                    .with("namespace", ns.name()).build();
        }
    }

    private String lockScope(Session s) {
        return s.lockScope(tracker);
    }

}
