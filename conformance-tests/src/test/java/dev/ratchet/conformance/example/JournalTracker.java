package dev.ratchet.conformance.example;

import dev.ratchet.AppliedEntry;
import dev.ratchet.ErrorKind;
import dev.ratchet.History;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Plan;
import dev.ratchet.RatchetException;
import dev.ratchet.spi.Capability;
import dev.ratchet.spi.Dialect;
import dev.ratchet.spi.Outcome;
import dev.ratchet.spi.TableState;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a third party might write: a tracker that keeps a journal of applied migration names,
 * written only against the public API and SPI ({@code dev.ratchet}, {@code dev.ratchet.spi}).
 * Pending = code names not in the journal, in code order; unknown journal names refuse.
 */
public final class JournalTracker implements Tracker {
    private static final String TABLE = "journal";

    @Override
    public String id() {
        return "journal";
    }

    @Override
    public String table() {
        return TABLE;
    }

    @Override
    public Optional<String> schema() {
        return Optional.empty();
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.GAPS, Capability.UNKNOWN_APPLIED_DETECTION, Capability.BINARY_OLDER_DETECTION, Capability.CHECKSUM_DRIFT_DETECTION,
                Capability.VERSIONLESS_MIGRATIONS, Capability.MULTIPLE_NAMESPACES);
    }

    private static String table(TrackerContext ctx) {
        return ctx.dialect().qualify(ctx.defaultSchema(), TABLE);
    }

    @Override
    public TableState detect(TrackerContext ctx) throws SQLException {
        Optional<Set<String>> columns = ctx.dialect().columns(ctx.connection(), ctx.defaultSchema(), TABLE);
        if (columns.isEmpty()) {
            return TableState.ABSENT;
        }
        return columns.get().containsAll(Set.of("namespace", "name", "checksum", "applied_at"))
                ? TableState.PRESENT : TableState.FOREIGN_SHAPE;
    }

    @Override
    public void install(TrackerContext ctx) throws SQLException {
        Dialect d = ctx.dialect();
        try (PreparedStatement ps = ctx.connection().prepareStatement("CREATE TABLE " + table(ctx) + " (namespace "
                + d.textType() + " NOT NULL, name " + d.textType() + " NOT NULL, checksum " + d.textType()
                + ", applied_at " + d.timestampType() + " NOT NULL, PRIMARY KEY (namespace, name))")) {
            ps.execute();
        }
    }

    @Override
    public History read(TrackerContext ctx, String namespace) throws SQLException {
        List<AppliedEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = ctx.connection().prepareStatement(
                "SELECT name, checksum, applied_at FROM " + table(ctx) + " WHERE namespace = ?")) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new AppliedEntry(Optional.of(rs.getString(1)), Optional.empty(), OptionalLong.empty(),
                            Optional.ofNullable(rs.getString(2)), ctx.dialect().readInstant(rs, "applied_at"),
                            OptionalLong.empty()));
                }
            }
        }
        return new History(namespace, entries, Map.of());
    }

    @Override
    public Plan plan(History history, Namespace namespace) {
        Map<String, Migration> code = new HashMap<>();
        namespace.migrations().forEach(m -> code.put(m.name(), m));
        Map<String, AppliedEntry> applied = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        for (AppliedEntry e : history.entries()) {
            String name = e.name().orElseThrow();
            Migration m = code.get(name);
            if (m == null) {
                throw RatchetException.of(ErrorKind.UNKNOWN_APPLIED_VERSION, "Journal of namespace '"
                        + namespace.name() + "' names '" + name + "', which the code does not have.").build();
            }
            if (e.checksum().isPresent() && m.checksum().isPresent() && !e.checksum().equals(m.checksum())) {
                warnings.add(name + " changed since it ran");
            }
            applied.put(name, e);
        }
        List<Migration> pending = namespace.migrations().stream().filter(m -> !applied.containsKey(m.name())).toList();
        return new Plan(namespace, pending, warnings);
    }

    @Override
    public void record(TrackerContext ctx, Namespace namespace, Migration migration, Outcome outcome)
            throws SQLException {
        insert(ctx, namespace.name(), migration.name(), migration.checksum().orElse(null), outcome.appliedAt());
    }

    @Override
    public void seed(TrackerContext ctx, String namespace, List<AppliedEntry> entries) throws SQLException {
        for (AppliedEntry e : entries) {
            insert(ctx, namespace, e.name().orElseThrow(), e.checksum().orElse(null), e.appliedAt().orElse(Instant.now()));
        }
    }

    private static void insert(TrackerContext ctx, String namespace, String name, String checksum, Instant at)
            throws SQLException {
        try (PreparedStatement ps = ctx.connection().prepareStatement("INSERT INTO " + table(ctx)
                + " (namespace, name, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, namespace);
            ps.setString(2, name);
            ps.setString(3, checksum);
            ctx.dialect().bindInstant(ps, 4, at);
            ps.executeUpdate();
        }
    }
}
