package dev.ratchet.internal;

import dev.ratchet.AppliedEntry;
import dev.ratchet.ConnectionSource;
import dev.ratchet.Cutover;
import dev.ratchet.CutoverResult;
import dev.ratchet.CutoverResult.NamespaceMove;
import dev.ratchet.CutoverResult.Status;
import dev.ratchet.ErrorKind;
import dev.ratchet.History;
import dev.ratchet.LockStrategy;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Plan;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;
import dev.ratchet.internal.DatabaseDialect.MigrationLock;
import dev.ratchet.spi.Capability;
import dev.ratchet.spi.TableState;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static dev.ratchet.internal.Session.cleanup;
import static dev.ratchet.internal.Session.inTransaction;
import static dev.ratchet.internal.Session.sql;

/**
 * Moves history from one tracker to another through the neutral {@link History}: behind
 * {@link Cutover} and {@code bootstrapFrom}. Trackers never see each other; the source's own
 * {@link Tracker#plan} decides what is applied (and refuses what it would refuse), the target's
 * {@link Tracker#seed} writes it, and the target's {@link Tracker#plan} must then agree.
 */
public final class Mover {
    private final Tracker source;
    private final Tracker target;
    private final Cutover.Retire retire;
    private final Duration lockTimeout;
    private final Duration lockLease;
    private final LockStrategy lockStrategy;

    /** A mover between two trackers. */
    public Mover(Tracker source, Tracker target, Cutover.Retire retire, Duration lockTimeout, Duration lockLease,
                 LockStrategy lockStrategy) {
        this.source = source;
        this.target = target;
        this.retire = retire;
        this.lockTimeout = lockTimeout;
        this.lockLease = lockLease;
        this.lockStrategy = lockStrategy;
    }

    /** Runs a cutover of {@code namespaces}: one transaction under both trackers' locks, or a dry run. */
    public CutoverResult run(ConnectionSource connections, List<Namespace> namespaces, boolean dryRun) {
        try (Session s = Session.open(connections, lockTimeout, target, lockStrategy)) {
            if (dryRun) {
                return new CutoverResult(prepare(s, namespaces, true).moves(), Optional.empty(), true);
            }
            if (sourceAbsent(s)) {
                // Nothing to move and nothing to retire: answered without the locks, whose taking
                // would write (a lease table) into a database the cutover leaves as it found it.
                return new CutoverResult(prepare(s, namespaces, false).moves(), Optional.empty(), false);
            }
            List<MigrationLock> locks = new ArrayList<>();
            Throwable primary = null;
            try {
                for (Namespace ns : namespaces) {
                    for (String scope : new LinkedHashSet<>(List.of(s.lockScope(source), s.lockScope(target)))) {
                        locks.add(s.dialect.lock(s.connection, s.state, scope, ns.name(), lockTimeout, lockLease));
                    }
                }
                Prepared prepared = prepare(s, namespaces, false);
                java.util.concurrent.atomic.AtomicReference<Optional<String>> retired =
                        new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
                inTransaction(s, null, () -> retired.set(apply(s, prepared, namespaces)));
                return new CutoverResult(prepared.moves(), retired.get(), false);
            } catch (RuntimeException | Error e) {
                primary = e;
                throw e;
            } finally {
                for (int i = locks.size() - 1; i >= 0; i--) {
                    MigrationLock lock = locks.get(i);
                    cleanup(s, primary, "releasing a migration lock", null, () -> lock.release(s.connection));
                }
            }
        }
    }

    /**
     * Bootstrap for one namespace inside a {@code migrate()} that already holds the target's
     * lock and found the target empty: takes the source's lock too, and moves the history in
     * one transaction (the source table is kept). Returns whether anything was moved.
     */
    boolean bootstrap(Session s, Namespace ns, Duration timeout, Duration lease) {
        if (sourceAbsent(s)) {
            return false; // a fresh database: no lease table of a tracker it never had
        }
        String sourceScope = s.lockScope(source);
        MigrationLock sourceLock = sourceScope.equals(s.lockScope(target)) ? null
                : s.dialect.lock(s.connection, s.state, sourceScope, ns.name(), timeout, lease);
        Throwable primary = null;
        try {
            Prepared prepared = prepare(s, List.of(ns), false);
            if (prepared.moves().get(0).status() != Status.MOVED) {
                return false;
            }
            inTransaction(s, ns, () -> apply(s, prepared, List.of(ns)));
            return true;
        } catch (RuntimeException | Error e) {
            primary = e;
            throw e;
        } finally {
            if (sourceLock != null) {
                cleanup(s, primary, "releasing the source tracker's lock", ns, () -> sourceLock.release(s.connection));
            }
        }
    }

