package dev.ratchet.chaos;

import dev.ratchet.conformance.TestDatabase;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The migrating process killed with SIGKILL at instrumented points (before the lock, after a
 * body, before the tracker write, before and after commit) and at random moments; on PostgreSQL
 * also its session terminated by the server ({@code pg_terminate_backend}) at random moments.
 * After each: no partial state, the tracker agrees with the schema, and the next boot succeeds
 * within the lock lease with no manual step.
 */
@Timeout(7200)
class KillTest {
    private static final int MIGRATIONS = 5;
    private static final int LEASE_SECONDS = 3;
    private static final List<String> POINTS = List.of("before-lock", "after-body", "before-tracker-write",
            "before-commit", "after-commit", "random");

    private interface Interruption {
        /** Starts the boot, interrupts it; returns what was done, for messages. */
        String run(TestDatabase db, Path migrations, String tracker, Random random) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(Chaos.Db.class)
    void killedAtEveryPointAndAtRandom(Chaos.Db kind, @TempDir Path dir) throws Exception {
        long seed = Long.getLong("ratchet.chaos.seed", System.nanoTime());
        int[] run = {0};
        List<String> failures = runs(kind, dir, seed, (db, migrations, tracker, random) -> {
            String point = POINTS.get(run[0]++ % POINTS.size());
            int occurrence = 1 + random.nextInt(point.equals("before-lock") ? 1 : MIGRATIONS);
            try (Chaos.Child child = point.equals("random")
                    ? new Chaos.Child(db.url(), migrations, tracker, LEASE_SECONDS)
                    : new Chaos.Child(db.url(), migrations, tracker, LEASE_SECONDS, "--pause", point,
                    String.valueOf(occurrence))) {
                if (point.equals("random")) {
                    Thread.sleep(random.nextInt(1500)); // the JVM starts in about a second: before, during, after
                } else if (!child.await("PAUSED", Duration.ofSeconds(120))) {
                    return point + " #" + occurrence + " not reached (" + child.output().replace('\n', ' ') + ")";
                }
                child.kill();
                return point + " #" + occurrence;
            }
        });
        Chaos.record("kill -9 (points and random)", label(kind), "kills, seed " + seed, Chaos.kills(), failures.size());
        assertEquals(List.of(), failures);
    }

    @ParameterizedTest
    @EnumSource(value = Chaos.Db.class, names = "POSTGRESQL")
    void sessionTerminatedByTheServerAtRandom(Chaos.Db kind, @TempDir Path dir) throws Exception {
        long seed = Long.getLong("ratchet.chaos.seed", System.nanoTime());
        List<String> failures = runs(kind, dir, seed, (db, migrations, tracker, random) -> {
            String app = "ratchet-chaos-" + UUID.randomUUID();
            String url = db.url() + "&ApplicationName=" + app;
            try (Chaos.Child child = new Chaos.Child(url, migrations, tracker, LEASE_SECONDS)) {
                Thread.sleep(700 + random.nextInt(MIGRATIONS * 60 + 400));
                int terminated = 0;
                try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
                    ps.setString(1, app);
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            terminated++;
                        }
                    }
                }
                child.exit(Duration.ofSeconds(60));
                return "terminated " + terminated + " session(s)";
            }
        });
        Chaos.record("pg_terminate_backend at random", label(kind), "terminations, seed " + seed, Chaos.kills(),
                failures.size());
        assertEquals(List.of(), failures);
    }

    private static String label(Chaos.Db kind) {
        return kind.name().toLowerCase().replace('_', ' ');
    }

    /** {@link Chaos#kills()} runs of one interruption each, on fresh databases, across trackers. */
    private static List<String> runs(Chaos.Db kind, Path dir, long seed, Interruption interruption) throws Exception {
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < Chaos.kills(); i++) {
            String tracker = Chaos.TRACKERS.get(i % Chaos.TRACKERS.size());
            Path scratch = Files.createDirectories(dir.resolve("run" + i));
            try (TestDatabase db = kind.open()) {
                Path migrations = Chaos.workload(scratch, MIGRATIONS, 40, kind == Chaos.Db.POSTGRESQL);
                String what = interruption.run(db, migrations, tracker, random);
                String where = "run " + i + " (" + tracker + ", " + what + ", seed " + seed + "): ";
                if (what.contains("not reached")) {
                    failures.add(where + "the point was never reached");
                    continue;
                }
                Chaos.violations(db, migrations, tracker, MIGRATIONS).forEach(v -> failures.add(where + v));
                long start = System.nanoTime();
                try {
                    Chaos.ratchet(db, migrations, tracker, Duration.ofSeconds(LEASE_SECONDS)).migrate();
                } catch (RuntimeException e) {
                    failures.add(where + "the next boot failed: " + e.getMessage());
                    continue;
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                if (took.compareTo(Duration.ofSeconds(LEASE_SECONDS + 10)) > 0) {
                    failures.add(where + "the next boot took " + took + ", more than the lease");
                }
                List<String> after = Chaos.violations(db, migrations, tracker, MIGRATIONS);
                after.forEach(v -> failures.add(where + "after the next boot: " + v));
                // Everything applied, once.
                if (after.isEmpty() && !Chaos.ratchet(db, migrations, tracker, Duration.ofSeconds(LEASE_SECONDS))
                        .plan().get(0).pending().isEmpty()) {
                    failures.add(where + "the next boot left migrations pending");
                }
            }
        }
        return failures;
    }
}
