package dev.ratchet.chaos;

import dev.ratchet.conformance.TestDatabase;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * K boots in separate JVMs, released together on one database, on fresh and on partly migrated
 * databases: every migration applied exactly once, every boot succeeds, no {@code SQLITE_BUSY}
 * reaches a caller.
 */
@Timeout(7200)
class ProcessConcurrencyTest {
    private static final int MIGRATIONS = 6;

    static Stream<Arguments> configurations() {
        List<Arguments> out = new ArrayList<>();
        for (Chaos.Db db : Chaos.Db.values()) {
            for (int k : new int[] {2, 8}) {
                out.add(Arguments.of(db, k));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, K = {1}")
    @MethodSource("configurations")
    void concurrentProcessesApplyEachMigrationOnce(Chaos.Db kind, int k, @TempDir Path dir) throws Exception {
        int rounds = Chaos.rounds();
        List<String> failures = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            int round = r;
            String tracker = Chaos.TRACKERS.get(round % Chaos.TRACKERS.size());
            Path scratch = Files.createDirectories(dir.resolve("round" + round));
            try (TestDatabase db = kind.open()) {
                Path migrations = Chaos.workload(scratch, MIGRATIONS, 0, kind == Chaos.Db.POSTGRESQL);
                int prefix = Chaos.partlyMigrate(db, migrations, tracker, round, MIGRATIONS, scratch);
                int appliedByAll = 0;
                for (Chaos.Boot b : Chaos.together(db.url(), migrations, tracker, k, "round " + round, failures)) {
                    if (b.exit() != 0) {
                        failures.add("round " + round + " (" + tracker + "): a boot failed (exit " + b.exit() + "): "
                                + b.output());
                    }
                    if (b.output().contains("SQLITE_BUSY") || b.output().contains("database is locked")) {
                        failures.add("round " + round + ": SQLITE_BUSY reached the caller: " + b.output());
                    }
                    appliedByAll += b.applied();
                }
                if (appliedByAll != MIGRATIONS - prefix) {
                    failures.add("round " + round + " (" + tracker + "): the boots applied " + appliedByAll
                            + " migrations in all, expected " + (MIGRATIONS - prefix));
                }
                List<String> broken = Chaos.violations(db, migrations, tracker, MIGRATIONS);
                broken.forEach(v -> failures.add("round " + round + " (" + tracker + "): " + v));
            }
        }
        Chaos.record("separate processes, K = " + k, kind.name().toLowerCase().replace('_', ' '),
                "rounds (fresh and partly migrated; " + String.join(", ", Chaos.TRACKERS) + ")", rounds,
                (int) failures.stream().map(f -> f.replaceAll(":.*", "")).distinct().count());
        assertEquals(List.of(), failures);
    }
}
