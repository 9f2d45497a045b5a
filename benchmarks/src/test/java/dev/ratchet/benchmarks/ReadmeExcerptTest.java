package dev.ratchet.benchmarks;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README quotes benchmarks/RESULTS.md: every table row of its excerpt is a row of RESULTS.md;
 * and its table of the targets over runs is the run log's.
 */
class ReadmeExcerptTest {

    @Test
    void theReadmeQuotesTheCurrentResults() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String results = Files.readString(Path.of("RESULTS.md"));
        int start = readme.indexOf(ResultsWriter.README_START);
        int end = readme.indexOf(ResultsWriter.README_END);
        assertTrue(start >= 0 && end > start, "the README has the bench-results block");
        List<String> rows = readme.substring(start, end).lines().filter(l -> l.startsWith("| ")).toList();
        assertTrue(rows.size() > 20, "the excerpt holds the up-to-date boot, fresh apply, statements and target tables");
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("| up-to-date boot, postgresql, N = 5000")),
                "the excerpt holds the targets");
        for (String row : rows) {
            assertTrue(results.lines().anyMatch(row::equals), "RESULTS.md has the README's row " + row);
        }
    }

    @Test
    void theReadmesTableOfTheTargetsOverRunsIsTheRunLogsAndTheLatestRunIsTheResults() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf(TargetLog.README_START);
        int end = readme.indexOf(TargetLog.README_END);
        assertTrue(start >= 0 && end > start, "the README has the targets-over-runs block");
        List<TargetLog.Entry> log = TargetLog.read(Path.of("runs.tsv"));
        assertEquals(TargetLog.README_START + "\n\n" + TargetLog.summary(log) + "\n", readme.substring(start, end),
                "the README's table is TargetLog's summary of benchmarks/runs.tsv (TargetLog --readme rewrites it)");
        String latest = log.get(log.size() - 1).run();
        List<TargetLog.Entry> fromResults = TargetLog.fromResults(latest, log.get(log.size() - 1).commit(),
                Files.readString(Path.of("RESULTS.md")));
        assertEquals(fromResults, log.stream().filter(e -> e.run().equals(latest)).toList(),
                "the log's latest run is RESULTS.md's");
    }
}
