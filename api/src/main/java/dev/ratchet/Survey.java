package dev.ratchet;

import dev.ratchet.internal.Surveyor;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every known tracker layout finds in a database: which tracker tables exist, in which
 * shape, and which namespaces they hold history for. Read-only; takes no lock. Known layouts
 * are those registered through {@link dev.ratchet.spi.TrackerProvider} (Ratchet's three
 * trackers register theirs). Each layout's view of its own table comes first, then a finding for
 * each table of another name in the current schema that a layout recognises as its own (a tracker
 * configured with a table name, {@code applied-set@app_history}) and that names migrations in its
 * rows (a counter's rows name none, and an application's table can have a counter's shape).
 * Operators use it (the CLI's
 * {@code trackers} command) before a conversion.
 *
 * <pre>{@code
 * for (Survey.Finding f : Survey.run(ConnectionSource.of(ds), List.of(appNamespace))) {
 *     System.out.println(f.tracker() + " " + f.table() + " " + f.state());
 * }
 * }</pre>
 */
public final class Survey {
    private Survey() {
    }

    /** The state of one tracker table. */
    public enum State {
        /** No such table. */
        ABSENT,
        /** The tracker's own table. */
        PRESENT,
        /** A table of that name in another shape. */
        FOREIGN_SHAPE,
        /** The tracker refused to read it (e.g. an old shape); see {@link Finding#problem()}. */
        REFUSED
    }

    /**
     * One tracker layout's view.
     *
     * @param tracker   the tracker id
     * @param table     the schema-qualified table
     * @param state     what the table is
     * @param histories per namespace asked about (when none is, per namespace the table holds, as far
     *                  as the tracker can list them): its history as that tracker reads it (only when present)
     * @param problem   the tracker's refusal, when {@link State#REFUSED}
     * @param name      the name {@link Trackers#byName} takes for this tracker on this table
     *                  ({@code counter:per-namespace@public.ratchet_counter})
     */
    public record Finding(String tracker, String table, State state, Map<String, History> histories,
                          Optional<RatchetException> problem, String name) {
        /** Defensive copy. */
        public Finding {
            histories = Map.copyOf(histories);
        }
    }

    /**
     * Surveys the database behind {@code source} for the given namespaces; given none, for every
     * namespace each tracker table holds ({@link dev.ratchet.spi.Tracker#namespacesHeld}).
     */
    public static List<Finding> run(ConnectionSource source, List<Namespace> namespaces) {
        return Surveyor.survey(source, namespaces);
    }
}
