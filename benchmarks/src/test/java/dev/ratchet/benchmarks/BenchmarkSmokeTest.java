package dev.ratchet.benchmarks;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smoke run of the benchmark harness (tiny N): every tool applies the workload, boots up to
 * date without applying anything again, reports status; the cutover moves the history.
 */
@Timeout(120)
class BenchmarkSmokeTest {

    private static int tables(BenchDatabase db) throws Exception {
        String sql = db.kind.equals("sqlite")
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\'"
                : "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%'";
        try (Connection c = db.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @ParameterizedTest
    @CsvSource({"postgresql", "sqlite"})
    void everyToolAppliesBootsAndReports(String kind) throws Exception {
        try (Workload w = Workload.create(3)) {
            for (Tool tool : Tool.values()) {
                try (BenchDatabase db = BenchDatabase.create(kind)) {
                    tool.migrate(db, w);
                    assertEquals(3, tables(db), tool + " applied the workload");
                    tool.migrate(db, w);
                    tool.status(db, w);
                    assertEquals(3, tables(db), tool + " boots up to date without applying again");
                }
            }
            try (BenchDatabase db = BenchDatabase.create(kind)) {
                Tool.RATCHET_APPLIED_SET.migrate(db, w);
                Tool.cutover(db, w);
                assertEquals(3, count(db, "schema_version"));
            }
            try (BenchDatabase db = BenchDatabase.create(kind)) {
                db.checkpoint();
                Tool.statementsAlone(db, w);
                assertEquals(3, tables(db), "the statements alone create the workload's tables");
                assertEquals(java.util.List.of(), trackerTables(db), "and no tracker table");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"postgresql", "sqlite"})
    void aCopyOfAPreparedHistoryIsCutOverAndThePreparedOneIsLeftAsItWas(String kind) throws Exception {
        try (Workload w = Workload.create(3)) {
            BenchDatabase history = BenchDatabase.prepared(kind, "smoke copy " + kind + " " + System.nanoTime(),
                    fresh -> Tool.RATCHET_APPLIED_SET.migrate(fresh, w));
            try {
                try (BenchDatabase copy = BenchDatabase.copyOf(history)) {
                    assertEquals(3, count(copy, "ratchet_applied_migrations"), "the copy holds the history");
                    Tool.cutover(copy, w);
                    assertEquals(3, count(copy, "schema_version"));
                    assertEquals(java.util.List.of("schema_version"), trackerTables(copy));
                }
                assertEquals(java.util.List.of("ratchet_applied_migrations"), trackerTables(history),
                        "the prepared history is not cut over with its copy");
                assertEquals(3, count(history, "ratchet_applied_migrations"));
            } finally {
                history.discard();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theFloorTakesThePendingFilesInVersionOrderAndNoOthers() throws Exception {
        try (Workload w = Workload.create(12)) {
            java.util.function.Function<java.util.List<java.nio.file.Path>, java.util.List<String>> names =
                    files -> files.stream().map(f -> f.getFileName().toString()).toList();
            java.util.List<String> all = new java.util.ArrayList<>();
            for (int i = 1; i <= 12; i++) {
                all.add("V" + i + "__t" + i + ".sql");
            }
            assertEquals(all, names.apply(Tool.pending(w, java.util.Set.of())), "numeric order, not the listing's");
            java.util.Set<Long> applied = new java.util.HashSet<>();
            for (long v = 1; v <= 10; v++) {
                applied.add(v);
            }
            applied.remove(3L);
            assertEquals(java.util.List.of("V3__t3.sql", "V11__t11.sql", "V12__t12.sql"),
                    names.apply(Tool.pending(w, applied)));
            applied.addAll(java.util.List.of(3L, 11L, 12L));
            assertEquals(java.util.List.of(), Tool.pending(w, applied), "up to date: nothing pending");
        }
    }

    @org.junit.jupiter.api.Test
    void untimedAppliesComeBeforeAFreshApplyTrial() {
        for (int[] c : new int[][] {{100, 5, 100}, {1000, 2, 1000}, {1001, 1, MigrationBenchmarks.LARGE_WARM_UP}}) {
            java.util.List<Integer> sizes = new java.util.ArrayList<>();
            try (Workload w = Workload.create(c[0])) {
                MigrationBenchmarks.warmUp("sqlite", w, (scratch, applied) -> {
                    assertEquals("sqlite", scratch.kind, "each in a scratch database of the kind");
                    sizes.add(applied.n);
                });
            }
            assertEquals(java.util.Collections.nCopies(c[1], c[2]), sizes, "warm-up applies before N = " + c[0]);
        }
    }

    private static int count(BenchDatabase db, String table) throws Exception {
        try (Connection c = db.dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * The database's tracker tables: those that are not the workload's (t_i), the benchmark's own
     * bookkeeping or a tracker's lock table ({@code <table>_lock}, SQLite's lease).
     */
    private static java.util.List<String> trackerTables(BenchDatabase db) throws Exception {
        String sql = db.kind.equals("sqlite")
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 't\\_%' ESCAPE '\\'"
                + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'bench_prepared_ready' ORDER BY name"
                : "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 't\\_%'"
                + " AND tablename <> 'bench_prepared_ready' ORDER BY tablename";
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = db.dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                if (!rs.getString(1).endsWith("_lock")) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @org.junit.jupiter.api.Test
    void theFileReadingBaselinesReadEveryFile() throws Exception {
        MigrationBenchmarks.FilesOnly files = new MigrationBenchmarks.FilesOnly();
        files.n = 3;
        files.setUp();
        try {
            MigrationBenchmarks benchmarks = new MigrationBenchmarks();
            long bytes = 0;
            for (int i = 1; i <= 3; i++) {
                bytes += Workload.body(i).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            assertEquals(bytes, benchmarks.readFiles(files));
            assertEquals(3 * 64, benchmarks.readSource(files), "three SHA-256 checksums in hex");
        } finally {
            files.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"postgresql", "sqlite"})
    void aPreparedDatabaseIsPreparedOnceAndKeptUntilDiscarded(String kind) throws Exception {
        String key = "smoke " + kind + " " + System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger preparations = new java.util.concurrent.atomic.AtomicInteger();
        try (Workload w = Workload.create(2)) {
            BenchDatabase first = BenchDatabase.prepared(kind, key, db -> {
                preparations.incrementAndGet();
                Tool.FLOOR.migrate(db, w);
            });
            first.close();
            BenchDatabase again = BenchDatabase.prepared(kind, key, db -> preparations.incrementAndGet());
            try {
                assertEquals(1, preparations.get(), "the second trial reuses the first one's database");
                assertEquals(2, tables(again), "closing the first kept its tables");
            } finally {
                again.discard();
            }
            BenchDatabase afterDiscard = BenchDatabase.prepared(kind, key, db -> preparations.incrementAndGet());
            afterDiscard.discard();
            assertEquals(2, preparations.get(), "a discarded database is prepared again");
        }
    }
}
