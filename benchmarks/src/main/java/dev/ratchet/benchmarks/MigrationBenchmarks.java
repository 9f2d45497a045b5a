package dev.ratchet.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Ratchet's trackers side by side with Flyway, Liquibase and the plain-JDBC floor. Every
 * measurement is one whole operation (single shot): the median of the measured iterations is
 * what {@code scripts/bench.sh} reports.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MigrationBenchmarks {

    /** A database with N migrations already applied by the tool. */
    @State(Scope.Benchmark)
    public static class Applied {
        @Param({"postgresql"})
        public String db;

        @Param({"100"})
        public int n;

        @Param({"RATCHET_APPLIED_SET", "RATCHET_COUNTER", "RATCHET_IDENTITY", "FLYWAY", "LIQUIBASE", "FLOOR"})
        public String tool;

        BenchDatabase database;
        Workload workload;

        @Setup(Level.Trial)
        public void setUp() {
            database = BenchDatabase.create(db);
            workload = Workload.create(n);
            Tool.valueOf(tool).migrate(database, workload);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            database.close();
            workload.close();
        }
    }

    /** An empty database for every iteration. */
    @State(Scope.Benchmark)
    public static class Empty {
        @Param({"postgresql"})
        public String db;

        @Param({"100"})
        public int n;

        @Param({"RATCHET_APPLIED_SET", "RATCHET_APPLIED_SET_CHAIN", "RATCHET_COUNTER", "RATCHET_IDENTITY", "FLYWAY",
                "LIQUIBASE", "FLOOR"})
        public String tool;

        BenchDatabase database;
        Workload workload;

        @Setup(Level.Trial)
        public void workload() {
            workload = Workload.create(n);
        }

        @Setup(Level.Iteration)
        public void setUp() {
            database = BenchDatabase.create(db);
        }

        @TearDown(Level.Iteration)
        public void tearDown() {
            database.close();
        }

        @TearDown(Level.Trial)
        public void removeWorkload() {
            workload.close();
        }
    }

    /** An empty database with N migrations applied by the applied-set tracker, for every iteration. */
    @State(Scope.Benchmark)
    public static class AppliedSetHistory {
        @Param({"postgresql"})
        public String db;

        @Param({"100"})
        public int n;

        BenchDatabase database;
        Workload workload;

        @Setup(Level.Trial)
        public void workload() {
            workload = Workload.create(n);
        }

        @Setup(Level.Iteration)
        public void setUp() {
            database = BenchDatabase.create(db);
            Tool.RATCHET_APPLIED_SET.migrate(database, workload);
        }

        @TearDown(Level.Iteration)
        public void tearDown() {
            database.close();
        }

        @TearDown(Level.Trial)
        public void removeWorkload() {
            workload.close();
        }
    }

    /** A fresh runner instance boots on an up-to-date database: nothing to apply. */
    @Benchmark
    public void upToDateBoot(Applied s) {
        Tool.valueOf(s.tool).migrate(s.database, s.workload);
    }

    /** Status (applied and pending) with N applied. */
    @Benchmark
    public void status(Applied s) {
        Tool.valueOf(s.tool).status(s.database, s.workload);
    }

    /** N trivial migrations applied to an empty database. */
    @Benchmark
    public void freshApply(Empty s) {
        Tool.valueOf(s.tool).migrate(s.database, s.workload);
    }

    /** An N-row applied-set history moved to the identity tracker. */
    @Benchmark
    public void cutover(AppliedSetHistory s) {
        Tool.cutover(s.database, s.workload);
    }
}
