package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.ratchet.Fixtures.create;
import static dev.ratchet.Fixtures.creates;
import static dev.ratchet.Fixtures.trackerRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Ratchet#cancel}: the statement of the migration running is cancelled in the database,
 * the migration rolls back, none starts after it, a wait for the lock ends, and the lock is
 * released; what committed before stays. The slow migration never ends by itself (PostgreSQL
 * sleeps ten minutes, SQLite counts for ever), so a cancel that did not reach the database would
 * fail the test by its time-out.
 */
@Timeout(180)
class CancelTest {

    /** Migration 2: creates t2, counts an effect, then runs until cancelled. */
    static Migration endless(DatabaseKind kind) {
        String forever = kind == DatabaseKind.POSTGRESQL ? "SELECT pg_sleep(600);"
                : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;";
        return Migration.builder("2_endless").version(Version.of(2))
                .sql("CREATE TABLE t2 (id int PRIMARY KEY);\nINSERT INTO effects(name) VALUES ('2');\n" + forever)
                .build();
    }

    /** A runner of migrations 1, the endless 2 and 3, one transaction each. */
    private static Ratchet runner(TestDatabase db, MigrationListener listener) {
        return Fixtures.builder(db, List.of(create(1), endless(db.kind()), create(3)))
                .transactionMode(TransactionMode.PER_MIGRATION).listener(listener).build();
    }

    /** Hears when migration 2 starts. */
    private static final class Started implements MigrationListener {
        final CountDownLatch second = new CountDownLatch(1);

        @Override
        public void beforeMigration(String namespace, Migration migration) {
            if (migration.name().equals("2_endless")) {
                second.countDown();
            }
        }
    }

    /** Runs {@code run} on a daemon thread (a run the test failed to stop must not keep the JVM alive). */
    private static <T> CompletableFuture<T> inBackground(Supplier<T> run) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(run.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "cancel-test-run");
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** Waits until the endless statement runs in the database (PostgreSQL shows it; SQLite is given a moment). */
    private static void awaitRunning(TestDatabase db, Started started) throws Exception {
        assertTrue(started.second.await(60, TimeUnit.SECONDS), "migration 2 never started");
        awaitStatement(db);
    }

