package dev.ratchet.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run log of the targets' verdicts, and the README's table of where they stand over runs. */
class TargetLogTest {

    private static String results(String boot, String bootMet, String cutover) {
        return "# Benchmark results\n\n## Up-to-date boot\n\n| tool | median ms | min–max ms | × floor |\n"
                + "|---|---:|---:|---:|\n| plain JDBC floor | 20.0 | 19.0–21.0 | 1.00 |\n\n## Targets\n\n"
                + "| target | measured | met |\n|---|---|---|\n"
                + "| up-to-date boot, postgresql, N = 5000, ratchet counter ≤ 1.5 × floor | " + boot + " × | " + bootMet
                + " |\n"
                + "| fresh apply, postgresql, time(5000) / time(1000) ≤ 5.5 (linear) | 4.52 (floor 4.33); round by round"
                + " 4.57 (floor 4.44) | yes |\n"
                + "| cutover of 5,000 rows, postgresql, < 1 s | " + cutover + " ms | yes |\n\n"
                + "## What the up-to-date boot's gap to the floor is made of\n\n| not | a | target |\n";
    }

    @Test
    void aRunsEntriesAreTheRowsOfItsTargetsTableWithTheirLeadingFigure() {
        List<TargetLog.Entry> entries = TargetLog.fromResults("2026-12-04 13:27", "6c0579e", results("0.94", "yes", "277"));

        assertEquals(List.of(
                new TargetLog.Entry("2026-12-04 13:27", "6c0579e",
                        "up-to-date boot, postgresql, N = 5000, ratchet counter ≤ 1.5 × floor", "0.94 ×", true),
                new TargetLog.Entry("2026-12-04 13:27", "6c0579e",
                        "fresh apply, postgresql, time(5000) / time(1000) ≤ 5.5 (linear)", "4.52", true),
                new TargetLog.Entry("2026-12-04 13:27", "6c0579e", "cutover of 5,000 rows, postgresql, < 1 s", "277 ms",
                        true)), entries);
        assertEquals(0.94, entries.get(0).value());
        assertEquals(" ms", entries.get(2).unit());
    }

    @Test
    void aRunsDurationComesFromItsTargetsTableOrElseFromItsHeader() {
        String took = "- This run of `scripts/bench.sh` took 22 minutes, building included.\n";
        String old = results("0.94", "yes", "277").replace("# Benchmark results\n", "# Benchmark results\n\n" + took);
        List<TargetLog.Entry> fromHeader = TargetLog.fromResults("2026-12-04 00:02", "a", old);
        assertEquals(new TargetLog.Entry("2026-12-04 00:02", "a", ResultsWriter.DURATION_TARGET, "22 min", true),
                fromHeader.get(fromHeader.size() - 1), "a run from before the row: its header's time");

        String withRow = old.replace("| cutover of 5,000 rows", "| " + ResultsWriter.DURATION_TARGET
                + " | 22 min | yes |\n| cutover of 5,000 rows");
        List<TargetLog.Entry> fromTable = TargetLog.fromResults("2026-12-04 00:02", "a", withRow);
        assertEquals(List.of("22 min"), fromTable.stream().filter(e -> e.target().equals(ResultsWriter.DURATION_TARGET))
                .map(TargetLog.Entry::measured).toList(), "the table's row, with its unit, not a second one from the header");
        assertEquals(4, fromTable.size());
    }

    @Test
    void aResultsFileWithoutATargetsTableOrWithABadRowIsRefused() {
        var none = assertThrows(IllegalArgumentException.class,
                () -> TargetLog.fromResults("2026-12-04 13:27", "x", "# Benchmark results\n"));
        assertTrue(none.getMessage().contains("no Targets table"), none.getMessage());
        var bad = assertThrows(IllegalArgumentException.class,
                () -> TargetLog.fromResults("2026-12-04 13:27", "x", results("fast", "yes", "277")));
        assertTrue(bad.getMessage().contains("starts with a figure"), bad.getMessage());
        var when = assertThrows(IllegalArgumentException.class,
                () -> TargetLog.fromResults("today", "x", results("0.94", "yes", "277")));
        assertTrue(when.getMessage().contains("yyyy-MM-dd HH:mm"), when.getMessage());
    }

