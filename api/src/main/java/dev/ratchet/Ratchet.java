package dev.ratchet;

import dev.ratchet.internal.Engine;
import dev.ratchet.spi.Tracker;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The facade: configure once with {@link #builder()}, then {@link #migrate()},
 * {@link #status()}, {@link #plan()} or {@link #verify()}. Instances are immutable and
 * thread-safe; each call opens one pinned connection from the {@link ConnectionSource} and
 * returns it with its session settings as they were.
 *
 * <pre>{@code
 * Ratchet ratchet = Ratchet.builder()
 *         .dataSource(dataSource)
 *         .tracker(AppliedSetTracker.builder().build())
 *         .namespace(Namespace.of("app", MigrationSource.classpath("db/migrations").load()))
 *         .build();
 * MigrateResult result = ratchet.migrate();
 * }</pre>
 *
 * <p>Guarantees: the namespace lock is taken before history is read; each migration's body
 * and tracker row commit together (or the whole chain does, in {@link TransactionMode#CHAIN});
 * a non-transactional migration runs alone and is recorded only after it succeeds; every
 * namespace is migrated before {@code migrate()} returns.
 */
public final class Ratchet {
    /** The name {@link Builder#migrations(MigrationSource)} gives its namespace. */
    public static final String DEFAULT_NAMESPACE = "default";

    private final Engine engine;

    private Ratchet(Engine engine) {
        this.engine = engine;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies every pending migration of every namespace, under each namespace's lock.
     *
     * @return what was applied, with durations, and any warnings
     * @throws RatchetException when a tracker refuses, a migration fails, or the lock times out
     */
    public MigrateResult migrate() {
        return engine.migrate();
    }

    /**
     * Reports applied and pending migrations per namespace, and any problem that would stop
     * {@link #migrate()}. Read-only: takes no lock and never creates a table.
     */
    public List<NamespaceStatus> status() {
        return engine.status();
    }

    /**
     * What {@link #migrate()} would run now, per namespace. Takes no lock and writes nothing,
     * so the answer can be stale by the time a migration runs.
     *
     * @throws RatchetException when a tracker refuses
     */
    public List<Plan> plan() {
        return engine.plan();
    }

    /**
     * The dry-run gate: runs every pending migration of a namespace inside one transaction,
     * records it, then rolls everything back, leaving the database as it was. A
     * non-transactional migration (and what follows it) is reported as not verified.
     *
     * @throws RatchetException when a tracker refuses (failures of migration bodies are reported in the result)
     */
    public VerifyResult verify() {
        return engine.verify();
    }

    /**
     * Stops the {@link #migrate()} and {@link #verify()} runs of this instance in progress, from
     * another thread (a shutdown hook, so that a stopped process leaves neither a statement running
     * in the database nor a held lock), and waits at most {@code wait} for them to end. The
     * statement of the migration running is cancelled (PostgreSQL: a cancel request; SQLite: an
     * interrupt): that migration fails as any failed migration does (rolled back, when it runs in
     * a transaction), none starts after it, and a wait for the lock ends. The run then rolls back,
     * puts its session back, releases its lock and throws {@link ErrorKind#RUN_CANCELLED};
     * migrations that committed before stay applied. Does nothing when nothing runs, and nothing to
     * runs started later.
     *
     * <pre>{@code
     * Runtime.getRuntime().addShutdownHook(new Thread(() -> ratchet.cancel(Duration.ofSeconds(20))));
     * }</pre>
     *
     * @return whether every run cancelled has ended within {@code wait}
     */
    public boolean cancel(Duration wait) {
        return engine.cancel(Objects.requireNonNull(wait, "wait"));
    }

    /**
     * Operator repair: marks {@code namespace} as applied up to {@code version} and clean,
     * without running anything (golang-migrate's {@code force}), under the namespace lock.
     * Only trackers with such an operation support it (the counter).
     *
     * <pre>{@code
     * ratchet.force("default", Version.parse("41")); // after checking that 41 fully applied
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code version} is not one of the namespace's
     *         migrations (a counter at a version the code does not have is refused by every boot)
     * @throws RatchetException of kind {@link ErrorKind#UNSUPPORTED_FEATURE} for other trackers
     */
    public void force(String namespace, Version version) {
        engine.force(namespace, version);
    }

    /**
     * Records {@code names} as already applied in {@code namespace}, without running them —
     * for a database whose schema was created some other way. Creates the tracker table if
     * missing, takes the namespace lock, and writes in one transaction. Every refusal (a name
     * not in code, names out of order, a namespace that already has rows) happens before any
     * insert, so a baseline script that stopped halfway can simply be run again: the finished
     * namespaces refuse with {@link ErrorKind#BASELINE_NAMESPACE_POPULATED}, the rest proceed.
     *
     * <pre>{@code
     * ratchet.baseline("app", List.of("1_create_users", "2_add_email"));
     * }</pre>
     *
     * @throws RatchetException with the tracker's refusal, or {@link ErrorKind#UNSUPPORTED_FEATURE}
     */
    public void baseline(String namespace, List<String> names) {
        engine.baseline(namespace, List.copyOf(names));
    }

    /**
     * Configures a {@link Ratchet}; {@link #build()} validates once and throws
     * {@link IllegalArgumentException} with the fix for any contradiction.
     */
    public static final class Builder {
        private ConnectionSource source;
        private Tracker tracker;
        private final List<Namespace> namespaces = new ArrayList<>();
        private TransactionMode mode;
        private Duration lockTimeout = Duration.ofMinutes(2);
        private Duration lockLease = Duration.ofMinutes(1);
        private MigrationListener listener = MigrationListener.logging();
        private Tracker bootstrapFrom;
        private boolean lookForOtherTrackers = true;
        private LockStrategy lockStrategy = LockStrategy.AUTO;
        private Duration shutdownWait = Duration.ofSeconds(20);
        private boolean allowNewerDatabase;

        private Builder() {
        }

        /** Connections come from this data source (typically the application's pool). */
        public Builder dataSource(DataSource dataSource) {
            this.source = ConnectionSource.of(dataSource);
            return this;
        }

        /** Connections come from this source. */
        public Builder connections(ConnectionSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** The tracking strategy. Required. */
        public Builder tracker(Tracker tracker) {
            this.tracker = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /** Adds a namespace; namespaces migrate in the order added. */
        public Builder namespace(Namespace namespace) {
            namespaces.add(Objects.requireNonNull(namespace, "namespace"));
            return this;
        }

        /** Adds the namespace {@value #DEFAULT_NAMESPACE} with the migrations of this source, loaded now. */
        public Builder migrations(MigrationSource source) {
            return namespace(Namespace.of(DEFAULT_NAMESPACE, source.load()));
        }

        /** Per-migration or chain transactions (default: the tracker's, per-migration for most). */
        public Builder transactionMode(TransactionMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** How long to wait for another runner's lock (default 2 minutes). */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How runners exclude each other while migrating (default {@link LockStrategy#AUTO}: a
         * PostgreSQL advisory lock when a probe shows it excludes, a lease row otherwise).
         * {@link LockStrategy#LEASE} behind a transaction-pooling PgBouncer skips the probe.
         */
        public Builder lockStrategy(LockStrategy strategy) {
            this.lockStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * How long a lease-based lock (SQLite, {@link LockStrategy#LEASE}) stays valid without renewal (default 1 minute).
         * It is renewed inside a migration's transaction (on SQLite, whenever a tenth of it, at
         * most a second, passed since the last renewal; on PostgreSQL before every migration); a
         * crashed holder blocks others for at most this long.
         */
        public Builder lockLease(Duration lease) {
            this.lockLease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /**
         * How long a JVM shutdown (SIGTERM, SIGINT, {@code System.exit}) during a {@code migrate()}
         * or {@code verify()} that has work to do waits for the run, which it {@linkplain
         * Ratchet#cancel cancels}, to roll back and release its lock (default 20 seconds, within a
         * container's usual 30-second grace). From the wait for its first lock to its end, such a
         * run has a shutdown hook; an up-to-date boot has none. {@code Duration.ZERO}: no hook, and
         * a process stopped mid-migration leaves its statement running in the database and its
         * lock held until the database notices.
         */
        public Builder cancelOnShutdown(Duration wait) {
            if (Objects.requireNonNull(wait, "wait").isNegative()) {
                throw new IllegalArgumentException("cancelOnShutdown: the wait must not be negative, got " + wait);
            }
            this.shutdownWait = wait;
            return this;
        }

        /** Progress hooks (default: {@link MigrationListener#logging()}). */
        public Builder listener(MigrationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Bootstrap: when the configured tracker holds no history for a namespace and
         * {@code previous} does, {@code migrate()} first moves that history over (as a
         * {@link Cutover} would, keeping the old table), under both trackers' locks, then
         * migrates as usual. Without it, such history makes {@code migrate()} refuse with
         * {@link ErrorKind#FOREIGN_HISTORY_FOUND}, never re-running it.
         *
         * <pre>{@code
         * Ratchet.builder().tracker(AppliedSetTracker.builder().build())
         *        .bootstrapFrom(CounterTracker.builder().build())   // golang-migrate's schema_migrations
         * }</pre>
         */
        public Builder bootstrapFrom(Tracker previous) {
            this.bootstrapFrom = Objects.requireNonNull(previous, "previous");
            return this;
        }

        /**
         * Do not look for history kept by other known trackers. By default, a namespace with no
         * history here is checked against every tracker layout registered through
         * {@link dev.ratchet.spi.TrackerProvider}, and {@code migrate()} refuses if one holds some
         * ({@code FOREIGN_HISTORY_FOUND}); and a migration about to run is looked for by name in
         * those tables, and {@code migrate()} refuses if one records it as applied
         * ({@code APPLIED_BY_ANOTHER_TRACKER}). A namespace with no history is also checked
         * against this tracker's table in the search path's other schemas
         * ({@code HISTORY_IN_ANOTHER_SCHEMA}), against its other namespaces
         * ({@code HISTORY_UNDER_ANOTHER_NAMESPACE}), and against the tables of other names in the
         * tracker's schema that a known tracker recognises as its own ({@code HISTORY_IN_ANOTHER_TABLE}).
         * For databases where such history belongs to something else.
         */
        public Builder ignoreOtherTrackers() {
            this.lookForOtherTrackers = false;
            return this;
        }

        /**
         * Let this code run on a database that a newer release migrated further: an instance of
         * the previous release restarting during a rolling deploy, or a rollback to the previous
         * image. By default such a boot is refused ({@code BINARY_OLDER_THAN_DB},
         * {@code UNKNOWN_APPLIED_VERSION}), so that no release runs against a schema it does not
         * know without someone deciding it may.
         *
         * <p>With it, the migrations a newer release applied after this code's last one are left as
         * they are and named in a warning ({@code status()} lists them as applied, with the same
         * warning and no problem); the applied migrations this code has are checked as always
         * (checksums, names, order). Still refused: a migration this code has and has not run
         * (the newer release did not run it, and an older release does not write to a newer
         * database's history), an applied migration missing within this code (a deleted file), and a
         * newer release's migration left unfinished (a counter's dirty flag). Trackers that can tell
         * what lies beyond the code claim {@link dev.ratchet.spi.Capability#NEWER_DATABASE}; with
         * another, the refusal stands. The schema this code meets is then newer than the one it was
         * written for: the newer release's migrations must leave it working for the older code
         * (expand and contract), as they must during any rolling deploy.
         */
        public Builder allowNewerDatabase() {
            this.allowNewerDatabase = true;
            return this;
        }

        /**
         * The configured instance.
         *
         * @throws IllegalArgumentException when something required is missing or contradictory
         */
        public Ratchet build() {
            if (source == null) {
                throw new IllegalArgumentException("no connections: call dataSource(...) or connections(...)");
            }
            if (tracker == null) {
                throw new IllegalArgumentException("no tracker: call tracker(...), e.g. AppliedSetTracker.builder().build()");
            }
            if (namespaces.isEmpty()) {
                throw new IllegalArgumentException("no migrations: call namespace(...) or migrations(...)");
            }
            Set<String> names = new HashSet<>();
            for (Namespace ns : namespaces) {
                if (!names.add(ns.name())) {
                    throw new IllegalArgumentException("namespace '" + ns.name()
                            + "' is added twice: merge its migrations into one Namespace");
                }
            }
            if (lockTimeout.isNegative() || lockTimeout.isZero()) {
                throw new IllegalArgumentException("lockTimeout must be positive, got " + lockTimeout);
            }
            if (lockLease.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("lockLease must be at least 1 second, got " + lockLease);
            }
            tracker.validate(List.copyOf(namespaces));
            if (bootstrapFrom != null && bootstrapFrom.table().equals(tracker.table())
                    && bootstrapFrom.schema().equals(tracker.schema())) {
                throw new IllegalArgumentException("bootstrapFrom names the configured tracker's own table "
                        + tracker.table() + ": a same-table move needs an explicit Cutover with retire(RENAME or DROP)");
            }
            TransactionMode effective = mode != null ? mode : tracker.defaultTransactionMode();
            return new Ratchet(new Engine(new Engine.Config(source, tracker, List.copyOf(namespaces), effective,
                    lockTimeout, lockLease, listener, bootstrapFrom, lookForOtherTrackers, lockStrategy, shutdownWait,
                    allowNewerDatabase)));
        }
    }
}