    /**
     * The plan of {@code ns} after the move {@link #bootstrap} would make now, or empty when it
     * would move nothing (the source holds no history for it, or the target already does): the
     * source's pending migrations, which a move checks the target agrees with. Reads only,
     * without the locks; a refusal the move would give (a gap the target cannot hold, say) is
     * thrown.
     */
    Optional<Plan> planAfterBootstrap(Session s, Namespace ns) {
        Prepared p = prepare(s, List.of(ns), true);
        if (p.moves().get(0).status() != Status.WOULD_MOVE) {
            return Optional.empty();
        }
        Map<String, Migration> byName = new HashMap<>();
        ns.migrations().forEach(m -> byName.put(m.name(), m));
        return Optional.of(new Plan(ns, p.expectedPending().get(ns.name()).stream().map(byName::get).toList(),
                List.of()));
    }

    /** What the move will write, decided before any write. */
    private record Prepared(List<NamespaceMove> moves, boolean sourcePresent, TableState targetState,
                            boolean sameTable, Map<String, List<String>> expectedPending) {
    }

    private Prepared prepare(Session s, List<Namespace> namespaces, boolean dryRun) {
        TrackerContext src = s.contextFor(source);
        TrackerContext dst = s.context;
        boolean sameTable = sameTable(s);
        TableState sourceState = detect(s, source, src, sameTable);
        boolean sourcePresent = sourceState == TableState.PRESENT;
        TableState targetState = sameTable && sourcePresent ? TableState.ABSENT : detect(s, target, dst, sameTable);
        List<NamespaceMove> moves = new ArrayList<>();
        Map<String, List<String>> expectedPending = new HashMap<>();
        for (Namespace ns : namespaces) {
            History sourceHistory = sourcePresent ? read(s, source, src, ns) : History.empty(ns.name());
            Plan sourcePlan = source.plan(sourceHistory, ns);
            List<Migration> applied = applied(ns, sourcePlan);
            List<Migration> alreadyInTarget = List.of();
            if (targetState == TableState.PRESENT) {
                alreadyInTarget = applied(ns, target.plan(read(s, target, dst, ns), ns));
            }
            expectedPending.put(ns.name(), sourcePlan.pending().stream().map(Migration::name).toList());
            if (applied.isEmpty()) {
                moves.add(new NamespaceMove(ns.name(),
                        alreadyInTarget.isEmpty() ? Status.NOTHING_TO_MOVE : Status.ALREADY_MOVED, List.of()));
            } else if (!alreadyInTarget.isEmpty()) {
                if (!names(alreadyInTarget).equals(names(applied))) {
                    throw RatchetException.of(ErrorKind.CUTOVER_TARGET_DISAGREES, "Namespace '" + ns.name()
                                    + "': the " + target.id() + " tracker already records " + names(alreadyInTarget)
                                    + ", but the " + source.id() + " tracker records " + names(applied) + ".")
                            .with("namespace", ns.name()).with("target", names(alreadyInTarget))
                            .with("source", names(applied)).build();
                }
                moves.add(new NamespaceMove(ns.name(), Status.ALREADY_MOVED, List.of()));
            } else {
                moves.add(new NamespaceMove(ns.name(), dryRun ? Status.WOULD_MOVE : Status.MOVED,
                        resolve(ns, sourceHistory, applied)));
            }
        }
        return new Prepared(moves, sourcePresent, targetState, sameTable, expectedPending);
    }

    /** Whether both trackers name one table: a same-name cutover, which renames the source. */
    private boolean sameTable(Session s) {
        return s.contextFor(source).defaultSchema().equals(s.context.defaultSchema())
                && source.table().equals(target.table());
    }