    @Test
    void theLogKeepsRunsInOrderAndAWrittenAgainRunReplacesItsLines(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("runs.tsv");
        List<TargetLog.Entry> entries = TargetLog.read(log);
        assertEquals(List.of(), entries, "no file, no runs");
        entries = TargetLog.add(entries, TargetLog.fromResults("2026-12-04 13:27", "b", results("0.94", "yes", "277")));
        entries = TargetLog.add(entries, TargetLog.fromResults("2026-12-04 11:17", "a", results("0.95", "yes", "319")));
        entries = TargetLog.add(entries, TargetLog.fromResults("2026-12-04 13:27", "b", results("0.96", "yes", "280")));
        TargetLog.write(log, entries);
        List<TargetLog.Entry> back = TargetLog.read(log);

        assertEquals(entries, back);
        assertEquals(6, back.size(), "the second write of 13:27 replaced the first");
        assertEquals(List.of("0.95 ×", "4.52", "319 ms", "0.96 ×", "4.52", "280 ms"),
                back.stream().map(TargetLog.Entry::measured).toList());
        assertTrue(Files.readString(log).startsWith(TargetLog.HEADER + "\n2026-12-04 11:17\ta\tup-to-date boot"));
    }

    @Test
    void aTamperedLogIsRefusedWithItsLineAndNothingIsWritten(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("runs.tsv");
        TargetLog.write(log, TargetLog.fromResults("2026-12-04 13:27", "b", results("0.94", "yes", "277")));
        String good = Files.readString(log);
        Files.writeString(log, good.replace("\tyes\n", "\tmaybe\n"));
        var e = assertThrows(IllegalStateException.class, () -> TargetLog.read(log));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("yes or no"), e.getMessage());

