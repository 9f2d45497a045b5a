package dev.ratchet.conformance.faulty;

import dev.ratchet.AppliedEntry;
import dev.ratchet.History;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Plan;
import dev.ratchet.TransactionMode;
import dev.ratchet.Version;
import dev.ratchet.spi.Capability;
import dev.ratchet.spi.Outcome;
import dev.ratchet.spi.TableState;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A tracker that forwards everything to another; faulty variants override one thing. All but
 * {@link Tracker#provesUpToDate}, which stays false (the default): a variant whose fault is in
 * {@code read} or {@code plan} must have every boot go through them, not through the inner
 * tracker's proof.
 */
public abstract class ForwardingTracker implements Tracker {
    protected final Tracker inner;

    protected ForwardingTracker(Tracker inner) {
        this.inner = inner;
    }

    @Override
    public String id() {
        return inner.id() + "-" + getClass().getSimpleName();
    }

    @Override
    public String table() {
        return inner.table();
    }

    @Override
    public Optional<String> schema() {
        return inner.schema();
    }

    @Override
    public Set<Capability> capabilities() {
        return inner.capabilities();
    }

    @Override
    public TableState detect(TrackerContext context) throws SQLException {
        return inner.detect(context);
    }

    @Override
    public void install(TrackerContext context) throws SQLException {
        inner.install(context);
    }

    @Override
    public History read(TrackerContext context, String namespace) throws SQLException {
        return inner.read(context, namespace);
    }

    @Override
    public Plan plan(History history, Namespace namespace) {
        return inner.plan(history, namespace);
    }

    @Override
    public Optional<dev.ratchet.spi.Ahead> ahead(History history, Namespace namespace) {
        return inner.ahead(history, namespace);
    }

    @Override
    public void record(TrackerContext context, Namespace namespace, Migration migration, Outcome outcome)
            throws SQLException {
        inner.record(context, namespace, migration, outcome);
    }

    @Override
    public void seed(TrackerContext context, String namespace, List<AppliedEntry> entries) throws SQLException {
        inner.seed(context, namespace, entries);
    }

    @Override
    public void validate(List<Namespace> namespaces) {
        inner.validate(namespaces);
    }

    @Override
    public boolean writable() {
        return inner.writable();
    }

    @Override
    public void beforeNonTransactional(TrackerContext context, Namespace namespace, Migration migration)
            throws SQLException {
        inner.beforeNonTransactional(context, namespace, migration);
    }

    @Override
    public void force(TrackerContext context, String namespace, Version version) throws SQLException {
        inner.force(context, namespace, version);
    }

    @Override
    public TransactionMode defaultTransactionMode() {
        return inner.defaultTransactionMode();
    }

    @Override
    public List<AppliedEntry> baseline(History history, Namespace namespace, List<String> names) {
        return inner.baseline(history, namespace, names);
    }

    @Override
    public boolean holdsOnly(TrackerContext context, Set<String> namespaces) throws SQLException {
        return inner.holdsOnly(context, namespaces);
    }

    @Override
    public Optional<Set<String>> namespacesHeld(TrackerContext context) throws SQLException {
        return inner.namespacesHeld(context);
    }
}
