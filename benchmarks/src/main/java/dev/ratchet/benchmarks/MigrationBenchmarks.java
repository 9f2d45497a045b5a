package dev.ratchet.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

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
            workload = Workload.create(n);
            database = BenchDatabase.prepared(db, "applied " + tool + " " + n,
                    fresh -> Tool.valueOf(tool).migrate(fresh, workload));
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

    /** The migration files alone, for the cost of reading them. */
    @State(Scope.Benchmark)
    public static class FilesOnly {
        /** Unused: lets the file-reading figure appear beside each database's up-to-date boot. */
        @Param({"postgresql"})
        public String db;

        @Param({"100"})
        public int n;

        Workload workload;

        @Setup(Level.Trial)
        public void setUp() {
            workload = Workload.create(n);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            workload.close();
        }
    }

    /**
     * What any checksum-verifying tool must at least do on every boot: read each of the N files
     * (one thread, open-read-close each). Shown beside the up-to-date boot.
     */
    @Benchmark
    @Warmup(iterations = 5)
    @Measurement(iterations = 10)
    public long readFiles(FilesOnly s) throws java.io.IOException {
        long bytes = 0;
        try (java.nio.file.DirectoryStream<java.nio.file.Path> files =
                     java.nio.file.Files.newDirectoryStream(s.workload.sqlDirectory())) {
            for (java.nio.file.Path f : files) {
                bytes += java.nio.file.Files.readAllBytes(f).length;
            }
        }
        return bytes;
    }

    /**
     * What Ratchet's own source costs a checksum-verifying tracker on every boot, without any
     * database: list the N files, read and hash every one on the background readers (the calling
     * thread helps, as a runner's does while it waits). Shown beside the up-to-date boot.
     */
    @Benchmark
    @Warmup(iterations = 5)
    @Measurement(iterations = 10)
    public int readSource(FilesOnly s) {
        java.util.List<dev.ratchet.Migration> migrations =
                dev.ratchet.MigrationSource.directory(s.workload.sqlDirectory()).load();
        migrations.forEach(dev.ratchet.Migration::prefetch);
        int length = 0;
        for (dev.ratchet.Migration m : migrations) {
            length += m.checksum().orElseThrow().length();
        }
        return length;
    }

    /** A fresh runner instance boots on an up-to-date database: nothing to apply. */
    @Benchmark
    @Warmup(iterations = 5)
    @Measurement(iterations = 10)
    public void upToDateBoot(Applied s) {
        Tool.valueOf(s.tool).migrate(s.database, s.workload);
    }

    /** Status (applied and pending) with N applied. */
    @Benchmark
    @Warmup(iterations = 5)
    @Measurement(iterations = 10)
    public void status(Applied s) {
        Tool.valueOf(s.tool).status(s.database, s.workload);
    }

    /**
     * N trivial migrations applied to an empty database (seconds each, and Flyway's at N = 5000 a
     * minute: no warm-up iteration, three measured, so that the whole run fits half an hour).
     */
    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 3)
    public void freshApply(Empty s) {
        Tool.valueOf(s.tool).migrate(s.database, s.workload);
    }

    /** An N-row applied-set history moved to the identity tracker. */
    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 5)
    public void cutover(AppliedSetHistory s) {
        Tool.cutover(s.database, s.workload);
    }
}