    /** Once migration 2 has started: waits until its endless statement runs. */
    private static void awaitStatement(TestDatabase db) throws Exception {
        if (db.kind() == DatabaseKind.POSTGRESQL) {
            for (int i = 0; i < 600; i++) {
                if (!Fixtures.rows(db, "SELECT pid FROM pg_stat_activity WHERE state = 'active'"
                        + " AND query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()").isEmpty()) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the endless statement never ran");
        }
        Thread.sleep(500);
    }

    /**
     * After a failed assertion too: the endless migration must not keep its locks while the test
     * database is dropped.
     */
    private static void stop(CompletableFuture<?> run, Ratchet ratchet) {
        if (run != null && !run.isDone() && !ratchet.cancel(Duration.ofSeconds(30))) {
            throw new AssertionError("a run could not be stopped: its database session is left running");
        }
    }

    private static RatchetException cancelled(CompletableFuture<?> run) throws Exception {
        try {
            run.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(RatchetException.class, e.getCause());
        }
        throw new AssertionError("the run was not stopped");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCancelStopsTheRunningStatementRollsItBackAndReleasesTheLock(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Started started = new Started();
            Ratchet ratchet = runner(db, started);
            CompletableFuture<MigrateResult> run = inBackground(ratchet::migrate);
            RatchetException e;
            try {
                awaitRunning(db, started);
                assertTrue(ratchet.cancel(Duration.ofSeconds(60)), "the run ended within the wait");
                e = cancelled(run);
            } finally {
                stop(run, ratchet);
            }
            assertEquals(ErrorKind.RUN_CANCELLED, e.kind(), e.getMessage());
            assertEquals("2_endless", e.context().get("migration"), e.getMessage());
            assertTrue(e.getMessage().contains("rolled back"), e.getMessage());

            assertEquals(List.of("1|1_create_t1"), trackerRows(db).stream()
                    .map(r -> r.substring(0, r.lastIndexOf('|'))).toList(), "what committed before stays");
            assertEquals(Map.of("1", 1), Fixtures.effects(db), "migration 2 rolled back, 3 never ran");
            assertFalse(Fixtures.tableExists(db, "t2"));

            // The lock is free: another runner takes it at once and applies the rest.
            MigrateResult rest = Fixtures.builder(db, creates(1, 2, 3)).lockTimeout(Duration.ofSeconds(5)).build().migrate();
            assertEquals(List.of("2_create_t2", "3_create_t3"), rest.applied().stream().map(AppliedMigration::name).toList());
            assertTrue(ratchet.cancel(Duration.ZERO), "nothing runs: nothing to wait for");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCancelEndsAWaitForTheLockAndLeavesOtherRunnersAlone(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Started started = new Started();
            Ratchet holder = runner(db, started);
            Ratchet waiter = runner(db, new MigrationListener() { });
            CompletableFuture<MigrateResult> holding = inBackground(holder::migrate);
            CompletableFuture<MigrateResult> waiting = null;
            try {
                awaitRunning(db, started);
                waiting = inBackground(waiter::migrate);
                Thread.sleep(1000);
                assertFalse(waiting.isDone(), "the second runner waits for the lock");

                assertTrue(waiter.cancel(Duration.ofSeconds(30)), "the wait ended");
                RatchetException e = cancelled(waiting);
                assertEquals(ErrorKind.RUN_CANCELLED, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("waited for the migration lock"), e.getMessage());
                assertFalse(holding.isDone(), "the other runner's migration still runs");

                assertTrue(holder.cancel(Duration.ofSeconds(60)));
                assertEquals(ErrorKind.RUN_CANCELLED, cancelled(holding).kind());
            } finally {
                stop(holding, holder);
                stop(waiting, waiter);
            }
            assertEquals(Map.of("1", 1), Fixtures.effects(db));
        }
    }

    /**
     * The child JVM of {@link #aJvmStoppedMidMigrationCancelsTheRunFirst}: migrates 1, the endless
     * 2 and 3 on the database its arguments name, with the builder's defaults (a shutdown cancels).
     */
    public static final class Child {
        public static void main(String[] args) {
            DatabaseKind kind = DatabaseKind.valueOf(args[1]);
            Ratchet.builder().connections(ConnectionSource.url(args[0], null, null))
                    .tracker(dev.ratchet.tracker.appliedset.AppliedSetTracker.builder().build())
                    .namespace(Namespace.of(Fixtures.NS, List.of(create(1), endless(kind), create(3))))
                    .transactionMode(TransactionMode.PER_MIGRATION)
                    .listener(new MigrationListener() {
                        @Override
                        public void beforeMigration(String namespace, Migration migration) {
                            System.out.println("started " + migration.name());
                            System.out.flush();
                        }
                    })
                    .build().migrate();
        }
    }

    /**
     * SIGTERM to an application that migrates at start-up (as a container's stop, or a failed
     * liveness probe, sends): the JVM's shutdown cancels the run and waits for it, so no statement
     * is left running in the database, the lock is free and the next boot goes on at once.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aJvmStoppedMidMigrationCancelsTheRunFirst(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Child.class.getName(), db.url(), kind.name())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line;
                do {
                    line = out.readLine();
                    assertTrue(line != null, "the child ended before migration 2");
                } while (!line.equals("started 2_endless"));
                awaitStatement(db);
                child.destroy(); // SIGTERM
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not stop");
                assertEquals(143, child.exitValue());
                if (kind == DatabaseKind.POSTGRESQL) {
                    assertEquals(List.of(), Fixtures.rows(db, "SELECT pid FROM pg_stat_activity WHERE query LIKE"
                            + " '%pg_sleep(600)%' AND pid <> pg_backend_pid()"), "no statement left running");
                }
            } finally {
                child.destroyForcibly();
                if (kind == DatabaseKind.POSTGRESQL) {
                    Fixtures.rows(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE"
                            + " '%pg_sleep(600)%' AND pid <> pg_backend_pid()");
                }
            }
            assertEquals(Map.of("1", 1), Fixtures.effects(db), "migration 2 rolled back");
            MigrateResult rest = Fixtures.builder(db, creates(1, 2, 3)).lockTimeout(Duration.ofSeconds(5)).build().migrate();
            assertEquals(List.of("2_create_t2", "3_create_t3"), rest.applied().stream().map(AppliedMigration::name).toList(),
                    "the lock is free");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCancelledVerificationSaysSo(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Started started = new Started();
            Ratchet ratchet = Fixtures.builder(db, List.of(create(1), endless(kind))).listener(started).build();
            CompletableFuture<VerifyResult> run = inBackground(ratchet::verify);
            VerifyResult result;
            try {
                awaitRunning(db, started);
                assertTrue(ratchet.cancel(Duration.ofSeconds(60)));
                result = run.get(60, TimeUnit.SECONDS);
            } finally {
                stop(run, ratchet);
            }
            assertFalse(result.ok());
            assertEquals(ErrorKind.RUN_CANCELLED, result.failure().orElseThrow().kind());
            assertEquals(Map.of(), Fixtures.effects(db), "a verification leaves nothing");
            assertFalse(Fixtures.tableExists(db, "t1"));
        }
    }
}