    /**
     * Whether the source's table does not exist (or, on a same-name cutover, already has the
     * target's shape): read without any lock. A move then writes nothing whatever else happens,
     * so the answer stands as if it had been given under the locks.
     */
    private boolean sourceAbsent(Session s) {
        return detect(s, source, s.contextFor(source), sameTable(s)) == TableState.ABSENT;
    }

    private TableState detect(Session s, Tracker t, TrackerContext ctx, boolean sameTable) {
        TableState state;
        try {
            state = t.detect(ctx);
        } catch (SQLException e) {
            throw Errors.database(s.dialect, e, "inspecting the " + t.id() + " tracker table", null);
        } catch (RatchetException e) {
            // The target on the source's own table sees the source's shape (e.g. identity on an
            // old counter table): that table is the source, not a target in the way.
            if (sameTable && t == target) {
                return TableState.ABSENT;
            }
            throw e;
        }
        if (state == TableState.FOREIGN_SHAPE) {
            if (sameTable) {
                // After a same-name cutover the table has the other tracker's shape.
                return TableState.ABSENT;
            }
            String table = ctx.defaultSchema() + "." + t.table();
            throw RatchetException.of(ErrorKind.FOREIGN_TRACKER_TABLE, "Table " + table + " is not in the shape of the "
                    + t.id() + " tracker; the cutover will not read or write it.").with("table", table).build();
        }
        return state;
    }

    private History read(Session s, Tracker t, TrackerContext ctx, Namespace ns) {
        try {
            return t.read(ctx, ns.name());
        } catch (SQLException e) {
            throw Errors.database(s.dialect, e, "reading the " + t.id() + " tracker", ns.name());
        }
    }

    /** The code migrations a plan says are applied (everything not pending), in code order. */
    static List<Migration> applied(Namespace ns, Plan plan) {
        Set<String> pending = new HashSet<>(names(plan.pending()));
        return ns.migrations().stream().filter(m -> !pending.contains(m.name())).toList();
    }

    private static List<String> names(List<Migration> migrations) {
        return migrations.stream().map(Migration::name).toList();
    }

