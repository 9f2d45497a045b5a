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
     * The layout, for a tracker with several, as {@link dev.ratchet.Trackers#byName} takes it after
     * the colon ({@code per-namespace} in {@code counter:per-namespace}); empty for the default
     * layout or a tracker with one. Hints and the command line's {@code trackers} name a tracker
     * table by {@code id[:layout]@schema.table}, so that it can be copied into a configuration.
     */
    default Optional<String> layoutName() {
        return Optional.empty();
    }

    /**
     * This tracker with its checksum verification set to {@code verification}, everything else
     * (table, schema, layout) the same; empty for a tracker that keeps no checksums (a counter),
     * the default. Configuration that names a tracker ({@link dev.ratchet.Trackers#byName}, the
     * command line's {@code --checksum-verification}, an application setting) sets it through
     * this; code that builds its tracker sets it on the tracker's builder.
     */
    default Optional<Tracker> withChecksumVerification(dev.ratchet.ChecksumVerification verification) {
        return Optional.empty();
    }

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

    /**
     * A quick proof, for the boot that has nothing to do, that {@link #plan} of a fresh
     * {@link #read} would find nothing pending and raise no refusal and no warning: true only
     * then. False proves nothing, and the engine reads and plans as usual; this default always
     * says false. A tracker whose history grows with every migration answers in one round trip
     * and one row however long the history is (see {@link ExpectedRows}), so that an up-to-date
     * boot does not read every row. Runs without the migration lock, outside a transaction; a
     * tracker must not write here.
     *
     * <p>Whatever {@link #read} or {@link #plan} would refuse (a tampered row included) or warn
     * about must make it say false; the conformance suite holds every tracker to that.
     */
    default boolean provesUpToDate(TrackerContext context, Namespace namespace) throws SQLException {
        return false;
    }

    /**
     * What in {@code history} lies after the last migration of {@code namespace}, in this
     * tracker's order: what a newer release applied, which an older release run on purpose (a
     * rollback, an instance of the previous release restarting) finds. Empty when nothing does,
     * and when the tracker cannot tell (this default; a tracker that can claims
     * {@link Capability#NEWER_DATABASE}). Pure: no I/O.
     *
     * <p>Asked only with {@link dev.ratchet.Ratchet.Builder#allowNewerDatabase()}, after
     * {@link #plan} refused the history as {@link dev.ratchet.ErrorKind#BINARY_OLDER_THAN_DB},
     * {@link dev.ratchet.ErrorKind#UNKNOWN_APPLIED_VERSION} or {@link dev.ratchet.ErrorKind#DIRTY}.
     * The engine then plans {@link Ahead#within} with {@link #plan}, which checks the applied
     * migrations the code has as always, and runs only when that plan has nothing pending. An entry
     * missing within the code (a deleted file) is not beyond it, nor is an unfinished migration of
     * the code's own: the refusal stands. An unfinished migration beyond the code (a newer
     * release's, running outside a transaction, or failed) may be, and its description says so.
     */
    default Optional<Ahead> ahead(History history, Namespace namespace) {
        return Optional.empty();
    }

    /** Records one successful migration, inside that migration's transaction. */
    void record(TrackerContext context, Namespace namespace, Migration migration, Outcome outcome)
            throws SQLException;

    /**
     * Records the migrations of one transaction that holds several (a chain, see
     * {@link dev.ratchet.TransactionMode#CHAIN}), in the order their bodies ran, inside that
     * transaction and after the last body. The rows must end up exactly as {@link #record} would
     * have left them called once per migration, which this default does; a tracker may write them
     * in fewer round trips (one JDBC batch). A unique-key violation here means another runner
     * recorded one of them first, as with {@link #record}.
     */
    default void recordAll(TrackerContext context, Namespace namespace, List<Recording> migrations)
            throws SQLException {
        for (Recording r : migrations) {
            record(context, namespace, r.migration(), r.outcome());
        }
    }

    /**
     * Checks the whole configuration once, when {@link dev.ratchet.Ratchet.Builder#build()} runs:
     * for example that every version fits the tracker's storage, or that a single-namespace
     * layout is not given several namespaces. No I/O.
     *
     * @throws RatchetException when the tracker cannot track these namespaces
     */
    default void validate(List<Namespace> namespaces) {
    }

    /**
     * Whether {@code migrate()} may write through this tracker. A read-only tracker (an old
     * layout kept for cutover) still serves {@code status()} and {@code plan()}.
     */
    default boolean writable() {
        return true;
    }

    /**
     * Called in a transaction of its own, committed before a non-transactional migration's
     * body runs, so that a crash in the body leaves a trace (a counter's {@code dirty} flag).
     */
    default void beforeNonTransactional(TrackerContext context, Namespace namespace, Migration migration)
            throws SQLException {
    }

    /**
     * Operator repair: set the tracker to "applied up to {@code version}, clean" without
     * running anything (golang-migrate's {@code force}). Called under the namespace lock, in a
     * transaction.
     *
     * @throws RatchetException of kind {@link dev.ratchet.ErrorKind#UNSUPPORTED_FEATURE} by default
     */
    default void force(TrackerContext context, String namespace, dev.ratchet.Version version) throws SQLException {
        throw RatchetException.of(dev.ratchet.ErrorKind.UNSUPPORTED_FEATURE,
                "The " + id() + " tracker has no force operation.").hint("force applies to the counter tracker").build();
    }

    /** The transaction mode used when the application does not choose one. */
    default dev.ratchet.TransactionMode defaultTransactionMode() {
        return dev.ratchet.TransactionMode.PER_MIGRATION;
    }

    /**
     * Decides what a baseline writes: the entries that record {@code names} as applied without
     * running them. Pure; every refusal of the names happens here, before any insert. The engine
     * refuses a namespace that already has rows ({@code BASELINE_NAMESPACE_POPULATED}) itself, so
     * {@code history} is empty when the result is written.
     *
     * @throws RatchetException of kind {@link dev.ratchet.ErrorKind#UNSUPPORTED_FEATURE} by default
     */
    default List<AppliedEntry> baseline(History history, Namespace namespace, List<String> names) {
        throw RatchetException.of(dev.ratchet.ErrorKind.UNSUPPORTED_FEATURE,
                "The " + id() + " tracker has no baseline operation.").hint("a baseline applies to the applied-set and"
                + " identity trackers; a counter records one by forcing the version its schema is at").build();
    }

    /**
     * The namespaces whose history the tracker table holds, for a survey that names none (the
     * command line's {@code trackers} without {@code --migrations}); empty when the tracker cannot
     * list them. Called only when the table is {@link TableState#PRESENT}.
     */
    default Optional<Set<String>> namespacesHeld(TrackerContext context) throws SQLException {
        return Optional.empty();
    }

    /**
     * Whether the tracker table holds history of no namespace outside {@code namespaces}, so
     * that retiring it after a cutover of those namespaces loses nothing. By default
     * {@link #namespacesHeld}'s answer, and false when it has none.
     */
    default boolean holdsOnly(TrackerContext context, Set<String> namespaces) throws SQLException {
        Optional<Set<String>> held = namespacesHeld(context);
        return held.isPresent() && namespaces.containsAll(held.get());
    }

    /** Writes rows without running bodies (baseline, bootstrap, cutover). */
    void seed(TrackerContext context, String namespace, List<AppliedEntry> entries) throws SQLException;
}
