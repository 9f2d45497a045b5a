package dev.ratchet.chaos;

import dev.ratchet.Migration;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.Plan;
import dev.ratchet.Ratchet;
import dev.ratchet.Trackers;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The reliability harness: databases, workloads, boots in separate JVMs, the invariants checked
 * after every run, and the figures each run adds to {@code target/chaos/results.tsv} (which
 * {@code scripts/chaos.sh} turns into {@code RELIABILITY.md}). Sizes come from system properties
 * so that {@code scripts/test.sh} runs a CI-sized sample and {@code scripts/chaos.sh} the full one.
 */
final class Chaos {
    private Chaos() {
    }

    /** Rounds per configuration of the separate-process test ({@code ratchet.chaos.rounds}). */
    static int rounds() {
        return Integer.getInteger("ratchet.chaos.rounds", 2);
    }

    /** Kills (or terminations) per database ({@code ratchet.chaos.kills}). */
    static int kills() {
        return Integer.getInteger("ratchet.chaos.kills", 12);
    }

    /** The databases under test: PostgreSQL, and SQLite in both journal modes. */
    enum Db {
        POSTGRESQL, SQLITE_WAL, SQLITE_ROLLBACK_JOURNAL;

        TestDatabase open() throws SQLException {
            TestDatabase db = TestDatabases.open(this == POSTGRESQL ? DatabaseKind.POSTGRESQL : DatabaseKind.SQLITE);
            if (this == SQLITE_WAL) {
                exec(db, "PRAGMA journal_mode=WAL"); // persistent: every later connection uses WAL
            }
            exec(db, "CREATE TABLE applications (name varchar(20))"); // no key: a double application shows
            return db;
        }
    }

    /** The trackers every scenario runs with, cycled across runs. */
    static final List<String> TRACKERS = List.of("applied-set", "counter", "identity");

    /**
     * {@code n} migrations {@code V<i>__m<i>.sql}: create table {@code t_<i>} and record the
     * application in the side table (the body's last statement); {@code slowMs} adds a sleep on
     * PostgreSQL so that a run lasts long enough to be interrupted at random.
     */
    static Path workload(Path dir, int n, int slowMs, boolean postgres) throws IOException {
        Path d = Files.createDirectories(dir.resolve("migrations"));
        for (int i = 1; i <= n; i++) {
            String sleep = slowMs > 0 && postgres ? "SELECT pg_sleep(" + slowMs / 1000.0 + ");\n" : "";
            Files.writeString(d.resolve("V" + i + "__m" + i + ".sql"), "CREATE TABLE t_" + i + " (id int);\n" + sleep
                    + "INSERT INTO applications (name) VALUES ('" + i + "');\n");
        }
        return d;
    }

    static void exec(TestDatabase db, String... sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** An in-process runner over {@code migrations}. */
    static Ratchet ratchet(TestDatabase db, Path migrations, String tracker, Duration lease) {
        List<Migration> code = MigrationSource.directory(migrations).load();
        return Ratchet.builder().dataSource(db.dataSource()).tracker(Trackers.byName(tracker))
                .namespace(Namespace.of("app", code)).lockLease(lease).lockTimeout(Duration.ofSeconds(120)).build();
    }

    /**
     * Odd rounds start partly migrated: applies the first 1..n-1 migrations of {@code migrations}
     * in-process and returns how many (0 for even rounds, which start fresh).
     */
    static int partlyMigrate(TestDatabase db, Path migrations, String tracker, int round, int n, Path scratch)
            throws IOException {
        int prefix = round % 2 == 1 ? 1 + round % (n - 1) : 0;
        if (prefix > 0) {
            applyPrefix(db, migrations, tracker, prefix, scratch);
        }
        return prefix;
    }

    /** Applies the first {@code k} migrations in-process (a partly migrated database). */
    static void applyPrefix(TestDatabase db, Path migrations, String tracker, int k, Path scratch) throws IOException {
        Path prefix = Files.createDirectories(scratch.resolve("prefix"));
        try (var files = Files.list(migrations)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                int v = Integer.parseInt(f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"));
                if (v <= k) {
                    Files.copy(f, prefix.resolve(f.getFileName()));
                }
            }
        }
        ratchet(db, prefix, tracker, Duration.ofSeconds(60)).migrate();
    }

    /**
     * The invariants after any run, killed or not: no migration applied twice (side table), and
     * for every migration the table exists exactly when the side table has its row exactly when the
     * tracker records it. Returns the violations (empty when all hold).
     */
    static List<String> violations(TestDatabase db, Path migrations, String tracker, int n) throws SQLException {
        List<String> out = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        Set<String> tables = new HashSet<>();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT name, count(*) FROM applications GROUP BY name")) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (ResultSet rs = c.getMetaData().getTables(null,
                    db.kind() == DatabaseKind.POSTGRESQL ? db.schema() : null, "t\\_%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
        }
        Plan plan = ratchet(db, migrations, tracker, Duration.ofSeconds(60)).plan().get(0);
        Set<String> pending = new HashSet<>();
        plan.pending().forEach(m -> pending.add(m.name()));
        for (int i = 1; i <= n; i++) {
            int count = counts.getOrDefault(String.valueOf(i), 0);
            boolean table = tables.contains("t_" + i);
            boolean recorded = !pending.contains(i + "_m" + i);
            if (count > 1) {
                out.add("migration " + i + " applied " + count + " times");
            }
            if (table != (count == 1) || recorded != table) {
                out.add("migration " + i + ": table " + table + ", side-table rows " + count + ", tracker records it "
                        + recorded);
            }
        }
        return out;
    }

