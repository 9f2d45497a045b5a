package dev.ratchet.cli;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line, in-process and as a separate process, on PostgreSQL and SQLite. */
@Timeout(120)
class RatchetCommandTest {
    /** The README's example migrations. */
    static final Path QUICKSTART = Path.of("../../examples/quickstart").toAbsolutePath().normalize();

    @TempDir
    Path work;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RatchetCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void migrateThenStatusOnTheQuickstartExample(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Run migrate = run("migrate", "--url", db.url(), "--migrations", QUICKSTART.toString());
            assertEquals(0, migrate.code(), migrate.err());
            assertTrue(migrate.out().contains("applied default/1_create_authors"), migrate.out());
            assertTrue(migrate.out().contains("applied default/3_add_isbn"), migrate.out());
            assertTrue(migrate.out().contains("3 migration(s) applied"), migrate.out());

            Run again = run("migrate", "--url", db.url(), "--migrations", QUICKSTART.toString());
            assertEquals(0, again.code(), again.err());
            assertTrue(again.out().contains("0 migration(s) applied"), again.out());

            Run status = run("status", "--url", db.url(), "--migrations", QUICKSTART.toString());
            assertEquals(0, status.code(), status.err());
            assertTrue(status.out().contains("applied: 3") && status.out().contains("pending: 0"), status.out());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void refusalsAndFailuresHaveTheirExitCodes(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path dir = Files.createDirectories(work.resolve("m"));
            Files.writeString(dir.resolve("V1__a.sql"), "CREATE TABLE a (id int);");
            Files.writeString(dir.resolve("V2__b.sql"), "CREATE TABLE b (id int);");
            assertEquals(0, run("migrate", "--url", db.url(), "--migrations", dir.toString()).code());

            Files.delete(dir.resolve("V2__b.sql"));
            Run refused = run("migrate", "--url", db.url(), "--migrations", dir.toString());
            assertEquals(3, refused.code(), refused.err());
            assertTrue(refused.err().contains("UNKNOWN_APPLIED_VERSION"), refused.err());
            Run status = run("status", "--url", db.url(), "--migrations", dir.toString());
            assertEquals(3, status.code());
            assertTrue(status.out().contains("problem: [UNKNOWN_APPLIED_VERSION]"), status.out());

            Files.writeString(dir.resolve("V2__b.sql"), "CREATE TABLE b (id int);");
            Files.writeString(dir.resolve("V3__broken.sql"), "CREATE TABLE c (id int); SELECT * FROM nowhere;");
            Run failed = run("migrate", "--url", db.url(), "--migrations", dir.toString());
            assertEquals(1, failed.code(), failed.err());
            assertTrue(failed.err().contains("MIGRATION_FAILED") && failed.err().contains("V3__broken.sql"),
                    failed.err());

            Files.writeString(dir.resolve("oops.sql"), "SELECT 1;");
            Run malformed = run("migrate", "--url", db.url(), "--migrations", dir.toString());
            assertEquals(3, malformed.code());
            assertTrue(malformed.err().contains("oops.sql"), malformed.err());
        }
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("migrate").code(), "--migrations is required");
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run().code());
        Run help = run("migrate", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("ratchet migrate --migrations examples/quickstart"), help.out());
    }

    @Test
    void aPasswordInTheUrlIsNeverPrinted() {
        try (TestDatabase db = TestDatabases.postgres()) {
            Run r = run("migrate", "--url", db.url() + "&password=hunter2", "--migrations", QUICKSTART.toString());
            assertEquals(0, r.code(), r.err());
            assertFalse((r.out() + r.err()).contains("hunter2"), r.out());
            assertTrue(r.out().contains("password=***"), r.out());
        }
    }

    private Run process(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RatchetCommand.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), output, output);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void asASeparateProcess(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Run r = process("migrate", "--url", db.url(), "--migrations", QUICKSTART.toString());
            assertEquals(0, r.code(), r.out());
            assertTrue(r.out().contains("3 migration(s) applied"), r.out());
        }
    }

    @Test
    void withoutUrlItUsesASqliteFileInTheWorkingDirectory() throws Exception {
        Run r = process("migrate", "--migrations", QUICKSTART.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("Migrating jdbc:sqlite:ratchet.db"), r.out());
        Path file = work.resolve("ratchet.db");
        assertTrue(Files.size(file) > 0, "the database file is in the working directory");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM ratchet_applied_migrations")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
        }
    }
}
