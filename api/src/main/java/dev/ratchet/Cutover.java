package dev.ratchet;

import dev.ratchet.internal.Mover;
import dev.ratchet.spi.Tracker;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Moves a database's history from one tracker to another without running any migration:
 * the source is read into the neutral {@link History}, resolved against the code's
 * migrations, and seeded into the target. Any direction between Ratchet's trackers works.
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>Lossless.</b> A move the target cannot represent is refused before any write: a dirty
 *       counter ({@link ErrorKind#DIRTY}), a gap into a tracker that cannot hold gaps
 *       ({@link ErrorKind#CUTOVER_GAP}), a versionless migration into a versioned tracker
 *       ({@link ErrorKind#VERSION_REQUIRED}), a source row the code does not know (the source
 *       tracker's own refusal). Checksums are carried where the source has them and left unknown
 *       (NULL) where it does not, never computed from today's files. After seeding, the target
 *       is read back and must plan exactly what the source planned, or everything rolls back.</li>
 *   <li><b>Atomic.</b> Target table, rows and retirement of the source happen in one
 *       transaction, under the namespace locks of both trackers (the same locks {@code migrate()}
 *       takes), so a crash leaves exactly one authoritative tracker.</li>
 *   <li><b>Idempotent.</b> A second run finds the target holding the same history and writes
 *       nothing; a run that adds namespaces completes the rest; a target holding different
 *       history is refused ({@link ErrorKind#CUTOVER_TARGET_DISAGREES}) with both lists.</li>
 * </ul>
 *
 * <pre>{@code
 * CutoverResult result = Cutover.builder()
 *         .dataSource(dataSource)
 *         .from(CounterTracker.builder().build())          // golang-migrate's schema_migrations
 *         .to(AppliedSetTracker.builder().build())
 *         .namespace(Namespace.of("default", MigrationSource.directory(dir).load()))
 *         .retire(Cutover.Retire.RENAME)
 *         .build()
 *         .run();
 * }</pre>
 */
public final class Cutover {
    /** What happens to the source table after a successful move. */
    public enum Retire {
        /** Leave it as it is. */
        KEEP,
        /** Rename it to {@code <table>_retired}. */
        RENAME,
        /** Drop it. */
        DROP
    }

    private final ConnectionSource source;
    private final List<Namespace> namespaces;
    private final Mover mover;

    private Cutover(Builder b) {
        this.source = b.source;
        this.namespaces = List.copyOf(b.namespaces);
        this.mover = new Mover(b.from, b.to, b.retire, b.lockTimeout, b.lockLease, b.lockStrategy);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Performs the move.
     *
     * @throws RatchetException when a move would lose information, or the target disagrees
     */
    public CutoverResult run() {
        return mover.run(source, namespaces, false);
    }

    /** Computes the rows the move would write, changing nothing and taking no lock. */
    public CutoverResult dryRun() {
        return mover.run(source, namespaces, true);
    }

    /** Configures a {@link Cutover}; validated in {@link #build()}. */
    public static final class Builder {
        private ConnectionSource source;
        private Tracker from;
        private Tracker to;
        private final List<Namespace> namespaces = new ArrayList<>();
        private Retire retire = Retire.KEEP;
        private Duration lockTimeout = Duration.ofMinutes(2);
        private Duration lockLease = Duration.ofMinutes(1);
        private LockStrategy lockStrategy = LockStrategy.AUTO;

        private Builder() {
        }

        /** Connections from this data source. */
        public Builder dataSource(DataSource dataSource) {
            this.source = ConnectionSource.of(dataSource);
            return this;
        }

        /** Connections from this source. */
        public Builder connections(ConnectionSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** The tracker that holds the history now. */
        public Builder from(Tracker from) {
            this.from = Objects.requireNonNull(from, "from");
            return this;
        }

        /** The tracker that will hold it. */
        public Builder to(Tracker to) {
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        /** A namespace to move, with the code's migrations. */
        public Builder namespace(Namespace namespace) {
            namespaces.add(Objects.requireNonNull(namespace, "namespace"));
            return this;
        }

        /** What to do with the source table afterwards (default {@link Retire#KEEP}). */
        public Builder retire(Retire retire) {
            this.retire = Objects.requireNonNull(retire, "retire");
            return this;
        }

        /** How long to wait for the locks (default 2 minutes). */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The lease of lease-based locks (SQLite, or {@link LockStrategy#LEASE}; default 1 minute). */
        public Builder lockLease(Duration lease) {
            this.lockLease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /** How the cutover excludes runners (default {@link LockStrategy#AUTO}). */
        public Builder lockStrategy(LockStrategy strategy) {
            this.lockStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * The cutover.
         *
         * @throws IllegalArgumentException for a missing or contradictory setting
         * @throws RatchetException when the target cannot track these namespaces (e.g. versions)
         */
        public Cutover build() {
            if (source == null) {
                throw new IllegalArgumentException("no connections: call dataSource(...) or connections(...)");
            }
            if (from == null || to == null) {
                throw new IllegalArgumentException("call from(...) and to(...) with the two trackers");
            }
            if (namespaces.isEmpty()) {
                throw new IllegalArgumentException("no namespaces: call namespace(...) for each namespace to move");
            }
            Set<String> names = new HashSet<>();
            for (Namespace ns : namespaces) {
                if (!names.add(ns.name())) {
                    throw new IllegalArgumentException("namespace '" + ns.name() + "' is added twice");
                }
            }
            boolean sameTable = from.table().equals(to.table()) && from.schema().equals(to.schema());
            if (sameTable && from.id().equals(to.id())) {
                throw new IllegalArgumentException("from and to are the same tracker table: nothing to move");
            }
            if (sameTable && retire == Retire.KEEP) {
                throw new IllegalArgumentException("the target table " + to.table() + " is the source's: choose"
                        + " retire(Retire.RENAME) or retire(Retire.DROP) so that the target can take its name");
            }
            if (lockTimeout.isNegative() || lockTimeout.isZero()) {
                throw new IllegalArgumentException("lockTimeout must be positive, got " + lockTimeout);
            }
            to.validate(List.copyOf(namespaces));
            return new Cutover(this);
        }
    }
}