    /** What one boot of {@link #together} did: its exit code (-1: it hung), output and migrations applied. */
    record Boot(int exit, String output, int applied) {
    }

    /**
     * Starts {@code k} boots in their own JVMs, releases them together once all are ready and waits
     * for each (at most 5 minutes; a boot that does not start is reported in {@code failures}).
     */
    static List<Boot> together(String url, Path migrations, String tracker, int k, String round, List<String> failures)
            throws IOException, InterruptedException {
        List<Child> children = new ArrayList<>();
        try {
            for (int i = 0; i < k; i++) {
                children.add(new Child(url, migrations, tracker, 30, "--wait"));
            }
            for (Child c : children) {
                if (!c.await("READY", Duration.ofSeconds(120))) {
                    failures.add(round + ": a boot did not start: " + c.output());
                }
            }
            for (Child c : children) {
                c.go();
            }
            List<Boot> boots = new ArrayList<>();
            for (Child c : children) {
                int code = c.exit(Duration.ofSeconds(300));
                String out = c.output();
                int applied = 0;
                for (String line : out.split("\n")) {
                    if (line.startsWith("OK ")) {
                        applied = Integer.parseInt(line.substring(3).strip());
                    }
                }
                boots.add(new Boot(code, out, applied));
            }
            return boots;
        } finally {
            for (Child c : children) {
                c.close();
            }
        }
    }

    /** A boot in its own JVM; its output lines are collected as they come. */
    static final class Child implements AutoCloseable {
        final Process process;
        final List<String> lines = new ArrayList<>();
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final Writer stdin;

        Child(String url, Path migrations, String tracker, int leaseSeconds, String... extra) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                    "-Dorg.slf4j.simpleLogger.log.dev.ratchet=warn", // Ratchet's warnings in the output
                    "-cp", System.getProperty("java.class.path"),
                    ChaosBoot.class.getName(), url, migrations.toString(), tracker, String.valueOf(leaseSeconds)));
            cmd.addAll(List.of(extra));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                        queue.add(line);
                    }
                } catch (IOException ignored) {
                    // the process was killed
                }
            }, "chaos-child-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for a line starting with {@code prefix}; false when the process ended or time ran out. */
        boolean await(String prefix, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                String line = queue.poll(50, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return true;
                }
                if (line == null && !process.isAlive() && queue.isEmpty()) {
                    return false;
                }
            }
            return false;
        }

        void go() throws IOException {
            stdin.write("go\n");
            stdin.flush();
        }

        /** SIGKILL, and waits for the process to be gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** The exit code, waiting up to {@code timeout}; -1 when it did not end (it is then killed). */
        int exit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                return -1;
            }
            return process.exitValue();
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                try {
                    kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the child was told to die; the caller sees the flag
                }
            }
        }
    }

    /** Appends one figure to {@code target/chaos/results.tsv}: what, where, how many runs, how many failed. */
    static synchronized void record(String item, String database, String detail, int runs, int failures) {
        try {
            Path file = Path.of("target", "chaos", "results.tsv");
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\t", item, database, detail, String.valueOf(runs),
                            String.valueOf(failures)) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
