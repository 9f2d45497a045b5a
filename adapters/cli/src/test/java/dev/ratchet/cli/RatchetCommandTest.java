package dev.ratchet.cli;

import dev.ratchet.ErrorKind;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.Version;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scenarios run in-process, where the working directory is the module's; a command that
 * needs {@code work} as its directory (the default SQLite file) runs as a separate process on
 * the test classpath.
 */
class RatchetCommandTest extends CliScenarios {

    @Override
    Run ratchet(String... args) throws Exception {
        if (args.length > 0 && List.of(args).contains("--migrations") && !List.of(args).contains("--url")
                && !List.of(args).contains("--help")) {
            return process(args);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RatchetCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Run process(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RatchetCommand.class.getName()));
        command.addAll(List.of(args));
        Path errFile = Files.createTempFile(work, "stderr", ".txt");
        Process p = new ProcessBuilder(command).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(errFile.toFile()).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), output, Files.readString(errFile));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aLockTimeoutExitsWithFour(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Migration slow = Migration.builder("1_create_authors").version(Version.of(1)).checksumOf("slow")
                    .body(c -> {
                        holding.countDown();
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }).build();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> holder = pool.submit(() -> Ratchet.builder().dataSource(db.dataSource())
                        .tracker(AppliedSetTracker.builder().build())
                        .namespace(Namespace.of("default", List.of(slow))).build().migrate());
                assertTrue(holding.await(30, TimeUnit.SECONDS));
                Run r = ratchet("migrate", "--url", db.url(), "--migrations", QUICKSTART.toString(),
                        "--lock-timeout", "1", "--format", "json");
                assertEquals(4, r.code(), r.out());
                assertEquals(ErrorKind.LOCK_TIMEOUT.name(), r.json().at("/error/kind").asText());
                release.countDown();
                holder.get(60, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theLockStrategyOptionReachesTheRun(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Run bogus = ratchet("migrate", "--url", db.url(), "--migrations", QUICKSTART.toString(),
                    "--lock-strategy", "SOMETIMES");
            assertEquals(2, bogus.code(), bogus.err());
            assertTrue(bogus.err().contains("AUTO, ADVISORY, LEASE"), bogus.err());
            if (kind == DatabaseKind.SQLITE) {
                Run r = ratchet("migrate", "--url", db.url(), "--migrations", QUICKSTART.toString(),
                        "--lock-strategy", "ADVISORY", "--format", "json");
                assertEquals(ErrorKind.UNSUPPORTED_FEATURE.name(), r.json().at("/error/kind").asText(), r.out());
                assertTrue(r.json().at("/error/hint").asText().contains("use --lock-strategy AUTO or LEASE"), r.out());
                return;
            }
            Run r = ratchet("migrate", "--url", db.url(), "--migrations", QUICKSTART.toString(),
                    "--lock-strategy", "LEASE", "--format", "json");
            assertEquals(0, r.code(), r.out() + r.err());
            try (var c = db.connect(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM ratchet_applied_migrations_lock")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the lease table was used and the lease released");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theLockLeaseOptionReachesTheLease(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path dir = Files.createDirectories(work.resolve("lease-" + kind));
            // The migration keeps what is left of the lease it runs under.
            Files.writeString(dir.resolve("V1__see_the_lease.sql"), kind == DatabaseKind.SQLITE
                    ? "CREATE TABLE lease_seen AS SELECT expires_at - CAST(strftime('%s', 'now') AS INTEGER) * 1000"
                    + " AS remaining_ms FROM ratchet_applied_migrations_lock;\n"
                    : "CREATE TABLE lease_seen AS SELECT (extract(epoch FROM expires_at - clock_timestamp()) * 1000)::bigint"
                    + " AS remaining_ms FROM ratchet_applied_migrations_lock;\n");
            Run zero = ratchet("migrate", "--url", db.url(), "--migrations", dir.toString(), "--lock-lease", "0");
            assertEquals(2, zero.code(), zero.out() + zero.err());
            assertTrue(zero.err().contains("--lock-lease must be at least 1 second"), zero.err());

            Run r = ratchet("migrate", "--url", db.url(), "--migrations", dir.toString(), "--lock-strategy", "LEASE",
                    "--lock-lease", "3600", "--format", "json");
            assertEquals(0, r.code(), r.out() + r.err());
            try (var c = db.connect(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT remaining_ms FROM lease_seen")) {
                assertTrue(rs.next(), "the migration ran under a lease row");
                long remaining = rs.getLong(1);
                assertTrue(remaining > 3_000_000 && remaining <= 3_601_000,
                        "an hour's lease (the default is a minute), " + remaining + " ms left");
            }
        }
    }

    /**
     * A login the server rejects (SQLSTATE class 28) asks for the password once, and only with a
     * terminal attached: {@code script} gives the command one. The server here trusts every login,
     * so a role that does not exist is what it rejects, the typed password too.
     */
    @Test
    void aRejectedLoginAsksForThePasswordOnceAndOnlyOnATerminal() throws Exception {
        Path script = Path.of("/usr/bin/script");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(script),
                "util-linux's script gives the command a terminal; install util-linux to run this test");
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            String url = db.url().replaceAll("([?&])user=[^&]*&?", "$1").replaceAll("[?&]$", "");
            url += (url.contains("?") ? "&" : "?") + "user=ratchet_no_such_role";
            List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), RatchetCommand.class.getName(),
                    "status", "--url", url, "--migrations", QUICKSTART.toString());

            Run noTerminal = process("status", "--url", url, "--migrations", QUICKSTART.toString());
            assertEquals(5, noTerminal.code(), noTerminal.out() + noTerminal.err());
            assertFalse((noTerminal.out() + noTerminal.err()).contains("Password for"), "no prompt without a terminal");

            StringBuilder shell = new StringBuilder();
            for (String arg : java) {
                shell.append('\'').append(arg.replace("'", "'\\''")).append("' ");
            }
            ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qefc", shell.toString(), "/dev/null")
                    .directory(work.toFile()).redirectErrorStream(true);
            pb.environment().remove("RATCHET_PASSWORD");
            Process p = pb.start();
            StringBuilder seen = new StringBuilder();
            Thread reader = new Thread(() -> {
                try (var in = p.getInputStream()) {
                    byte[] buf = new byte[4096];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (seen) {
                            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
            });
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!seen(seen).contains("Password for ") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(seen(seen).contains("Password for jdbc:postgresql://"), "the prompt: " + seen(seen));
            p.getOutputStream().write("hunter2-canary\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), seen(seen));
            reader.join(10_000);
            String out = seen(seen);
            assertEquals(5, p.exitValue(), out);
            assertTrue(out.contains("[CONNECTION_FAILED]") && out.contains("28000"), out);
            assertEquals(1, out.split("Password for ", -1).length - 1, "asked once: " + out);
            assertFalse(out.contains("hunter2-canary"), "the typed password is neither echoed nor printed: " + out);
        }
    }

    private static String seen(StringBuilder seen) {
        synchronized (seen) {
            return seen.toString();
        }
    }
}
