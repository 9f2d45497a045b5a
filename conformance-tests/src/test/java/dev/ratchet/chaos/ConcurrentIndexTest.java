package dev.ratchet.chaos;

import dev.ratchet.conformance.TestDatabase;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code CREATE INDEX CONCURRENTLY} in a non-transactional migration, four boots in separate JVMs
 * released together on PostgreSQL: it finishes (no deadlock between the index build and a boot
 * waiting for the lock), the index is valid, and it is applied once.
 */
@Timeout(900)
class ConcurrentIndexTest {
    private static final int BOOTS = 4;

    @ParameterizedTest
    @ValueSource(strings = {"applied-set", "counter"})
    void fourBootsBuildTheIndexOnceAndValid(String tracker, @TempDir Path dir) throws Exception {
        int rounds = Math.max(1, Chaos.rounds() / 2);
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            try (TestDatabase db = Chaos.Db.POSTGRESQL.open()) {
                Path migrations = Files.createDirectories(dir.resolve("round" + round));
                Files.writeString(migrations.resolve("V1__big.sql"), "CREATE TABLE big (id int PRIMARY KEY, val int);\n"
                        + "INSERT INTO big SELECT g, g % 97 FROM generate_series(1, 200000) g;\n"
                        + "INSERT INTO applications (name) VALUES ('1');\n");
                Files.writeString(migrations.resolve("V2__index.sql"), "-- ratchet:no-transaction\n"
                        + "CREATE INDEX CONCURRENTLY big_val ON big (val);\n"
                        + "INSERT INTO applications (name) VALUES ('2');\n");
                Files.writeString(migrations.resolve("V3__after.sql"), "CREATE TABLE after_index (id int);\n"
                        + "INSERT INTO applications (name) VALUES ('3');\n");
                List<Chaos.Child> boots = new ArrayList<>();
                try {
                    for (int i = 0; i < BOOTS; i++) {
                        boots.add(new Chaos.Child(db.url(), migrations, tracker, 30, "--wait"));
                    }
                    for (Chaos.Child b : boots) {
                        b.await("READY", Duration.ofSeconds(120));
                    }
                    for (Chaos.Child b : boots) {
                        b.go();
                    }
                    for (Chaos.Child b : boots) {
                        int code = b.exit(Duration.ofSeconds(300));
                        if (code != 0) {
                            failures.add("round " + round + ": a boot failed or hung (exit " + code + "): " + b.output());
                        }
                    }
                } finally {
                    for (Chaos.Child b : boots) {
                        b.close();
                    }
                }
                try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                        "SELECT i.indisvalid FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid"
                                + " JOIN pg_namespace n ON n.oid = x.relnamespace WHERE x.relname = 'big_val'"
                                + " AND n.nspname = ?")) {
                    ps.setString(1, db.schema());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || !rs.getBoolean(1)) {
                            failures.add("round " + round + ": index big_val missing or invalid");
                        }
                    }
                    try (ResultSet rs = c.createStatement().executeQuery(
                            "SELECT name, count(*) FROM applications GROUP BY name HAVING count(*) <> 1")) {
                        while (rs.next()) {
                            failures.add("round " + round + ": migration " + rs.getString(1) + " applied "
                                    + rs.getInt(2) + " times");
                        }
                    }
                    try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM applications")) {
                        rs.next();
                        if (rs.getInt(1) != 3) {
                            failures.add("round " + round + ": " + rs.getInt(1) + " applications, expected 3");
                        }
                    }
                }
            }
        }
        Chaos.record("CREATE INDEX CONCURRENTLY, 4 boots", "postgresql", "rounds (" + tracker + ")", rounds,
                (int) failures.stream().map(f -> f.replaceAll(":.*", "")).distinct().count());
        assertEquals(List.of(), failures);
    }
}
