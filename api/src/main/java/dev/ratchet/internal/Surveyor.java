package dev.ratchet.internal;

import dev.ratchet.ConnectionSource;
import dev.ratchet.History;
import dev.ratchet.Namespace;
import dev.ratchet.RatchetException;
import dev.ratchet.Survey;
import dev.ratchet.Trackers;
import dev.ratchet.spi.TableState;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;
import dev.ratchet.spi.TrackerProvider;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/** Behind {@link Survey}. */
public final class Surveyor {
    private Surveyor() {
    }

    /** Every layout of every {@link TrackerProvider} registered, in the providers' order: a new list. */
    static List<Tracker> knownLayouts() {
        List<Tracker> layouts = new ArrayList<>();
        for (TrackerProvider p : ServiceLoader.load(TrackerProvider.class, Surveyor.class.getClassLoader())) {
            layouts.addAll(p.knownLayouts());
        }
        return layouts;
    }

    /**
     * Every known layout's view of the database, for these namespaces; for none, for every
     * namespace each table holds. Each layout's own table first, then each table of another name in
     * the current schema that a layout recognises as its own (a tracker configured with a table
     * name: {@code applied-set@app_history}) and that names migrations in its rows for them.
     */
    public static List<Survey.Finding> survey(ConnectionSource source, List<Namespace> namespaces) {
        List<Tracker> layouts = knownLayouts();
        List<Survey.Finding> out = new ArrayList<>();
        if (layouts.isEmpty()) {
            return out;
        }
        try (Session s = Session.open(source, Duration.ofSeconds(10), layouts.get(0))) {
            Set<String> defaults = new java.util.HashSet<>();
            for (Tracker t : layouts) {
                defaults.add(s.qualifiedTable(t).toLowerCase(java.util.Locale.ROOT));
            }
            String schema = s.contextFor(layouts.get(0)).defaultSchema();
            List<Tracker> others;
            try {
                // After each layout's own table, the tables of other names a layout recognises.
                others = AnotherTable.recognised(s, schema,
                        table -> defaults.contains(table.toLowerCase(java.util.Locale.ROOT)));
                layouts.addAll(others);
            } catch (SQLException e) {
                throw Errors.database(s.dialect, e, "listing the tables of schema " + schema, null);
            }
            for (Tracker t : layouts) {
                TrackerContext ctx = s.contextFor(t);
                String table = ctx.defaultSchema() + "." + t.table();
                try {
                    TableState state = t.detect(ctx);
                    Map<String, History> histories = new LinkedHashMap<>();
                    if (state == TableState.PRESENT) {
                        Collection<String> names = namespaces.isEmpty()
                                ? t.namespacesHeld(ctx).orElse(Set.of())
                                : namespaces.stream().map(Namespace::name).toList();
                        for (String ns : names) {
                            histories.put(ns, t.read(ctx, ns));
                        }
                    }
                    if (others.contains(t) && histories.values().stream()
                            .noneMatch(h -> h.entries().stream().anyMatch(e -> e.name().isPresent()))) {
                        // A table of another name counts as a tracker's when it names migrations, as
                        // for HISTORY_IN_ANOTHER_TABLE: an application's table can have a counter's shape.
                        continue;
                    }
                    out.add(new Survey.Finding(t.id(), table, Survey.State.valueOf(state.name()), histories,
                            Optional.empty(), Trackers.nameOf(t, table)));
                } catch (RatchetException e) {
                    if (others.contains(t)) {
                        continue; // not that layout's table after all (an application's table of that shape)
                    }
                    out.add(new Survey.Finding(t.id(), table, Survey.State.REFUSED, Map.of(), Optional.of(e),
                            Trackers.nameOf(t, table)));
                } catch (SQLException e) {
                    if (others.contains(t)) {
                        continue;
                    }
                    throw Errors.database(s.dialect, e, "surveying " + table, null);
                }
            }
        }
        return out;
    }
}
