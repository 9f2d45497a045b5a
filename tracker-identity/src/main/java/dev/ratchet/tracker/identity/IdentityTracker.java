package dev.ratchet.tracker.identity;

import dev.ratchet.AppliedEntry;
import dev.ratchet.ChecksumVerification;
import dev.ratchet.ErrorKind;
import dev.ratchet.History;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Plan;
import dev.ratchet.RatchetException;
import dev.ratchet.TransactionMode;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
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
 * The identity tracker: the applied migrations of a namespace, by name, in the order they ran.
 * The applied names must be a <em>prefix</em> of the code's ordered list; what follows the
 * prefix is pending. Table {@code (namespace, name, sequence, applied_at, checksum)}, primary
 * key {@code (namespace, name)}, unique {@code (namespace, sequence)}.
 *
 * <p>Checks, per namespace, in this order (the order is part of the contract):
 * <ol>
 *   <li>an old counter-shaped table of the same name ({@code version} column) refuses with
 *       {@link ErrorKind#OLD_TRACKER_SHAPE}, before any DDL;</li>
 *   <li><b>length first</b>: more applied rows than code migrations refuses with
 *       {@link ErrorKind#BINARY_OLDER_THAN_DB}, listing the unknown names — so an old binary
 *       is told it is old even when its overlap also differs;</li>
 *   <li><b>name prefix</b>: {@code applied[i] != code[i]} refuses with
 *       {@link ErrorKind#NAME_DIVERGENCE} at index {@code i}, naming both;</li>
 *   <li>checksums of the applied prefix (default {@link ChecksumVerification#WARN});</li>
 *   <li>equal length: up to date; otherwise the tail runs, each row at {@code sequence = last + 1}.</li>
 * </ol>
 * Versions are optional: a namespace may be a plain ordered list of named Java migrations.
 * Chain mode (the whole tail in one transaction) is this tracker's default.
 *
 * <pre>{@code
 * Tracker tracker = IdentityTracker.builder().build();           // table schema_version
 * ratchet.baseline("app", List.of("001_init", "002_users"));     // adopt an existing schema
 * }</pre>
 */
public final class IdentityTracker implements Tracker {
    /** The default table name (as in the design this tracker follows). */
    public static final String DEFAULT_TABLE = "schema_version";

    private static final Set<String> COLUMNS = Set.of("namespace", "name", "sequence", "applied_at", "checksum");

    private final String table;
    private final String schema;
    private final ChecksumVerification verification;

    private IdentityTracker(Builder b) {
        this.table = b.table;
        this.schema = b.schema;
        this.verification = b.verification;
    }

    /** Defaults: table {@value #DEFAULT_TABLE}, current schema, checksum verification {@code WARN}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return "identity";
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    @Override
    public Optional<Tracker> withChecksumVerification(ChecksumVerification verification) {
        return Optional.of(builder().table(table).schema(schema).checksumVerification(verification).build());
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> claimed = EnumSet.of(Capability.RENAME_DETECTION, Capability.REORDER_DETECTION,
                Capability.UNKNOWN_APPLIED_DETECTION, Capability.BINARY_OLDER_DETECTION, Capability.CHECKSUM_DRIFT_DETECTION,
                Capability.VERSIONLESS_MIGRATIONS, Capability.NEWER_DATABASE, Capability.MULTIPLE_NAMESPACES);
        if (verification == ChecksumVerification.OFF) {
            claimed.remove(Capability.CHECKSUM_DRIFT_DETECTION); // checksums are recorded, never compared
        }
        return claimed;
    }

    @Override
    public TransactionMode defaultTransactionMode() {
        return TransactionMode.CHAIN;
    }

    private String qualified(TrackerContext ctx) {
        return ctx.dialect().qualify(ctx.defaultSchema(), table);
    }

    /** Refuses an old counter-shaped table before anything else touches it. */
    @Override
    public TableState detect(TrackerContext ctx) throws SQLException {
        Optional<Set<String>> found = ctx.dialect().columns(ctx.connection(), ctx.defaultSchema(), table);
        if (found.isEmpty()) {
            return TableState.ABSENT;
        }
        if (found.get().contains("version") && !found.get().contains("name")) {
            String where = ctx.defaultSchema() + "." + table;
            throw RatchetException.of(ErrorKind.OLD_TRACKER_SHAPE, "Table " + where + " has the old counter shape"
                            + " (a version column, no name column); the identity tracker will not touch it.")
                    .with("table", where).build();
        }
        return found.get().containsAll(COLUMNS) ? TableState.PRESENT : TableState.FOREIGN_SHAPE;
    }

    @Override
    public void install(TrackerContext ctx) throws SQLException {
        Dialect d = ctx.dialect();
        String sql = "CREATE TABLE IF NOT EXISTS " + qualified(ctx) + " ("
                + "namespace " + d.textType() + " NOT NULL, "
                + "name " + d.textType() + " NOT NULL, "
                + "sequence " + d.bigintType() + " NOT NULL, "
                + "applied_at " + d.timestampType() + " NOT NULL, "
                + "checksum " + d.textType() + " NULL, "
                + "PRIMARY KEY (namespace, name), "
                + "UNIQUE (namespace, sequence))";
        try (PreparedStatement ps = ctx.connection().prepareStatement(sql)) {
            ps.execute();
        }
    }

    @Override
    public History read(TrackerContext ctx, String namespace) throws SQLException {
        List<AppliedEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = ctx.connection().prepareStatement("SELECT name, sequence, checksum, applied_at FROM "
                + qualified(ctx) + " WHERE namespace = ? ORDER BY sequence")) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(entry(ctx, namespace, rs));
                }
            }
        }
        return new History(namespace, entries, Map.of());
    }

    /**
     * One query, one row: the table holds exactly a row per code migration, numbered 0, 1, 2 ...
     * in code order, with its name (and checksum, when checksums are compared), and every row
     * reads back.
     */
    @Override
    public boolean provesUpToDate(TrackerContext ctx, Namespace namespace) throws SQLException {
        boolean checksums = verification != ChecksumVerification.OFF;
        ExpectedRows.Column key = new ExpectedRows.Column("sequence", BIGINT);
        List<ExpectedRows.Column> compared = new ArrayList<>(List.of(key, new ExpectedRows.Column("name", TEXT)));
        if (checksums) {
            compared.add(new ExpectedRows.Column("checksum", TEXT));
        }
        ExpectedRows rows = new ExpectedRows(compared);
        List<Migration> code = namespace.migrations();
        for (int i = 0, n = code.size(); i < n; i += CHUNK) {
            if (!expect(rows, code, i, Math.min(n, i + CHUNK), checksums)) {
                return false; // a row without a checksum to compare proves nothing
            }
        }
        return rows.heldBy(ctx, qualified(ctx), "namespace", namespace.name(), key,
                List.of(new ExpectedRows.Column("applied_at", TIMESTAMP)));
    }

    /**
     * How many migrations one call of {@link #expect(ExpectedRows, List, int, int, boolean)} takes:
     * the loop over a boot's migrations runs once per boot, in the interpreter for a JVM's first
     * dozen boots, while a method called 300 times a boot at N = 5000 is compiled during the first
     * (see the api module's {@code MigrationFiles.CHUNK}).
     */
    private static final int CHUNK = 16;

    /** {@link #expect(ExpectedRows, int, Migration, boolean)} for {@code code[from .. to)}, numbered from {@code from}. */
    private static boolean expect(ExpectedRows rows, List<Migration> code, int from, int to, boolean checksums) {
        for (int i = from; i < to; i++) {
            if (!expect(rows, i, code.get(i), checksums)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds the row expected at {@code sequence} for {@code m}; false when a checksum is to be
     * compared and {@code m} has none. The body of {@link #provesUpToDate}'s loop, a method of its
     * own for the reason {@link #entry} is one.
     */
    private static boolean expect(ExpectedRows rows, int sequence, Migration m, boolean checksums) {
        if (!checksums) {
            rows.add(Integer.toString(sequence), m.name());
            return true;
        }
        Optional<String> checksum = m.checksum();
        if (checksum.isEmpty()) {
            return false;
        }
        rows.add(Integer.toString(sequence), m.name(), checksum.get());
        return true;
    }

    /**
     * The current row. A method of its own, not the read loop's body: the loop runs once per boot,
     * so a JVM compiles it late, while this method is compiled after its first few hundred rows.
     */
    private AppliedEntry entry(TrackerContext ctx, String namespace, ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        long sequence = rs.getLong(2);
        Optional<Instant> appliedAt;
        try {
            appliedAt = ctx.dialect().readInstant(rs, "applied_at");
        } catch (RuntimeException e) {
            throw RatchetException.of(ErrorKind.CORRUPT_TRACKER_ROW, "The row '" + name + "' of namespace '"
                            + namespace + "' in " + ctx.defaultSchema() + "." + table
                            + " has an applied_at that cannot be read.")
                    .with("namespace", namespace).with("name", name).build();
        }
        return new AppliedEntry(Optional.of(name), Optional.empty(), OptionalLong.of(sequence),
                Optional.ofNullable(rs.getString(3)), appliedAt, OptionalLong.empty());
    }

    /**
     * The rows after as many as the code has migrations: what a newer release applied after this
     * code's last. {@link #plan} of the rows within still checks that their names are the code's,
     * in its order.
     */
    @Override
    public Optional<Ahead> ahead(History history, Namespace namespace) {
        List<AppliedEntry> applied = history.entries();
        int size = namespace.migrations().size();
        if (applied.size() <= size) {
            return Optional.empty();
        }
        List<String> beyond = applied.subList(size, applied.size()).stream().map(e -> e.name().orElse("?")).toList();
        Set<String> names = new HashSet<>(applied.size() * 2);
        namespace.migrations().forEach(m -> names.add(m.name()));
        for (String name : beyond) {
            if (!names.add(name)) {
                return Optional.empty(); // a name repeated: a table that lost its key, which plan refuses
            }
        }
        return Optional.of(new Ahead(new History(history.namespace(), applied.subList(0, size), history.facts()),
                beyond));
    }

    @Override
    public Plan plan(History history, Namespace namespace) {
        String ns = namespace.name();
        List<AppliedEntry> applied = history.entries();
        List<Migration> code = namespace.migrations();
        if (applied.size() > code.size()) {
            refuseRepeatedNames(applied, ns); // more rows than code may be a table that lost its key
            List<String> unknown = applied.subList(code.size(), applied.size()).stream()
                    .map(e -> e.name().orElse("?")).toList();
            throw RatchetException.of(ErrorKind.BINARY_OLDER_THAN_DB, "Namespace '" + ns + "' has " + applied.size()
                            + " applied migrations but this code has " + code.size() + "; unknown to it: "
                            + String.join(", ", unknown) + ".")
                    .with("namespace", ns).with("unknown", unknown).build();
        }
        List<String> drifted = new ArrayList<>();
        List<String> repairs = new ArrayList<>(0); // the UPDATEs that accept what drifted lists
        for (int i = 0; i < applied.size(); i++) {
            String appliedName = applied.get(i).name().orElse("?");
            Migration m = code.get(i);
            if (!appliedName.equals(m.name())) {
                // Code names are unique, so names that are a prefix of the code repeat none; a
                // repeated name is reported as what it is, a table that lost its key.
                refuseRepeatedNames(applied, ns);
                throw divergence(ns, i, applied, code);
            }
            if (verification != ChecksumVerification.OFF) {
                applied.get(i).drift(m).ifPresent(d -> {
                    drifted.add(m.name() + " (" + m.origin() + "): " + d);
                    Map<String, String> key = new LinkedHashMap<>();
                    key.put("namespace", ns);
                    key.put("name", m.name());
                    repairs.add(RepairSql.update(schema(), table, "checksum", m.checksum().orElseThrow(), key));
                });
            }
        }
        for (int i = 0; i < applied.size(); i++) {
            // Rows are numbered 0, 1, 2 ... in apply order: with the names a prefix of the code, a
            // hole or a repeated number can only be a hand edit, and the next row's number would
            // build on it.
            OptionalLong sequence = applied.get(i).sequence();
            if (sequence.isPresent() && sequence.getAsLong() != i) {
                String name = applied.get(i).name().orElse("?");
                throw RatchetException.of(ErrorKind.CORRUPT_TRACKER_ROW, "The row '" + name + "' of namespace '" + ns
                                + "' has sequence " + sequence.getAsLong() + " where " + i + " was expected (a hole,"
                                + " a repeated number or an edit).")
                        .with("namespace", ns).with("name", name).with("sequence", sequence.getAsLong()).build();
            }
        }
        List<String> warnings = new ArrayList<>();
        if (!drifted.isEmpty()) {
            String detail = "Namespace '" + ns + "' has applied migrations whose text changed since they ran: "
                    + String.join("; ", drifted) + ".";
            if (verification == ChecksumVerification.FAIL) {
                throw RatchetException.of(ErrorKind.CHECKSUM_DRIFT, detail).with("namespace", ns)
                        .with("drifted", List.copyOf(drifted)).with("repair", List.copyOf(repairs))
                        .hint(RepairSql.checksumDriftHint(repairs)).build();
            }
            warnings.add(detail);
        }
        return new Plan(namespace, code.subList(applied.size(), code.size()), warnings);
    }

    /**
     * The refusal of names that diverge at index {@code i}. When the applied name is nowhere in
     * the code and the code's name at {@code i} was never applied, the code renamed that
     * migration: the hint then gives the UPDATE that records the rename, for an intended one.
     */
    private RatchetException divergence(String ns, int i, List<AppliedEntry> applied, List<Migration> code) {
        String appliedName = applied.get(i).name().orElse("?");
        Migration m = code.get(i);
        RatchetException.Builder b = RatchetException.of(ErrorKind.NAME_DIVERGENCE, "Namespace '" + ns
                        + "' diverges at index " + i + ": the database applied '" + appliedName + "' there, the code has '"
                        + m.name() + "' (" + m.origin() + ").")
                .with("namespace", ns).with("index", i).with("applied", appliedName).with("code", m.name());
        boolean renamed = applied.get(i).name().isPresent()
                && code.stream().noneMatch(c -> c.name().equals(appliedName))
                && applied.stream().noneMatch(e -> e.name().orElse("").equals(m.name()));
        if (renamed) {
            Map<String, String> key = new LinkedHashMap<>();
            key.put("namespace", ns);
            key.put("name", appliedName);
            String repair = RepairSql.update(schema(), table, "name", m.name(), key);
            b.with("repair", List.of(repair)).hint("the code renamed '" + appliedName + "' to '" + m.name()
                    + "': revert the rename in code; if the rename is intended, record it by running " + repair);
        }
        return b.build();
    }

    private static void refuseRepeatedNames(List<AppliedEntry> applied, String ns) {
        Set<String> seen = new HashSet<>();
        for (AppliedEntry e : applied) {
            String name = e.name().orElse("?");
            if (!seen.add(name)) {
                throw RatchetException.of(ErrorKind.CORRUPT_TRACKER_ROW, "Namespace '" + ns + "' has two rows named '"
                                + name + "' (the table lost its primary key).")
                        .with("namespace", ns).with("name", name).build();
            }
        }
    }

    @Override
    public List<AppliedEntry> baseline(History history, Namespace namespace, List<String> names) {
        String ns = namespace.name();
        List<String> code = namespace.migrations().stream().map(Migration::name).toList();
        Set<String> known = new HashSet<>(code);
        for (String name : names) {
            if (!known.contains(name)) {
                throw RatchetException.of(ErrorKind.BASELINE_NAME_NOT_IN_CODE, "Baseline of namespace '" + ns
                                + "': '" + name + "' is not one of its migrations.")
                        .with("namespace", ns).with("name", name).build();
            }
        }
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals(code.get(i))) {
                throw RatchetException.of(ErrorKind.BASELINE_OUT_OF_ORDER, "Baseline of namespace '" + ns
                                + "': the names are not a prefix of the code's order; at index " + i + " the baseline"
                                + " has '" + names.get(i) + "', the code has '" + code.get(i) + "'.")
                        .with("namespace", ns).with("index", i).build();
            }
        }
        List<AppliedEntry> entries = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            // The baseline asserts these ran some other way; what exactly ran is unknown: no checksum.
            entries.add(new AppliedEntry(Optional.of(names.get(i)), Optional.empty(), OptionalLong.of(i),
                    Optional.empty(), Optional.empty(), OptionalLong.empty()));
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
        try (PreparedStatement ps = ctx.connection().prepareStatement(RECORD.formatted(qualified(ctx), qualified(ctx)))) {
            bindRecord(ctx, ps, namespace, migration, outcome);
            ps.executeUpdate();
        }
    }

    /**
     * One applied migration's row: sequence = last + 1, computed in the same statement; a
     * concurrent writer loses on the (namespace, sequence) or (namespace, name) key.
     */
    private static final String RECORD = "INSERT INTO %s (namespace, name, sequence, applied_at, checksum)"
            + " SELECT ?, ?, COALESCE(MAX(sequence), -1) + 1, ?, ? FROM %s WHERE namespace = ?";

    private static void bindRecord(TrackerContext ctx, PreparedStatement ps, Namespace namespace, Migration migration,
                                   Outcome outcome) throws SQLException {
        ps.setString(1, namespace.name());
        ps.setString(2, migration.name());
        ctx.dialect().bindInstant(ps, 3, outcome.appliedAt());
        ps.setString(4, migration.checksum().orElse(null));
        ps.setString(5, namespace.name());
    }

    /**
     * A chain's rows in one batch of the same statement as {@link #record}: each row's sequence
     * is computed from the rows before it, so the rows equal those of one call per migration.
     */
    @Override
    public void recordAll(TrackerContext ctx, Namespace namespace, List<Recording> migrations) throws SQLException {
        try (PreparedStatement ps = ctx.connection().prepareStatement(RECORD.formatted(qualified(ctx), qualified(ctx)))) {
            for (Recording r : migrations) {
                bindRecord(ctx, ps, namespace, r.migration(), r.outcome());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public void seed(TrackerContext ctx, String namespace, List<AppliedEntry> entries) throws SQLException {
        Identifiers.requireNamespace(namespace);
        long next = -1;
        try (PreparedStatement ps = ctx.connection().prepareStatement(
                "SELECT COALESCE(MAX(sequence), -1) FROM " + qualified(ctx) + " WHERE namespace = ?")) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                next = rs.getLong(1) + 1;
            }
        }
        Instant now = Instant.now();
        try (PreparedStatement ps = ctx.connection().prepareStatement("INSERT INTO " + qualified(ctx)
                + " (namespace, name, sequence, applied_at, checksum) VALUES (?, ?, ?, ?, ?)")) {
            for (AppliedEntry e : entries) {
                ps.setString(1, namespace);
                ps.setString(2, e.name().orElseThrow(() -> new IllegalArgumentException(
                        "the identity tracker needs a name for every seeded entry; got " + e)));
                ps.setLong(3, next++);
                ctx.dialect().bindInstant(ps, 4, e.appliedAt().orElse(now));
                ps.setString(5, e.checksum().orElse(null));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Configures an {@link IdentityTracker}. */
    public static final class Builder {
        private String table = DEFAULT_TABLE;
        private String schema;
        private ChecksumVerification verification = ChecksumVerification.WARN;

        private Builder() {
        }

        /** The table (default {@value IdentityTracker#DEFAULT_TABLE}). */
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
         * What to do when an applied migration's text changed (default {@code WARN}). With
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
        public IdentityTracker build() {
            Identifiers.requireIdentifier("tracker table", table);
            Identifiers.requireIdentifier("lock table", table + "_lock");
            if (schema != null) {
                Identifiers.requireIdentifier("tracker schema", schema);
            }
            return new IdentityTracker(this);
        }
    }
}
