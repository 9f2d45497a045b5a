package dev.ratchet.chaos;

import dev.ratchet.ConnectionSource;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.Trackers;
import dev.ratchet.conformance.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Boots through a transaction-pooling PgBouncer (item 4 of the reliability issue). A session
 * advisory lock taken through it lands on whichever server session runs that statement, and
 * later statements of the same client run elsewhere: it neither excludes nor comes undone.
 * Ratchet's lock probe must see that, fall back to the lease row, and say so in the log; then K
 * concurrent boots apply each migration once, none hangs and no advisory lock is left behind.
 */
@Timeout(1800)
class PgBouncerTest {
    private static final int MIGRATIONS = 6;
    private static final int K = 8;
    private static final String FALLBACK_LOG = "Using the lease row";

    @Test
    void concurrentBootsThroughTransactionPoolingApplyEachMigrationOnce(@TempDir Path dir) throws Exception {
        String url = Bouncer.url();
        int rounds = Chaos.rounds();
        List<String> failures = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            int round = r;
            String tracker = Chaos.TRACKERS.get(round % Chaos.TRACKERS.size());
            Path scratch = Files.createDirectories(dir.resolve("round" + round));
            TestDatabase db = Bouncer.fresh();
            Path migrations = Chaos.workload(scratch, MIGRATIONS, 100, true);
            int prefix = Chaos.partlyMigrate(db, migrations, tracker, round, MIGRATIONS, scratch);
            int appliedByAll = 0;
            for (Chaos.Boot b : Chaos.together(url, migrations, tracker, K, "round " + round, failures)) {
                if (b.exit() != 0) {
                    failures.add("round " + round + " (" + tracker + "): a boot failed or hung (exit " + b.exit()
                            + "): " + b.output());
                }
                if (b.applied() > 0 && !b.output().contains(FALLBACK_LOG)) {
                    failures.add("round " + round + ": a boot applied migrations without logging the fall-back to"
                            + " the lease row: " + b.output());
                }
                appliedByAll += b.applied();
            }
            if (appliedByAll != MIGRATIONS - prefix) {
                failures.add("round " + round + " (" + tracker + "): the boots applied " + appliedByAll
                        + " migrations in all, expected " + (MIGRATIONS - prefix));
            }
            Chaos.violations(db, migrations, tracker, MIGRATIONS)
                    .forEach(v -> failures.add("round " + round + " (" + tracker + "): " + v));
            int locks = Bouncer.advisoryLocks();
            if (locks != 0) {
                failures.add("round " + round + ": " + locks + " advisory locks left in pg_locks");
            }
            String leaseTable = Trackers.byName(tracker).table() + "_lock";
            int leases = Bouncer.rows(leaseTable);
            if (leases != 0) {
                failures.add("round " + round + ": the lease table " + leaseTable + " holds " + leases
                        + " rows afterwards (-1: missing)");
            }
        }
        Chaos.record("transaction-pooling PgBouncer, K = " + K, "postgresql",
                "rounds (fresh and partly migrated; lease row chosen by the probe)", rounds,
                (int) failures.stream().map(f -> f.replaceAll(":.*", "")).distinct().count());
        assertEquals(List.of(), failures);
    }

    /** The probe's two verdicts, seen from the database: a lease table through PgBouncer, none directly. */
    @Test
    void theProbeChoosesTheLeaseThroughPgBouncerAndTheAdvisoryLockDirectly(@TempDir Path dir) throws Exception {
        Path migrations = Chaos.workload(dir, 2, 0, true);
        Bouncer.fresh();
        PGSimpleDataSource direct = new PGSimpleDataSource();
        direct.setURL(Bouncer.directUrl());
        List<Integer> advisoryDuringRun = new ArrayList<>();
        Ratchet.builder().dataSource(direct).tracker(Trackers.byName("applied-set"))
                .namespace(Namespace.of("app", MigrationSource.directory(migrations).load()))
                .listener(new dev.ratchet.MigrationListener() {
                    @Override
                    public void beforeMigration(String namespace, dev.ratchet.Migration migration) {
                        try {
                            advisoryDuringRun.add(Bouncer.advisoryLocks());
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }).build().migrate();
        assertEquals(List.of(1, 1), advisoryDuringRun, "directly: the session advisory lock is held while migrating");
        assertEquals(-1, Bouncer.rows("ratchet_applied_migrations_lock"), "directly: no lease table");

        Bouncer.fresh();
        PGSimpleDataSource pooled = new PGSimpleDataSource();
        pooled.setURL(Bouncer.url());
        var result = Ratchet.builder().connections(ConnectionSource.of(pooled)).tracker(Trackers.byName("applied-set"))
                .namespace(Namespace.of("app", MigrationSource.directory(migrations).load())).build().migrate();
        assertEquals(2, result.applied().size());
        assertEquals(0, Bouncer.rows("ratchet_applied_migrations_lock"), "through PgBouncer: a lease table, released");
        assertEquals(0, Bouncer.advisoryLocks(), "through PgBouncer: no advisory lock left behind");
        assertTrue(Files.exists(migrations));
    }
}