    /** The target rows: the applied migrations with what the source knows about each. */
    private List<AppliedEntry> resolve(Namespace ns, History sourceHistory, List<Migration> applied) {
        if (!target.capabilities().contains(Capability.GAPS)) {
            Set<String> done = new HashSet<>(names(applied));
            int last = -1;
            for (int i = 0; i < ns.migrations().size(); i++) {
                if (done.contains(ns.migrations().get(i).name())) {
                    last = i;
                }
            }
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < last; i++) {
                Migration m = ns.migrations().get(i);
                if (!done.contains(m.name())) {
                    missing.add(m.version().map(Version::toString).orElse(m.name()));
                }
            }
            if (!missing.isEmpty()) {
                throw RatchetException.of(ErrorKind.CUTOVER_GAP, "Namespace '" + ns.name() + "' has unapplied"
                                + " migrations below applied ones (" + String.join(", ", missing) + "); the "
                                + target.id() + " tracker cannot represent that gap.")
                        .with("namespace", ns.name()).with("missing", missing)
                        .hint("run " + String.join(", ", missing) + " with the " + source.id()
                                + " tracker first (it can run gaps), then cut over")
                        .build();
            }
        }
        Map<String, AppliedEntry> byName = new HashMap<>();
        Map<Version, AppliedEntry> byVersion = new HashMap<>();
        for (AppliedEntry e : sourceHistory.entries()) {
            e.name().ifPresent(n -> byName.put(n, e));
            e.version().ifPresent(v -> byVersion.put(v, e));
        }
        List<AppliedEntry> rows = new ArrayList<>();
        for (int i = 0; i < applied.size(); i++) {
            Migration m = applied.get(i);
            AppliedEntry known = byName.get(m.name());
            if (known == null && m.version().isPresent()) {
                known = byVersion.get(m.version().get());
            }
            // What the source knows is carried; what it does not know stays unknown — never a
            // checksum of today's file as if it were what ran.
            rows.add(new AppliedEntry(Optional.of(m.name()), m.version(), OptionalLong.of(i),
                    known == null ? Optional.empty() : known.checksum(),
                    known == null ? Optional.empty() : known.appliedAt(),
                    known == null ? OptionalLong.empty() : known.executionMs()));
        }
        return rows;
    }

    /** Writes everything prepared; runs inside the caller's transaction. Returns the retired name. */
    private Optional<String> apply(Session s, Prepared p, List<Namespace> namespaces) {
        TrackerContext src = s.contextFor(source);
        TrackerContext dst = s.context;
        Optional<String> retired = Optional.empty();
        if (p.sameTable() && p.sourcePresent() && retire != Cutover.Retire.KEEP) {
            retired = retireSource(s, src, namespaces); // the target takes the source's name
        }
        boolean anyMove = p.moves().stream().anyMatch(m -> m.status() == Status.MOVED);
        if (anyMove && p.targetState() == TableState.ABSENT) {
            sql(s, null, "creating the " + target.id() + " tracker table", () -> target.install(dst));
        }
        for (int i = 0; i < namespaces.size(); i++) {
            Namespace ns = namespaces.get(i);
            NamespaceMove move = p.moves().get(i);
            if (move.status() != Status.MOVED) {
                continue;
            }
            sql(s, ns, "seeding the " + target.id() + " tracker", () -> target.seed(dst, ns.name(), move.rows()));
            List<String> pendingNow = names(target.plan(read(s, target, dst, ns), ns).pending());
            if (!pendingNow.equals(p.expectedPending().get(ns.name()))) {
                throw RatchetException.of(ErrorKind.CUTOVER_WOULD_LOSE_HISTORY, "Namespace '" + ns.name()
                                + "': after seeding, the " + target.id() + " tracker would run " + pendingNow
                                + " where the " + source.id() + " tracker runs " + p.expectedPending().get(ns.name())
                                + "; the cutover was rolled back.")
                        .with("namespace", ns.name()).hint("this history cannot be represented by the "
                                + target.id() + " tracker; keep the " + source.id() + " tracker").build();
            }
        }
        if (!p.sameTable() && p.sourcePresent() && retire != Cutover.Retire.KEEP) {
            retired = retireSource(s, src, namespaces);
        }
        return retired;
    }

    private Optional<String> retireSource(Session s, TrackerContext src, List<Namespace> namespaces) {
        Set<String> moved = new HashSet<>(namespaces.stream().map(Namespace::name).toList());
        String table = src.defaultSchema() + "." + source.table();
        boolean safe;
        try {
            safe = source.holdsOnly(src, moved);
        } catch (SQLException e) {
            throw Errors.database(s.dialect, e, "checking what " + table + " holds", null);
        }
        if (!safe) {
            throw RatchetException.of(ErrorKind.CUTOVER_WOULD_LOSE_HISTORY, "Table " + table
                    + " holds history of namespaces this cutover does not move; retiring it would lose it.")
                    .with("table", table).build();
        }
        String q = s.dialect.qualify(src.defaultSchema(), source.table());
        if (retire == Cutover.Retire.DROP) {
            sql(s, null, "dropping " + table, () -> DatabaseDialect.execute(s.connection, "DROP TABLE " + q));
            return Optional.of("dropped");
        }
        String newName = source.table() + "_retired";
        dev.ratchet.spi.Identifiers.requireIdentifier("retired table", newName);
        sql(s, null, "checking for " + newName, () -> {
            if (s.dialect.columns(s.connection, src.defaultSchema(), newName).isPresent()) {
                throw RatchetException.of(ErrorKind.CUTOVER_WOULD_LOSE_HISTORY, "Cannot rename " + table + " to "
                                + newName + ": that table exists already.")
                        .hint("rename or drop " + newName + " first, or retire with DROP").build();
            }
        });
        sql(s, null, "renaming " + table, () -> DatabaseDialect.execute(s.connection,
                "ALTER TABLE " + q + " RENAME TO " + s.dialect.quote(newName)));
        return Optional.of(src.defaultSchema() + "." + newName);
    }
}
