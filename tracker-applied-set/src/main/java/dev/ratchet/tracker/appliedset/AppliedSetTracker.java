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
import dev.ratchet.spi.Ahead;
import dev.ratchet.spi.Capability;
import dev.ratchet.spi.Dialect;
import dev.ratchet.spi.ExpectedRows;
import dev.ratchet.spi.Identifiers;
import dev.ratchet.spi.Outcome;
import dev.ratchet.spi.Recording;
import dev.ratchet.spi.RepairSql;
import dev.ratchet.spi.TableState;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import static dev.ratchet.spi.Dialect.ColumnKind.BIGINT;
import static dev.ratchet.spi.Dialect.ColumnKind.TEXT;
import static dev.ratchet.spi.Dialect.ColumnKind.TIMESTAMP;

/**
 * The applied-set tracker: one row per applied migration,
 * {@code (namespace, version, name, checksum, applied_at, execution_ms)} with primary key
 * {@code (namespace, version)}. "Applied" is set membership, so gaps are first-class:
 * pending = code \ applied, run in ascending version order. A migration merged late with a
 * lower version simply runs, where a counter would skip it forever.
 *
 * <p>It refuses, before running anything: an applied version with no code migration
 * ({@link ErrorKind#UNKNOWN_APPLIED_VERSION}: this binary is older than the database), an
 * applied version whose code migration has another name ({@link ErrorKind#RENAMED_AFTER_APPLY}),
 * and, in {@link ChecksumVerification#FAIL} mode, an applied migration whose text changed
 * ({@link ErrorKind#CHECKSUM_DRIFT}). A row with a NULL checksum has unknown provenance
 * (backfilled from an older tracker) and is never flagged.
 *
 * <pre>{@code
 * Tracker tracker = AppliedSetTracker.builder()
 *         .table("applied_migrations")
 *         .checksumVerification(ChecksumVerification.WARN)
 *         .build();
 * }</pre>
 */
public final class AppliedSetTracker implements Tracker {
    /** The default table name. */
    public static final String DEFAULT_TABLE = "ratchet_applied_migrations";

    private static final Set<String> COLUMNS = Set.of("namespace", "version", "name", "checksum", "applied_at",
            "execution_ms");

    private final String table;
    private final String schema;
    private final ChecksumVerification verification;

    private AppliedSetTracker(Builder b) {
        this.table = b.table;
        this.schema = b.schema;
        this.verification = b.verification;
    }

    /** A builder with the defaults: table {@value #DEFAULT_TABLE}, current schema, checksum {@code FAIL}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return "applied-set";
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    /** The configured checksum verification. */
    public ChecksumVerification checksumVerification() {
        return verification;
    }

    @Override
    public Optional<Tracker> withChecksumVerification(ChecksumVerification verification) {
        return Optional.of(builder().table(table).schema(schema).checksumVerification(verification).build());
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> claimed = EnumSet.of(Capability.GAPS, Capability.RENAME_DETECTION,
                Capability.CHECKSUM_DRIFT_DETECTION, Capability.UNKNOWN_APPLIED_DETECTION,
                Capability.BINARY_OLDER_DETECTION, Capability.NEWER_DATABASE, Capability.MULTIPLE_NAMESPACES);
        if (verification == ChecksumVerification.OFF) {
            claimed.remove(Capability.CHECKSUM_DRIFT_DETECTION); // checksums are recorded, never compared
        }
        return claimed;
    }

    /** Every migration needs a version: rows are keyed by it. */
    @Override
    public void validate(List<Namespace> namespaces) {
        for (Namespace ns : namespaces) {
            List<Migration> migrations = ns.migrations();
            for (int i = 0, n = migrations.size(); i < n; i += CHUNK) {
                requireVersions(ns, migrations, i, Math.min(n, i + CHUNK));
            }
        }
    }

    /**
     * How many migrations one call of a per-migration loop's method takes on a boot's path: a
     * loop that runs once per boot stays in the interpreter for a JVM's first dozen boots, a
     * method called 300 times a boot is compiled during the first (the api module's
     * {@code MigrationFiles.CHUNK} says more).
     */
    private static final int CHUNK = 16;

    /** {@link #requireVersion} for {@code migrations[from .. to)}: see {@link #CHUNK}. */
    private static void requireVersions(Namespace ns, List<Migration> migrations, int from, int to) {
        for (int i = from; i < to; i++) {
            requireVersion(ns, migrations.get(i));
        }
    }

