package dev.ratchet.spi;

import dev.ratchet.AppliedEntry;
import dev.ratchet.History;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Plan;
import dev.ratchet.RatchetException;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A tracking strategy: how a database remembers which migrations ran. A tracker owns its
 * table(s) and nothing else; the engine owns connections, locks and transactions.
 *
 * <p>Every method but {@link #plan} runs on the pinned connection of a {@link TrackerContext};
 * {@link #plan} is pure so that it can be property-tested without a database.
 *
 * <pre>{@code
 * Ratchet.builder()
 *        .dataSource(ds)
 *        .tracker(AppliedSetTracker.builder().table("applied_migrations").build())
 *        ...
 * }</pre>
 */
public interface Tracker {
    /** A short stable identifier, such as {@code applied-set}. */
    String id();

    /**
     * The tracker's table name as configured (without schema); with the schema it is also
     * the stable input of the lock key.
     */
    String table();

    /** The configured schema of the tracker table; empty means the session's current schema. */
    Optional<String> schema();

    /** What this tracker can detect; the conformance suite tests exactly these. */
    Set<Capability> capabilities();

    /** Whether the tracker table is absent, present, or present in a shape this tracker does not own. */
    TableState detect(TrackerContext context) throws SQLException;

    /** Creates the tracker table; called only when {@link #detect} said {@link TableState#ABSENT}. */
    void install(TrackerContext context) throws SQLException;

    /** Reads what is applied for one namespace. */
    History read(TrackerContext context, String namespace) throws SQLException;

    /**
     * Decides what runs next. Pure: no I/O. All tracker-specific checks live here.
     *
     * @throws RatchetException when the tracker refuses (collision, rename, drift, unknown rows ...)
     */
    Plan plan(History history, Namespace namespace);

    /** Records one successful migration, inside that migration's transaction. */
    void record(TrackerContext context, Namespace namespace, Migration migration, Outcome outcome)
            throws SQLException;

    /** Writes rows without running bodies (baseline, bootstrap, cutover). */
    void seed(TrackerContext context, String namespace, List<AppliedEntry> entries) throws SQLException;
}
