package dev.ratchet.adopt;

import dev.ratchet.ConnectionSource;
import dev.ratchet.Cutover;
import dev.ratchet.CutoverResult;
import dev.ratchet.LockStrategy;
import dev.ratchet.Namespace;
import dev.ratchet.spi.Tracker;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adopts a database that another migration tool manages: its history table is read, matched to
 * the code's migrations, and written into one of Ratchet's trackers, running nothing. It is a
 * {@link Cutover} whose source is the other tool's table ({@link ForeignHistory}): under both
 * locks, in one transaction, idempotent (a second run finds the history moved and writes
 * nothing), refused before any write when anything would be lost or guessed. Stop the other tool
 * first: Ratchet's lock does not exclude it.
 *
 * <pre>{@code
 * AdoptionResult r = Adoption.builder()
 *         .dataSource(dataSource)
 *         .from(ForeignTool.FLYWAY)
 *         .to(AppliedSetTracker.builder().build())
 *         .namespace(Namespace.of("app", MigrationSource.directory(Path.of("db/migrations")).load()))
 *         .build()
 *         .run();
 * }</pre>
 */
public final class Adoption {
    private final ForeignTool from;
    private final Tracker reader;
    private final Cutover cutover;
    private final List<Namespace> namespaces;

    private Adoption(Builder b) {
        this.from = b.from;
        Map<String, Namespace> code = new LinkedHashMap<>();
        b.namespaces.forEach(ns -> code.put(ns.name(), ns));
        this.reader = b.from.reader(b.table, b.schema, new ForeignHistory.Settings(code, b.allowUnmatched, b.names));
        this.namespaces = List.copyOf(b.namespaces);
        Cutover.Builder c = Cutover.builder().connections(b.connections).from(reader).to(b.to).retire(b.retire);
        if (b.lockTimeout != null) {
            c.lockTimeout(b.lockTimeout);
        }
        if (b.lockLease != null) {
            c.lockLease(b.lockLease);
        }
        c.lockStrategy(b.lockStrategy);
        b.namespaces.forEach(c::namespace);
        this.cutover = c.build();
    }

    /** Starts an adoption. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Moves the history.
     *
     * @throws dev.ratchet.RatchetException when an entry failed or never finished, does not match
     *                                      the code (without an allowance), or the target disagrees
     */
    public AdoptionResult run() {
        return result(cutover.run());
    }

    /** What {@link #run()} would write, writing nothing. */
    public AdoptionResult dryRun() {
        return result(cutover.dryRun());
    }

    private AdoptionResult result(CutoverResult moves) {
        List<LeftOut> leftOut = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (reader instanceof ForeignHistory foreign) {
            namespaces.forEach(ns -> leftOut.addAll(foreign.leftOut(ns.name())));
            namespaces.forEach(ns -> foreign.warnings(ns.name()).forEach(w -> warnings.add(ns.name() + ": " + w)));
        }
        return new AdoptionResult(from, moves, leftOut, warnings);
    }

    /** Configures an {@link Adoption}. */
    public static final class Builder {
        private ConnectionSource connections;
        private ForeignTool from;
        private String table;
        private String schema;
        private Tracker to;
        private final List<Namespace> namespaces = new ArrayList<>();
        private boolean allowUnmatched;
        private final Map<String, String> names = new LinkedHashMap<>();
        private Cutover.Retire retire = Cutover.Retire.KEEP;
        private Duration lockTimeout;
        private Duration lockLease;
        private LockStrategy lockStrategy = LockStrategy.AUTO;

        private Builder() {
        }

        /** Connections from a data source. */
        public Builder dataSource(DataSource dataSource) {
            this.connections = ConnectionSource.of(Objects.requireNonNull(dataSource, "dataSource"));
            return this;
        }

        /** Connections from a {@link ConnectionSource}. */
        public Builder connections(ConnectionSource connections) {
            this.connections = Objects.requireNonNull(connections, "connections");
            return this;
        }

        /** The tool whose history is adopted. */
        public Builder from(ForeignTool tool) {
            this.from = Objects.requireNonNull(tool, "tool");
            return this;
        }

        /** The tool's table, when not its default. */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** The schema of the tool's table, when not the session's. */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** Ratchet's tracker that receives the history. */
        public Builder to(Tracker tracker) {
            this.to = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /** A namespace of code to match the history against (for Django, one per app, named as the app). */
        public Builder namespace(Namespace namespace) {
            namespaces.add(Objects.requireNonNull(namespace, "namespace"));
            return this;
        }

        /**
         * Leaves out entries that match no migration of the code (or that Ratchet cannot represent)
         * instead of refusing; they are listed in {@link AdoptionResult#leftOut()}. Failed and
         * unfinished entries are refused regardless.
         */
        public Builder allowUnmatched() {
            this.allowUnmatched = true;
            return this;
        }

        /**
         * Maps one of the tool's entry identities (as {@link ForeignEntry#identity()} and error
         * messages show it, e.g. Liquibase's {@code id::author::file}) to a migration name.
         */
        public Builder map(String identity, String migrationName) {
            names.put(Objects.requireNonNull(identity, "identity"), Objects.requireNonNull(migrationName, "name"));
            return this;
        }

        /** After moving, rename ({@code RENAME}) or drop ({@code DROP}) the tool's table; the default keeps it. */
        public Builder retireSource(Cutover.Retire retire) {
            this.retire = Objects.requireNonNull(retire, "retire");
            return this;
        }

        /** How long to wait for the locks. */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = timeout;
            return this;
        }

        /** The lease of lease-based locks (SQLite, or {@link LockStrategy#LEASE}; default 1 minute). */
        public Builder lockLease(Duration lease) {
            this.lockLease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /** How the move excludes runners (default {@link LockStrategy#AUTO}). */
        public Builder lockStrategy(LockStrategy strategy) {
            this.lockStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * The adoption.
         *
         * @throws IllegalArgumentException for a missing or contradictory setting
         */
        public Adoption build() {
            if (connections == null) {
                throw new IllegalArgumentException("no connections: call dataSource(...) or connections(...)");
            }
            if (from == null || to == null) {
                throw new IllegalArgumentException("call from(...) with the tool and to(...) with Ratchet's tracker");
            }
            if (namespaces.isEmpty()) {
                throw new IllegalArgumentException("no namespaces: call namespace(...) with the code to match");
            }
            if (!from.keepsNamespaces() && namespaces.size() > 1) {
                throw new IllegalArgumentException(from.cliName() + " keeps one history; adopt it into one namespace,"
                        + " not " + namespaces.size());
            }
            if (from == ForeignTool.GOLANG_MIGRATE && (allowUnmatched || !names.isEmpty())) {
                throw new IllegalArgumentException("golang-migrate keeps one version number: there is nothing to"
                        + " match, map or leave out");
            }
            return new Adoption(this);
        }
    }
}
