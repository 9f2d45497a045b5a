package dev.ratchet.conformance;

import dev.ratchet.Cutover;
import dev.ratchet.CutoverResult;
import dev.ratchet.ErrorKind;
import dev.ratchet.MigrateResult;
import dev.ratchet.RatchetException;
import dev.ratchet.TransactionMode;
import dev.ratchet.spi.Capability;
import dev.ratchet.spi.Tracker;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The in-memory model of the stateful property: the code's migrations and which of them have
 * committed effects, mirrored on one database per provider. Every action changes the code,
 * boots, and checks the databases against what the model predicts for the tracker's claimed
 * capabilities.
 */
public final class Model {
    private static final List<Model> OPEN = Collections.synchronizedList(new ArrayList<>());

    private final TrackerContract contract;
    private final List<TestDatabase> databases = new ArrayList<>();
    private final List<Spec> code = new ArrayList<>();
    private final Set<Integer> committed = new HashSet<>();
    /** Committed migrations whose checksum the current tracker holds (none after a move from a counter). */
    private final Set<Integer> checksummed = new HashSet<>();
    private Tracker tracker;
    private int nextId;

    private Model(TrackerContract contract) {
        this.contract = contract;
        this.tracker = contract.tracker();
    }

    /** The model's databases, opened on first use (jqwik may create initial states ahead of their run). */
    private List<TestDatabase> databases() {
        if (databases.isEmpty()) {
            OPEN.add(this);
            for (DatabaseProvider p : contract.databases()) {
                TestDatabase db = p.open();
                databases.add(db);
                Probe.createEffects(db);
            }
        }
        return databases;
    }

    /** Closes the databases of every model that opened some. */
    static void closeAll() {
        synchronized (OPEN) {
            for (Model m : OPEN) {
                m.databases.forEach(TestDatabase::close);
                m.databases.clear();
            }
            OPEN.clear();
        }
    }

    static Arbitrary<ActionChain<Model>> chains(TrackerContract contract) {
        Arbitrary<String> description = Arbitraries.strings().withChars("abcxyz_éжω日").ofMinLength(1).ofMaxLength(30);
        Action.Independent<Model> add = () -> description.map(d -> Transformer.mutate("add migration " + d,
                m -> m.add(d, false)));
        Action.Independent<Model> addFailing = new Action.Independent<>() {
            @Override
            public boolean precondition(Model m) {
                return m.failing().isEmpty();
            }

            @Override
            public Arbitrary<Transformer<Model>> transformer() {
                return description.map(d -> Transformer.mutate("add failing migration " + d, m -> m.add(d, true)));
            }
        };
        Action.Independent<Model> boot = () -> Arbitraries.just(Transformer.mutate("boot", Model::boot));
        Action.Independent<Model> fix = when(m -> m.failing().isPresent(), "fix the failing migration", Model::fix);
        Action.Independent<Model> edit = when(Model::allCommitted, "edit an applied body, boot, revert", Model::editBootRevert);
        Action.Independent<Model> rename = when(Model::allCommitted, "rename an applied migration, boot, revert",
                Model::renameBootRevert);
        Action.Independent<Model> drop = when(Model::allCommitted, "boot an older binary, revert", Model::dropBootRevert);
        Action.Independent<Model> deleteRow = new Action.Independent<>() {
            @Override
            public boolean precondition(Model m) {
                // The row deleter knows the contract's own tracker table, not a cutover target's.
                Tracker own = m.contract.tracker();
                return m.contract.rowDeleter().isPresent() && m.allCommitted() && m.code.size() >= 2
                        && m.tracker.id().equals(own.id()) && m.tracker.table().equals(own.table());
            }

            @Override
            public Arbitrary<Transformer<Model>> transformer() {
                return Arbitraries.integers().between(0, 99).map(i -> Transformer.mutate(
                        "delete a tracker row, boot, repair", m -> m.deleteRowBootRepair(i)));
            }
        };
        Action.Independent<Model> cutover = new Action.Independent<>() {
            @Override
            public boolean precondition(Model m) {
                return !m.contract.cutoverTargets().isEmpty() && m.failing().isEmpty();
            }

            @Override
            public Arbitrary<Transformer<Model>> transformer() {
                return Arbitraries.integers().between(0, 99).map(i -> Transformer.mutate("cut over to target " + i,
                        m -> m.cutover(i)));
            }
        };
        return ActionChain.startWith(() -> new Model(contract))
                .withAction(4, add).withAction(1, addFailing).withAction(4, boot).withAction(2, fix)
                .withAction(1, edit).withAction(1, rename).withAction(1, drop).withAction(1, deleteRow).withAction(1, cutover)
                .withMaxTransformations(12);
    }

