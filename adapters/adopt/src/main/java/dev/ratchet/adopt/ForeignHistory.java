package dev.ratchet.adopt;

import dev.ratchet.AppliedEntry;
import dev.ratchet.ErrorKind;
import dev.ratchet.History;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Plan;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;
import dev.ratchet.spi.Capability;
import dev.ratchet.spi.Identifiers;
import dev.ratchet.spi.Outcome;
import dev.ratchet.spi.TableState;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Another migration tool's history table, read as a Ratchet tracker that never writes: the
 * source of an {@link Adoption}, which moves it into one of Ratchet's trackers through the same
 * locked, atomic and idempotent path as a cutover.
 *
 * <p>A subclass only reads its tool's rows ({@link #entries}) and says what each means
 * ({@link ForeignEntry.State}). This class matches them to the code's migrations: by version, and
 * by name where the tool records one (compared without case and punctuation, so Flyway's
 * {@code create authors} is Ratchet's {@code create_authors}); or through the operator's explicit
 * mapping of the tool's identities to migration names. A failed or unfinished entry refuses
 * adoption; an unmatched or unsupported one refuses it unless unmatched entries are allowed, in
 * which case it is left out and reported ({@link #leftOut}). The tool's own checksums are never
 * carried as Ratchet's: they are computed differently. Where the tool's checksum of an entry is
 * that of the matched file as the tool computes it ({@link #checksumMatches}: Flyway's CRC-32,
 * Liquibase's MD5, Prisma's SHA-256), the file is what ran, and the adopted row takes the file's Ratchet checksum,
 * so a checksum-keeping tracker verifies it from then on; where it differs, the file was edited
 * after the tool ran it, and the row has no checksum and a warning says so ({@link #warnings}).
 * Other rows have none, and verification starts with the next migration Ratchet applies.
 */
public abstract class ForeignHistory implements Tracker {
    private final String tool;
    private final String table;
    private final String schema;
    private final Settings settings;
    private final Map<String, List<LeftOut>> leftOut = new ConcurrentHashMap<>();
    private final Map<String, List<String>> warnings = new ConcurrentHashMap<>();

    /**
     * What adoption is matched against.
     *
     * @param code           the code's namespaces, by name
     * @param allowUnmatched whether unmatched and unsupported entries are left out instead of refused
     * @param names          the tool's entry identities mapped to migration names, overriding matching
     */
    public record Settings(Map<String, Namespace> code, boolean allowUnmatched, Map<String, String> names) {
        /** Copies the maps. */
        public Settings {
            code = Map.copyOf(code);
            names = Map.copyOf(names);
        }
    }

    /** A reader of {@code table} (in {@code schema}, or the session's schema when null). */
    protected ForeignHistory(String tool, String table, String schema, Settings settings) {
        this.tool = tool;
        this.table = Identifiers.requireIdentifier("table", table);
        this.schema = schema == null ? null : Identifiers.requireIdentifier("schema", schema);
        this.settings = settings;
    }

    /** The columns the tool's table has; a table without them is not that tool's. */
    protected abstract Set<String> requiredColumns();

    /** The tool's rows that belong to {@code namespace}, in the order the tool applied them. */
    protected abstract List<ForeignEntry> entries(TrackerContext context, String namespace) throws SQLException;

    /**
     * The namespaces whose history the table holds, for a tool that keeps several (Django's apps);
     * empty for a tool whose table is one history.
     */
    protected Optional<Set<String>> namespacesIn(TrackerContext context) throws SQLException {
        return Optional.empty();
    }

    /** Whether the table's columns are the tool's shape. */
    protected boolean isShape(Set<String> columns) {
        return columns.containsAll(requiredColumns());
    }

    /**
     * Whether the tool's checksum of {@code e} is that of {@code m}'s script as the tool computes
     * it: empty when the tool keeps no checksum this reader can compute, or {@code m} is no script.
     */
    protected Optional<Boolean> checksumMatches(ForeignEntry e, Migration m) {
        return Optional.empty();
    }

    /** What the last read of {@code namespace} found worth saying without refusing: files edited after the tool ran them. */
    public List<String> warnings(String namespace) {
        return warnings.getOrDefault(namespace, List.of());
    }

    /** What the last read of {@code namespace} left out, and why. */
    public List<LeftOut> leftOut(String namespace) {
        return leftOut.getOrDefault(namespace, List.of());
    }

    /** The table, qualified and quoted for SQL. */
    protected final String qualified(TrackerContext context) {
        return context.dialect().qualify(context.defaultSchema(), table);
    }

    @Override
    public String id() {
        return tool;
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
    public Set<Capability> capabilities() {
        return Set.of(Capability.GAPS);
    }

    @Override
    public boolean writable() {
        return false;
    }

    @Override
    public TableState detect(TrackerContext context) throws SQLException {
        Optional<Set<String>> columns = context.dialect().columns(context.connection(), context.defaultSchema(), table);
        if (columns.isEmpty()) {
            return TableState.ABSENT;
        }
        return isShape(columns.get()) ? TableState.PRESENT : TableState.FOREIGN_SHAPE;
    }

    @Override
    public History read(TrackerContext context, String namespace) throws SQLException {
        Namespace ns = settings.code().get(namespace);
        if (ns == null) {
            throw new IllegalStateException("namespace '" + namespace + "' is not being adopted");
        }
        String where = context.defaultSchema() + "." + table;
        Map<String, AppliedEntry> applied = new LinkedHashMap<>();
        List<LeftOut> out = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        List<String> edited = new ArrayList<>();
        for (ForeignEntry e : entries(context, namespace)) {
            switch (e.state()) {
                case FAILED -> throw RatchetException.of(ErrorKind.FOREIGN_MIGRATION_FAILED, tool + " recorded '"
                                + e.identity() + "' in " + where + " as failed; adopting would call it applied.")
                        .with("namespace", namespace).with("entry", e.identity()).with("table", where).build();
                case UNFINISHED -> throw RatchetException.of(ErrorKind.FOREIGN_MIGRATION_UNFINISHED, tool
                                + " recorded '" + e.identity() + "' in " + where + " as started and never finished.")
                        .with("namespace", namespace).with("entry", e.identity()).with("table", where).build();
                case NOT_APPLIED -> out.add(new LeftOut(namespace, e.identity(), "not applied (" + e.provenance() + ")"));
                case NOT_A_MIGRATION -> out.add(new LeftOut(namespace, e.identity(),
                        "not a versioned migration (" + e.provenance() + ")"));
                case UNSUPPORTED -> {
                    unsupported.add(e.identity() + " (" + e.provenance() + ")");
                    out.add(new LeftOut(namespace, e.identity(), "unsupported: " + e.provenance()));
                }
                case BASELINE -> {
                    Version upTo = e.version().orElseThrow(() -> RatchetException.of(
                            ErrorKind.FOREIGN_ENTRY_UNSUPPORTED, tool + " baseline '" + e.identity() + "' in " + where
                                    + " has no version.").with("namespace", namespace).build());
                    for (Migration m : ns.migrations()) {
                        if (m.version().isPresent() && m.version().get().compareTo(upTo) <= 0) {
                            applied.putIfAbsent(m.name(), entry(m, e, applied.size(), false));
                        }
                    }
                }
                case APPLIED -> {
                    Optional<Migration> m = match(ns, e);
                    if (m.isEmpty()) {
                        unmatched.add(e.identity());
                        out.add(new LeftOut(namespace, e.identity(), "matches no migration of the code"));
                    } else if (applied.containsKey(m.get().name())) {
                        out.add(new LeftOut(namespace, e.identity(), "a second entry for " + m.get().name()));
                    } else {
                        Optional<Boolean> same = checksumMatches(e, m.get());
                        if (same.isPresent() && !same.get()) {
                            edited.add(m.get().name() + " (" + m.get().origin() + "): " + tool + "'s checksum of '"
                                    + e.identity() + "' is not the file's, so the file was edited after " + tool
                                    + " ran it; adopted without a checksum, so Ratchet cannot tell later edits of it");
                        }
                        applied.put(m.get().name(), entry(m.get(), e, applied.size(), same.orElse(false)));
                    }
                }
                default -> throw new IllegalStateException(e.state().name());
            }
        }
        if (!unsupported.isEmpty() && !settings.allowUnmatched()) {
            throw RatchetException.of(ErrorKind.FOREIGN_ENTRY_UNSUPPORTED, where + " holds " + unsupported.size()
                            + " " + tool + " entr" + (unsupported.size() == 1 ? "y" : "ies")
                            + " Ratchet cannot represent: " + String.join(", ", unsupported) + ".")
                    .with("namespace", namespace).with("entries", List.copyOf(unsupported)).build();
        }
        if (!unmatched.isEmpty() && !settings.allowUnmatched()) {
            throw RatchetException.of(ErrorKind.FOREIGN_ENTRY_UNMATCHED, where + " holds " + unmatched.size() + " "
                            + tool + " entr" + (unmatched.size() == 1 ? "y" : "ies") + " that match no migration of"
                            + " namespace '" + namespace + "': " + String.join(", ", unmatched) + ".")
                    .with("namespace", namespace).with("unmatched", List.copyOf(unmatched)).build();
        }
        leftOut.put(namespace, List.copyOf(out));
        warnings.put(namespace, List.copyOf(edited));
        return new History(namespace, List.copyOf(applied.values()), Map.of());
    }

    /** The row for {@code m}; with its checksum when the tool's proves the file is what ran. */
    private static AppliedEntry entry(Migration m, ForeignEntry e, int sequence, boolean fileIsWhatRan) {
        return new AppliedEntry(Optional.of(m.name()), m.version(), OptionalLong.of(sequence),
                fileIsWhatRan ? m.checksum() : Optional.empty(), e.appliedAt(), e.executionMs());
    }

    /** The code migration an applied entry stands for: mapped by identity, else by version and name. */
    private Optional<Migration> match(Namespace ns, ForeignEntry e) {
        String mapped = settings.names().containsKey(e.identity()) ? settings.names().get(e.identity())
                : shortIdentity(e).map(settings.names()::get).orElse(null);
        if (mapped != null) {
            return ns.migrations().stream().filter(m -> m.name().equals(mapped)).findFirst();
        }
        if (e.version().isEmpty()) {
            return Optional.empty();
        }
        return ns.migrations().stream()
                .filter(m -> m.version().equals(e.version()))
                .filter(m -> e.description().isEmpty() || sameName(e.description().get(), m))
                .findFirst();
    }

    private static boolean sameName(String foreign, Migration m) {
        String f = normalize(foreign);
        String withoutVersion = m.version().map(v -> m.name().startsWith(v + "_")
                ? m.name().substring(v.toString().length() + 1) : m.name()).orElse(m.name());
        return f.equals(normalize(withoutVersion)) || f.equals(normalize(m.description()));
    }

    /**
     * A shorter identity of {@code e} that a mapping may name instead of the whole one (Liquibase's
     * {@code id::author}, without the file); empty by default.
     */
    protected Optional<String> shortIdentity(ForeignEntry e) {
        return Optional.empty();
    }

    /** Lower case, every run of other characters than letters and digits one underscore. */
    static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "_").replaceAll("^_|_$", "");
    }

    @Override
    public Plan plan(History history, Namespace namespace) {
        Set<String> done = new java.util.HashSet<>();
        history.entries().forEach(e -> e.name().ifPresent(done::add));
        return new Plan(namespace, namespace.migrations().stream().filter(m -> !done.contains(m.name())).toList(),
                List.of());
    }

    @Override
    public boolean holdsOnly(TrackerContext context, Set<String> namespaces) throws SQLException {
        Optional<Set<String>> held = namespacesIn(context);
        return held.isEmpty() ? namespaces.containsAll(settings.code().keySet()) : namespaces.containsAll(held.get());
    }

    @Override
    public void install(TrackerContext context) {
        throw readOnly();
    }

    @Override
    public void record(TrackerContext context, Namespace namespace, Migration migration, Outcome outcome) {
        throw readOnly();
    }

    @Override
    public void seed(TrackerContext context, String namespace, List<AppliedEntry> entries) {
        throw readOnly();
    }

    private RatchetException readOnly() {
        return RatchetException.of(ErrorKind.UNSUPPORTED_FEATURE, tool + "'s history is read by Ratchet, never"
                + " written: adopt it into one of Ratchet's trackers.").build();
    }

    /** A version the tool wrote as text, or empty when it is not one. */
    protected static Optional<Version> version(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Version.parse(text.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * A time the tool wrote: a SQL timestamp (read in the JVM's zone, as the driver does), ISO-8601 text,
     * {@code yyyy-MM-dd HH:mm:ss[.fraction]} text (UTC), or epoch milliseconds; empty when it is
     * none of those (the time is provenance, not a reason to refuse).
     */
    protected static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Timestamp t) {
            return Optional.of(t.toInstant());
        }
        if (value instanceof OffsetDateTime o) {
            return Optional.of(o.toInstant());
        }
        if (value instanceof Number n) {
            return Optional.of(Instant.ofEpochMilli(n.longValue()));
        }
        String text = value.toString().strip();
        try {
            return Optional.of(OffsetDateTime.parse(text.replace(' ', 'T')).toInstant());
        } catch (DateTimeParseException notOffset) {
            try {
                return Optional.of(LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notLocal) {
                return Optional.empty();
            }
        }
    }
}