    /** The body of {@link #validate}'s loop, a method of its own for the reason {@link #entry} is one. */
    private static void requireVersion(Namespace ns, Migration m) {
        if (m.version().isEmpty()) {
            throw RatchetException.of(ErrorKind.VERSION_REQUIRED, "Migration '" + m.name() + "' of namespace '"
                            + ns.name() + "' (" + m.origin() + ") has no version; the applied-set tracker keys"
                            + " rows by version.")
                    .with("namespace", ns.name()).with("migration", m.name()).build();
        }
    }

    private String qualified(TrackerContext ctx) {
        return ctx.dialect().qualify(ctx.defaultSchema(), table);
    }

    @Override
    public TableState detect(TrackerContext ctx) throws SQLException {
        Optional<Set<String>> columns = ctx.dialect().columns(ctx.connection(), ctx.defaultSchema(), table);
        if (columns.isEmpty()) {
            return TableState.ABSENT;
        }
        return columns.get().containsAll(COLUMNS) ? TableState.PRESENT : TableState.FOREIGN_SHAPE;
    }

    @Override
    public void install(TrackerContext ctx) throws SQLException {
        Dialect d = ctx.dialect();
        String sql = "CREATE TABLE IF NOT EXISTS " + qualified(ctx) + " ("
                + "namespace " + d.textType() + " NOT NULL, "
                + "version " + d.textType() + " NOT NULL, "
                + "name " + d.textType() + " NOT NULL, "
                + "checksum " + d.textType() + " NULL, "
                + "applied_at " + d.timestampType() + " NOT NULL, "
                + "execution_ms " + d.bigintType() + " NULL, "
                + "PRIMARY KEY (namespace, version))";
        try (PreparedStatement ps = ctx.connection().prepareStatement(sql)) {
            ps.execute();
        }
    }

