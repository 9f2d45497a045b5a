package dev.ratchet.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How ResultsWriter reads JMH's JSON: one trial's iterations, or one result per process and round. */
class ResultsWriterTest {

    /** A JMH JSON result file of one benchmark with the given single-shot times. */
    private static Path result(Path dir, String file, String benchmark, String tool, double... times) throws Exception {
        return result(dir, file, benchmark, 5000, tool, times);
    }

    /** The same at another N. */
    private static Path result(Path dir, String file, String benchmark, int n, String tool, double... times)
            throws Exception {
        StringBuilder raw = new StringBuilder();
        for (double t : times) {
            raw.append(raw.length() == 0 ? "" : ", ").append(t);
        }
        String params = "\"db\": \"postgresql\", \"n\": \"" + n + "\"" + (tool == null ? "" : ", \"tool\": \"" + tool + "\"");
        Path p = dir.resolve(file);
        Files.writeString(p, "[{\"benchmark\": \"dev.ratchet.benchmarks.MigrationBenchmarks." + benchmark
                + "\", \"params\": {" + params + "}, \"primaryMetric\": {\"rawData\": [[" + raw + "]]}}]");
        return p;
    }

    @Test
    void oneTrialIsOneRowWithoutRounds(@TempDir Path dir) throws Exception {
        List<ResultsWriter.Row> rows = ResultsWriter.rows(List.of(result(dir, "a.json", "freshApply", "FLOOR", 30, 10, 20)));
        assertEquals(1, rows.size());
        ResultsWriter.Row r = rows.get(0);
        assertEquals(List.of("freshApply", "FLOOR", 20.0, 10.0, 30.0, List.of()),
                List.of(r.benchmark(), r.tool(), r.median(), r.min(), r.max(), r.rounds()));
        assertEquals("", ResultsWriter.rounds(rows), "no rounds section for a single trial");
    }

    @Test
    void resultsOfOneConfigurationFromSeveralProcessesAreMergedInRoundOrder(@TempDir Path dir) throws Exception {
        double[] floor = {100, 300, 200};
        double[] ratchet = {90, 330, 150};
        double[] alone = {80, 250, 150};
        List<Path> files = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            if (round < 2) {
                files.add(result(dir, round + "-flyway.json", "freshApply", "FLYWAY", 10 * floor[round]));
            }
            files.add(result(dir, round + "-floor.json", "freshApply", "FLOOR", floor[round]));
            files.add(result(dir, round + "-ratchet.json", "freshApply", "RATCHET_APPLIED_SET", ratchet[round]));
            files.add(result(dir, round + "-alone.json", "statementsAlone", null, alone[round]));
        }
        List<ResultsWriter.Row> rows = ResultsWriter.rows(files);

        assertEquals(4, rows.size(), "one row per tool: " + rows);
        ResultsWriter.Row r = rows.stream().filter(x -> x.tool().equals("RATCHET_APPLIED_SET")).findFirst().orElseThrow();
        assertEquals(List.of(150.0, 90.0, 330.0), List.of(r.median(), r.min(), r.max()), "pooled over the rounds");
        assertEquals(List.of(90.0, 330.0, 150.0), r.rounds(), "the rounds in the order given");
        assertEquals("freshApply", rows.stream().filter(x -> x.tool().equals("STATEMENTS_ALONE")).findFirst()
                .orElseThrow().benchmark(), "the baseline goes to the fresh-apply table");

