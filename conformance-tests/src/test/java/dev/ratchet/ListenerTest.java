package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.ratchet.Fixtures.create;
import static dev.ratchet.Fixtures.failing;
import static dev.ratchet.Fixtures.trackerRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a {@link MigrationListener} hears: {@code afterMigration} only for a migration that is
 * applied, once its row has committed (another connection sees it), never for one a failure
 * rolled back, and never in a verification.
 */
@Timeout(120)
class ListenerTest {

    /** Records each call, and for afterMigration whether another connection sees the row. */
    private static final class Heard implements MigrationListener {
        private final TestDatabase db;
        final List<String> calls = new ArrayList<>();

        Heard(TestDatabase db) {
            this.db = db;
        }

        @Override
        public void beforeMigration(String namespace, Migration migration) {
            calls.add("before " + migration.name());
        }

        @Override
        public void afterMigration(String namespace, Migration migration, Duration duration) {
            try {
                boolean seen = trackerRows(db).stream().anyMatch(r -> r.contains("|" + migration.name() + "|"));
                calls.add("after " + migration.name() + (seen ? " (row committed)" : " (ROW NOT COMMITTED)"));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void migrationFailed(String namespace, Migration migration, RatchetException error) {
            calls.add("failed " + migration.name());
        }
    }

    private static Migration outsideATransaction(int v) {
        return Migration.builder(v + "_create_t" + v).version(Version.of(v))
                .sql("CREATE TABLE t" + v + " (id int PRIMARY KEY);\nINSERT INTO effects(name) VALUES ('" + v + "');")
                .transactional(false).build();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void oneTransactionPerMigrationHearsEachAfterItsCommit(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Heard heard = new Heard(db);
            List<Migration> code = List.of(create(1), outsideATransaction(2), create(3), failing(4), create(5));
            assertThrows(RatchetException.class, () -> Fixtures.builder(db, code)
                    .transactionMode(TransactionMode.PER_MIGRATION).listener(heard).build().migrate());
            assertEquals(List.of("before 1_create_t1", "after 1_create_t1 (row committed)",
                    "before 2_create_t2", "after 2_create_t2 (row committed)",
                    "before 3_create_t3", "after 3_create_t3 (row committed)",
                    "before 4_create_t4", "failed 4_create_t4"), heard.calls);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aChainIsHeardOnceItCommitsAndNotAtAllWhenItRollsBack(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Heard failed = new Heard(db);
            assertThrows(RatchetException.class, () -> Fixtures.builder(db, List.of(create(1), create(2), failing(3)))
                    .transactionMode(TransactionMode.CHAIN).listener(failed).build().migrate());
            assertEquals(List.of("before 1_create_t1", "before 2_create_t2", "before 3_create_t3",
                    "failed 3_create_t3"), failed.calls, "the chain rolled back: nothing of it was applied");

            Heard fixed = new Heard(db);
            Fixtures.builder(db, List.of(create(1), create(2), create(3))).transactionMode(TransactionMode.CHAIN)
                    .listener(fixed).build().migrate();
            assertEquals(List.of("before 1_create_t1", "before 2_create_t2", "before 3_create_t3",
                    "after 1_create_t1 (row committed)", "after 2_create_t2 (row committed)",
                    "after 3_create_t3 (row committed)"), fixed.calls);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aVerificationAppliesNothingSoIsNeverHeardAsApplied(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Heard heard = new Heard(db);
            VerifyResult r = Fixtures.builder(db, List.of(create(1), create(2))).listener(heard).build().verify();
            assertEquals(2, r.verified().size(), r.toString());
            assertEquals(List.of("before 1_create_t1", "before 2_create_t2"), heard.calls);
        }
    }

    /** MigrationListener.all: every listener hears every call, in the order given. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void allListenersHearTheSameCallsInOrder(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            List<String> order = new ArrayList<>();
            Heard first = new Heard(db);
            Heard second = new Heard(db);
            MigrationListener marker = new MigrationListener() {
                @Override
                public void afterMigration(String namespace, Migration migration, Duration duration) {
                    order.add(first.calls.size() + "/" + second.calls.size());
                }
            };
            assertThrows(RatchetException.class, () -> Fixtures.builder(db, List.of(create(1), failing(2)))
                    .transactionMode(TransactionMode.PER_MIGRATION)
                    .listener(MigrationListener.all(first, marker, second)).build().migrate());
            List<String> expected = List.of("before 1_create_t1", "after 1_create_t1 (row committed)",
                    "before 2_create_t2", "failed 2_create_t2");
            assertEquals(expected, first.calls);
            assertEquals(expected, second.calls);
            assertEquals(List.of("2/1"), order, "the first heard it before the marker, the second after");
        }
    }
}
