package dev.ratchet.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
    /**
     * The JVM option of the up-to-date boot and of the baselines beside it: the heap is touched
     * when the JVM starts, so no boot pays the first touch of a heap page. A boot in a running JVM
     * would otherwise pay it whenever its allocations land in memory the JVM's young generation
     * has just grown into, which depends on the JVM's earlier collections, not on the tool: on this
     * kind of virtual machine a first touch costs about 12 µs a page (bench.sh measures it), and
     * the boot from a jar with a checksum manifest (7.6 MB allocated a boot) took 38 ms of CPU
     * instead of 16 for most of its boots in a run, 1,900 faults each. The first boot in a new JVM
     * keeps the default: an application's start does pay it.
     */
    static final String PRE_TOUCHED_HEAP = "-XX:+AlwaysPreTouch";


    /** A database with N migrations already applied by the tool. */
    @State(Scope.Benchmark)
    public static class Applied {
        @Param({"postgresql"})
        public String db;

        @Param({"100"})
        public int n;

        @Param({"RATCHET_APPLIED_SET", "RATCHET_APPLIED_SET_JAR", "RATCHET_APPLIED_SET_UNVERIFIED", "RATCHET_COUNTER",
                "RATCHET_IDENTITY", "FLYWAY",
                "LIQUIBASE", "FLOOR"})
        public String tool;

        BenchDatabase database;
        Workload workload;

        @Setup(Level.Trial)
        public void setUp() {
            workload = Workload.create(n);
            if (Tool.valueOf(tool) == Tool.RATCHET_APPLIED_SET_JAR) {
                workload.jar(); // the build's work, not the boot's
            }
            database = BenchDatabase.applied(db, Tool.valueOf(tool), n, workload);
            database.checkpoint();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            database.close();
            workload.close();
        }
    }

    /** An empty database for every iteration, after a server checkpoint. */
    @State(Scope.Benchmark)
    public abstract static class EmptyDatabase {
        @Param({"postgresql"})
        public String db;

        @Param({"100"})
        public int n;

        BenchDatabase database;
        Workload workload;

        /** What an iteration does, and a warm-up with a scratch database (see {@link #warmUp}). */
        abstract void apply(BenchDatabase scratch, Workload w);

        @Setup(Level.Trial)
        public void workload() {
            workload = Workload.create(n);
            warmUp(db, workload, this::apply);
        }

        @Setup(Level.Iteration)
        public void setUp() {
            database = BenchDatabase.create(db);
            database.checkpoint();
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

    /** An empty database for every iteration, for one tool. */
    @State(Scope.Benchmark)
    public static class Empty extends EmptyDatabase {
        @Param({"RATCHET_APPLIED_SET", "RATCHET_APPLIED_SET_CHAIN", "RATCHET_COUNTER", "RATCHET_IDENTITY", "FLYWAY",
                "LIQUIBASE", "FLOOR"})
        public String tool;

        @Override
        void apply(BenchDatabase scratch, Workload w) {
            Tool.valueOf(tool).migrate(scratch, w);
        }
    }

    /** An empty database for every iteration, for the statements-alone baseline. */
    @State(Scope.Benchmark)
    public static class EmptyForStatements extends EmptyDatabase {
        @Override
        void apply(BenchDatabase scratch, Workload w) {
            Tool.statementsAlone(scratch, w);
        }
    }

    /**
     * How many untimed applies of the workload itself, each in a scratch database, come before a
     * fresh-apply trial's measured ones: 5 at N = 100, 2 at N = 1000. The first applies in a new
     * JVM run mostly interpreted (the first at N = 100 costs up to twice the next), and a tool with
     * more code than the floor needs more of them to reach its steady speed. Above N = 1000 an
     * apply of the workload would cost Flyway well over a minute: one untimed apply of a
     * 1000-migration workload comes first instead (see {@link #warmUp}).
     */
    static int warmUpApplies(int n) {
        return n <= 100 ? 5 : n <= 1000 ? 2 : 0;
    }

    /** The size of the one untimed apply before a trial of more than 1000 migrations. */
    static final int LARGE_WARM_UP = 1000;

    /** The untimed applies of {@link #warmUpApplies} (or the one of {@link #LARGE_WARM_UP}), each in a scratch database. */
    static void warmUp(String kind, Workload w, java.util.function.BiConsumer<BenchDatabase, Workload> apply) {
        if (w.n > LARGE_WARM_UP) {
            try (Workload small = Workload.create(LARGE_WARM_UP); BenchDatabase scratch = BenchDatabase.create(kind)) {
                apply.accept(scratch, small);
            }
            return;
        }
        for (int i = 0; i < warmUpApplies(w.n); i++) {
            try (BenchDatabase scratch = BenchDatabase.create(kind)) {
                apply.accept(scratch, w);
            }
        }
    }

    /**
     * For every iteration, a copy of a database with N migrations applied by the applied-set
     * tracker (the up-to-date boot's prepared one, copied rather than applied again: applying
     * takes seconds, copying a fraction of that).
     */
    @State(Scope.Benchmark)
    public static class AppliedSetHistory {
        @Param({"postgresql"})
        public String db;

        @Param({"100"})
        public int n;

        BenchDatabase history;
        BenchDatabase database;
        Workload workload;

        @Setup(Level.Trial)
        public void workload() {
            workload = Workload.create(n);
            history = BenchDatabase.applied(db, Tool.RATCHET_APPLIED_SET, n, workload);
        }

        @Setup(Level.Iteration)
        public void setUp() {
            database = BenchDatabase.copyOf(history);
            database.checkpoint();
        }

        @TearDown(Level.Iteration)
        public void tearDown() {
            database.close();
        }

        @TearDown(Level.Trial)
        public void removeWorkload() {
            history.close();
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
    @Fork(jvmArgsAppend = PRE_TOUCHED_HEAP)
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
    @Fork(jvmArgsAppend = PRE_TOUCHED_HEAP)
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
    @Fork(jvmArgsAppend = PRE_TOUCHED_HEAP)
    public void upToDateBoot(Applied s) {
        Tool.valueOf(s.tool).migrate(s.database, s.workload);
    }

    /**
     * The same boot as an application's first, in a new JVM: none of the tool's code loaded or
     * compiled yet. The set-up connects to the database, as an application's connection pool does
     * before its migrations run, and writes the workload's files, which runs the JDK's file code
     * in that JVM before the boot, for every tool alike. One measured boot per JVM:
     * {@code scripts/bench.sh} runs it in several forks.
     */
    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public void firstBoot(Applied s) {
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
     * N trivial migrations applied to an empty database (seconds each, and Flyway's at N = 5000 over
     * a minute: no warm-up iteration, five measured, so that the whole run fits half an hour;
     * untimed applies before them, see {@link #warmUp}). Each iteration starts after a server
     * checkpoint, so that none of the earlier iterations' writes is flushed during it.
     */
    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 5)
    public void freshApply(Empty s) {
        Tool.valueOf(s.tool).migrate(s.database, s.workload);
    }

    /**
     * The workload's statements alone in one transaction, no tracker: what the database server
     * itself spends on the N schema changes, which bounds every tool's fresh apply from below.
     */
    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 5)
    public void statementsAlone(EmptyForStatements s) {
        Tool.statementsAlone(s.database, s.workload);
    }

    /** An N-row applied-set history moved to the identity tracker. */
    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 5)
    public void cutover(AppliedSetHistory s) {
        Tool.cutover(s.database, s.workload);
    }
}
