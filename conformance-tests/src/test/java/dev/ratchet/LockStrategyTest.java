package dev.ratchet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lock strategies: a lease holder and a session-advisory-lock holder exclude each other (one
 * deployment whose instances reach PostgreSQL differently, some through a pooler), a pool that
 * cannot give the probe a second session falls back to the lease, and SQLite refuses ADVISORY.
 */
@Timeout(120)
class LockStrategyTest {
    private static final String LEASE_TABLE = "ratchet_applied_migrations_lock";

    /**
     * A holder with one strategy runs migration 1, which waits inside its body; meanwhile a contender
     * with the other strategy must time out with {@code LOCK_TIMEOUT} naming what holds the lock.
     * Afterwards the holder has applied its migration and no lease row is left.
     */
    private static void contend(LockStrategy holding, boolean transactional, LockStrategy contending,
                                String heldBy) throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            CountDownLatch inBody = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Migration waiting = Fixtures.waiting("1_waits", 1, transactional, inBody, release);
            Ratchet holder = Fixtures.builder(db, List.of(waiting)).lockStrategy(holding).build();
            CompletableFuture<MigrateResult> running = CompletableFuture.supplyAsync(holder::migrate);
            assertTrue(inBody.await(30, TimeUnit.SECONDS));
            Ratchet contender = Fixtures.builder(db, List.of(Migration.builder("1_waits").version(Version.of(1))
                            .transactional(false).body(connection -> { }).build()))
                    .lockStrategy(contending).lockTimeout(Duration.ofMillis(800)).build();
            RatchetException e = assertThrows(RatchetException.class, contender::migrate);
            release.countDown();
            assertEquals(ErrorKind.LOCK_TIMEOUT, e.kind());
            assertTrue(e.getMessage().contains(heldBy), e.getMessage());
            assertEquals(1, running.get(30, TimeUnit.SECONDS).applied().size());
            assertEquals(List.of(), Fixtures.rows(db, "SELECT * FROM " + LEASE_TABLE),
                    "no lease row left (never taken, or released)");
        }
    }

    @Test
    void aLeaseRunnerWaitsForASessionAdvisoryLockHolder() throws Exception {
        contend(LockStrategy.ADVISORY, true, LockStrategy.LEASE, "advisory lock");
    }

    @Test
    void anAdvisoryRunnerWaitsForALeaseHolderBetweenItsTransactions() throws Exception {
        // Non-transactional: the holder is outside any transaction while its body runs, so only
        // its lease row speaks for it.
        contend(LockStrategy.LEASE, false, LockStrategy.ADVISORY, "lease row");
    }

    @Test
    void aPoolWithNoSecondConnectionFallsBackToTheLease() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            HikariConfig config = new HikariConfig();
            config.setDataSource(db.dataSource());
            config.setMaximumPoolSize(1);
            config.setConnectionTimeout(30_000);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                Ratchet r = Ratchet.builder().dataSource(pool).tracker(dev.ratchet.tracker.appliedset.AppliedSetTracker
                        .builder().build()).namespace(Namespace.of(Fixtures.NS, Fixtures.creates(1, 2))).build();
                Fixtures.createEffectsTable(db);
                assertEquals(2, r.migrate().applied().size());
            }
            assertTrue(Fixtures.tableExists(db, LEASE_TABLE), "the probe could not run, so the lease was used");
            assertEquals(List.of(), Fixtures.rows(db, "SELECT * FROM " + LEASE_TABLE));
        }
    }

    @Test
    void aDirectConnectionUsesTheAdvisoryLockAndNoLeaseTable() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            Fixtures.createEffectsTable(db);
            assertEquals(2, Fixtures.ratchet(db, Fixtures.creates(1, 2)).migrate().applied().size());
            assertFalse(Fixtures.tableExists(db, LEASE_TABLE));
        }
    }

    @Test
    void sqliteRefusesAdvisoryLocks() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            Ratchet r = Fixtures.builder(db, List.of(Migration.builder("1_x").version(Version.of(1))
                    .sql("CREATE TABLE x (id int)").build())).lockStrategy(LockStrategy.ADVISORY).build();
            RatchetException e = assertThrows(RatchetException.class, r::migrate);
            assertEquals(ErrorKind.UNSUPPORTED_FEATURE, e.kind());
            assertEquals(List.of(), Fixtures.rows(db, "SELECT name FROM sqlite_master WHERE name = 'x'"));
        }
    }
}
