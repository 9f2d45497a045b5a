package dev.ratchet.tracker.counter;

import dev.ratchet.AppliedEntry;
import dev.ratchet.ErrorKind;
import dev.ratchet.History;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Plan;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.Trackers;
import dev.ratchet.Version;
import dev.ratchet.spi.Ahead;
import dev.ratchet.spi.Capability;
import dev.ratchet.spi.Dialect;
import dev.ratchet.spi.Identifiers;
import dev.ratchet.spi.Outcome;
import dev.ratchet.spi.Recording;
import dev.ratchet.spi.TableState;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The counter tracker: one number per namespace (the highest applied version) plus a
 * {@code dirty} flag, as golang-migrate and drizzle keep it. Pending = code migrations whose
 * version is greater than the counter, ascending.
 *
 * <p><b>What a counter cannot see.</b> A migration merged late with a version below the
 * counter is never run, and a renamed or edited migration goes unnoticed. This tracker does
 * not pretend otherwise: its {@link #capabilities()} do not claim gaps, renames or drift, and
 * every code migration at or below the counter is reported as <em>unverifiable</em>
 * ({@link Plan#unverifiable()}), never as applied. Use the applied-set tracker where that
 * matters, and cut over to it.
 *
 * <p><b>Dirty, done right.</b> golang-migrate marks {@code dirty} before every migration and
 * clears it after, in separate transactions, so a crash after a migration commits leaves a
 * committed migration marked dirty. Here a transactional migration writes the new version and
 * {@code dirty = false} in the same transaction as its body; only a non-transactional
 * migration sets {@code dirty = true} (committed) before its body, and clears it after. A
 * dirty counter refuses with {@link ErrorKind#DIRTY}; {@code Ratchet.force(...)} clears it.
 *
 * <p>Layouts:
 * <ul>
 *   <li>{@link Layout#SINGLE_ROW} (default), byte-compatible with golang-migrate's PostgreSQL and
 *       SQLite drivers: {@code schema_migrations(version bigint not null primary key, dirty
 *       boolean not null)}, at most one row, one namespace;</li>
 *   <li>{@link Layout#PER_NAMESPACE}: {@code (namespace primary key, version, dirty, applied_at)};</li>
 *   <li>{@link Layout#LEGACY_COUNT}: read-only, the older {@code schema_version(namespace,
 *       version, applied_at)} whose version counts applied migrations in code order; kept so a
 *       cutover can start from it.</li>
 * </ul>
 *
 * <pre>{@code
 * Tracker golangMigrate = CounterTracker.builder().build();                       // schema_migrations
 * Tracker perModule = CounterTracker.builder().layout(Layout.PER_NAMESPACE).build();
 * }</pre>
 */
public final class CounterTracker implements Tracker {
    /** Fact name of the counter's value in {@link History#facts()}. */
    public static final String FACT_VERSION = "version";
    /** Fact name of the dirty flag in {@link History#facts()}. */
    public static final String FACT_DIRTY = "dirty";
    /** Fact name of a legacy count in {@link History#facts()}. */
    public static final String FACT_COUNT = "count";

    /** How the counter is stored. */
    public enum Layout {
        /** golang-migrate's {@code schema_migrations(version, dirty)}: one row, one namespace. */
        SINGLE_ROW("schema_migrations"),
        /** {@code (namespace, version, dirty, applied_at)}, one row per namespace. */
        PER_NAMESPACE("ratchet_counter"),
        /** Read-only: {@code schema_version(namespace, version, applied_at)}, version = count applied. */
        LEGACY_COUNT("schema_version");

        private final String defaultTable;

        Layout(String defaultTable) {
            this.defaultTable = defaultTable;
        }

        /** The table name used when none is configured. */
        public String defaultTable() {
            return defaultTable;
        }
    }


    private final Layout layout;
    private final String table;
    private final String schema;

    private CounterTracker(Builder b) {
        this.layout = b.layout;
        this.table = b.table == null ? b.layout.defaultTable() : b.table;
        this.schema = b.schema;
    }

    /** A builder: single-row layout on {@code schema_migrations} in the current schema. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return "counter";
    }

    /** {@code per-namespace} or {@code legacy}; empty for golang-migrate's single row, the default. */
    @Override
    public Optional<String> layoutName() {
        return switch (layout) {
            case SINGLE_ROW -> Optional.empty();
            case PER_NAMESPACE -> Optional.of("per-namespace");
            case LEGACY_COUNT -> Optional.of("legacy");
        };
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    /** The configured layout. */
    public Layout layout() {
        return layout;
    }

    @Override
    public Set<Capability> capabilities() {
        EnumSet<Capability> caps = EnumSet.of(Capability.BINARY_OLDER_DETECTION, Capability.NEWER_DATABASE);
        if (layout != Layout.LEGACY_COUNT) {
            caps.add(Capability.DIRTY_STATE);
        }
        if (layout != Layout.SINGLE_ROW) {
            caps.add(Capability.MULTIPLE_NAMESPACES);
        }
        if (layout == Layout.LEGACY_COUNT) {
            caps.add(Capability.VERSIONLESS_MIGRATIONS);
        }
        return caps;
    }

    @Override
    public boolean writable() {
        return layout != Layout.LEGACY_COUNT;
    }

    @Override
    public void validate(List<Namespace> namespaces) {
        if (layout == Layout.SINGLE_ROW && namespaces.size() > 1) {
            throw new IllegalArgumentException("the single-row counter layout (golang-migrate's " + table
                    + ") tracks one namespace, but " + namespaces.size() + " are configured: use"
                    + " Layout.PER_NAMESPACE, or one tracker table per namespace");
        }
        if (layout != Layout.LEGACY_COUNT) {
            for (Namespace ns : namespaces) {
                long[] values = new long[ns.migrations().size()];
                for (int i = 0; i < values.length; i += CHUNK) {
                    counterValues(ns, i, Math.min(values.length, i + CHUNK), values);
                }
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

    /** {@link #counterValue} of the namespace's migrations {@code from .. to} into {@code values}: see {@link #CHUNK}. */
    private static void counterValues(Namespace ns, int from, int to, long[] values) {
        List<Migration> code = ns.migrations();
        for (int i = from; i < to; i++) {
            values[i] = counterValue(ns, code.get(i));
        }
    }

    /** Whether {@code values[from - 1 .. to)} ascend (from at least 1): see {@link #CHUNK}. */
    private static boolean ascending(long[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            if (values[i - 1] > values[i]) {
                return false;
            }
        }
        return true;
    }

    /** The migration's version as the counter stores it, or a clear refusal. */
    private static long counterValue(Namespace ns, Migration m) {
        // No lambda here or in plan: a lambda's call site is linked on its first run, a millisecond
        // or two of an application's first boot.
        Optional<Version> version = m.version();
        if (version.isEmpty()) {
            throw RatchetException.of(ErrorKind.VERSION_REQUIRED, "Migration '" + m.name() + "' of namespace '"
                            + ns.name() + "' (" + m.origin() + ") has no version; the counter tracker stores versions.")
                    .with("namespace", ns.name()).with("migration", m.name()).build();
        }
        Version v = version.get();
        OptionalLong value = v.asLong();
        if (value.isEmpty()) {
            throw RatchetException.of(ErrorKind.VERSION_OUT_OF_RANGE, "Migration '" + m.name() + "' of namespace '"
                            + ns.name() + "' (" + m.origin() + ") has version " + v + ", which the counter cannot store:"
                            + " it keeps one signed 64-bit integer (at most " + Long.MAX_VALUE + ").")
                    .with("namespace", ns.name()).with("migration", m.name()).with("version", v.toString()).build();
        }
        return value.getAsLong();
    }

    private String qualified(TrackerContext ctx) {
        return ctx.dialect().qualify(ctx.defaultSchema(), table);
    }

    @Override
    public TableState detect(TrackerContext ctx) throws SQLException {
        Optional<Set<String>> found = ctx.dialect().columns(ctx.connection(), ctx.defaultSchema(), table);
        if (found.isEmpty()) {
            return TableState.ABSENT;
        }
        Set<String> c = found.get();
        boolean owned = switch (layout) {
            case SINGLE_ROW -> c.contains("version") && c.contains("dirty") && !c.contains("namespace");
            case PER_NAMESPACE -> c.containsAll(Set.of("namespace", "version", "dirty", "applied_at"));
            case LEGACY_COUNT -> c.contains("namespace") && c.contains("version") && !c.contains("dirty")
                    && !c.contains("name");
        };
        return owned ? TableState.PRESENT : TableState.FOREIGN_SHAPE;
    }

    @Override
    public void install(TrackerContext ctx) throws SQLException {
        Dialect d = ctx.dialect();
        String sql = switch (layout) {
            case SINGLE_ROW -> "CREATE TABLE IF NOT EXISTS " + qualified(ctx)
                    + " (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)";
            case PER_NAMESPACE -> "CREATE TABLE IF NOT EXISTS " + qualified(ctx) + " (namespace " + d.textType()
                    + " NOT NULL PRIMARY KEY, version " + d.bigintType() + " NOT NULL, dirty " + d.booleanType()
                    + " NOT NULL, applied_at " + d.timestampType() + " NOT NULL)";
            case LEGACY_COUNT -> throw readOnly();
        };
        try (PreparedStatement ps = ctx.connection().prepareStatement(sql)) {
            ps.execute();
        }
    }

    private RatchetException readOnly() {
        return RatchetException.of(ErrorKind.UNSUPPORTED_FEATURE, "The legacy counter table " + table
                + " is read-only in Ratchet.").hint("cut over to the identity or applied-set tracker").build();
    }

    @Override
    public History read(TrackerContext ctx, String namespace) throws SQLException {
        Map<String, String> facts = new LinkedHashMap<>();
        String sql = switch (layout) {
            case SINGLE_ROW -> "SELECT version, dirty FROM " + qualified(ctx);
            case PER_NAMESPACE -> "SELECT version, dirty FROM " + qualified(ctx) + " WHERE namespace = ?";
            case LEGACY_COUNT -> "SELECT version FROM " + qualified(ctx) + " WHERE namespace = ?";
        };
        try (PreparedStatement ps = ctx.connection().prepareStatement(sql)) {
            if (layout != Layout.SINGLE_ROW) {
                ps.setString(1, namespace);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    long version = rs.getLong(1);
                    if (rs.wasNull()) {
                        throw corrupt(ctx, namespace, "its version is NULL");
                    }
                    if (layout == Layout.LEGACY_COUNT) {
                        if (version < 0) {
                            throw corrupt(ctx, namespace, "its count " + version + " is negative");
                        }
                        if (version > 0) {
                            facts.put(FACT_COUNT, Long.toString(version));
                        }
                    } else {
                        boolean dirty = rs.getBoolean(2);
                        // golang-migrate writes version -1 ("no version") with dirty=true when
                        // its first migration fails; any other negative value is not its.
                        if (version < -1 || version == -1 && !dirty) {
                            throw corrupt(ctx, namespace, "its version " + version + " is negative");
                        }
                        if (version >= 0) {
                            facts.put(FACT_VERSION, Long.toString(version));
                        }
                        facts.put(FACT_DIRTY, Boolean.toString(dirty));
                    }
                }
                if (rows > 1) {
                    throw corrupt(ctx, namespace, "it has " + rows + " rows where one is expected");
                }
            }
        }
        return new History(namespace, List.of(), facts);
    }

    private RatchetException corrupt(TrackerContext ctx, String namespace, String why) {
        String where = ctx.defaultSchema() + "." + table;
        return RatchetException.of(ErrorKind.CORRUPT_TRACKER_ROW, "The counter of namespace '" + namespace + "' in "
                + where + " cannot be used: " + why + ".").with("namespace", namespace).with("table", where).build();
    }

    @Override
    public Plan plan(History history, Namespace namespace) {
        String ns = namespace.name();
        Map<String, String> facts = history.facts();
        if (layout == Layout.LEGACY_COUNT) {
            return planLegacy(namespace, Long.parseLong(facts.getOrDefault(FACT_COUNT, "0")));
        }
        String stored = facts.get(FACT_VERSION);
        Long counter = stored == null ? null : Long.parseLong(stored);
        long[] values = counterValues(namespace);
        if (Boolean.parseBoolean(facts.get(FACT_DIRTY))) {
            throw dirty(namespace, counter, values);
        }
        List<Migration> code = inCounterOrder(namespace, values);
        if (counter == null) {
            return new Plan(namespace, code, List.of(), List.of());
        }
        long n = counter;
        long highest = code.isEmpty() ? -1 : values[values.length - 1];
        if (n > highest) {
            throw RatchetException.of(ErrorKind.BINARY_OLDER_THAN_DB, "Namespace '" + ns + "' has its counter at "
                            + n + ", above the highest migration this code has ("
                            + (highest < 0 ? "none" : String.valueOf(highest)) + ").")
                    .with("namespace", ns).with("counter", n).with("highestCodeVersion", highest < 0 ? null : highest)
                    .build();
        }
        // values is in ascending order now: migrations up to the counter are applied (as far as a
        // counter can tell), the rest pending.
        int firstPending = java.util.Arrays.binarySearch(values, n) + 1;
        if (firstPending <= 0) {
            throw RatchetException.of(ErrorKind.UNKNOWN_APPLIED_VERSION, "Namespace '" + ns + "' has its counter at "
                            + n + ", but this code has no migration " + n + ".")
                    .with("namespace", ns).with("unknown", List.of(String.valueOf(n))).build();
        }
        return new Plan(namespace, code.subList(firstPending, code.size()), code.subList(0, firstPending), List.of());
    }

    /**
     * A counter above the code's highest version: what lies beyond is that version (a counter
     * keeps no names), and the counter within the code is at the code's highest version. A dirty
     * counter has nothing beyond it: the newer release's migration did not finish, and the refusal
     * stands.
     */
    @Override
    public Optional<Ahead> ahead(History history, Namespace namespace) {
        Map<String, String> facts = history.facts();
        int size = namespace.migrations().size();
        if (layout == Layout.LEGACY_COUNT) {
            long count = Long.parseLong(facts.getOrDefault(FACT_COUNT, "0"));
            if (count <= size) {
                return Optional.empty();
            }
            Map<String, String> within = new LinkedHashMap<>(facts);
            within.put(FACT_COUNT, Integer.toString(size));
            return Optional.of(new Ahead(new History(history.namespace(), history.entries(), within),
                    List.of("count " + count)));
        }
        String stored = facts.get(FACT_VERSION);
        if (stored == null) {
            return Optional.empty();
        }
        long counter = Long.parseLong(stored);
        long highest = java.util.Arrays.stream(counterValues(namespace)).max().orElse(-1);
        if (counter <= highest) {
            // within the code: an unknown version there is no newer release's, and a dirty one is
            // this code's own migration, unfinished
            return Optional.empty();
        }
        // Dirty above the code: a newer release's migration outside a transaction is running, or
        // failed; every migration of this code was finished before it began.
        boolean dirty = Boolean.parseBoolean(facts.get(FACT_DIRTY));
        Map<String, String> within = new LinkedHashMap<>(facts);
        within.remove(FACT_DIRTY);
        if (highest < 0) {
            within.remove(FACT_VERSION); // the code has no migration: none of it is applied
        } else {
            within.put(FACT_VERSION, Long.toString(highest));
        }
        return Optional.of(new Ahead(new History(history.namespace(), history.entries(), within),
                List.of("version " + counter + (dirty ? " (dirty: its migration, outside a transaction, is"
                        + " running or failed)" : ""))));
    }

    /**
     * The refusal of a dirty counter. Its hint names both versions an operator may force: the
     * dirty one if its migration fully applied, else the code's migration before it, which the
     * operator would otherwise look up among timestamped file names.
     */
    private RatchetException dirty(Namespace namespace, Long counter, long[] values) {
        String ns = namespace.name();
        String at = counter == null ? "none (the first migration)" : counter.toString();
        String hint = "inspect the schema; if migration " + at + " fully applied, force version " + at
                + "; if not, undo its partial effect and force the version before it";
        Long before = null;
        if (counter != null) {
            String name = null;
            for (int i = 0; i < values.length; i++) {
                if (values[i] == counter) {
                    name = namespace.migrations().get(i).name();
                } else if (values[i] < counter && (before == null || values[i] > before)) {
                    before = values[i];
                }
            }
            hint = "inspect the schema; if migration " + at + (name == null ? "" : " (" + name + ")")
                    + " fully applied, force version " + at + "; if not, undo its partial effect and "
                    + (before != null ? "force version " + before
                    : "delete the namespace's counter row in " + table + " (this code has no migration before it)");
        }
        // A bootstrap from this counter refuses with this too: name the tracker that can force.
        String name = Trackers.nameOf(this, schema().map(s -> s + "." + table).orElse(table));
        return RatchetException.of(ErrorKind.DIRTY, "Namespace '" + ns + "' is dirty at version " + at
                        + ": a migration that ran outside a transaction (or under golang-migrate) did not finish.")
                .with("namespace", ns).with("version", counter).with("versionBefore", before)
                .with("trackerName", name).hint(hint + " (force with the tracker " + name + ")").build();
    }

    /**
     * Each migration's counter value, in the namespace's order. The loop's body is a method of its
     * own ({@link #counterValue}): the loop runs once per boot, in the interpreter for a young JVM's
     * first boots, while the method is compiled during the first.
     */
    private static long[] counterValues(Namespace namespace) {
        long[] values = new long[namespace.migrations().size()];
        for (int i = 0; i < values.length; i += CHUNK) {
            counterValues(namespace, i, Math.min(values.length, i + CHUNK), values);
        }
        return values;
    }

    /**
     * The namespace's migrations in ascending counter order, {@code values} (their counter
     * values, from {@link #counterValues}) put in the same order. A directory's or a jar's
     * migrations come in version order, which is counter order, so this sorts only a list given
     * in another code order; two migrations with one counter value were refused when the
     * namespace was built (one version each).
     */
    private static List<Migration> inCounterOrder(Namespace namespace, long[] values) {
        List<Migration> code = namespace.migrations();
        boolean sorted = true;
        for (int i = 1; i < values.length && sorted; i += CHUNK) {
            sorted = ascending(values, i, Math.min(values.length, i + CHUNK));
        }
        if (sorted) {
            return code;
        }
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        long[] unsorted = values.clone();
        java.util.Arrays.sort(order, Comparator.comparingLong(i -> unsorted[i]));
        List<Migration> out = new ArrayList<>(order.length);
        for (int i = 0; i < order.length; i++) {
            out.add(code.get(order[i]));
            values[i] = unsorted[order[i]];
        }
        return out;
    }

    private Plan planLegacy(Namespace namespace, long count) {
        List<Migration> code = namespace.migrations();
        if (count > code.size()) {
            throw RatchetException.of(ErrorKind.BINARY_OLDER_THAN_DB, "Namespace '" + namespace.name()
                            + "' has " + count + " migrations applied by the legacy counter, but this code has only "
                            + code.size() + ".")
                    .with("namespace", namespace.name()).with("counter", count).build();
        }
        int n = (int) count;
        return new Plan(namespace, code.subList(n, code.size()), code.subList(0, n), List.of());
    }

    /**
     * {@code golang-migrate}'s single row has no namespace column: it is the history of whichever
     * one namespace it is used for, and is listed as {@code default}, the namespace a run with one
     * migrations directory has.
     */
    @Override
    public Optional<Set<String>> namespacesHeld(TrackerContext ctx) throws SQLException {
        if (layout == Layout.SINGLE_ROW) {
            return Optional.of(Set.of(Ratchet.DEFAULT_NAMESPACE));
        }
        Set<String> held = new TreeSet<>();
        try (PreparedStatement ps = ctx.connection().prepareStatement("SELECT namespace FROM " + qualified(ctx));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                held.add(rs.getString(1));
            }
        }
        return Optional.of(held);
    }

    @Override
    public boolean holdsOnly(TrackerContext ctx, Set<String> namespaces) throws SQLException {
        if (layout == Layout.SINGLE_ROW) {
            return namespaces.size() == 1; // one row, for the one namespace being moved
        }
        return Tracker.super.holdsOnly(ctx, namespaces);
    }

    @Override
    public void beforeNonTransactional(TrackerContext ctx, Namespace namespace, Migration migration)
            throws SQLException {
        write(ctx, namespace.name(), counterValue(namespace, migration), true, true, migration);
    }

    @Override
    public void record(TrackerContext ctx, Namespace namespace, Migration migration, Outcome outcome)
            throws SQLException {
        write(ctx, namespace.name(), counterValue(namespace, migration), false, true, migration);
    }

    /**
     * A chain ends where its highest migration is: one guarded write of that value, the state
     * {@link #record} once per migration leaves (each of those writes only moves the counter on).
     */
    @Override
    public void recordAll(TrackerContext ctx, Namespace namespace, List<Recording> migrations) throws SQLException {
        Migration highest = null;
        long value = Long.MIN_VALUE;
        for (Recording r : migrations) {
            long v = counterValue(namespace, r.migration());
            if (highest == null || v > value) {
                highest = r.migration();
                value = v;
            }
        }
        if (highest != null) {
            write(ctx, namespace.name(), value, false, true, highest);
        }
    }

    @Override
    public void force(TrackerContext ctx, String namespace, Version version) throws SQLException {
        if (version.asLong().isEmpty()) {
            throw RatchetException.of(ErrorKind.VERSION_OUT_OF_RANGE, "Cannot force namespace '" + namespace
                    + "' to version " + version + ": the counter keeps one signed 64-bit integer.").build();
        }
        write(ctx, namespace, version.asLong().getAsLong(), false, false, null);
    }

    /**
     * Writes the counter. When {@code guarded}, the write only moves the counter forward (or
     * clears its own dirty mark); losing that race is a primary-key violation, which the
     * engine reports as a concurrent apply. In the single-row layout a guarded write is one
     * {@code UPDATE} of the row (an {@code INSERT} when no row qualifies: an empty table, or a
     * runner that already wrote this version, whose row makes the insert fail); a forced write is
     * golang-migrate's own {@code DELETE} + {@code INSERT}. Either way the table ends with the one
     * row golang-migrate expects ({@link #read} refuses a table with more).
     */
    private void write(TrackerContext ctx, String namespace, long version, boolean dirty, boolean guarded,
                       Migration migration) throws SQLException {
        if (layout == Layout.LEGACY_COUNT) {
            throw readOnly();
        }
        String q = qualified(ctx);
        var c = ctx.connection();
        if (layout == Layout.SINGLE_ROW) {
            // A concurrent runner that already wrote this version makes the INSERT fail on the
            // primary key, so the loser rolls back instead of applying twice.
            if (guarded) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + q + " SET version = ?, dirty = ?"
                        + " WHERE version < ? OR (version = ? AND dirty = ?)")) {
                    ps.setLong(1, version);
                    ps.setBoolean(2, dirty);
                    ps.setLong(3, version);
                    ps.setLong(4, version);
                    ps.setBoolean(5, true);
                    if (ps.executeUpdate() > 0) {
                        return;
                    }
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q)) {
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q + " (version, dirty) VALUES (?, ?)")) {
                ps.setLong(1, version);
                ps.setBoolean(2, dirty);
                ps.executeUpdate();
            }
            return;
        }
        String update = "UPDATE " + q + " SET version = ?, dirty = ?, applied_at = ? WHERE namespace = ?"
                + (guarded ? " AND (version < ? OR (version = ? AND dirty = ?))" : "");
        int updated;
        try (PreparedStatement ps = c.prepareStatement(update)) {
            ps.setLong(1, version);
            ps.setBoolean(2, dirty);
            ctx.dialect().bindInstant(ps, 3, java.time.Instant.now());
            ps.setString(4, namespace);
            if (guarded) {
                ps.setLong(5, version);
                ps.setLong(6, version);
                ps.setBoolean(7, true);
            }
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            // No row yet, or another runner moved the counter past us: the INSERT then fails on
            // the namespace primary key.
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + q + " (namespace, version, dirty, applied_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, namespace);
                ps.setLong(2, version);
                ps.setBoolean(3, dirty);
                ctx.dialect().bindInstant(ps, 4, java.time.Instant.now());
                ps.executeUpdate();
            }
        }
    }

    @Override
    public void seed(TrackerContext ctx, String namespace, List<AppliedEntry> entries) throws SQLException {
        long highest = -1;
        for (AppliedEntry e : entries) {
            Version v = e.version().orElseThrow(() -> new IllegalArgumentException(
                    "the counter needs a version for every seeded entry; got " + e));
            if (v.asLong().isEmpty()) {
                throw RatchetException.of(ErrorKind.VERSION_OUT_OF_RANGE, "Cannot seed version " + v
                        + " into the counter: it keeps one signed 64-bit integer.").with("namespace", namespace).build();
            }
            highest = Math.max(highest, v.asLong().getAsLong());
        }
        if (highest >= 0) {
            write(ctx, namespace, highest, false, false, null);
        }
    }

    /** Configures a {@link CounterTracker}. */
    public static final class Builder {
        private Layout layout = Layout.SINGLE_ROW;
        private String table;
        private String schema;

        private Builder() {
        }

        /** The layout (default {@link Layout#SINGLE_ROW}). */
        public Builder layout(Layout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /** The table (default: the layout's {@link Layout#defaultTable()}). */
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
         * The tracker.
         *
         * @throws RatchetException of kind {@link ErrorKind#INVALID_IDENTIFIER} for a bad table or schema name
         */
        public CounterTracker build() {
            String t = table == null ? layout.defaultTable() : table;
            Identifiers.requireIdentifier("tracker table", t);
            Identifiers.requireIdentifier("lock table", t + "_lock");
            if (schema != null) {
                Identifiers.requireIdentifier("tracker schema", schema);
            }
            return new CounterTracker(this);
        }
    }
}
