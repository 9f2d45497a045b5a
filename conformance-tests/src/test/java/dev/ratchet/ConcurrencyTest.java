package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.ratchet.Fixtures.creates;
import static dev.ratchet.Fixtures.effects;
import static dev.ratchet.Fixtures.expectedRows;
import static dev.ratchet.Fixtures.trackerRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runners racing on separate connections; the lock and the lease. */
class ConcurrencyTest {
    private static final int ROUNDS = 50;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    @Timeout(600)
    void twoRunnersRacingOnFreshDatabasesCommitEachMigrationExactlyOnce(DatabaseKind kind) throws Exception {
        List<Migration> code = creates(1, 2, 3, 4, 5);
        Map<String, Integer> once = Map.of("1", 1, "2", 1, "3", 1, "4", 1, "5", 1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                try (TestDatabase db = TestDatabases.open(kind)) {
                    Fixtures.createEffectsTable(db);
                    CyclicBarrier start = new CyclicBarrier(2);
                    List<Future<MigrateResult>> runs = new ArrayList<>();
                    for (int r = 0; r < 2; r++) {
                        Ratchet ratchet = Fixtures.ratchet(db, code);
                        runs.add(pool.submit(() -> {
                            start.await(30, TimeUnit.SECONDS);
                            return ratchet.migrate();
                        }));
                    }
                    int applied = 0;
                    for (Future<MigrateResult> run : runs) {
                        applied += run.get(120, TimeUnit.SECONDS).applied().size();
                    }
                    assertEquals(code.size(), applied, "round " + round + ": the two runners split the work");
                    assertEquals(once, effects(db), "round " + round + ": every effect committed exactly once");
                    assertEquals(expectedRows(code), trackerRows(db), "round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    @Timeout(120)
    void aRunnerThatCannotGetTheLockInTimeFailsWithLockTimeoutAndChangesNothing(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicInteger holderPid = new java.util.concurrent.atomic.AtomicInteger();
            Migration slow = Migration.builder("1_slow").version(Version.of(1)).checksumOf("slow v1")
                    .body(c -> {
                        if (kind == DatabaseKind.POSTGRESQL) {
                            try (java.sql.Statement st = c.createStatement();
                                 java.sql.ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                                rs.next();
                                holderPid.set(rs.getInt(1));
                            }
                        }
                        holding.countDown();
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }).build();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<MigrateResult> holder = pool.submit(() -> Fixtures.ratchet(db, List.of(slow)).migrate());
                assertTrue(holding.await(30, TimeUnit.SECONDS));

                RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.builder(db, List.of(slow))
                        .lockTimeout(Duration.ofMillis(700)).build().migrate());

                assertEquals(ErrorKind.LOCK_TIMEOUT, e.kind());
                assertEquals(Fixtures.NS, e.context().get("namespace"));
                if (kind == DatabaseKind.POSTGRESQL) { // the holder, as an operator would look it up
                    assertTrue(e.getMessage().contains("server session " + holderPid.get() + " holds it (application '")
                            && e.getMessage().contains("idle in transaction for ")
                            && e.getMessage().contains("last query: SELECT pg_backend_pid())"), e.getMessage());
                }
                release.countDown();
                assertEquals(1, holder.get(60, TimeUnit.SECONDS).applied().size());
                assertEquals(1, trackerRows(db).size());
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }

    @Test
    @Timeout(60)
    void anExpiredSqliteLeaseOfACrashedRunnerIsTakenOverWithoutAManualStep() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            Fixtures.createEffectsTable(db);
            Fixtures.exec(db, "CREATE TABLE ratchet_applied_migrations_lock"
                    + " (name TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL)");
            insertLease(db, "crashed-runner", System.currentTimeMillis() - 1_000);

            MigrateResult result = Fixtures.ratchet(db, creates(1)).migrate();

            assertEquals(1, result.applied().size());
        }
    }

    @Test
    @Timeout(60)
    void aLiveSqliteLeaseIsRespectedAndItsHolderNamed() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            Fixtures.createEffectsTable(db);
            Fixtures.exec(db, "CREATE TABLE ratchet_applied_migrations_lock"
                    + " (name TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL)");
            insertLease(db, "4242@other-host/live", System.currentTimeMillis() + 60_000);

            RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.builder(db, creates(1))
                    .lockTimeout(Duration.ofMillis(500)).build().migrate());

            assertEquals(ErrorKind.LOCK_TIMEOUT, e.kind());
            assertTrue(e.getMessage().contains("4242@other-host/live"), e.getMessage());
            assertTrue(e.hint().startsWith("another instance is migrating this namespace"), e.hint());
            assertEquals(Map.of(), effects(db));
        }
    }

    /**
     * A reader inside a long transaction on a SQLite database in the rollback-journal mode keeps
     * the lease from being written: the timeout says that no runner held the lease and what keeps
     * the database busy, not that another instance is migrating; once the reader ends, the run goes.
     */
    @Test
    @Timeout(60)
    void aSqliteDatabaseAReaderKeepsBusyIsNamedAsSuchWhenTheLeaseTimesOut() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            Fixtures.createEffectsTable(db);
            assertEquals(List.of("delete"), Fixtures.rows(db, "PRAGMA journal_mode"), "the rollback-journal mode");
            Fixtures.builder(db, creates(1)).build().migrate(); // the lease table exists, and a row to read
            try (Connection reader = db.connect(); java.sql.Statement st = reader.createStatement()) {
                st.execute("BEGIN");
                st.executeQuery("SELECT count(*) FROM effects").close();

                RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.builder(db, creates(1, 2))
                        .lockTimeout(Duration.ofMillis(800)).build().migrate());

                assertEquals(ErrorKind.LOCK_TIMEOUT, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("within 800 ms: the database stayed busy."), e.getMessage());
                assertTrue(e.hint().startsWith("another connection kept the database busy the whole time: a writer, or"
                        + " a reader inside a long transaction"), e.hint());
                assertTrue(e.hint().contains("PRAGMA journal_mode = WAL"), e.hint());
                st.execute("COMMIT");
            }
            Fixtures.builder(db, creates(1, 2)).build().migrate();
            assertEquals(Map.of("1", 1, "2", 1), effects(db));
        }
    }

    private static void insertLease(TestDatabase db, String owner, long expiresAt) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ratchet_applied_migrations_lock (name, owner, expires_at) VALUES (?, ?, ?)")) {
            ps.setString(1, Fixtures.NS);
            ps.setString(2, owner);
            ps.setLong(3, expiresAt);
            ps.executeUpdate();
        }
    }
}
