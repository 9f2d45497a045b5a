package dev.ratchet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command, with its exit codes and JSON, on PostgreSQL and SQLite. Run in-process by
 * {@link RatchetCommandTest} and as the built jar by {@link RatchetJarIT}.
 */
@Timeout(180)
abstract class CliScenarios {
    /** The README's example migrations. */
    static final Path QUICKSTART = Path.of("../../examples/quickstart").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    record Run(int code, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON (exit " + code + "): " + out + "\nstderr: " + err, e);
            }
        }
    }

    /** Runs {@code ratchet args...} in {@link #work}. */
    abstract Run ratchet(String... args) throws Exception;

    private Run json(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--format");
        all.add("json");
        return ratchet(all.toArray(String[]::new));
    }

    private Path dir(String name, String... files) throws Exception {
        Path d = Files.createDirectories(work.resolve(name));
        for (String f : files) {
            Files.copy(QUICKSTART.resolve(f), d.resolve(f));
        }
        return d;
    }

    /**
     * A directory {@code name} with the quickstart's V1, applied with the default tracker and then
     * edited harmlessly (a comment appended); returns it.
     */
    private Path appliedThenEdited(TestDatabase db, String name) throws Exception {
        Path m = dir(name, "V1__create_authors.sql");
        assertEquals(0, ratchet("migrate", "--url", db.url(), "--migrations", m.toString()).code());
        Files.writeString(m.resolve("V1__create_authors.sql"), "-- reviewed 2026-12\n", StandardOpenOption.APPEND);
        return m;
    }

    /** Applies the quickstart's first two migrations with {@code tracker}; returns their directory. */
    private Path firstTwoApplied(String url, String tracker) throws Exception {
        Path old = dir("old", "V1__create_authors.sql", "V2__create_books.sql");
        assertEquals(0, ratchet("migrate", "--url", url, "--tracker", tracker, "--migrations", old.toString()).code());
        return old;
    }

    private static void sql(TestDatabase db, String statement) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /**
     * Where nothing commits until every body has run (a chain, and verify), the text output names
     * each migration as its body starts: a long run says which migration it is in, and a failed
     * chain which one it was running. A migration committed on its own is named once, applied.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aChainOrAVerifyNamesEachMigrationAsItsBodyStarts(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            String q = QUICKSTART.toString();
            Run verify = ratchet("verify", "--url", db.url(), "--migrations", q);
            assertEquals(0, verify.code(), verify.out() + verify.err());
            String v = verify.out();
            assertTrue(v.contains("Verifying "), v);
            assertTrue(v.contains("  running default/3_add_isbn\n"), v);
            assertTrue(v.indexOf("  running default/3_add_isbn") < v.indexOf("  ok default/1_create_authors"),
                    "every body ran before the run was rolled back: " + v);

            Run chain = ratchet("migrate", "--url", db.url(), "--migrations", q, "--transaction-mode", "CHAIN",
                    "--target", "2");
            assertEquals(0, chain.code(), chain.out() + chain.err());
            String c = chain.out();
            assertTrue(c.contains("  running default/1_create_authors\n"), c);
            assertTrue(c.indexOf("  running default/2_create_books") < c.indexOf("  applied default/1_create_authors"),
                    "the chain's migrations are named as they start, and applied once it commits: " + c);

            Run single = ratchet("migrate", "--url", db.url(), "--migrations", q, "--transaction-mode", "PER_MIGRATION");
            assertEquals(0, single.code(), single.out() + single.err());
            assertTrue(single.out().contains("  applied default/3_add_isbn"), single.out());
            assertFalse(single.out().contains("running"), "committed one at a time, each is named once: " + single.out());

            Path broken = dir("chain-broken");
            Files.writeString(broken.resolve("V1__a.sql"), "CREATE TABLE chain_a (id int);");
            Files.writeString(broken.resolve("V2__broken.sql"), "SELECT * FROM nowhere;");
            Run failed = ratchet("migrate", "--url", db.url(), "--namespace", "reports=" + broken, "--tracker", "identity");
            assertEquals(1, failed.code(), failed.out() + failed.err());
            assertTrue(failed.out().contains("  running reports/1_a\n  running reports/2_broken\n"),
                    "identity chains by default, and the output names the migration that failed it: " + failed.out());
            assertFalse(failed.out().contains("applied reports/"), "the chain rolled back: " + failed.out());
        }
    }

    /**
     * A migration that runs longer than --progress-every is said to still run, every that many
     * seconds, so that a CI job that stops a step silent for minutes (CircleCI's no-output
     * timeout) sees output: in the text, and on standard error with --format json, whose standard
     * output stays one object. 0 prints none; a negative value is a usage error.
     */
    @org.junit.jupiter.api.Test
    void aLongMigrationIsSaidToStillRunEveryProgressInterval() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Path slow = dir("slow");
            Files.writeString(slow.resolve("V1__slow.sql"), "SELECT pg_sleep(2.5);");
            Run verify = ratchet("verify", "--url", db.url(), "--migrations", slow.toString(), "--progress-every", "1");
            assertEquals(0, verify.code(), verify.out() + verify.err());
            assertTrue(verify.out().contains("  still running default/1_slow (1 s)\n"), verify.out());

            Run json = json("migrate", "--url", db.url(), "--migrations", slow.toString(), "--progress-every", "1");
            assertEquals(0, json.code(), json.out() + json.err());
            assertEquals(1, json.json().get("applied").size(), json.out());
            assertTrue(json.err().contains("  still running default/1_slow (1 s)"), "on standard error: " + json.err());

            Files.writeString(slow.resolve("V2__slow_too.sql"), "SELECT pg_sleep(1.5);");
            Run never = ratchet("migrate", "--url", db.url(), "--migrations", slow.toString(), "--progress-every", "0");
            assertEquals(0, never.code(), never.out() + never.err());
            assertFalse(never.out().contains("still running"), never.out());
            assertTrue(never.out().contains("  applied default/2_slow_too"), never.out());

            Run negative = ratchet("verify", "--url", db.url(), "--migrations", slow.toString(), "--progress-every", "-1");
            assertEquals(2, negative.code(), negative.out() + negative.err());
            assertTrue(negative.err().contains("--progress-every must be 0 (never) or more seconds"), negative.err());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void planVerifyMigrateStatusInJson(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            String q = QUICKSTART.toString();
            Run plan = json("plan", "--url", db.url(), "--migrations", q);
            assertEquals(0, plan.code(), plan.err());
            assertEquals("plan", plan.json().get("command").asText());
            assertEquals(3, plan.json().at("/namespaces/0/pending").size());

            Run verify = json("verify", "--url", db.url(), "--migrations", q);
            assertEquals(0, verify.code(), verify.out());
            assertEquals(3, verify.json().get("verified").size());
            Run verifyText = ratchet("verify", "--url", db.url(), "--migrations", q);
            assertEquals(0, verifyText.code(), verifyText.out() + verifyText.err());
            assertTrue(verifyText.out().contains("  ok default/1_create_authors"), verifyText.out());
            assertFalse(verifyText.out().contains("applied"), "a dry run applies nothing: " + verifyText.out());

            Run migrate = json("migrate", "--url", db.url(), "--migrations", q);
            assertEquals(0, migrate.code(), migrate.out());
            JsonNode applied = migrate.json().get("applied");
            assertEquals(3, applied.size(), "verify rolled back, so migrate applies all three");
            assertEquals("1_create_authors", applied.get(0).get("name").asText());
            assertTrue(applied.get(0).has("durationMs"));
            assertTrue(migrate.json().get("ok").asBoolean());

            Run status = json("status", "--url", db.url(), "--migrations", q);
            assertEquals(0, status.code());
            JsonNode ns = status.json().at("/namespaces/0");
            assertEquals("default", ns.get("namespace").asText());
            assertEquals(3, ns.get("applied").size());
            assertEquals(0, ns.get("pending").size());
            assertTrue(ns.get("problem").isNull());

            Run text = ratchet("migrate", "--url", db.url(), "--migrations", q);
            assertEquals(0, text.code());
            assertTrue(text.out().contains("0 migration(s) applied"), text.out());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void migrateVerifyAndPlanStopAtTheTarget(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            String q = QUICKSTART.toString();
            Run plan = json("plan", "--url", db.url(), "--migrations", q, "--target", "2");
            assertEquals(0, plan.code(), plan.out());
            assertEquals("[\"1_create_authors\",\"2_create_books\"]", plan.json().at("/namespaces/0/pending").toString());
            assertEquals("2_create_books", plan.json().at("/namespaces/0/target").asText());

            Run verify = json("verify", "--url", db.url(), "--migrations", q, "--target", "1_create_authors");
            assertEquals("[\"default/1_create_authors\"]", verify.json().get("verified").toString(), verify.out());

            Run migrate = ratchet("migrate", "--url", db.url(), "--migrations", q, "--target", "002");
            assertEquals(0, migrate.code(), migrate.out() + migrate.err());
            assertTrue(migrate.out().contains("2 migration(s) applied (")
                    && migrate.out().contains("); nothing after the target 2_create_books was run."), migrate.out());
            Run status = json("status", "--url", db.url(), "--migrations", q);
            assertEquals("[\"3_add_isbn\"]", status.json().at("/namespaces/0/pending").toString(), status.out());
            assertEquals(0, status.code(), "status alone reports pending migrations without failing");
            Run check = json("status", "--url", db.url(), "--migrations", q, "--check");
            assertEquals(7, check.code(), check.out());
            assertFalse(check.json().get("ok").asBoolean());
            Run checkText = ratchet("status", "--url", db.url(), "--migrations", q, "--check");
            assertTrue(checkText.out().contains("--check: 1 pending migration(s); run migrate"), checkText.out());

            Run unknown = json("migrate", "--url", db.url(), "--migrations", q, "--target", "4");
            assertEquals(2, unknown.code(), unknown.out());
            assertEquals("--target 4: namespace 'default' has no migration named '4' or of version 4 (its last is"
                    + " 3_add_isbn)", unknown.json().path("usageError").asText());
            Run several = ratchet("migrate", "--url", db.url(), "--migrations", q, "--namespace", "other=" + q,
                    "--target", "3");
            assertEquals(2, several.code(), several.out());
            assertTrue(several.err().contains("--target 3 is for one namespace, and 2 are given: run the command once"
                    + " per namespace"), several.err());

            Run rest = json("migrate", "--url", db.url(), "--migrations", q);
            assertEquals(1, rest.json().get("applied").size(), rest.out());
            assertTrue(rest.json().path("target").isMissingNode(), rest.out());
            assertEquals(0, ratchet("status", "--url", db.url(), "--migrations", q, "--check").code(),
                    "nothing pending: the gate passes");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void refusalsAndFailuresHaveTheirExitCodesAndJson(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path m = dir("m", "V1__create_authors.sql", "V2__create_books.sql");
            assertEquals(0, ratchet("migrate", "--url", db.url(), "--migrations", m.toString()).code());

            Files.delete(m.resolve("V2__create_books.sql"));
            Run refused = json("migrate", "--url", db.url(), "--migrations", m.toString());
            assertEquals(3, refused.code());
            assertEquals("UNKNOWN_APPLIED_VERSION", refused.json().at("/error/kind").asText());
            assertEquals("REFUSED", refused.json().at("/error/family").asText());
            assertFalse(refused.json().get("ok").asBoolean());
            Run status = json("status", "--url", db.url(), "--migrations", m.toString());
            assertEquals(3, status.code());
            assertEquals("UNKNOWN_APPLIED_VERSION", status.json().at("/namespaces/0/problem/kind").asText());

            Files.copy(QUICKSTART.resolve("V2__create_books.sql"), m.resolve("V2__create_books.sql"));
            Files.writeString(m.resolve("V3__create_d.sql"), "CREATE TABLE d (id int);");
            Files.writeString(m.resolve("V4__broken.sql"), "CREATE TABLE c (id int);\nSELECT * FROM nowhere;");
            Run verify = json("verify", "--url", db.url(), "--migrations", m.toString());
            assertEquals(1, verify.code(), verify.out());
            assertEquals("MIGRATION_FAILED", verify.json().at("/failure/kind").asText());
            Run chain = json("migrate", "--url", db.url(), "--migrations", m.toString(), "--transaction-mode", "CHAIN");
            assertEquals(1, chain.code(), chain.out());
            assertEquals(0, chain.json().get("applied").size(), "the chain of V3 and V4 rolled back: " + chain.out());
            Run failed = json("migrate", "--url", db.url(), "--migrations", m.toString());
            assertEquals(1, failed.code());
            assertEquals("MIGRATION_FAILED", failed.json().at("/error/kind").asText());
            assertEquals(2, failed.json().at("/error/context/statement").asInt());
            assertEquals(1, failed.json().get("applied").size(), "V3 committed before V4 failed: " + failed.out());
            assertEquals("3_create_d", failed.json().at("/applied/0/name").asText());
            Run failedText = ratchet("migrate", "--url", db.url(), "--migrations", m.toString());
            assertTrue(failedText.err().contains("V4__broken.sql"), failedText.err());

            Files.writeString(m.resolve("oops.sql"), "SELECT 1;");
            Run malformed = json("status", "--url", db.url(), "--migrations", m.toString());
            assertEquals(3, malformed.code());
            assertEquals("MALFORMED_MIGRATION_NAME", malformed.json().at("/error/kind").asText());
            Files.delete(m.resolve("oops.sql"));

            Run unsupported = json("force", "2", "--url", db.url(), "--migrations", m.toString());
            assertEquals(6, unsupported.code(), "force is the counter's");
            assertEquals("UNSUPPORTED_FEATURE", unsupported.json().at("/error/kind").asText());
        }
    }

    /**
     * A harmless edit of an applied file (a comment) is refused; the statement the JSON gives
     * accepts it, and the next migrate runs only what is new.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anEditedAppliedFileIsRefusedUntilTheGivenStatementAcceptsIt(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path m = appliedThenEdited(db, "edited");
            Files.copy(QUICKSTART.resolve("V2__create_books.sql"), m.resolve("V2__create_books.sql"));

            Run refused = json("migrate", "--url", db.url(), "--migrations", m.toString());
            assertEquals(3, refused.code(), refused.out());
            assertEquals("CHECKSUM_DRIFT", refused.json().at("/error/kind").asText());
            String repair = refused.json().at("/error/context/repair/0").asText();
            assertTrue(repair.startsWith("UPDATE \"ratchet_applied_migrations\" SET \"checksum\" = '"), repair);
            assertTrue(refused.json().at("/error/hint").asText().endsWith(repair), refused.out());
            assertEquals(3, ratchet("status", "--url", db.url(), "--migrations", m.toString(), "--check").code(),
                    "with a migration pending too, status --check exits with the problem's code, not 7");

            sql(db, repair);
            Run accepted = json("migrate", "--url", db.url(), "--migrations", m.toString());
            assertEquals(0, accepted.code(), accepted.out());
            assertEquals(1, accepted.json().get("applied").size(), accepted.out());
            assertEquals("2_create_books", accepted.json().at("/applied/0/name").asText());
        }
    }

    /**
     * golang-migrate left the database dirty: the bootstrap refuses, and the hint's command, with
     * the tracker it names, forces the counter; then the bootstrap moves the history and runs on.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aDirtyGolangMigrateDatabaseIsForcedAsTheHintSaysThenBootstrapped(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            sql(db, "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
            sql(db, "INSERT INTO schema_migrations VALUES (2, TRUE)");
            sql(db, "CREATE TABLE authors (id int PRIMARY KEY)"); // 1 ran; 2 failed halfway and was undone
            String q = QUICKSTART.toString();

            Run dirty = json("migrate", "--url", db.url(), "--migrations", q, "--bootstrap-from", "counter");
            assertEquals(3, dirty.code(), dirty.out());
            assertEquals("DIRTY", dirty.json().at("/error/kind").asText());
            String hint = dirty.json().at("/error/hint").asText();
            String tracker = dirty.json().at("/error/context/trackerName").asText();
            assertTrue(hint.endsWith("run ratchet force 1 (with --tracker " + tracker + ")"), hint);

            Run force = json("force", "1", "--url", db.url(), "--migrations", q, "--tracker", tracker);
            assertEquals(0, force.code(), force.out());
            Run bootstrapped = json("migrate", "--url", db.url(), "--migrations", q, "--bootstrap-from", "counter");
            assertEquals(0, bootstrapped.code(), bootstrapped.out());
            assertEquals(List.of("2_create_books", "3_add_isbn"), List.of(bootstrapped.json().at("/applied/0/name").asText(),
                    bootstrapped.json().at("/applied/1/name").asText()));
            assertEquals(2, bootstrapped.json().get("applied").size());
        }
    }

    /**
     * An older build still on the applied-set tracker after the history moved to the identity
     * tracker (a cutover that kept the source's table): every command that would run something
     * refuses, with a hint in command-line words, until told the other table is not its concern.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anotherTrackersHistoryRefusesUntilTheOptionSaysToIgnoreIt(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            String url = db.url();
            Path old = firstTwoApplied(url, "applied-set");
            String all = QUICKSTART.toString();
            Run moved = json("convert", "--url", url, "--from", "applied-set", "--to", "identity",
                    "--migrations", old.toString());
            assertEquals("MOVED", moved.json().at("/moves/0/status").asText(), moved.out());
            Run newer = json("migrate", "--url", url, "--tracker", "identity", "--migrations", all);
            assertEquals("3_add_isbn", newer.json().at("/applied/0/name").asText(), newer.out());

            for (String command : List.of("plan", "migrate", "verify")) {
                Run refused = json(command, "--url", url, "--migrations", all);
                assertEquals(3, refused.code(), command + ": " + refused.out());
                assertEquals("APPLIED_BY_ANOTHER_TRACKER", refused.json().at("/error/kind").asText(), command);
                String hint = refused.json().at("/error/hint").asText();
                assertTrue(hint.contains("pass --ignore-other-trackers"), hint);
                assertFalse(hint.contains("ignoreOtherTrackers()"), hint);
            }
            Run text = ratchet("migrate", "--url", url, "--migrations", all);
            assertEquals(3, text.code(), text.out());
            assertTrue(text.err().contains("3_add_isbn") && text.err().contains("pass --ignore-other-trackers"),
                    text.err());
            Run status = json("status", "--url", url, "--migrations", all);
            assertEquals(3, status.code(), status.out());
            assertEquals("APPLIED_BY_ANOTHER_TRACKER", status.json().at("/namespaces/0/problem/kind").asText());

            Run plan = json("plan", "--url", url, "--migrations", all, "--ignore-other-trackers");
            assertEquals(0, plan.code(), plan.out());
            assertEquals("3_add_isbn", plan.json().at("/namespaces/0/pending/0").asText());
            Run quiet = json("status", "--url", url, "--migrations", all, "--ignore-other-trackers");
            assertEquals(0, quiet.code(), quiet.out());
            assertTrue(quiet.json().at("/namespaces/0/problem").isNull(), quiet.out());
            // The column exists already: with the check off, the migration itself runs and fails.
            Run verify = json("verify", "--url", url, "--migrations", all, "--ignore-other-trackers");
            assertEquals(1, verify.code(), verify.out());
            assertEquals("3_add_isbn", verify.json().at("/failure/context/migration").asText(), verify.out());
            Run rerun = json("migrate", "--url", url, "--migrations", all, "--ignore-other-trackers");
            assertEquals(1, rerun.code(), rerun.out());
            assertEquals("MIGRATION_FAILED", rerun.json().at("/error/kind").asText());
            Run after = json("status", "--url", url, "--tracker", "identity", "--migrations", all);
            assertEquals(0, after.code(), "the failed re-run lost nothing: " + after.out());
            assertEquals(3, after.json().at("/namespaces/0/applied").size());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anOlderReleaseRunsOnANewerDatabaseOnlyWithTheOption(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            String url = db.url();
            for (String tracker : List.of("applied-set", "counter", "identity")) {
                sql(db, "DROP TABLE IF EXISTS books");
                sql(db, "DROP TABLE IF EXISTS authors");
                // Each tracker's history starts afresh: the previous one's table would refuse
                // (HISTORY_IN_ANOTHER_TABLE), as its history is this code's.
                sql(db, "DROP TABLE IF EXISTS ratchet_rollback_a");
                sql(db, "DROP TABLE IF EXISTS ratchet_rollback_c");
                Run newer = json("migrate", "--url", url, "--tracker", tracker + "@ratchet_rollback_" + tracker.charAt(0),
                        "--migrations", QUICKSTART.toString());
                assertEquals(0, newer.code(), newer.out());
                Path old = dir("old_" + tracker, "V1__create_authors.sql", "V2__create_books.sql");
                String[] args = {"--url", url, "--tracker", tracker + "@ratchet_rollback_" + tracker.charAt(0),
                        "--migrations", old.toString()};
                String beyond = tracker.equals("counter") ? "version 3" : "3_add_isbn";
                for (String command : List.of("plan", "migrate", "verify")) {
                    Run refused = json(concat(command, args));
                    assertEquals(3, refused.code(), tracker + " " + command + ": " + refused.out());
                    String hint = refused.json().at("/error/hint").asText();
                    assertTrue(hint.contains("pass --allow-newer-database"), hint);
                    assertFalse(hint.contains("allowNewerDatabase()"), hint);

                    Run allowed = json(concat(command, args, "--allow-newer-database"));
                    assertEquals(0, allowed.code(), tracker + " " + command + ": " + allowed.out());
                }
                Run migrate = json(concat("migrate", args, "--allow-newer-database"));
                assertEquals(0, migrate.json().at("/applied").size(), migrate.out());
                String warning = migrate.json().at("/warnings/0").asText();
                assertTrue(warning.contains("ahead of this code") && warning.contains(beyond), migrate.out());
                Run verify = json(concat("verify", args, "--allow-newer-database"));
                assertEquals(warning, verify.json().at("/warnings/0").asText(), "verify warns as migrate does: "
                        + verify.out());
                Run status = json(concat("status", args, "--allow-newer-database"));
                assertEquals(0, status.code(), status.out());
                assertTrue(status.json().at("/namespaces/0/problem").isNull(), status.out());
                assertEquals(0, status.json().at("/namespaces/0/pending").size(), status.out());
                assertTrue(status.json().at("/namespaces/0/warnings/0").asText().contains(beyond), status.out());
                for (String command : List.of("migrate", "verify")) {
                    Run text = ratchet(concat(command, args, "--allow-newer-database"));
                    assertTrue(text.out().contains("warning [default]: the database is ahead of this code"),
                            command + ": " + text.out());
                }
                Run refusedStatus = json(concat("status", args));
                assertEquals(3, refusedStatus.code(), refusedStatus.out());
            }
        }
    }

    private static String[] concat(String command, String[] args, String... more) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void anUnreachableDatabaseExitsWithFiveAndNoPassword() throws Exception {
        Run r = json("status", "--url", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2&password=hunter2",
                "--migrations", QUICKSTART.toString());
        assertEquals(5, r.code());
        assertEquals("CONNECTION_FAILED", r.json().at("/error/kind").asText());
        assertFalse((r.out() + r.err()).contains("hunter2"));
        assertTrue(r.json().get("url").asText().contains("password=***"));
    }

    @org.junit.jupiter.api.Test
    void aMistypedUrlSchemeExitsWithSixNamingTheFormsThatWork() throws Exception {
        Run r = json("status", "--url", "jdbc:postgres://127.0.0.1:5432/app", "--migrations", QUICKSTART.toString());
        assertEquals(6, r.code(), r.out());
        assertEquals("UNSUPPORTED_DATABASE", r.json().at("/error/kind").asText());
        assertTrue(r.json().at("/error/hint").asText().contains("jdbc:postgresql://HOST[:PORT]/DATABASE"), r.out());
    }

    /** The README's "Conversion scripts" example: golang-migrate -> applied-set -> identity. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aGolangMigrateDatabaseIsConvertedToAppliedSetThenIdentity(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            String url = db.url();
            Path old = firstTwoApplied(url, "counter");
            String all = QUICKSTART.toString();

            // With or without the migrations: an operator's first look names no directory.
            for (Run trackers : List.of(json("trackers", "--url", url, "--migrations", all), json("trackers", "--url", url))) {
                assertEquals(0, trackers.code());
                boolean counterPresent = false;
                for (JsonNode t : trackers.json().get("trackers")) {
                    if (t.get("table").asText().endsWith(".schema_migrations")) {
                        counterPresent = t.get("state").asText().equals("PRESENT")
                                && t.at("/histories/default/facts/version").asText().equals("2");
                    }
                }
                assertTrue(counterPresent, trackers.out());
            }
            // The text names the counter's version alone: a counter lists no entries ("0 entries" misled).
            Run text = ratchet("trackers", "--url", url, "--migrations", all);
            assertTrue(text.out().contains("namespace default: {dirty=false, version=2}"), text.out());

            Run plan = json("plan", "--url", url, "--migrations", all);
            assertEquals(3, plan.code(), "plan says migrate would refuse: " + plan.out());
            assertEquals("FOREIGN_HISTORY_FOUND", plan.json().at("/error/kind").asText());
            String source = plan.json().at("/error/context/trackerName").asText();
            assertTrue(source.startsWith("counter@") && source.endsWith(".schema_migrations"), plan.out());
            Run preview = json("plan", "--url", url, "--migrations", all, "--bootstrap-from", source);
            assertEquals(0, preview.code(), preview.out());
            assertEquals("3_add_isbn", preview.json().at("/namespaces/0/pending/0").asText(),
                    "what would run after the bootstrap: " + preview.out());
            assertEquals(1, preview.json().at("/namespaces/0/pending").size(), preview.out());
            Run wrongLayout = json("migrate", "--url", url, "--migrations", all, "--bootstrap-from", "counter:per-namespace");
            assertEquals(3, wrongLayout.code(), "a bootstrap source holding nothing moves nothing: " + wrongLayout.out());
            assertEquals("FOREIGN_HISTORY_FOUND", wrongLayout.json().at("/error/kind").asText());

            Run foreign = json("migrate", "--url", url, "--migrations", all);
            assertEquals(3, foreign.code(), "the applied-set tracker refuses to re-run counter history");
            assertEquals("FOREIGN_HISTORY_FOUND", foreign.json().at("/error/kind").asText());
            String hint = foreign.json().at("/error/hint").asText();
            assertTrue(hint.contains("pass migrate --bootstrap-from " + source + " or run a cutover")
                    && hint.contains("pass --ignore-other-trackers"), hint);

            Run dry = json("convert", "--url", url, "--from", "counter", "--to", "applied-set", "--migrations", all,
                    "--dry-run");
            assertEquals(0, dry.code(), dry.out());
            assertEquals("WOULD_MOVE", dry.json().at("/moves/0/status").asText());
            assertEquals(2, dry.json().at("/moves/0/rows").size());
            assertTrue(dry.json().at("/moves/0/rows/0/checksum").isNull(), "a counter knows no checksums");

            Run convert = json("convert", "--url", url, "--from", "counter", "--to", "applied-set", "--migrations", all,
                    "--retire-source");
            assertEquals(0, convert.code(), convert.out());
            assertEquals("MOVED", convert.json().at("/moves/0/status").asText());
            assertTrue(convert.json().get("retiredAs").asText().endsWith("schema_migrations_retired"));
            Run again = json("convert", "--url", url, "--from", "counter", "--to", "applied-set", "--migrations", all,
                    "--retire-source");
            assertEquals("ALREADY_MOVED", again.json().at("/moves/0/status").asText(), "idempotent");

            Run migrate = json("migrate", "--url", url, "--migrations", all);
            assertEquals(0, migrate.code(), migrate.out());
            assertEquals("3_add_isbn", migrate.json().at("/applied/0/name").asText());

            Run toIdentity = json("convert", "--url", url, "--from", "applied-set", "--to", "identity",
                    "--migrations", all, "--retire-source=drop");
            assertEquals(0, toIdentity.code(), toIdentity.out());
            assertEquals("dropped", toIdentity.json().get("retiredAs").asText());
            Run status = json("status", "--url", url, "--tracker", "identity", "--migrations", all);
            assertEquals(0, status.code(), status.out());
            assertEquals(3, status.json().at("/namespaces/0/applied").size());
            assertEquals(0, status.json().at("/namespaces/0/pending").size());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void convertRefusesAGapWithItsExitCode(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path gap = dir("gap", "V1__create_authors.sql", "3_add_isbn.up.sql");
            Files.writeString(gap.resolve("3_add_isbn.up.sql"), "CREATE TABLE isbn (id int);");
            assertEquals(0, ratchet("migrate", "--url", db.url(), "--migrations", gap.toString()).code());
            Files.copy(QUICKSTART.resolve("V2__create_books.sql"), gap.resolve("V2__create_books.sql"));

            Run r = json("convert", "--url", db.url(), "--from", "applied-set", "--to", "identity",
                    "--migrations", gap.toString());
            assertEquals(3, r.code());
            assertEquals("CUTOVER_GAP", r.json().at("/error/kind").asText());
            assertEquals("2", r.json().at("/error/context/missing/0").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void baselineAndForce(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            String q = QUICKSTART.toString();
            Run baseline = json("baseline", "--url", db.url(), "--tracker", "identity", "--migrations", q,
                    "--names", "1_create_authors,2_create_books");
            assertEquals(0, baseline.code(), baseline.out());
            Run again = json("baseline", "--url", db.url(), "--tracker", "identity", "--migrations", q,
                    "--names", "1_create_authors");
            assertEquals(3, again.code());
            assertEquals("BASELINE_NAMESPACE_POPULATED", again.json().at("/error/kind").asText());
            Run outOfOrder = json("baseline", "--url", db.url(), "--tracker", "identity@other_table", "--migrations", q,
                    "--names", "2_create_books");
            assertEquals("BASELINE_OUT_OF_ORDER", outOfOrder.json().at("/error/kind").asText());
            Run counter = json("baseline", "--url", db.url(), "--tracker", "counter@no_baseline", "--migrations", q,
                    "--names", "1_create_authors");
            assertEquals("UNSUPPORTED_FEATURE", counter.json().at("/error/kind").asText(), counter.out());
            assertTrue(counter.json().at("/error/hint").asText().contains("applied-set and identity"), counter.out());
            // --through: every migration up to one, named or by its version (Flyway's baseline version)
            for (String through : List.of("2", "2_create_books", "002")) {
                String table = "identity@through_" + through;
                Run upTo = json("baseline", "--url", db.url(), "--tracker", table, "--migrations", q, "--through", through);
                assertEquals(0, upTo.code(), upTo.out());
                assertEquals("[\"1_create_authors\",\"2_create_books\"]", upTo.json().at("/recorded").toString(),
                        upTo.out());
                Run status = json("status", "--url", db.url(), "--tracker", table, "--migrations", q);
                assertEquals(2, status.json().at("/namespaces/0/applied").size(), status.out());
            }
            Run unknown = json("baseline", "--url", db.url(), "--tracker", "identity@through_x", "--migrations", q,
                    "--through", "9");
            assertEquals(2, unknown.code(), unknown.out());
            assertTrue(unknown.json().path("usageError").asText().startsWith("--through 9: namespace 'default' has no"
                    + " migration named '9' or of version 9 (its last is 3_add_isbn)"), unknown.out());
            Run both = ratchet("baseline", "--url", db.url(), "--migrations", q, "--through", "2", "--names", "1_create_authors");
            assertEquals(2, both.code(), "--names and --through exclude each other: " + both.err());
            Run gap = json("baseline", "--url", db.url(), "--tracker", "applied-set@baselined", "--migrations", q,
                    "--names", "2_create_books");
            assertEquals(0, gap.code(), "the applied-set tracker takes a baseline with a gap: " + gap.out());
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT version, name, checksum FROM baselined")) {
                assertTrue(rs.next());
                assertEquals("2|2_create_books|null", rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                assertFalse(rs.next(), "one row: the baseline's");
            }

            sql(db, "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
            sql(db, "INSERT INTO schema_migrations VALUES (3, " + (kind == DatabaseKind.SQLITE ? "1" : "true") + ")");
            Run dirty = json("migrate", "--url", db.url(), "--tracker", "counter", "--migrations", q);
            assertEquals(3, dirty.code());
            assertEquals("DIRTY", dirty.json().at("/error/kind").asText());
            Run typo = json("force", "30", "--url", db.url(), "--tracker", "counter", "--migrations", q);
            assertEquals(2, typo.code(), "a version the code does not have is a usage error: " + typo.out());
            assertTrue(typo.json().path("usageError").asText().startsWith("version 30 is not a migration of namespace"
                    + " 'default' (its versions: 1 to 3)"), typo.out());
            Run force = json("force", "3", "--url", db.url(), "--tracker", "counter", "--migrations", q);
            assertEquals(0, force.code(), force.out());
            Run status = json("status", "--url", db.url(), "--tracker", "counter", "--migrations", q);
            assertEquals(0, status.code(), status.out());
            assertEquals("3", status.json().at("/namespaces/0/facts/version").asText());
            assertEquals("false", status.json().at("/namespaces/0/facts/dirty").asText());
            assertEquals(3, status.json().at("/namespaces/0/unverifiable").size());
        }
    }

    @Test
    void aPasswordInTheUrlIsNeverPrinted() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String url = db.url() + "&password=hunter2";
            Path m = dir("pw", "V1__create_authors.sql");
            Files.writeString(m.resolve("V2__broken.sql"), "SELECT * FROM nowhere;");
            for (Run r : List.of(ratchet("migrate", "--url", url, "--migrations", m.toString()),
                    json("migrate", "--url", url, "--migrations", m.toString()),
                    ratchet("status", "--url", url, "--migrations", m.toString()),
                    json("trackers", "--url", url))) {
                assertFalse((r.out() + r.err()).contains("hunter2"), r.out() + r.err());
            }
        }
    }

    @Test
    void usageErrorsExitWithTwoAndEveryCommandHasHelpWithAnExample() throws Exception {
        assertEquals(2, ratchet("migrate").code(), "no migrations given");
        assertEquals(2, ratchet("frobnicate").code());
        assertEquals(2, ratchet().code());
        assertEquals(2, ratchet("status", "--migrations", QUICKSTART.toString(), "--tracker", "nonsense").code());
        assertEquals(2, ratchet("migrate", "--migrations", QUICKSTART.toString(), "--format", "xml").code());

        // With --format json a usage error is a JSON object on standard output too, whether it is
        // found while parsing (an unknown option) or while running (an unknown tracker, no migrations).
        String never = "jdbc:sqlite:" + work.resolve("never.db");
        for (List<String> args : List.of(List.of("status", "--url", never, "--bogus"),
                List.of("status", "--url", never, "--migrations", QUICKSTART.toString(), "--tracker", "nonsense"),
                List.of("migrate", "--url", never))) {
            Run usage = json(args.toArray(String[]::new));
            assertEquals(2, usage.code(), args + ": " + usage.out() + usage.err());
            assertEquals(args.get(0), usage.json().path("command").asText(), usage.out());
            assertFalse(usage.json().path("ok").asBoolean(true), usage.out());
            assertEquals(2, usage.json().path("exitCode").asInt(), usage.out());
            assertTrue(usage.json().path("usageError").asText().matches("(?s).*(--bogus|nonsense|no migrations).*"),
                    usage.out());
        }
        assertFalse(Files.exists(work.resolve("never.db")), "no usage error created the database");
        for (String command : List.of("status", "plan", "migrate", "verify", "baseline", "convert", "adopt", "force",
                "trackers", "checksums")) {
            Run help = ratchet(command, "--help");
            assertEquals(0, help.code(), command);
            assertTrue(help.out().contains("Example") && help.out().contains("ratchet " + command), help.out());
        }
    }

    @Test
    void checksumsWritesTheManifestOfEachDirectoryAndTouchesNoDatabase() throws Exception {
        Path app = Files.createDirectories(work.resolve("app"));
        try (var files = Files.list(QUICKSTART)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, app.resolve(f.getFileName()));
            }
        }
        Path audit = Files.createDirectories(work.resolve("audit"));
        Files.writeString(audit.resolve("V1__audit_log.sql"), "CREATE TABLE audit_log (id int);\n");
        Run r = json("checksums", "--migrations", app.toString(), "--namespace", "audit=" + audit);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.json().has("url") && r.json().get("url").isNull(), "no database, so no URL: " + r.out());
        assertFalse(r.json().has("missingDatabaseFile"), r.out());
        Run text = ratchet("checksums", "--migrations", app.toString());
        assertEquals(0, text.code(), text.out() + text.err());
        assertFalse(text.out().contains("does not exist"), "no note about a database it does not open: " + text.out());
        Path manifest = app.resolve(dev.ratchet.ChecksumManifest.FILE_NAME);
        assertEquals(manifest.toString(), r.json().path("manifests").path("default").asText(), r.out());
        List<String> lines = Files.readAllLines(manifest);
        assertEquals(4, lines.size(), "a header and the quickstart's three migrations: " + lines);
        assertTrue(Files.readString(audit.resolve(dev.ratchet.ChecksumManifest.FILE_NAME))
                .contains("\tV1__audit_log.sql\n"));
        assertFalse(Files.exists(work.resolve("ratchet.db")), "no database was opened");

        Files.writeString(app.resolve("V9_no_double_underscore.sql"), "SELECT 1;");
        Run malformed = ratchet("checksums", "--migrations", app.toString());
        assertEquals(3, malformed.code(), malformed.out() + malformed.err());
        assertTrue(malformed.err().contains("V9_no_double_underscore.sql"), malformed.err());
        assertEquals(lines, Files.readAllLines(manifest), "the manifest is left as it was");
        assertEquals(2, ratchet("checksums").code(), "no directory given");
    }

    /** --checksum-verification sets the named tracker's mode; a counter, which keeps no checksums, refuses it. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void checksumVerificationIsAnOptionOfTheCommandsThatCompare(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path code = appliedThenEdited(db, "drifting");

            Run strict = json("status", "--url", db.url(), "--migrations", code.toString());
            assertEquals(3, strict.code(), strict.out());
            assertEquals("CHECKSUM_DRIFT", strict.json().at("/namespaces/0/problem/kind").asText(), strict.out());
            Run warn = json("status", "--url", db.url(), "--migrations", code.toString(), "--checksum-verification", "warn");
            assertEquals(0, warn.code(), warn.out());
            assertTrue(warn.json().at("/namespaces/0/warnings/0").asText().contains("1_create_authors"), warn.out());
            Run off = json("migrate", "--url", db.url(), "--migrations", code.toString(), "--checksum-verification", "OFF");
            assertEquals(0, off.code(), off.out());
            assertEquals(0, off.json().path("warnings").size(), "nothing compared: " + off.out());

            Run counter = ratchet("plan", "--url", db.url(), "--migrations", code.toString(), "--tracker", "counter",
                    "--checksum-verification", "OFF");
            assertEquals(2, counter.code(), counter.out() + counter.err());
            assertTrue(counter.err().contains("the counter tracker keeps no checksums"), counter.err());
        }
    }

    /**
     * A command refuses an option it would ignore, and says which commands take it: a script that
     * passes --tracker to convert, or a database to checksums, learns so instead of having it dropped.
     */
    @Test
    void anOptionACommandDoesNotUseIsAUsageErrorNamingTheCommandsThatTakeIt() throws Exception {
        String code = QUICKSTART.toString();
        Run convert = ratchet("convert", "--from", "counter", "--to", "applied-set", "--tracker", "identity",
                "--migrations", code, "--url", "jdbc:sqlite:" + work.resolve("never.db"));
        assertEquals(2, convert.code(), convert.out() + convert.err());
        assertTrue(convert.err().contains("convert takes no --tracker: it names the trackers with --from and --to"
                + " (status, plan, migrate, verify, baseline, force do)"), convert.err());
        Run checksums = ratchet("checksums", "--migrations", work.toString(), "--url=jdbc:sqlite:x.db");
        assertEquals(2, checksums.code(), checksums.out() + checksums.err());
        assertTrue(checksums.err().contains("checksums takes no --url (status, plan, migrate, verify, baseline,"
                + " convert, adopt, force, trackers do)"), checksums.err());
        Run status = ratchet("status", "--migrations", code, "--url", "jdbc:sqlite:" + work.resolve("never.db"),
                "--transaction-mode", "CHAIN", "--lock-lease", "5");
        assertEquals(2, status.code(), status.out() + status.err());
        assertTrue(status.err().contains("status takes no --transaction-mode (migrate takes it)"), status.err());
        assertTrue(status.err().contains("status takes no --lock-lease (migrate, verify, baseline, convert, adopt,"
                + " force do)"), status.err());
        Run trackers = ratchet("trackers", "--url", "jdbc:sqlite:" + work.resolve("never.db"), "--tracker", "counter");
        assertEquals(2, trackers.code(), trackers.out() + trackers.err());
        assertTrue(trackers.err().contains("trackers takes no --tracker"), trackers.err());
        Run negative = ratchet("plan", "--migrations", code, "--url", "jdbc:sqlite:" + work.resolve("never.db"),
                "--lock-timeout", "-1");
        assertEquals(2, negative.code(), negative.out() + negative.err());
        assertTrue(negative.err().contains("--lock-timeout must be at least 1 second, got -1"), negative.err());
        Run zero = ratchet("migrate", "--migrations", code, "--url", "jdbc:sqlite:" + work.resolve("never.db"),
                "--lock-timeout", "0");
        assertEquals(2, zero.code(), zero.out() + zero.err());
        assertTrue(zero.err().contains("--lock-timeout must be at least 1 second, got 0"), zero.err());
        assertFalse(Files.exists(work.resolve("never.db")), "no usage error opened the database");
    }

    /**
     * A namespace given twice is a usage error naming both, not a silent choice of one directory:
     * --migrations and --namespace default=..., or the same --namespace name twice. A namespace
     * name the API refuses is named with the rules for namespaces.
     */
    @Test
    void aNamespaceGivenTwiceIsAUsageErrorNamingBoth() throws Exception {
        String code = QUICKSTART.toString();
        String url = "jdbc:sqlite:" + work.resolve("never.db");
        Run twiceDefault = ratchet("migrate", "--url", url, "--migrations", code, "--namespace", "default=" + work);
        assertEquals(2, twiceDefault.code(), twiceDefault.out() + twiceDefault.err());
        assertTrue(twiceDefault.err().contains("namespace 'default' is given twice (--migrations " + code
                + " and --namespace default=" + work + "): each namespace has one directory"), twiceDefault.err());
        Run twice = ratchet("status", "--url", url, "--namespace", "a=" + code, "--namespace", "a=" + work,
                "--format", "json");
        assertEquals(2, twice.code(), twice.out() + twice.err());
        assertTrue(twice.json().at("/usageError").asText().startsWith("namespace 'a' is given twice (--namespace a="
                + code + " and --namespace a=" + work + ")"), twice.out());
        Run noName = ratchet("status", "--url", url, "--namespace", code);
        assertEquals(2, noName.code(), noName.out() + noName.err());
        assertTrue(noName.err().contains("--namespace takes NAME=DIR, got '" + code + "'"), noName.err());
        assertEquals("", noName.out(), "a usage error needs no note that the database file is missing");
        Run spaced = ratchet("plan", "--url", url, "--namespace", "a b=" + code);
        assertEquals(6, spaced.code(), spaced.out() + spaced.err());
        assertTrue(spaced.err().contains("Hint: use 1 to 63 bytes of ASCII letters, digits, '_', '.' and '-', starting with"
                + " a letter, digit or '_'"), spaced.err());
        assertFalse(Files.exists(work.resolve("never.db")), "no usage error opened the database");
    }

    /**
     * An empty directory, as an unset variable in a script gives it, is a usage error: read as a
     * path it would be the working directory, whose .sql files (a dump, a scratch query) would be
     * taken for migrations.
     */
    @Test
    void anEmptyMigrationsDirectoryIsAUsageErrorNotTheWorkingDirectory() throws Exception {
        String url = "jdbc:sqlite:" + work.resolve("never.db");
        Run empty = ratchet("migrate", "--url", url, "--migrations", "");
        assertEquals(2, empty.code(), empty.out() + empty.err());
        assertTrue(empty.err().contains("--migrations is empty (an unset variable?): give the directory, '.' for the"
                + " working directory"), empty.err());
        Run emptyNamespace = ratchet("status", "--url", url, "--namespace", "a=", "--format", "json");
        assertEquals(2, emptyNamespace.code(), emptyNamespace.out() + emptyNamespace.err());
        assertTrue(emptyNamespace.json().at("/usageError").asText().startsWith("--namespace a= names no directory"),
                emptyNamespace.out());
        assertFalse(Files.exists(work.resolve("never.db")), "no usage error opened the database");
    }

    /** Only the commands that write create the SQLite file a URL names; the others read it as empty. */
    @Test
    void commandsThatDoNotWriteLeaveAMissingSqliteFileMissing() throws Exception {
        Path file = work.resolve("later.db");
        String url = "jdbc:sqlite:" + file;
        String code = QUICKSTART.toString();
        List<List<String>> readers = List.of(List.of("status"), List.of("plan"), List.of("verify"), List.of("trackers"),
                List.of("convert", "--from", "counter", "--to", "applied-set", "--dry-run"));
        for (List<String> command : readers) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--url", url, "--migrations", code));
            Run r = json(args.toArray(String[]::new));
            assertFalse(Files.exists(file), command + " created " + file + ": " + r.out());
            assertEquals(file.toString(), r.json().path("missingDatabaseFile").asText(), command + ": " + r.out());
            if (!command.get(0).equals("convert")) {
                assertEquals(0, r.code(), command + ": " + r.out() + r.err());
            }
        }
        Run status = json("status", "--url", url, "--migrations", code);
        assertEquals(3, status.json().at("/namespaces/0/pending").size(), "an empty database: " + status.out());
        assertFalse(status.json().at("/namespaces/0/trackerInstalled").asBoolean());
        Run verify = json("verify", "--url", url, "--migrations", code);
        assertEquals(3, verify.json().get("verified").size(), verify.out());
        Run text = ratchet("status", "--url", url, "--migrations", code);
        assertTrue(text.out().contains("does not exist; read as an empty database, and not created"), text.out());

        Run withoutUrl = ratchet("status", "--migrations", code);
        assertEquals(0, withoutUrl.code(), withoutUrl.out() + withoutUrl.err());
        assertFalse(Files.exists(work.resolve("ratchet.db")), "status made no ratchet.db: " + withoutUrl.out());

        assertEquals(0, ratchet("migrate", "--url", url, "--migrations", code).code());
        assertTrue(Files.exists(file), "migrate creates the file");
        Run after = json("status", "--url", url, "--migrations", code);
        assertTrue(after.json().path("missingDatabaseFile").isMissingNode(), after.out());
        assertEquals(3, after.json().at("/namespaces/0/applied").size(), after.out());
    }

    /** An in-memory SQLite database keeps nothing: every command says so, and a file URL gets no such note. */
    @Test
    void anInMemorySqliteDatabaseIsNamedAsOne() throws Exception {
        String code = QUICKSTART.toString();
        for (String url : List.of("jdbc:sqlite::memory:", "jdbc:sqlite:", "jdbc:sqlite:file:scratch?mode=memory")) {
            Run migrate = ratchet("migrate", "--url", url, "--migrations", code);
            assertEquals(0, migrate.code(), migrate.out() + migrate.err());
            assertTrue(migrate.out().startsWith("note: " + url + " is an in-memory SQLite database, empty when the"
                    + " command starts and gone when it ends"), url + ": " + migrate.out());
            Run status = json("status", "--url", url, "--migrations", code);
            assertTrue(status.json().path("inMemoryDatabase").asBoolean(), status.out());
            assertEquals(3, status.json().at("/namespaces/0/pending").size(), "nothing kept: " + status.out());
        }
        Run file = json("status", "--url", "jdbc:sqlite:" + work.resolve("kept.db"), "--migrations", code);
        assertTrue(file.json().path("inMemoryDatabase").isMissingNode(), file.out());
    }

    @Test
    void withoutUrlItUsesASqliteFileInTheWorkingDirectory() throws Exception {
        Run r = ratchet("migrate", "--migrations", QUICKSTART.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("Migrating jdbc:sqlite:ratchet.db"), r.out());
        Path file = work.resolve("ratchet.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM ratchet_applied_migrations")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
        }
    }
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void adoptFromGooseDryRunThenRunThenIdempotentAndRefusals(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            boolean pg = kind == DatabaseKind.POSTGRESQL;
            sql(db, pg ? "CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL,"
                    + " is_applied boolean NOT NULL, tstamp timestamp NULL DEFAULT now())"
                    : "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL,"
                    + " is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')))");
            // The schema goose built: the quickstart's first two migrations.
            sql(db, Files.readString(QUICKSTART.resolve("V1__create_authors.sql")));
            sql(db, Files.readString(QUICKSTART.resolve("V2__create_books.sql")));
            String yes = pg ? "true" : "1";
            sql(db, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, " + yes + "), (1, " + yes
                    + "), (2, " + yes + ")");
            String q = QUICKSTART.toString();

            Run dry = json("adopt", "--url", db.url(), "--from", "goose", "--to", "applied-set", "--migrations", q,
                    "--dry-run");
            assertEquals(0, dry.code(), dry.out() + dry.err());
            assertEquals("WOULD_MOVE", dry.json().at("/moves/0/status").asText());
            assertEquals("2_create_books", dry.json().at("/moves/0/rows/1/name").asText());
            assertEquals("0", dry.json().at("/leftOut/0/entry").asText(), "goose's initial row is listed");

            Run run = ratchet("adopt", "--url", db.url(), "--from", "goose", "--to", "applied-set", "--migrations", q,
                    "--retire-source");
            assertEquals(0, run.code(), run.out() + run.err());
            assertTrue(run.out().contains("namespace default: MOVED (2 rows)"), run.out());
            assertTrue(run.out().contains("source table retired"), run.out());
            Run migrate = json("migrate", "--url", db.url(), "--migrations", q);
            assertEquals(0, migrate.code(), migrate.out());
            assertEquals("3_add_isbn", migrate.json().at("/applied/0/name").asText(), "only the new one runs");

            Run unknownTool = ratchet("adopt", "--url", db.url(), "--from", "sqitch", "--to", "applied-set",
                    "--migrations", q);
            assertEquals(2, unknownTool.code());
            assertTrue(unknownTool.err().contains("known: flyway, liquibase"), unknownTool.err());

            sql(db, "CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL,"
                    + " finished_at " + (pg ? "timestamptz" : "DATETIME") + ", migration_name varchar(255) NOT NULL,"
                    + " logs text, rolled_back_at " + (pg ? "timestamptz" : "DATETIME") + ", started_at "
                    + (pg ? "timestamptz" : "DATETIME") + " NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                    + " applied_steps_count integer NOT NULL DEFAULT 0)");
            sql(db, "INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('x', 'c', '1_create_authors')");
            Run unfinished = json("adopt", "--url", db.url(), "--from", "prisma", "--to", "identity@prisma_adopted",
                    "--migrations", q);
            assertEquals(3, unfinished.code(), unfinished.out());
            assertEquals("FOREIGN_MIGRATION_UNFINISHED", unfinished.json().at("/error/kind").asText());

            // Finished, with a checksum of another text than the file's: adopted, with a warning.
            sql(db, "UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP");
            Run edited = json("adopt", "--url", db.url(), "--from", "prisma", "--to", "identity@prisma_adopted",
                    "--migrations", q, "--dry-run");
            assertEquals(0, edited.code(), edited.out());
            assertTrue(edited.json().at("/warnings/0").asText().startsWith("default: 1_create_authors ("), edited.out());
            Run editedText = ratchet("adopt", "--url", db.url(), "--from", "prisma", "--to", "identity@prisma_adopted",
                    "--migrations", q, "--dry-run");
            assertTrue(editedText.out().contains("warning: default: 1_create_authors (")
                    && editedText.out().contains("so the file was edited after prisma ran it"), editedText.out());
        }
    }
    /**
     * A Liquibase changelog in formatted SQL with several changesets: split into the --migrations
     * directory and adopted in one command (the history rows written here as Liquibase writes
     * them; the adopt module's tests run the real Liquibase).
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void adoptFromALiquibaseChangelogSplitsItIntoTheMigrationsDirectory(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            boolean pg = kind == DatabaseKind.POSTGRESQL;
            Path changelog = Files.writeString(work.resolve("changelog.sql"), "--liquibase formatted sql\n\n"
                    + "--changeset alice:create-shelf\nCREATE TABLE shelf (id int PRIMARY KEY);\n"
                    + "--rollback DROP TABLE shelf;\n\n"
                    + "--changeset bob:shelf-index runInTransaction:false\nCREATE INDEX shelf_id ON shelf (id);\n\n"
                    + "--changeset bob:view runOnChange:true\nCREATE VIEW shelves AS SELECT id FROM shelf;\n");
            sql(db, "CREATE TABLE shelf (id int PRIMARY KEY)");
            sql(db, "CREATE INDEX shelf_id ON shelf (id)");
            sql(db, "CREATE TABLE databasechangelog (id varchar(255) NOT NULL, author varchar(255) NOT NULL,"
                    + " filename varchar(255) NOT NULL, dateexecuted " + (pg ? "timestamp" : "DATETIME") + " NOT NULL,"
                    + " orderexecuted int NOT NULL, exectype varchar(10) NOT NULL, md5sum varchar(35))");
            // create-shelf's MD5SUM as Liquibase 4.33 writes it (its SQL, the rollback line left out);
            // shelf-index's is of another text, as if the changeset was edited after Liquibase ran it
            sql(db, "INSERT INTO databasechangelog VALUES ('create-shelf', 'alice', 'changelog.sql', CURRENT_TIMESTAMP,"
                    + " 1, 'EXECUTED', '9:8cd751ede3f22176ec6e23ba1f696ade'), ('shelf-index', 'bob', 'changelog.sql',"
                    + " CURRENT_TIMESTAMP, 2, 'EXECUTED', '9:0123456789abcdef0123456789abcdef')");
            Path into = work.resolve("db/migrations");
            String[] adopt = {"adopt", "--url", db.url(), "--from", "liquibase", "--to", "applied-set",
                    "--changelog", changelog.toString(), "--migrations", into.toString()};

            Run dry = json(concat(adopt[0], java.util.Arrays.copyOfRange(adopt, 1, adopt.length), "--dry-run"));
            assertEquals(0, dry.code(), dry.out() + dry.err());
            assertEquals("WOULD_MOVE", dry.json().at("/moves/0/status").asText(), dry.out());
            assertEquals("2_shelf_index", dry.json().at("/moves/0/rows/1/name").asText(), dry.out());
            assertEquals(0, dry.json().at("/written").size(), dry.out());
            assertTrue(dry.json().at("/leftOut/0/reason").asText().startsWith("runOnChange"), dry.out());
            assertFalse(dry.json().at("/moves/0/rows/0/checksum").isNull(), "Liquibase's checksum proves it: " + dry.out());
            assertTrue(dry.json().at("/moves/0/rows/1/checksum").isNull(), dry.out());
            assertEquals(1, dry.json().at("/warnings").size(), dry.out());
            assertTrue(dry.json().at("/warnings/0").asText().contains("2_shelf_index")
                    && dry.json().at("/warnings/0").asText().contains("is not the file's"), dry.out());
            assertFalse(Files.exists(into), "a dry run writes no file");

            Run run = ratchet(adopt);
            assertEquals(0, run.code(), run.out() + run.err());
            assertTrue(run.out().contains("wrote 2 migration(s)") && run.out().contains("MOVED (2 rows)"), run.out());
            assertTrue(Files.readString(into.resolve("2_shelf_index.sql")).startsWith("-- ratchet:no-transaction\n"));
            Run again = json(adopt);
            assertEquals(0, again.code(), again.out());
            assertEquals("ALREADY_MOVED", again.json().at("/moves/0/status").asText(), again.out());
            Run migrate = json("migrate", "--url", db.url(), "--migrations", into.toString());
            assertEquals(0, migrate.code(), migrate.out());
            assertEquals(0, migrate.json().at("/applied").size(), "nothing runs again: " + migrate.out());

            Run flyway = ratchet("adopt", "--url", db.url(), "--from", "flyway", "--to", "applied-set",
                    "--changelog", changelog.toString(), "--migrations", into.toString());
            assertEquals(2, flyway.code(), flyway.out());
            assertTrue(flyway.err().contains("--from liquibase"), flyway.err());
            Run nowhere = ratchet("adopt", "--url", db.url(), "--from", "liquibase", "--to", "applied-set",
                    "--changelog", changelog.toString());
            assertEquals(2, nowhere.code(), nowhere.out());
            assertTrue(nowhere.err().contains("--changelog needs --migrations DIR"), nowhere.err());
            Run none = ratchet("adopt", "--url", db.url(), "--from", "goose", "--to", "identity@nothing_adopted",
                    "--migrations", into.toString());
            assertEquals(0, none.code(), none.out() + none.err());
            assertTrue(none.out().contains("NOTHING_TO_MOVE (neither table holds history for it"), none.out());
            try (Connection c = db.connect(); java.sql.ResultSet rs = c.getMetaData().getTables(null,
                    kind == DatabaseKind.POSTGRESQL ? db.schema() : null, "%", new String[] {"TABLE"})) {
                List<String> tables = new java.util.ArrayList<>();
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
                assertFalse(tables.contains("goose_db_version_lock") || tables.contains("nothing_adopted_lock"),
                        "an adoption with nothing to move leaves no lease table behind: " + tables);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aCanaryPasswordInTheUrlNeverReachesTheOutput() throws Exception {
        String canary = "Canary-51e0c2b7-pass";
        String q = QUICKSTART.toString();
        String unreachable = "jdbc:postgresql://127.0.0.1:1/app?user=app&password=" + canary;
        String noDriver = "jdbc:nosuchdriver://h/app?password=" + canary;
        int runs = 0;
        for (String url : List.of(unreachable, noDriver)) {
            for (String command : List.of("status", "migrate", "plan", "verify", "trackers")) {
                for (boolean json : new boolean[] {false, true}) {
                    Run r = json ? json(command, "--url", url, "--migrations", q) : ratchet(command, "--url", url,
                            "--migrations", q);
                    runs++;
                    assertTrue(r.code() != 0, command + " against " + url + " failed");
                    assertFalse((r.out() + r.err()).contains(canary), command + " printed the password: " + r.out()
                            + r.err());
                }
            }
        }
        assertEquals(20, runs);
    }
}