    private static Action.Independent<Model> when(java.util.function.Predicate<Model> precondition, String description,
                                                  java.util.function.Consumer<Model> mutation) {
        return new Action.Independent<>() {
            @Override
            public boolean precondition(Model m) {
                return precondition.test(m);
            }

            @Override
            public Arbitrary<Transformer<Model>> transformer() {
                return Arbitraries.just(Transformer.mutate(description, mutation));
            }
        };
    }

    // ------------------------------------------------------------------ state

    private java.util.Optional<Spec> failing() {
        return code.stream().filter(s -> s.failAt() >= 0).findFirst();
    }

    private boolean allCommitted() {
        return !code.isEmpty() && code.stream().allMatch(s -> committed.contains(s.id()));
    }

    private void add(String description, boolean fails) {
        Spec s = Spec.of(List.of(description), 0, nextId++, tracker).get(0);
        code.add(fails ? s.failing(1) : s);
    }

    private void fix() {
        Spec f = failing().orElseThrow();
        code.set(code.indexOf(f), f.fixed());
    }

    // ------------------------------------------------------------------ boots

    private MigrateResult migrate(TestDatabase db, List<Spec> specs) {
        return contract.ratchet(db, tracker, Spec.namespace("app", specs)).build().migrate();
    }

    private void boot() {
        List<Spec> pending = code.stream().filter(s -> !committed.contains(s.id())).toList();
        int failAt = -1;
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).failAt() >= 0) {
                failAt = i;
                break;
            }
        }
        TransactionMode mode = tracker.defaultTransactionMode();
        List<Spec> willCommit = failAt < 0 ? pending
                : mode == TransactionMode.PER_MIGRATION ? pending.subList(0, failAt) : List.of();
        for (TestDatabase db : databases()) {
            try {
                MigrateResult r = migrate(db, code);
                if (failAt >= 0) {
                    throw new AssertionError(db + ": a boot with failing migration " + pending.get(failAt).name()
                            + " succeeded: " + r.applied());
                }
                equal(pending.size(), r.applied().size(), db + ": migrations applied by the boot");
            } catch (RatchetException e) {
                if (failAt < 0 || e.kind() != ErrorKind.MIGRATION_FAILED) {
                    throw new AssertionError(db + ": boot failed unexpectedly: " + e.getMessage(), e);
                }
            }
        }
        willCommit.forEach(s -> committed.add(s.id()));
        if (tracker.capabilities().contains(Capability.CHECKSUM_DRIFT_DETECTION)) {
            willCommit.forEach(s -> checksummed.add(s.id()));
        }
    }

    /** Boots with changed code; expects a refusal of one of {@code kinds} when the capability is claimed. */
    private void bootChanged(List<Spec> changed, Capability capability, Set<ErrorKind> kinds, boolean warningSuffices,
                             String change) {
        bootChanged(changed, capability, tracker.capabilities().contains(capability), kinds, warningSuffices, change);
    }

    private void bootChanged(List<Spec> changed, Capability capability, boolean claimed, Set<ErrorKind> kinds,
                             boolean warningSuffices, String change) {
        for (TestDatabase db : databases()) {
            String before = SchemaFingerprint.of(db);
            try {
                MigrateResult r = migrate(db, changed);
                if (claimed && !(warningSuffices && !r.warnings().isEmpty())) {
                    throw new AssertionError(db + ": the " + tracker.id() + " tracker claims " + capability
                            + " but accepted " + change);
                }
                check(r.applied().isEmpty(), db + ": " + change + " applied " + r.applied());
            } catch (RatchetException e) {
                if (claimed) {
                    check(kinds.contains(e.kind()), db + ": " + change + " refused with " + e.kind() + ", expected " + kinds);
                } else {
                    // Not claimed: refusing for another reason is fine; running something is not.
                    check(e.kind().family() == ErrorKind.Family.REFUSED, db + ": " + change + " failed with "
                            + e.kind() + ": " + e.getMessage());
                }
            }
            equal(before, SchemaFingerprint.of(db), db + ": " + change + " changed the database");
        }
    }

    private void editBootRevert() {
        List<Spec> changed = new ArrayList<>(code);
        int i = code.size() - 1;
        changed.set(i, code.get(i).edit());
        boolean detectable = tracker.capabilities().contains(Capability.CHECKSUM_DRIFT_DETECTION)
                && checksummed.contains(code.get(i).id());
        bootChanged(changed, Capability.CHECKSUM_DRIFT_DETECTION, detectable, Set.of(ErrorKind.CHECKSUM_DRIFT), true,
                "an edited applied migration" + (detectable ? "" : " (no checksum recorded for it)"));
    }

    private void renameBootRevert() {
        List<Spec> changed = new ArrayList<>(code);
        changed.set(0, code.get(0).renamed());
        bootChanged(changed, Capability.RENAME_DETECTION,
                Set.of(ErrorKind.RENAMED_AFTER_APPLY, ErrorKind.NAME_DIVERGENCE), false, "a renamed applied migration");
    }

    private void dropBootRevert() {
        bootChanged(code.subList(0, code.size() - 1), Capability.BINARY_OLDER_DETECTION,
                Set.of(ErrorKind.BINARY_OLDER_THAN_DB, ErrorKind.UNKNOWN_APPLIED_VERSION), false,
                "a binary without the last applied migration");
    }

    /**
     * An operator deletes the tracker row of applied migration {@code i} (not the last). The next
     * boot must change nothing: a name-prefix tracker refuses; a gap-tolerant one re-runs the
     * migration, whose body then fails on its existing table. Then the operator repairs: deletes
     * the rows from {@code i} on and undoes those migrations, which become pending again.
     */
    private void deleteRowBootRepair(int pick) {
        int i = pick % (code.size() - 1);
        TrackerContract.RowDeleter deleter = contract.rowDeleter().orElseThrow();
        boolean prefix = tracker.capabilities().contains(Capability.REORDER_DETECTION);
        List<Spec> undone = code.subList(i, code.size());
        for (TestDatabase db : databases()) {
            try (java.sql.Connection c = db.connect()) {
                deleter.delete(c, "app", code.get(i).name());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            String before = SchemaFingerprint.of(db);
            try {
                MigrateResult r = migrate(db, code);
                throw new AssertionError(db + ": a boot after deleting the row of " + code.get(i).name()
                        + " succeeded: " + r.applied());
            } catch (RatchetException e) {
                Set<ErrorKind> expected = prefix ? Set.of(ErrorKind.NAME_DIVERGENCE)
                        : Set.of(ErrorKind.MIGRATION_FAILED, ErrorKind.NAME_DIVERGENCE, ErrorKind.CORRUPT_TRACKER_ROW);
                check(expected.contains(e.kind()), db + ": boot after a deleted row failed with " + e.kind()
                        + ", expected " + expected + ": " + e.getMessage());
            }
            equal(before, SchemaFingerprint.of(db), db + ": the boot after a deleted row changed the database");
            try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
                for (Spec s : undone) {
                    if (s != code.get(i)) {
                        deleter.delete(c, "app", s.name());
                    }
                    st.execute("DROP TABLE c" + s.id());
                    st.execute("DELETE FROM effects WHERE id = " + s.id());
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        undone.forEach(s -> {
            committed.remove(s.id());
            checksummed.remove(s.id());
        });
    }

    private void cutover(int pick) {
        List<Supplier<Tracker>> targets = contract.cutoverTargets();
        Tracker target = targets.get(pick % targets.size()).get();
        if (target.id().equals(tracker.id()) && target.table().equals(tracker.table())) {
            return;
        }
        for (TestDatabase db : databases()) {
            CutoverResult r = Cutover.builder().dataSource(db.dataSource()).from(tracker).to(target)
                    .namespace(Spec.namespace("app", code)).retire(Cutover.Retire.DROP)
                    .lockTimeout(Duration.ofSeconds(60)).build().run();
            CutoverResult.Status expected = committed.isEmpty() ? CutoverResult.Status.NOTHING_TO_MOVE
                    : CutoverResult.Status.MOVED;
            equal(expected, r.moves().get(0).status(), db + ": cutover from " + tracker.id() + " to " + target.id());
        }
        if (!tracker.capabilities().contains(Capability.CHECKSUM_DRIFT_DETECTION)) {
            checksummed.clear(); // the source knew no checksums; the move records them as unknown
        }
        tracker = target;
    }

    // ------------------------------------------------------------------ invariant

    void checkInvariant() {
        for (TestDatabase db : databases()) {
            equal(Probe.once(code.stream().filter(s -> committed.contains(s.id())).toList()), Probe.effects(db),
                    db + ": committed effects (tracker " + tracker.id() + ")");
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static void equal(Object expected, Object actual, String message) {
        if (!expected.equals(actual)) {
            throw new AssertionError(message + ": expected " + expected + " but was " + actual);
        }
    }

    @Override
    public String toString() {
        return "Model(tracker=" + tracker.id() + ", code=" + code.stream().map(Spec::name).toList()
                + ", committed=" + committed + ")";
    }
}
