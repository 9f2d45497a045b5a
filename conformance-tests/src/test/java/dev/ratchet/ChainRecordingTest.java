package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.SchemaFingerprint;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import dev.ratchet.tracker.identity.IdentityTracker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.ratchet.Fixtures.builder;
import static dev.ratchet.Fixtures.withoutLeaseTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chain's tracker rows are written together after its last body ({@code Tracker.recordAll},
 * one batch in Ratchet's trackers). A runner that finds its rows already written there (another
 * runner recorded them first) fails with a retryable {@code CONCURRENT_APPLY} that quotes the
 * database's error (not a driver's batch wrapper), and its whole chain is rolled back.
 */
@Timeout(120)
class ChainRecordingTest {

    static Stream<Arguments> trackers() {
        List<Arguments> out = new ArrayList<>();
        for (DatabaseKind kind : DatabaseKind.values()) {
            out.add(Arguments.of(kind, "applied-set", (Supplier<Tracker>) () -> AppliedSetTracker.builder().build()));
            out.add(Arguments.of(kind, "counter", (Supplier<Tracker>) () -> CounterTracker.builder().build()));
            out.add(Arguments.of(kind, "identity", (Supplier<Tracker>) () -> IdentityTracker.builder().build()));
        }
        return out.stream();
    }

    /** Migration {@code v} whose body runs again without error: only its tracker row can collide. */
    private static Migration idempotent(int v) {
        return Migration.builder(v + "_create_t" + v).version(Version.of(v))
                .sql("CREATE TABLE IF NOT EXISTS t" + v + " (id int);\nINSERT INTO effects(name) VALUES ('" + v + "');")
                .build();
    }

    /**
     * The tracker, except that it reads an empty history and proves nothing up to date: a runner
     * whose read came before another runner's commit (possible only without a working lock).
     */
    private static Tracker readingNothing(Tracker real) {
        return (Tracker) Proxy.newProxyInstance(Tracker.class.getClassLoader(), new Class<?>[] {Tracker.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("read")) {
                        return new History((String) args[1], List.of(), Map.of());
                    }
                    if (method.getName().equals("provesUpToDate")) {
                        return false;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("trackers")
    void aChainWhoseRowsWereRecordedFirstFailsAsAConcurrentApplyAndLeavesNothing(DatabaseKind kind, String id,
                                                                                 Supplier<Tracker> tracker)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            List<Migration> code = List.of(idempotent(1), idempotent(2), idempotent(3));
            MigrateResult first = builder(db, tracker.get(), code).transactionMode(TransactionMode.CHAIN).build()
                    .migrate();
            assertEquals(3, first.applied().size());
            String before = withoutLeaseTable(SchemaFingerprint.of(db));

            RatchetException e = assertThrows(RatchetException.class, () -> builder(db,
                    readingNothing(tracker.get()), code).transactionMode(TransactionMode.CHAIN).build().migrate());

            assertEquals(ErrorKind.CONCURRENT_APPLY, e.kind(), id + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("of the chain '1_create_t1' to '3_create_t3'"), e.getMessage());
            assertFalse(e.getMessage().contains("getNextException"), "the database's own error, not the driver's"
                    + " batch wrapper: " + e.getMessage());
            assertEquals(before, withoutLeaseTable(SchemaFingerprint.of(db)),
                    "the chain's bodies (three more effects) were rolled back with its rows");
        }
    }
}