    @Override
    public History read(TrackerContext ctx, String namespace) throws SQLException {
        List<AppliedEntry> entries = new ArrayList<>();
        String sql = "SELECT version, name, checksum, applied_at, execution_ms FROM " + qualified(ctx)
                + " WHERE namespace = ?";
        try (PreparedStatement ps = ctx.connection().prepareStatement(sql)) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(entry(ctx, namespace, rs));
                }
            }
        }
        // Rows come in no particular order; every entry here has a version.
        entries.sort((a, b) -> a.version().get().compareTo(b.version().get()));
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).version().get().equals(entries.get(i - 1).version().get())) {
                String v = entries.get(i).version().orElseThrow().toString();
                throw corrupt(ctx, namespace, v, "the version has two rows (the table lost its primary key)");
            }
        }
        return new History(namespace, entries, Map.of());
    }

    /**
     * One query, one row: the table holds exactly a row per code migration, with its version and
     * name (and checksum, when checksums are compared), and every row reads back. The namespace's
     * versions are unique (it refuses a collision), as the table's key is.
     */
    @Override
    public boolean provesUpToDate(TrackerContext ctx, Namespace namespace) throws SQLException {
        boolean checksums = verification != ChecksumVerification.OFF;
        ExpectedRows.Column key = new ExpectedRows.Column("version", TEXT);
        List<ExpectedRows.Column> compared = new ArrayList<>(List.of(key, new ExpectedRows.Column("name", TEXT)));
        if (checksums) {
            compared.add(new ExpectedRows.Column("checksum", TEXT));
        }
        ExpectedRows rows = new ExpectedRows(compared);
        List<Migration> code = namespace.migrations();
        for (int i = 0, n = code.size(); i < n; i += CHUNK) {
            if (!expect(rows, code, i, Math.min(n, i + CHUNK), checksums)) {
                return false;
            }
        }
        return rows.heldBy(ctx, qualified(ctx), "namespace", namespace.name(), key,
                List.of(new ExpectedRows.Column("applied_at", TIMESTAMP), new ExpectedRows.Column("execution_ms", BIGINT)));
    }

    /** {@link #expect(ExpectedRows, Migration, boolean)} for {@code code[from .. to)}: see {@link #CHUNK}. */
    private static boolean expect(ExpectedRows rows, List<Migration> code, int from, int to, boolean checksums) {
        for (int i = from; i < to; i++) {
            if (!expect(rows, code.get(i), checksums)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds the row expected for {@code m}; false when it has no version or no checksum to compare
     * (the plan refuses the first; a row without a checksum proves nothing). The body of
     * {@link #provesUpToDate}'s loop, a method of its own for the reason {@link #entry} is one.
     */
    private static boolean expect(ExpectedRows rows, Migration m, boolean checksums) {
        Optional<Version> version = m.version();
        if (version.isEmpty() || checksums && m.checksum().isEmpty()) {
            return false;
        }
        if (checksums) {
            rows.add(version.get().toString(), m.name(), m.checksum().get());
        } else {
            rows.add(version.get().toString(), m.name());
        }
        return true;
    }

    /**
     * The current row. A method of its own, not the read loop's body: the loop runs once per boot,
     * so a JVM compiles it late, while this method is compiled after its first few hundred rows.
     */
    private AppliedEntry entry(TrackerContext ctx, String namespace, ResultSet rs) throws SQLException {
        String versionText = rs.getString(1);
        String name = rs.getString(2);
        Version version;
        try {
            version = Version.parse(versionText);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw corrupt(ctx, namespace, versionText, "its version '" + versionText + "' is not a version");
        }
        if (!version.toString().equals(versionText)) {
            throw corrupt(ctx, namespace, versionText, "its version '" + versionText
                    + "' is not in canonical form ('" + version + "')");
        }
        if (name == null || name.isBlank()) {
            throw corrupt(ctx, namespace, versionText, "it has no name");
        }
        String checksum = rs.getString(3);
        Optional<Instant> appliedAt;
        try {
            appliedAt = ctx.dialect().readInstant(rs, "applied_at");
        } catch (RuntimeException e) {
            throw corrupt(ctx, namespace, versionText, "its applied_at cannot be read");
        }
        long ms = rs.getLong(5);
        OptionalLong executionMs = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(ms);
        return new AppliedEntry(Optional.of(name), Optional.of(version), OptionalLong.empty(),
                Optional.ofNullable(checksum), appliedAt, executionMs);
    }

    private RatchetException corrupt(TrackerContext ctx, String namespace, String version, String why) {
        return RatchetException.of(ErrorKind.CORRUPT_TRACKER_ROW, "The row of namespace '" + namespace
                        + "' at version '" + version + "' in " + ctx.defaultSchema() + "." + table
                        + " cannot be used: " + why + ".")
                .with("namespace", namespace).with("version", version)
                .with("table", ctx.defaultSchema() + "." + table).build();
    }

    @Override
    public Plan plan(History history, Namespace namespace) {
        String ns = namespace.name();
        List<Migration> migrations = namespace.migrations();
        List<AppliedEntry> entries = history.entries();
        List<String> unknown = new ArrayList<>();
        List<String> renamed = new ArrayList<>();
        List<String> drifted = new ArrayList<>();
        // The UPDATEs that would accept what renamed and drifted list, given in the refusal's hint.
        List<String> renameRepairs = new ArrayList<>(0);
        List<String> driftRepairs = new ArrayList<>(0);
        List<Migration> pending = new ArrayList<>();
        if (increasing(migrations, ns) && increasingEntries(entries, ns)) {
            // Both sides in version order (a directory source's and this tracker's read): one walk.
            int i = 0;
            for (AppliedEntry e : entries) {
                Version v = e.version().get();
                while (i < migrations.size() && migrations.get(i).version().get().compareTo(v) < 0) {
                    pending.add(migrations.get(i++));
                }
                if (i < migrations.size() && migrations.get(i).version().get().equals(v)) {
                    compare(ns, e, migrations.get(i++), renamed, drifted, renameRepairs, driftRepairs);
                } else {
                    unknown.add(v + " (" + e.name().orElse("?") + ")");
                }
            }
            while (i < migrations.size()) {
                pending.add(migrations.get(i++));
            }
        } else {
            Map<Version, Migration> code = byVersion(migrations, ns);
            Set<Version> applied = new HashSet<>(entries.size() * 2);
            for (AppliedEntry e : entries) {
                Version v = versionOf(e, ns);
                applied.add(v);
                Migration m = code.get(v);
                if (m == null) {
                    unknown.add(v + " (" + e.name().orElse("?") + ")");
                } else {
                    compare(ns, e, m, renamed, drifted, renameRepairs, driftRepairs);
                }
            }
            for (Migration m : migrations) {
                if (!applied.contains(m.version().orElseThrow())) {
                    pending.add(m);
                }
            }
            pending.sort(Comparator.comparing(m -> m.version().orElseThrow()));
        }
        if (!unknown.isEmpty()) {
            throw RatchetException.of(ErrorKind.UNKNOWN_APPLIED_VERSION, "Namespace '" + ns + "' has applied "
                            + unknown.size() + " migration(s) this code does not have: " + String.join(", ", unknown)
                            + ". The database is newer than this build, or migration files were deleted.")
                    .with("namespace", ns).with("unknown", List.copyOf(unknown)).build();
        }
        if (!renamed.isEmpty()) {
            throw RatchetException.of(ErrorKind.RENAMED_AFTER_APPLY, "Namespace '" + ns
                            + "' has applied migrations whose code was renamed: " + String.join("; ", renamed) + ".")
                    .with("namespace", ns).with("renamed", List.copyOf(renamed))
                    .with("repair", List.copyOf(renameRepairs))
                    .hint("revert the rename in code; if the rename is intended, record it by running "
                            + String.join(" ", renameRepairs)).build();
        }
        List<String> warnings = new ArrayList<>();
        if (!drifted.isEmpty()) {
            String detail = "Namespace '" + ns + "' has applied migrations whose text changed since they ran: "
                    + String.join("; ", drifted) + ".";
            if (verification == ChecksumVerification.FAIL) {
                throw RatchetException.of(ErrorKind.CHECKSUM_DRIFT, detail)
                        .with("namespace", ns).with("drifted", List.copyOf(drifted))
                        .with("repair", List.copyOf(driftRepairs))
                        .hint(RepairSql.checksumDriftHint(driftRepairs)).build();
            }
            warnings.add(detail);
        }

        return new Plan(namespace, pending, warnings);
    }

    /**
     * A renamed or drifted applied migration, noted in its list, with the UPDATE that would accept
     * it in the matching list of repairs.
     */
    private void compare(String ns, AppliedEntry e, Migration m, List<String> renamed, List<String> drifted,
                         List<String> renameRepairs, List<String> driftRepairs) {
        if (e.name().isPresent() && !e.name().get().equals(m.name())) {
            renamed.add(e.version().get() + ": applied as '" + e.name().get() + "', code has '" + m.name() + "' ("
                    + m.origin() + ")");
            renameRepairs.add(repair(ns, e, "name", m.name()));
        } else if (verification != ChecksumVerification.OFF) {
            e.drift(m).ifPresent(d -> {
                drifted.add(m.name() + " (" + m.origin() + "): " + d);
                driftRepairs.add(repair(ns, e, "checksum", m.checksum().orElseThrow()));
            });
        }
    }

    /** The UPDATE that sets {@code column} of the entry's row to {@code value}. */
    private String repair(String ns, AppliedEntry e, String column, String value) {
        Map<String, String> key = new LinkedHashMap<>();
        key.put("namespace", ns);
        key.put("version", e.version().orElseThrow().toString());
        return RepairSql.update(schema(), table, column, value, key);
    }

    /** True when the code's versions strictly increase; refuses a migration without a version. */
    private static boolean increasing(List<Migration> migrations, String ns) {
        Version previous = null;
        boolean increasing = true;
        for (Migration m : migrations) {
            Version v = m.version().orElseThrow(() -> versionRequired(m, ns));
            increasing &= previous == null || previous.compareTo(v) < 0;
            previous = v;
        }
        return increasing;
    }

    /** True when the entries' versions strictly increase; refuses an entry without a version. */
    private static boolean increasingEntries(List<AppliedEntry> entries, String ns) {
        Version previous = null;
        boolean increasing = true;
        for (AppliedEntry e : entries) {
            Version v = versionOf(e, ns);
            increasing &= previous == null || previous.compareTo(v) < 0;
            previous = v;
        }
        return increasing;
    }

    /**
     * The rows above the code's highest version (all of them when the code has none): what a
     * newer release applied after this code's last migration. A row missing below it (a deleted
     * file) is not beyond the code, and {@link #plan} of the rest still refuses it.
     */
    @Override
    public Optional<Ahead> ahead(History history, Namespace namespace) {
        String ns = namespace.name();
        Version highest = null;
        for (Migration m : namespace.migrations()) {
            Version v = m.version().orElseThrow(() -> versionRequired(m, ns));
            if (highest == null || v.compareTo(highest) > 0) {
                highest = v;
            }
        }
        List<AppliedEntry> within = new ArrayList<>(history.entries().size());
        List<String> beyond = new ArrayList<>();
        for (AppliedEntry e : history.entries()) {
            Version v = versionOf(e, ns);
            if (highest == null || v.compareTo(highest) > 0) {
                beyond.add(e.name().orElse(v.toString()));
            } else {
                within.add(e);
            }
        }
        return beyond.isEmpty() ? Optional.empty()
                : Optional.of(new Ahead(new History(history.namespace(), within, history.facts()), beyond));
    }

    private static Version versionOf(AppliedEntry e, String ns) {
        return e.version().orElseThrow(() -> RatchetException.of(ErrorKind.CORRUPT_TRACKER_ROW,
                "An applied entry of namespace '" + ns + "' has no version ("
                        + e.name().orElse("unnamed") + ").").with("namespace", ns).build());
    }

    private static RatchetException versionRequired(Migration m, String ns) {
        return RatchetException.of(ErrorKind.VERSION_REQUIRED, "Migration '" + m.name() + "' of namespace '" + ns
                        + "' (" + m.origin() + ") has no version; the applied-set tracker keys rows by version.")
                .with("namespace", ns).with("migration", m.name()).build();
    }

    /** The code by version; refuses two migrations at one version. */
    private static Map<Version, Migration> byVersion(List<Migration> migrations, String ns) {
        Map<Version, Migration> code = new HashMap<>(migrations.size() * 2);
        for (Migration m : migrations) {
            Version v = m.version().orElseThrow(() -> versionRequired(m, ns));
            Migration other = code.putIfAbsent(v, m);
            if (other != null) {
                throw RatchetException.of(ErrorKind.VERSION_COLLISION, "Namespace '" + ns
                                + "' has two migrations at version " + v + ": " + other.origin() + " and "
                                + m.origin() + ".")
                        .with("namespace", ns).with("version", v.toString())
                        .with("first", other.origin()).with("second", m.origin()).build();
            }
        }
        return code;
    }

    /**
     * A baseline records migrations of the code as applied, unrun, for a schema made some other
     * way: any of them, as gaps are normal here (a migration left out runs at the next migrate),
     * named in the code's order, each once. The rows' checksums are unknown (what ran is not
     * known), so they are never flagged as drift.
     */
    @Override
    public List<AppliedEntry> baseline(History history, Namespace namespace, List<String> names) {
        String ns = namespace.name();
        Map<String, Integer> index = new HashMap<>();
        List<Migration> code = namespace.migrations();
        for (int i = 0; i < code.size(); i++) {
            index.put(code.get(i).name(), i);
        }
        int previous = -1;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Integer at = index.get(name);
            if (at == null) {
                throw RatchetException.of(ErrorKind.BASELINE_NAME_NOT_IN_CODE, "Baseline of namespace '" + ns
                                + "': '" + name + "' is not one of its migrations.")
                        .with("namespace", ns).with("name", name).build();
            }
            if (at <= previous) {
                throw RatchetException.of(ErrorKind.BASELINE_OUT_OF_ORDER, "Baseline of namespace '" + ns + "': '"
                                + name + "' (at index " + i + ") " + (at == previous ? "is named twice"
                                : "comes before '" + code.get(previous).name() + "' in the code") + ".")
                        .hint("list the baseline names in the code's order, each once; the applied-set tracker"
                                + " allows gaps, which run at the next migrate")
                        .with("namespace", ns).with("index", i).build();
            }
            previous = at;
        }
        List<AppliedEntry> entries = new ArrayList<>();
        for (String name : names) {
            entries.add(AppliedEntry.of(name, code.get(index.get(name)).version().orElseThrow()));
        }
        return entries;
    }

    @Override
    public Optional<Set<String>> namespacesHeld(TrackerContext ctx) throws SQLException {
        Set<String> held = new TreeSet<>();
        try (PreparedStatement ps = ctx.connection().prepareStatement("SELECT DISTINCT namespace FROM " + qualified(ctx));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                held.add(rs.getString(1));
            }
        }
        return Optional.of(held);
    }

    @Override
    public void record(TrackerContext ctx, Namespace namespace, Migration migration, Outcome outcome)
            throws SQLException {
        insert(ctx, namespace.name(), migration.version().orElseThrow(), migration.name(),
                migration.checksum().orElse(null), outcome.appliedAt(), outcome.duration().toMillis());
    }

    /** A chain's rows in one batch: the same rows as {@link #record} once per migration. */
    @Override
    public void recordAll(TrackerContext ctx, Namespace namespace, List<Recording> migrations) throws SQLException {
        try (PreparedStatement ps = ctx.connection().prepareStatement(INSERT.formatted(qualified(ctx)))) {
            for (Recording r : migrations) {
                Migration m = r.migration();
                bind(ctx, ps, namespace.name(), m.version().orElseThrow(), m.name(), m.checksum().orElse(null),
                        r.outcome().appliedAt(), r.outcome().duration().toMillis());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public void seed(TrackerContext ctx, String namespace, List<AppliedEntry> entries) throws SQLException {
        Identifiers.requireNamespace(namespace);
        Instant now = Instant.now();
        try (PreparedStatement ps = ctx.connection().prepareStatement(INSERT.formatted(qualified(ctx)))) {
            for (AppliedEntry e : entries) {
                Version v = e.version().orElseThrow(() -> new IllegalArgumentException(
                        "the applied-set tracker needs a version for every seeded entry; got " + e));
                String name = e.name().orElseThrow(() -> new IllegalArgumentException(
                        "the applied-set tracker needs a name for every seeded entry; got " + e));
                bind(ctx, ps, namespace, v, name, e.checksum().orElse(null), e.appliedAt().orElse(now),
                        e.executionMs().isPresent() ? e.executionMs().getAsLong() : null);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static final String INSERT =
            "INSERT INTO %s (namespace, version, name, checksum, applied_at, execution_ms) VALUES (?, ?, ?, ?, ?, ?)";

    private void insert(TrackerContext ctx, String namespace, Version version, String name, String checksum,
                        Instant appliedAt, Long executionMs) throws SQLException {
        try (PreparedStatement ps = ctx.connection().prepareStatement(INSERT.formatted(qualified(ctx)))) {
            bind(ctx, ps, namespace, version, name, checksum, appliedAt, executionMs);
            ps.executeUpdate();
        }
    }

    private static void bind(TrackerContext ctx, PreparedStatement ps, String namespace, Version version, String name,
                             String checksum, Instant appliedAt, Long executionMs) throws SQLException {
        ps.setString(1, namespace);
        ps.setString(2, version.toString());
        ps.setString(3, name);
        ps.setString(4, checksum);
        ctx.dialect().bindInstant(ps, 5, appliedAt);
        if (executionMs == null) {
            ps.setNull(6, Types.BIGINT);
        } else {
            ps.setLong(6, executionMs);
        }
    }

    /** Configures an {@link AppliedSetTracker}; identifiers are validated in {@link #build()}. */
    public static final class Builder {
        private String table = DEFAULT_TABLE;
        private String schema;
        private ChecksumVerification verification = ChecksumVerification.FAIL;

        private Builder() {
        }

        /** The table name (default {@value AppliedSetTracker#DEFAULT_TABLE}). */
        public Builder table(String table) {
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        /** The schema of the table (default: the session's current schema). */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /**
         * What to do when an applied migration's text changed (default {@code FAIL}). With
         * {@link ChecksumVerification#OFF} checksums are still recorded, but a boot no longer reads
         * the files of applied migrations, and the tracker no longer claims
         * {@link Capability#CHECKSUM_DRIFT_DETECTION}.
         */
        public Builder checksumVerification(ChecksumVerification verification) {
            this.verification = Objects.requireNonNull(verification, "verification");
            return this;
        }

        /**
         * The tracker.
         *
         * @throws RatchetException of kind {@link ErrorKind#INVALID_IDENTIFIER} for a bad table or schema name
         */
        public AppliedSetTracker build() {
            Identifiers.requireIdentifier("tracker table", table);
            Identifiers.requireIdentifier("lock table", table + "_lock");
            if (schema != null) {
                Identifiers.requireIdentifier("tracker schema", schema);
            }
            return new AppliedSetTracker(this);
        }
    }
}
