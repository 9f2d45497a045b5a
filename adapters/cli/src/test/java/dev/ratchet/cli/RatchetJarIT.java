package dev.ratchet.cli;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same scenarios against the built jar, {@code java -jar ratchet-cli-*-all.jar}, with no terminal. */
class RatchetJarIT extends CliScenarios {

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("ratchet-cli-.*-all\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("the shaded jar is missing: run mvn package first"));
        }
    }

    @Override
    Run ratchet(String... args) throws Exception {
        return ratchet(Map.of(), args);
    }

    /** The jar run with these environment variables set (and RATCHET_URL, RATCHET_USER, RATCHET_PASSWORD unset otherwise). */
    private Run ratchet(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path errFile = Files.createTempFile(work, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeAll(List.of("RATCHET_URL", "RATCHET_USER", "RATCHET_PASSWORD"));
        builder.environment().putAll(environment);
        Process p = builder.directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(errFile.toFile()).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), output, Files.readString(errFile));
    }

    /**
     * SIGTERM (as a container's stop sends; SIGINT, Ctrl-C, alike) during a migration: the
     * statement is cancelled, the migration rolls back, the lock is released at once (SQLite's
     * lease would otherwise block the next run until it expired), the command says so and exits
     * 143. The migration never ends by itself.
     */
    @Test
    void aStoppedMigrateRollsBackAndReleasesTheLock() throws Exception {
        Path migrations = Files.createDirectories(work.resolve("endless"));
        Files.writeString(migrations.resolve("V1__a.sql"), "CREATE TABLE a (id int);\n");
        Files.writeString(migrations.resolve("V2__endless.sql"), "CREATE TABLE b (id int);\n"
                + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;\n");
        Path errFile = work.resolve("stopped.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar().toAbsolutePath().toString(), "migrate", "--migrations", migrations.toString())
                .directory(work.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(errFile.toFile()).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
                assertTrue(line != null, "migrate ended before migration 2: " + Files.readString(errFile));
            } while (!line.contains("applied default/1_a"));
            Thread.sleep(1000); // migration 2's endless statement is running
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "migrate did not stop");
            String err = Files.readString(errFile);
            assertEquals(143, p.exitValue(), err);
            assertTrue(err.contains("ratchet: stopping:"), err);
            assertTrue(err.contains("[RUN_CANCELLED]") && err.contains("2_endless") && err.contains("rolled back"), err);
        } finally {
            p.destroyForcibly();
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + work.resolve("ratchet.db"));
             java.sql.Statement st = c.createStatement()) {
            try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM ratchet_applied_migrations_lock")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "the lease was released");
            }
            try (java.sql.ResultSet rs = st.executeQuery("SELECT group_concat(name) FROM ratchet_applied_migrations")) {
                assertTrue(rs.next());
                assertEquals("1_a", rs.getString(1));
            }
        }
        Files.writeString(migrations.resolve("V2__endless.sql"), "CREATE TABLE b (id int);\n");
        Run again = ratchet("migrate", "--migrations", migrations.toString(), "--lock-timeout", "2");
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("applied default/2_endless"), again.out());
    }

    /**
     * RATCHET_URL and RATCHET_USER stand in for {@code --url} and {@code --user} (which win over
     * them), so a URL with credentials stays out of the process list; the help names them without
     * their values.
     */
    @Test
    void theEnvironmentGivesTheUrlAndTheUser() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            String[] parts = db.url().split("\\?", 2);
            Map<String, String> env = new java.util.HashMap<>();
            List<String> kept = new ArrayList<>();
            for (String parameter : parts.length > 1 ? parts[1].split("&") : new String[0]) {
                if (parameter.startsWith("user=")) {
                    env.put("RATCHET_USER", parameter.substring("user=".length()));
                } else if (parameter.startsWith("password=")) {
                    env.put("RATCHET_PASSWORD", parameter.substring("password=".length()));
                } else {
                    kept.add(parameter);
                }
            }
            String bare = parts[0] + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
            env.put("RATCHET_URL", bare);
            assertTrue(env.containsKey("RATCHET_USER"), "the test database's URL names its user: " + db.url());
            String q = QUICKSTART.toString();

            Run migrated = ratchet(env, "migrate", "--migrations", q, "--format", "json");
            assertEquals(0, migrated.code(), migrated.out() + migrated.err());
            assertTrue(migrated.out().contains("\"url\" : \"" + bare + "\""), migrated.out());
            assertTrue(migrated.out().contains("1_create_authors"), migrated.out());
            Path sqlite = work.resolve("ratchet.db");
            assertFalse(Files.exists(sqlite), "the default SQLite file is not used when RATCHET_URL is set");

            Map<String, String> stranger = new java.util.HashMap<>(env);
            stranger.put("RATCHET_USER", "ratchet_no_such_role");
            Run refused = ratchet(stranger, "status", "--migrations", q);
            assertEquals(5, refused.code(), refused.out() + refused.err());
            assertTrue(refused.err().contains("ratchet_no_such_role"), refused.err());
            Run overridden = ratchet(stranger, "status", "--migrations", q, "--user", env.get("RATCHET_USER"));
            assertEquals(0, overridden.code(), overridden.out() + overridden.err());
            assertTrue(overridden.out().contains("applied: 3"), overridden.out());

            Run elsewhere = ratchet(env, "migrate", "--migrations", q, "--url", "jdbc:sqlite:other.db");
            assertEquals(0, elsewhere.code(), elsewhere.out() + elsewhere.err());
            assertTrue(Files.exists(work.resolve("other.db")), "--url wins over RATCHET_URL");

            Map<String, String> secret = Map.of("RATCHET_URL", "jdbc:postgresql://127.0.0.1/app?password=hunter2");
            Run help = ratchet(secret, "migrate", "--help");
            assertEquals(0, help.code(), help.err());
            assertTrue(help.out().contains("RATCHET_URL"), help.out());
            assertFalse(help.out().contains("hunter2"), "the help shows no value of the environment's: " + help.out());
        }
    }
}
