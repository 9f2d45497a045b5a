package dev.ratchet.chaos;

import dev.ratchet.ConnectionSource;
import dev.ratchet.Migration;
import dev.ratchet.MigrationListener;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A canary password, in the JDBC URL and as a separate password, never appears in an exception
 * message (with its causes and context), nor in a log line, across the error paths: refused
 * connection, unknown database, malformed URL, failed migration, lock timeout, refusal.
 */
@Timeout(300)
class CanaryPasswordTest {
    private static final String CANARY = "Canary-7f3d9e21-pass";

    @Test
    void theCanaryNeverLeaks() throws Exception {
        String server = TestDatabases.postgresServerUrl(); // trust auth: a password is accepted and ignored
        String sep = server.contains("?") ? "&" : "?";
        List<String> leaks = new ArrayList<>();
        int paths = 0;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            String good = db.url() + "&password=" + CANARY;
            List<ConnectionSource> sources = List.of(
                    ConnectionSource.url("jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=" + CANARY, null, null),
                    ConnectionSource.url("jdbc:postgresql://127.0.0.1:1/test", "postgres", CANARY),
                    ConnectionSource.url(server.replaceFirst("/[^/?]+(\\?|$)", "/no_such_db_x$1")
                            + sep + "password=" + CANARY, null, null),
                    ConnectionSource.url("jdbc:postgresql://[::1:5432/x?password=" + CANARY, null, null),
                    ConnectionSource.url("jdbc:nosuchdriver://h/x?password=" + CANARY, null, CANARY));
            for (ConnectionSource source : sources) {
                paths++;
                check(leaks, "connection " + paths, () -> ratchet(source, List.of(probe("SELECT 1"))).migrate());
                check(leaks, "status " + paths, () -> ratchet(source, List.of(probe("SELECT 1"))).status());
            }
            ConnectionSource working = ConnectionSource.url(good, null, CANARY);
            paths++;
            check(leaks, "failed migration", () -> ratchet(working, List.of(probe("SELECT * FROM no_such_table"))).migrate());
            paths++;
            ratchet(working, List.of(probe("SELECT 1"))).migrate();
            check(leaks, "refusal", () -> ratchet(working, List.of(Migration.builder("1_renamed").version(Version.of(1))
                    .sql("SELECT 1").build())).migrate());
            paths++;
            // Another runner holds the migration lock while a slow migration runs.
            Thread slow = new Thread(() -> Ratchet.builder().connections(working)
                    .tracker(AppliedSetTracker.builder().build())
                    .namespace(Namespace.of("app", List.of(probe("SELECT 1"), Migration.builder("2_slow")
                            .version(Version.of(2)).sql("SELECT pg_sleep(4)").build()))).build().migrate());
            slow.start();
            Thread.sleep(1000);
            check(leaks, "lock timeout", () -> Ratchet.builder().connections(working)
                    .tracker(AppliedSetTracker.builder().build()).lockTimeout(Duration.ofSeconds(1))
                    .listener(MigrationListener.logging())
                    .namespace(Namespace.of("app", List.of(probe("SELECT 1"), Migration.builder("2_slow")
                            .version(Version.of(2)).sql("SELECT pg_sleep(4)").build()))).build().migrate());
            slow.join(30_000);
        } finally {
            System.setErr(originalErr);
        }
        String logged = logs.toString(StandardCharsets.UTF_8);
        if (logged.contains(CANARY)) {
            leaks.add("log output: " + logged);
        }
        assertTrue(paths >= 8, "error paths exercised: " + paths);
        Chaos.record("canary password in messages and logs", "postgresql", "error paths", paths, leaks.size());
        assertEquals(List.of(), leaks);
        assertFalse(logged.isEmpty() && paths == 0);
    }

    private static Migration probe(String sql) {
        return Migration.builder("1_probe").version(Version.of(1)).sql(sql).build();
    }

    private static Ratchet ratchet(ConnectionSource source, List<Migration> code) {
        return Ratchet.builder().connections(source).tracker(AppliedSetTracker.builder().build())
                .listener(MigrationListener.logging()).lockTimeout(Duration.ofSeconds(2))
                .namespace(Namespace.of("app", code)).build();
    }

    /** Runs {@code action}, expecting a failure; records a leak if the canary is anywhere in it. */
    private static void check(List<String> leaks, String what, Runnable action) {
        try {
            action.run();
            leaks.add(what + ": did not fail");
        } catch (RuntimeException e) {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t).append('\n');
                for (Throwable s : t.getSuppressed()) {
                    all.append(s).append('\n');
                }
            }
            if (e instanceof RatchetException re) {
                all.append(re.context());
            }
            if (all.toString().contains(CANARY)) {
                leaks.add(what + ": " + all);
            }
        }
    }
}
