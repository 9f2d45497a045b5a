package dev.ratchet.internal;

import dev.ratchet.AppliedEntry;
import dev.ratchet.ErrorKind;
import dev.ratchet.History;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.RatchetException;
import dev.ratchet.Trackers;
import dev.ratchet.spi.Dialect;
import dev.ratchet.spi.TableState;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;
import dev.ratchet.spi.TrackerProvider;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A namespace's history in a tracker table of another name than the one configured: the tracker
 * was configured with that table when the migrations ran, and is not now (an operator's command
 * line without the application's {@code --tracker NAME@TABLE}, a table setting renamed). The
 * configured table holds nothing for the namespace, so a migrate would run every migration again.
 */
final class AnotherTable {
    private AnotherTable() {
    }

    /**
     * The refusal ({@link ErrorKind#HISTORY_IN_ANOTHER_TABLE}) when a table of the tracker's schema,
     * other than its own, is one that a known tracker layout (of any {@link TrackerProvider}, the
     * tracker's own kind included) recognises as its own, and holds rows for {@code ns} that read
     * as this code's history ({@link #thisCodesHistory}): another application's history table in
     * the same schema, with migrations of its own, refuses nothing. One read of the schema's tables
     * and columns; each layout's {@link Tracker#detect} is asked of every table from that read, and
     * only a table it recognises is read. The evidence is names: trackers that record none (a
     * counter) are not found this way. A table that is not what it looked like (an error reading
     * it) refuses nothing.
     */
    static Optional<RatchetException> historyInAnotherTable(Session s, Tracker tracker, Namespace ns) {
        String schema = s.contextFor(tracker).defaultSchema();
        String ownTable = s.qualifiedTable(tracker);
        boolean caseInsensitive = s.dialect instanceof SqliteDialect;
        List<Tracker> candidates;
        try {
            candidates = recognised(s, schema, table -> caseInsensitive ? table.equalsIgnoreCase(ownTable)
                    : table.equals(ownTable));
        } catch (SQLException e) {
            if (!schemaExists(s, schema)) {
                return Optional.empty(); // a schema that is not there holds no tables; the plan reports it
            }
            throw Errors.database(s.dialect, e, "listing the tables of the tracker's schema " + schema, ns.name());
        }
        Map<String, Migration> byName = new HashMap<>();
        for (Migration m : ns.migrations()) {
            byName.put(m.name(), m);
        }
        for (Tracker candidate : candidates) {
            List<String> named;
            try {
                named = thisCodesHistory(candidate.read(s.contextFor(candidate), ns.name()), byName);
            } catch (SQLException | RuntimeException notThatTrackersTable) {
                continue; // a table that is not that tracker's after all
            }
            if (!named.isEmpty()) {
                return Optional.of(refusal(tracker, ownTable, candidate, s.qualifiedTable(candidate), ns, named));
            }
        }
        return Optional.empty();
    }

    private static boolean schemaExists(Session s, String schema) {
        try {
            return s.dialect.schemaExists(s.connection, schema);
        } catch (SQLException e) {
            return true; // the first error is the one to report
        }
    }

    /**
     * Each table of {@code schema} but those {@code skip} takes ({@code schema.table}) that a known
     * tracker layout (of any {@link TrackerProvider}) recognises as its own
     * ({@link Tracker#detect} says {@link TableState#PRESENT}), as that layout configured with it:
     * one read of the schema's tables and columns, from which every layout's {@code detect} is
     * answered. A table whose name no tracker takes, or that a layout's {@code detect} refuses, is
     * left out.
     */
    static List<Tracker> recognised(Session s, String schema, java.util.function.Predicate<String> skip)
            throws SQLException {
        Map<String, Set<String>> tables = s.dialect.tablesWithColumns(s.connection, schema);
        List<Tracker> out = new ArrayList<>();
        if (tables.isEmpty()) {
            return out;
        }
        TrackerContext listed = new TrackerContext(s.connection, listed(s.dialect, tables), schema);
        for (Tracker layout : Surveyor.knownLayouts()) {
            for (String table : tables.keySet()) {
                String where = schema + "." + table;
                if (skip.test(where)) {
                    continue;
                }
                try {
                    Tracker candidate = Trackers.byName(Trackers.nameOf(layout, where));
                    if (candidate.detect(listed) == TableState.PRESENT) {
                        out.add(candidate);
                    }
                } catch (SQLException | RuntimeException notThatTrackersTable) {
                    // a name no tracker takes, or a shape the layout refuses
                }
            }
        }
        return out;
    }

    /**
     * The names of {@code history}'s entries when it reads as this code's history: each entry names
     * one of the code's migrations, and, where entries and migrations have checksums to compare, at
     * least one agrees. Empty otherwise: another application's table in the same schema (whose
     * history names migrations this code does not have, or same-named ones of other content).
     */
    private static List<String> thisCodesHistory(History history, Map<String, Migration> code) {
        List<String> named = new ArrayList<>();
        boolean compared = false;
        boolean agreed = false;
        for (AppliedEntry e : history.entries()) {
            Migration m = e.name().map(code::get).orElse(null);
            if (m == null) {
                return List.of();
            }
            named.add(m.name());
            Optional<String> checksum;
            try {
                checksum = m.checksum();
            } catch (RatchetException unreadable) {
                checksum = Optional.empty(); // compared without it; the run that reads it reports it
            }
            if (e.checksum().isPresent() && checksum.isPresent()) {
                compared = true;
                agreed |= e.checksum().get().equals(checksum.get());
            }
        }
        return compared && !agreed ? List.of() : named;
    }

    private static RatchetException refusal(Tracker tracker, String ownTable, Tracker other, String table,
                                            Namespace ns, List<String> named) {
        String name = Trackers.nameOf(other, table);
        String kind = other.id().equals(tracker.id()) ? "the " + tracker.id() + " tracker" : "the " + other.id()
                + " tracker (not the " + tracker.id() + " tracker configured now)";
        return RatchetException.of(ErrorKind.HISTORY_IN_ANOTHER_TABLE, "Namespace '" + ns.name() + "' has no history"
                        + " in " + ownTable + ", the " + tracker.id() + " tracker's table, but " + table + ", a table of"
                        + " another name that " + kind + " recognises as its own, records " + named.size() + " of its"
                        + " migrations as applied (" + String.join(", ", named.size() > 5 ? named.subList(0, 5) : named)
                        + (named.size() > 5 ? ", ..." : "") + "): they ran with a tracker configured with that"
                        + " table, which this one is not (a table name given then and not now, such as a command line"
                        + " without the application's --tracker NAME@TABLE, or a tracker setting changed since)."
                        + " Migrating with the tracker configured now would run them again.")
                .with("namespace", ns.name()).with("table", table).with("tracker", other.id())
                .with("trackerName", name).with("applied", List.copyOf(named))
                .hint("to go on with that table, configure the tracker with it: Trackers.byName(\"" + name
                        + "\"), or --tracker " + name + " on the command line; to move its history into " + ownTable
                        + ", configure bootstrapFrom(Trackers.byName(\"" + name + "\")) or run a cutover; if that"
                        + " table belongs to something else, call ignoreOtherTrackers()")
                .build();
    }

    /**
     * {@code real}, but for {@link Dialect#columns}, which answers from {@code tables} (one read of
     * the schema's catalog) instead of reading the catalog for each table and layout.
     */
    private static Dialect listed(Dialect real, Map<String, Set<String>> tables) {
        return (Dialect) Proxy.newProxyInstance(Dialect.class.getClassLoader(), new Class<?>[] {Dialect.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("columns") && method.getParameterCount() == 3) {
                        return Optional.ofNullable(tables.get((String) args[2]));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
