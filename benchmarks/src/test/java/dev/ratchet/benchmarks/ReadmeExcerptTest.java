package dev.ratchet.benchmarks;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README quotes benchmarks/RESULTS.md: every table row of its excerpt is a row of RESULTS.md. */
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
}