        Files.writeString(log, good.replace("2026-12-04 13:27", "13:27"));
        e = assertThrows(IllegalStateException.class, () -> TargetLog.read(log));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("yyyy-MM-dd HH:mm"), e.getMessage());

        Files.writeString(log, good.substring(good.indexOf('\n') + 1));
        e = assertThrows(IllegalStateException.class, () -> TargetLog.read(log));
        assertTrue(e.getMessage().contains("header"), e.getMessage());

        // ResultsWriter reads the log before it writes anything: RESULTS.md and the log stay as they were
        Path header = Files.writeString(dir.resolve("header.md"), "# Benchmark results\n");
        Path out = Files.writeString(dir.resolve("RESULTS.md"), "earlier\n");
        String tampered = Files.readString(log);
        assertThrows(IllegalStateException.class, () -> ResultsWriter.main(new String[] {
                "--log", log.toString(), "2026-12-04 16:00", "c", out.toString(), dir.resolve("none.txt").toString(),
                header.toString(), floorAndCounter(dir, 20, 22)}));
        assertEquals("earlier\n", Files.readString(out));
        assertEquals(tampered, Files.readString(log));
    }

    @Test
    void theSummaryCountsTheLatestRunsAndSaysWhatTheLastOneMeasured() {
        List<TargetLog.Entry> log = new ArrayList<>();
        // 14 runs: the counter's boot 1.00, 1.10, ... 2.30 ×, met while ≤ 1.5; the first two are outside the window
        for (int i = 0; i < 14; i++) {
            String run = String.format("2026-12-%02d 10:00", i + 1);
            double ratio = 1.0 + i * 0.1;
            log.addAll(TargetLog.fromResults(run, "c" + i, results(String.format(java.util.Locale.ROOT, "%.2f", ratio),
                    ratio <= 1.5 ? "yes" : "no", String.valueOf(200 + i))));
        }
        // a target that only an early run (inside the window) measured
        log.add(new TargetLog.Entry("2026-12-05 10:00", "c4", "an old target", "3 ms", false));
        log.add(new TargetLog.Entry("2026-12-14 10:00", "c13", "a new target", "5", true));
        String summary = TargetLog.summary(log);

        assertTrue(summary.startsWith("Over the last 12 full runs (2026-12-03 10:00 to 2026-12-14 10:00 UTC):\n\n"),
                summary);
        // in the window: 1.20 .. 2.30, met by 1.20, 1.30, 1.40, 1.50
        assertTrue(summary.contains("| up-to-date boot, postgresql, N = 5000, ratchet counter ≤ 1.5 × floor | 2.30 ×,"
                + " missed | 1.20–2.30 × | 4 of 12 |\n"), summary);
        assertTrue(summary.contains("| cutover of 5,000 rows, postgresql, < 1 s | 213 ms | 202–213 ms | all 12 |\n"),
                summary);
        assertTrue(summary.contains("| fresh apply, postgresql, time(5000) / time(1000) ≤ 5.5 (linear) | 4.52 | 4.52 |"
                + " all 12 |\n"), summary);
        assertTrue(summary.contains("| a new target | 5 | 5 | 1 of 1 |\n"), summary);
        assertTrue(summary.endsWith("| an old target | not measured | 3 ms | none of 1 |\n"), summary);
        assertEquals("No full run is logged yet.\n", TargetLog.summary(List.of()));
    }

    @Test
    void resultsWriterLogsTheRunAndWritesTheReadmesTableOncePerRun(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("runs.tsv");
        Path header = Files.writeString(dir.resolve("header.md"), "# Benchmark results\n\nWritten by `scripts/bench.sh`"
                + " on 2026-12-04 — do not edit by hand.\n");
        Path readme = Files.writeString(dir.resolve("README.md"), "intro\n" + ResultsWriter.README_START + "\nold\n"
                + ResultsWriter.README_END + "\nbetween\n" + TargetLog.README_START + "\nold\n" + TargetLog.README_END
                + "\nafter\n");
        Path out = dir.resolve("RESULTS.md");
        for (int twice = 0; twice < 2; twice++) {
            ResultsWriter.main(new String[] {"--readme", readme.toString(), "--log", log.toString(), "2026-12-04 16:00",
                    "abc1234+", out.toString(), dir.resolve("none.txt").toString(), header.toString(),
                    floorAndCounter(dir, 20, 40)});
        }
        List<TargetLog.Entry> logged = TargetLog.read(log);
        String text = Files.readString(readme);

        assertEquals(List.of(new TargetLog.Entry("2026-12-04 16:00", "abc1234+",
                "up-to-date boot, postgresql, N = 5000, ratchet counter ≤ 1.5 × floor", "2.00 ×", false)), logged);
        assertTrue(text.contains(TargetLog.README_START + "\n\nOver the one full run (2026-12-04 16:00 UTC):\n\n"
                + "| target | latest run | lowest–highest | met |\n|---|---|---|---|\n"
                + "| up-to-date boot, postgresql, N = 5000, ratchet counter ≤ 1.5 × floor | 2.00 ×, missed | 2.00 × |"
                + " none of 1 |\n\n" + TargetLog.README_END + "\nafter\n"), text);
        assertTrue(text.startsWith("intro\n" + ResultsWriter.README_START) && text.contains("\nbetween\n"), text);
    }

    private static String floorAndCounter(Path dir, double floor, double counter) throws Exception {
        Path f = dir.resolve("boots.json");
        Files.writeString(f, "[" + boot("FLOOR", floor) + ", " + boot("RATCHET_COUNTER", counter) + "]");
        return f.toString();
    }

    private static String boot(String tool, double ms) {
        return "{\"benchmark\": \"dev.ratchet.benchmarks.MigrationBenchmarks.upToDateBoot\", \"params\": {\"db\":"
                + " \"postgresql\", \"n\": \"5000\", \"tool\": \"" + tool + "\"}, \"primaryMetric\": {\"rawData\": [["
                + ms + "]]}}";
    }
}