        String section = ResultsWriter.rounds(rows);
        assertTrue(section.contains("## Fresh apply, postgresql, N = 5000: the tools taking turns"), section);
        assertTrue(section.contains("from 3 rounds"), section);
        assertTrue(section.contains("then one measured apply in a new database after a server CHECKPOINT)"), section);
        // Paired ratios 0.90, 1.10, 0.75: median 0.90 (the ratio of medians would be 0.75).
        assertTrue(section.contains("| ratchet applied-set | 90.0, 330, 150 | 0.90 |"), section);
        assertTrue(section.contains("| plain JDBC floor | 100, 300, 200 | 1.00 |"), section);
        assertTrue(section.contains("| flyway | 1000, 3000 | 10.00 |"), "a tool in the first rounds only: " + section);
    }

    @Test
    void aRoundOfSeveralMeasuredAppliesIsTheirMedianAndTheSectionSaysHowMany(@TempDir Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        files.add(result(dir, "1-floor.json", "freshApply", "FLOOR", 300, 470, 310));
        files.add(result(dir, "1-ratchet.json", "freshApply", "RATCHET_APPLIED_SET", 480, 320, 330));
        files.add(result(dir, "2-ratchet.json", "freshApply", "RATCHET_APPLIED_SET", 460, 470, 300));
        files.add(result(dir, "2-floor.json", "freshApply", "FLOOR", 460, 290, 470));
        List<ResultsWriter.Row> rows = ResultsWriter.rows(files);

        ResultsWriter.Row ratchet = rows.stream().filter(x -> x.tool().equals("RATCHET_APPLIED_SET")).findFirst()
                .orElseThrow();
        assertEquals(List.of(330.0, 460.0), ratchet.rounds(), "each round's median of its three applies");
        assertEquals(3, ratchet.perRound());
        assertEquals(395.0, ratchet.median(), "the six applies pooled");
        String section = ResultsWriter.rounds(rows);
        assertTrue(section.contains("then 3 measured applies, each in a new database after a server CHECKPOINT;"
                + " the round's time is the median of the 3)"), section);
        // Per round: 330 / 310 = 1.065 and 460 / 460 = 1.0; their median 1.03.
        assertTrue(section.contains("| ratchet applied-set | 330, 460 | 1.03 |"), section);
    }

    @Test
    void aRoundOfBootsIsItsProcessMedianAndTheTablePoolsEveryIteration(@TempDir Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        files.add(result(dir, "1-floor.json", "upToDateBoot", "FLOOR", 40, 10, 20));
        files.add(result(dir, "1-counter.json", "upToDateBoot", "RATCHET_COUNTER", 30, 31, 90));
        files.add(result(dir, "2-counter.json", "upToDateBoot", "RATCHET_COUNTER", 50, 1, 60));
        files.add(result(dir, "2-floor.json", "upToDateBoot", "FLOOR", 100, 50, 70));
        List<ResultsWriter.Row> rows = ResultsWriter.rows(files);

        ResultsWriter.Row counter = rows.stream().filter(x -> x.tool().equals("RATCHET_COUNTER")).findFirst().orElseThrow();
        assertEquals(List.of(31.0, 50.0), counter.rounds(), "each process's median, in the order given");
        assertEquals(List.of(40.5, 1.0, 90.0), List.of(counter.median(), counter.min(), counter.max()),
                "the six iterations pooled");
        String section = ResultsWriter.rounds(rows);
        assertTrue(section.contains("## Up-to-date boot, postgresql, N = 5000: the tools taking turns"), section);
        // Three measured boots a round here (bench.sh's are 10): the section says what the files hold.
        assertTrue(section.contains("5 untimed boots, then 3 measured; the round's time is the median of the 3)"),
                section);
        // Per round: 31 / 20 = 1.55 and 50 / 70 = 0.714; their median 1.13.
        assertTrue(section.contains("| ratchet counter | 31.0, 50.0 | 1.13 |"), section);
    }

    /** Boots at one size: floor 50, counter 60, applied-set 140 ms, files alone 55 and 70 ms. */
    private static List<ResultsWriter.Row> boots(Path dir, String run, double unverifiedMs) throws Exception {
        return ResultsWriter.rows(List.of(
                result(dir, run + "f.json", "upToDateBoot", "FLOOR", 50),
                result(dir, run + "c.json", "upToDateBoot", "RATCHET_COUNTER", 60),
                result(dir, run + "u.json", "upToDateBoot", "RATCHET_APPLIED_SET_UNVERIFIED", unverifiedMs),
                result(dir, run + "a.json", "upToDateBoot", "RATCHET_APPLIED_SET", 140),
                result(dir, run + "r.json", "readFiles", null, 55),
                result(dir, run + "s.json", "readSource", null, 70)));
    }

    @Test
    void theBootGapSplitsTheChecksumTrackersExtraTimeIntoReadingAndTheProof(@TempDir Path dir) throws Exception {
        String gap = ResultsWriter.gap(boots(dir, "slow", 90), Map.of());
        String faster = ResultsWriter.gap(boots(dir, "fast", 58), Map.of());

        assertTrue(gap.contains("boots in 90.0 ms (1.80 ×): of the applied-set tracker's 80.0 ms over the counter,"
                + " 50.0 ms are the reading and hashing of the files and 30.0 ms its proof that the table holds"
                + " exactly the code"), gap);
        assertTrue(gap.contains("the applied-set tracker in 140 ms (2.80 ×), against 130 ms for the counter's boot"
                + " and the source's reading one after the other"), gap);
        assertTrue(faster.contains("82.0 ms are the reading and hashing of the files and nothing measurable (-2.0 ms)"
                + " its proof"), faster);
    }

    @Test
    void theBootGapGivesTheStatementsTheLogCounted(@TempDir Path dir) throws Exception {
        List<ResultsWriter.Row> rows = boots(dir, "slow", 90);
        String same = ResultsWriter.gap(rows, ResultsWriter.statementCounts("RATCHET_APPLIED_SET@100=5\n"
                + "RATCHET_APPLIED_SET@5000=5\nRATCHET_COUNTER@100=5\nRATCHET_COUNTER@5000=5\nFLYWAY@5000=41\n"
                + "FLOOR@100=3\nFLOOR@5000=3\n"));
        String differing = ResultsWriter.gap(rows, ResultsWriter.statementCounts("RATCHET_APPLIED_SET@100=5\n"
                + "RATCHET_APPLIED_SET@5000=5\nRATCHET_COUNTER@100=4\nRATCHET_COUNTER@5000=4\nFLOOR@5000=3\n"));
        String growing = ResultsWriter.gap(rows, ResultsWriter.statementCounts("RATCHET_COUNTER@100=4\n"
                + "RATCHET_COUNTER@5000=5\nFLOOR@5000=3\n"));
        // as runs before the counts at several N wrote them: N = 5000 only
        String oneSize = ResultsWriter.gap(rows, ResultsWriter.statementCounts("RATCHET_APPLIED_SET=5\nFLOOR=3\n"));
        String uncounted = ResultsWriter.gap(rows, ResultsWriter.statementCounts(""));

        assertTrue(same.contains("the number of statements is not it (5 per boot whatever N (counted at N = 100 and"
                + " 5000), against the floor's 3)."), same);
        assertTrue(differing.contains("(4 to 5 per boot whatever N (counted at N = 100 and 5000), against the floor's"
                + " 3)."), differing);
        assertTrue(growing.contains("(4 to 5 per boot at N = 100 and 5000, against the floor's 3)."), growing);
        assertTrue(oneSize.contains("(5 per boot at N = 5000, against the floor's 3)."), oneSize);
        assertTrue(uncounted.contains("the number of statements is not it. "), uncounted);
    }

    @Test
    void theStatementTargetAsksForAtMostFiveAndTheSameAtEveryN() {
        String met = ResultsWriter.statementTarget(ResultsWriter.statementCounts("RATCHET_COUNTER@100=4\n"
                + "RATCHET_COUNTER@1000=4\nRATCHET_COUNTER@5000=4\nRATCHET_IDENTITY@100=5\nRATCHET_IDENTITY@1000=5\n"
                + "RATCHET_IDENTITY@5000=5\nFLYWAY@100=41\nFLOOR@100=3\n"));
        String growing = ResultsWriter.statementTarget(ResultsWriter.statementCounts("RATCHET_COUNTER@100=4\n"
                + "RATCHET_COUNTER@5000=5\nFLOOR@100=3\n"));
        String many = ResultsWriter.statementTarget(ResultsWriter.statementCounts("RATCHET_COUNTER@100=6\n"
                + "RATCHET_COUNTER@5000=6\n"));

        assertEquals("| statements per up-to-date boot, postgresql, every ratchet tracker, ≤ 5 and the same at N = 100,"
                + " 1000 and 5000 | 5 | yes |\n", met, "Flyway's 41 is not Ratchet's");
        assertEquals("| statements per up-to-date boot, postgresql, every ratchet tracker, ≤ 5 and the same at N = 100"
                + " and 5000 | 5 (ratchet counter: 4 at N = 100, 5 at N = 5000) | no |\n", growing);
        assertTrue(many.endsWith("| 6 | no |\n"), many);
        assertEquals("", ResultsWriter.statementTarget(ResultsWriter.statementCounts("")), "not counted, not judged");
    }

    @Test
    void theStatementsTableHasAColumnPerN(@TempDir Path dir) throws Exception {
        Path header = Files.writeString(dir.resolve("header.md"), "# Benchmark results\n");
        Path trips = Files.writeString(dir.resolve("roundtrips.txt"),
                "RATCHET_COUNTER@100=5\nRATCHET_COUNTER@5000=5\nFLYWAY@100=40\nFLYWAY@5000=41\nFLOOR@5000=3\n");
        Path out = dir.resolve("RESULTS.md");
        ResultsWriter.main(new String[] {out.toString(), trips.toString(), header.toString(),
                result(dir, "floor.json", "upToDateBoot", "FLOOR", 20).toString()});
        String results = Files.readString(out);

        assertTrue(results.contains("| tool | N = 100 | N = 5000 |\n|---|---:|---:|\n| ratchet counter | 5 | 5 |\n"
                + "| flyway | 40 | 41 |\n| plain JDBC floor |  | 3 |\n"), results);
        assertTrue(results.contains("| statements per up-to-date boot, postgresql, every ratchet tracker, ≤ 5 and the same"
                + " at N = 100 and 5000 | 5 | yes |"), results);
    }

    @Test
    void theGrowthTargetShowsTheFloorsOwnGrowthBesideIt(@TempDir Path dir) throws Exception {
        String targets = ResultsWriter.targetTable(ResultsWriter.rows(List.of(
                result(dir, "a1.json", "freshApply", 1000, "RATCHET_APPLIED_SET", 1000),
                result(dir, "a5.json", "freshApply", 5000, "RATCHET_APPLIED_SET", 5650),
                result(dir, "f1.json", "freshApply", 1000, "FLOOR", 1000),
                result(dir, "f5.json", "freshApply", 5000, "FLOOR", 5990))));
        assertTrue(targets.contains("| fresh apply, postgresql, time(5000) / time(1000) ≤ 5.5 (linear) | 5.65 (floor 5.99) | no |"),
                targets);
        String noFloor = ResultsWriter.targetTable(ResultsWriter.rows(List.of(
                result(dir, "b1.json", "freshApply", 1000, "RATCHET_APPLIED_SET", 1000),
                result(dir, "b5.json", "freshApply", 5000, "RATCHET_APPLIED_SET", 4800))));
        assertTrue(noFloor.contains("| 4.80 | yes |"), noFloor);
    }

    @Test
    void aGrowthMeasuredInRoundsIsAlsoGivenRoundByRound(@TempDir Path dir) throws Exception {
        // Two rounds, each tool's two sizes back to back; the second round was slow for both sizes.
        String targets = ResultsWriter.targetTable(ResultsWriter.rows(List.of(
                result(dir, "a1-01.json", "freshApply", 1000, "RATCHET_APPLIED_SET", 1000),
                result(dir, "a1-02.json", "freshApply", 1000, "RATCHET_APPLIED_SET", 2000),
                result(dir, "a5-01.json", "freshApply", 5000, "RATCHET_APPLIED_SET", 5200),
                result(dir, "a5-02.json", "freshApply", 5000, "RATCHET_APPLIED_SET", 10800),
                result(dir, "f1-01.json", "freshApply", 1000, "FLOOR", 1000),
                result(dir, "f1-02.json", "freshApply", 1000, "FLOOR", 1000),
                result(dir, "f5-01.json", "freshApply", 5000, "FLOOR", 6000),
                result(dir, "f5-02.json", "freshApply", 5000, "FLOOR", 7000))));
        // Pooled: 8000 / 1500 = 5.33; round by round: 5.2 and 5.4, median 5.30; the floor 6.5 both ways.
        assertTrue(targets.contains("| fresh apply, postgresql, time(5000) / time(1000) ≤ 5.5 (linear) | 5.33"
                + " (floor 6.50); round by round 5.30 (floor 6.50) | yes |"), targets);
    }

    @Test
    void firstBootsGetATableOfTheirOwnBesideTheWarmBootsAndTheReadmeQuotesIt(@TempDir Path dir) throws Exception {
        Path header = Files.writeString(dir.resolve("header.md"), "# Benchmark results\n\nWritten by `scripts/bench.sh`"
                + " on 2026-12-03 — do not edit by hand.\n");
        Path readme = Files.writeString(dir.resolve("README.md"), "intro\n" + ResultsWriter.README_START + "\nold\n"
                + ResultsWriter.README_END + "\nafter\n");
        Path out = dir.resolve("RESULTS.md");
        ResultsWriter.main(new String[] {"--readme", readme.toString(), out.toString(), dir.resolve("none.txt").toString(),
                header.toString(),
                result(dir, "warm-floor.json", "upToDateBoot", "FLOOR", 20, 20, 20).toString(),
                result(dir, "warm-counter.json", "upToDateBoot", "RATCHET_COUNTER", 22, 22, 22).toString(),
                // one boot in each of three JVMs (JMH forks)
                result(dir, "first-floor.json", "firstBoot", "FLOOR", 50, 40, 60).toString(),
                result(dir, "first-counter.json", "firstBoot", "RATCHET_COUNTER", 100, 90, 130).toString()});
        String results = Files.readString(out);

        int warm = results.indexOf("## Up-to-date boot (a fresh runner, nothing pending)");
        int first = results.indexOf("## First boot in a new JVM");
        assertTrue(warm >= 0 && first > warm, results);
        String firstTable = results.substring(first);
        assertTrue(firstTable.contains("| ratchet counter | 100 | 90.0–130 | 2.00 |"), results);
        assertTrue(results.substring(warm, first).contains("| ratchet counter | 22.0 | 22.0–22.0 | 1.10 |"),
                "the warm boots' table keeps its own rows: " + results);
        String excerpt = Files.readString(readme);
        assertTrue(excerpt.contains("First boot in a new JVM, PostgreSQL, N = 5000:\n\n| tool | median ms"), excerpt);
        assertTrue(excerpt.contains("| ratchet counter | 100 | 90.0–130 | 2.00 |"), excerpt);
        assertTrue(excerpt.startsWith("intro\n") && excerpt.endsWith(ResultsWriter.README_END + "\nafter\n"), excerpt);
    }

    @Test
    void aRatioThatRoundsToItsLimitShowsTheDecimalThatDecidesIt(@TempDir Path dir) throws Exception {
        String targets = ResultsWriter.targetTable(ResultsWriter.rows(List.of(
                result(dir, "floor.json", "upToDateBoot", "FLOOR", 40),
                result(dir, "counter.json", "upToDateBoot", "RATCHET_COUNTER", 60.15),
                result(dir, "unverified.json", "upToDateBoot", "RATCHET_APPLIED_SET_UNVERIFIED", 59.88),
                result(dir, "jar.json", "upToDateBoot", "RATCHET_APPLIED_SET_JAR", 60))));
        assertTrue(targets.contains("ratchet counter ≤ 1.5 × floor | 1.504 × | no |"), targets);
        assertTrue(targets.contains("checksums not verified ≤ 1.5 × floor | 1.497 × | yes |"), targets);
        assertTrue(targets.contains("checksum manifest ≤ 1.5 × floor | 1.50 × | yes |"), targets);
        assertEquals("1.500000", ResultsWriter.judged(1.5000001, 1.5), "six decimals at most");
    }

    @Test
    void aFullRunIsJudgedOnItsOwnDurationAndAQuickOrSubsetRunIsNot() {
        String full = "- This run of `scripts/bench.sh` took 27 minutes, building included.\n";
        assertEquals("| scripts/bench.sh end to end, building included, ≤ 30 min | 27 min | yes |\n",
                ResultsWriter.durationTarget(full));
        assertEquals("| scripts/bench.sh end to end, building included, ≤ 30 min | 31 min | no |\n",
                ResultsWriter.durationTarget(full.replace("27", "31")));
        assertEquals("", ResultsWriter.durationTarget("medians (quick run: 0 + 3 for all, and no first boots)\n" + full));
        assertEquals("", ResultsWriter.durationTarget("- This run measured only the benchmarks matching `cutover`"
                + " (BENCH_ONLY); the other tables are absent.\n" + full));
        assertEquals("", ResultsWriter.durationTarget("# Benchmark results\n"), "a header without the time");
    }
}
