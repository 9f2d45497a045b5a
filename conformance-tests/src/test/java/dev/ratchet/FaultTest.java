package dev.ratchet;

import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ratchet.Fixtures.create;
import static dev.ratchet.Fixtures.creates;
import static dev.ratchet.Fixtures.effects;
import static dev.ratchet.Fixtures.expectedRows;
import static dev.ratchet.Fixtures.ratchet;
import static dev.ratchet.Fixtures.trackerRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lost locks and dead connections in the middle of a run. */
@Timeout(60)
class FaultTest {

    @Test
    void aLostAdvisoryLockIsReportedAtReleaseNotIgnored() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Fixtures.createEffectsTable(db);
            Migration unlocksEverything = Migration.builder("2_unlock").version(Version.of(2)).checksumOf("unlock")
                    .body(c -> {
                        try (Statement st = c.createStatement()) {
                            st.execute("SELECT pg_advisory_unlock_all()");
                        }
                    }).build();

            RatchetException e = assertThrows(RatchetException.class,
                    () -> ratchet(db, List.of(create(1), unlocksEverything)).migrate());

            assertEquals(ErrorKind.LOCK_RELEASE_FAILED, e.kind());
            assertEquals(2, trackerRows(db).size(), "what committed stays committed");
        }
    }

    @Test
    void aTakenOverSqliteLeaseStopsTheRunBeforeTheNextMigration() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            Fixtures.createEffectsTable(db);
            // Another runner takes a lease over only after its holder was silent for the whole
            // lease, longer than the renewal interval (a tenth of it): the body outlasts that.
            Duration lease = Duration.ofSeconds(2);
            Migration stealsLease = Migration.builder("2_steal").version(Version.of(2)).checksumOf("steal")
                    .body(c -> {
                        try (Statement st = c.createStatement()) {
                            st.execute("UPDATE ratchet_applied_migrations_lock SET owner = 'someone-else'");
                        }
                        sleep(lease.dividedBy(10).plusMillis(50));
                    }).build();

            RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.builder(db,
                    List.of(create(1), stealsLease, create(3))).lockLease(lease).build().migrate());

            assertEquals(ErrorKind.LOCK_LOST, e.kind());
            assertEquals(Map.of("1", 1), effects(db), "3 never ran");
            assertEquals(2, trackerRows(db).size());
        }
    }

    @Test
    void aSqliteLeaseIsRenewedOncePerIntervalNotOncePerMigration() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            // Every body reads the lease's expiry as its own transaction sees it (after any renewal).
            List<Long> seen = new ArrayList<>();
            List<Migration> quick = new ArrayList<>();
            for (int v = 1; v <= 30; v++) {
                quick.add(Migration.builder(v + "_quick").version(Version.of(v)).checksumOf("quick")
                        .body(c -> {
                            try (Statement st = c.createStatement();
                                 ResultSet rs = st.executeQuery("SELECT expires_at FROM ratchet_applied_migrations_lock")) {
                                assertTrue(rs.next(), "the lease row exists while migrating");
                                seen.add(rs.getLong(1));
                            }
                        }).build());
            }
            long started = System.nanoTime();
            assertEquals(30, ratchet(db, quick).migrate().applied().size());
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;

            // Default lease 1 minute: renewed at most once a second, so at most one new expiry per
            // second of the run besides the one taken with the lease.
            assertEquals(30, seen.size());
            long expiries = seen.stream().distinct().count();
            assertTrue(expiries <= 1 + elapsedMs / 1000, expiries + " expiries in " + elapsedMs + " ms: " + seen);
        }
    }

    @Test
    void aSqliteLeaseIsRenewedBeforeTheMigrationAfterALongOne() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            Duration lease = Duration.ofSeconds(1); // renewal interval 100 ms
            List<Long> seen = new ArrayList<>();
            List<Migration> code = new ArrayList<>();
            for (int v = 1; v <= 3; v++) {
                int version = v;
                code.add(Migration.builder(v + "_m").version(Version.of(v)).checksumOf("m").body(c -> {
                    try (Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("SELECT expires_at FROM ratchet_applied_migrations_lock")) {
                        assertTrue(rs.next(), "the lease row exists while migrating");
                        seen.add(rs.getLong(1));
                    }
                    if (version == 2) {
                        sleep(lease.dividedBy(10).plusMillis(50)); // outlasts the renewal interval
                    }
                }).build());
            }

            Fixtures.builder(db, code).lockLease(lease).build().migrate();

            assertEquals(3, seen.size());
            assertTrue(seen.get(2) > seen.get(1), "the lease was renewed before migration 3: " + seen);
            assertTrue(seen.get(2) >= seen.get(0) + lease.dividedBy(10).toMillis(), "a renewal extends the lease: " + seen);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aConnectionKilledMidMigrationRollsBackAndTheNextRunCompletes() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Fixtures.createEffectsTable(db);
            Migration killed = killedAfterItsFirstInsert(true);

            RatchetException e = assertThrows(RatchetException.class,
                    () -> ratchet(db, List.of(create(1), killed, create(3))).migrate());

            assertEquals(ErrorKind.CONNECTION_FAILED, e.kind(), e.getMessage());
            assertEquals("2_killed", e.context().get("migration"));
            assertEquals("the server ended the session (an administrator's pg_terminate_backend, a fast shutdown, or a"
                    + " failover): run migrate again once the server accepts connections; what was rolled back runs"
                    + " again", e.hint(), "not the URL or the credentials: the connection worked until it was ended");
            assertEquals(Map.of("1", 1), effects(db), "the killed migration's transaction is gone");
            assertEquals(expectedRows(creates(1)), trackerRows(db));

            List<Migration> fixed = List.of(create(1), create(2), create(3));
            assertEquals(2, ratchet(db, fixed).migrate().applied().size(), "the next boot needs no manual step");
            assertEquals(Map.of("1", 1, "2", 1, "3", 1), effects(db));
        }
    }

    /**
     * A connection ended during a migration that runs outside a transaction: what it did before
     * stays, and the hint says to check the schema, not the URL; an error on a working connection
     * outside any migration (here a query after the session was ended) says the connection was
     * lost, too.
     */
    @Test
    void aConnectionKilledOutsideATransactionSaysItsEarlierStatementsMayStay() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Fixtures.createEffectsTable(db);
            Migration killed = killedAfterItsFirstInsert(false);
            RatchetException e = assertThrows(RatchetException.class,
                    () -> ratchet(db, List.of(create(1), killed)).migrate());
            assertEquals(ErrorKind.CONNECTION_FAILED, e.kind(), e.getMessage());
            assertEquals("the server ended the session (an administrator's pg_terminate_backend, a fast shutdown, or a"
                    + " failover): the migration ran outside a transaction, so its statements before the failing one"
                    + " may stay applied; check the schema before the next run", e.hint());
            assertEquals(Map.of("1", 1, "2", 1), effects(db), "its first statement stays");
            assertEquals(expectedRows(creates(1)), trackerRows(db), "not recorded");

            try (Connection c = DriverManager.getConnection(db.url())) {
                dev.ratchet.internal.DatabaseDialect dialect = dev.ratchet.internal.DatabaseDialect.of(c);
                terminate(c);
                java.sql.SQLException lost = assertThrows(java.sql.SQLException.class,
                        () -> c.createStatement().execute("SELECT 1"));
                RatchetException wrapped = dev.ratchet.internal.Errors.database(dialect, lost,
                        "reading the tracker table", "app");
                assertEquals(ErrorKind.CONNECTION_FAILED, wrapped.kind(), wrapped.getMessage());
                assertTrue(wrapped.hint().startsWith("the connection broke (the network, a proxy or a firewall")
                        || wrapped.hint().startsWith("the server ended the session"), wrapped.hint());
                assertTrue(wrapped.hint().endsWith("the server rolled back what was not committed; run again once it"
                        + " accepts connections"), wrapped.hint());
            }
        }
    }

    /**
     * Migration 2, whose session is ended from another connection after its first insert (into
     * effects), before its second.
     */
    private static Migration killedAfterItsFirstInsert(boolean transactional) {
        return Migration.builder("2_killed").version(Version.of(2)).checksumOf("killed").transactional(transactional)
                .body(c -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("INSERT INTO effects(name) VALUES ('2')");
                        terminate(c);
                        st.execute("INSERT INTO effects(name) VALUES ('2-after-kill')");
                    }
                }).build();
    }

    /** Ends {@code c}'s server session from another connection. */
    private static void terminate(Connection c) throws java.sql.SQLException {
        int pid;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
        try (Connection other = DriverManager.getConnection(TestDatabases.postgresServerUrl());
             Statement kill = other.createStatement()) {
            kill.execute("SELECT pg_terminate_backend(" + pid + ")");
        }
    }

    @Test
    void anUnreachableServerIsAConnectionFailureWithoutTheSecret() {
        Ratchet r = Ratchet.builder()
                .connections(ConnectionSource.url("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2&password=hunter2",
                        "nobody", "hunter2"))
                .tracker(dev.ratchet.tracker.appliedset.AppliedSetTracker.builder().build())
                .namespace(Namespace.of("app", creates(1)))
                .build();
        RatchetException e = assertThrows(RatchetException.class, r::migrate);
        assertEquals(ErrorKind.CONNECTION_FAILED, e.kind());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("password=***"), e.getMessage());
    }

    /**
     * A URL that names a file which is no SQLite database, or a damaged one: the error says which,
     * with SQLite's result code in place of a SQLSTATE SQLite does not have, and the file is left
     * as it was.
     */
    @Test
    void aFileThatIsNoSqliteDatabaseOrADamagedOneIsNamedInTheHintAndLeftAsItWas(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path text = dir.resolve("notes.db");
        java.nio.file.Files.writeString(text, "not a database, some notes\n".repeat(200));
        java.nio.file.Path damaged = dir.resolve("damaged.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + damaged); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE a (x int)");
            st.execute("INSERT INTO a VALUES (1)");
        }
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(damaged,
                java.nio.file.StandardOpenOption.WRITE)) {
            byte[] garbage = new byte[200];
            java.util.Arrays.fill(garbage, (byte) 0xff);
            f.write(java.nio.ByteBuffer.wrap(garbage), 100); // the schema page, after the file's header
        }
        Map<java.nio.file.Path, String> hints = Map.of(text, "is not a SQLite database", damaged, "is damaged");
        Map<java.nio.file.Path, String> codes = Map.of(text, "(SQLite result code 26)", damaged, "(SQLite result code 11)");
        for (java.nio.file.Path file : List.of(text, damaged)) {
            byte[] before = java.nio.file.Files.readAllBytes(file);
            RatchetException e = assertThrows(RatchetException.class, ratchetAt("jdbc:sqlite:" + file)::migrate);
            assertEquals(ErrorKind.DATABASE_ERROR, e.kind(), e.getMessage());
            assertTrue(e.hint().contains(hints.get(file)), e.hint());
            assertTrue(e.getMessage().contains(codes.get(file)), e.getMessage());
            assertFalse(e.getMessage().contains("SQLSTATE null"), e.getMessage());
            assertTrue(java.util.Arrays.equals(before, java.nio.file.Files.readAllBytes(file)), "left as it was: " + file);
        }
    }

    /** SQLite creates the file, not its directory: a path into a missing directory says so. */
    @Test
    void aSqliteFileInAMissingDirectoryIsNamedInTheHint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path missing = dir.resolve("no/such");
        RatchetException e = assertThrows(RatchetException.class, ratchetAt("jdbc:sqlite:" + missing.resolve("app.db"))::migrate);
        assertEquals(ErrorKind.CONNECTION_FAILED, e.kind());
        assertEquals("the directory " + missing + " does not exist: SQLite creates the database file, not the"
                + " directories above it; create it, or correct the path in the URL", e.hint());
        assertFalse(e.getMessage().contains("SQLSTATE null"), e.getMessage());
        assertFalse(java.nio.file.Files.exists(missing), "nothing created");
    }

    /** A runner of one migration on {@code url}, with no user or password. */
    private static Ratchet ratchetAt(String url) {
        return Ratchet.builder().connections(ConnectionSource.url(url, null, null))
                .tracker(dev.ratchet.tracker.appliedset.AppliedSetTracker.builder().build())
                .namespace(Namespace.of("app", creates(1)))
                .build();
    }

    /**
     * A tracker table configured for a schema the database does not have (SQLite: a database not
     * attached): migrate fails creating it, and status and plan say so first, where they listed
     * the migrations as pending as if a migrate would run them.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(dev.ratchet.conformance.DatabaseKind.class)
    void aTrackerSchemaTheDatabaseDoesNotHaveIsReportedBeforeAMigrate(dev.ratchet.conformance.DatabaseKind kind)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Ratchet r = Ratchet.builder().dataSource(db.dataSource())
                    .tracker(dev.ratchet.tracker.appliedset.AppliedSetTracker.builder().schema("no_such_schema").build())
                    .namespace(Namespace.of("app", creates(1, 2))).build();
            NamespaceStatus status = r.status().get(0);
            assertEquals(2, status.pending().size());
            RatchetException problem = status.problem().orElseThrow();
            assertEquals(ErrorKind.DATABASE_ERROR, problem.kind());
            assertTrue(problem.getMessage().contains("'no_such_schema', which ")
                    && problem.getMessage().contains(": migrate would fail creating it."), problem.getMessage());
            assertEquals(problem.getMessage(), assertThrows(RatchetException.class, r::plan).getMessage());

            RatchetException failed = assertThrows(RatchetException.class, r::migrate);
            assertEquals(ErrorKind.DATABASE_ERROR, failed.kind(), failed.getMessage());
            assertEquals(problem.hint(), failed.hint(), "the same hint as the failure it foretells");
            assertFalse(dev.ratchet.Fixtures.tableExists(db, "t1"), "nothing ran");
        }
    }

    /**
     * A pending file that cannot be read (here not UTF-8) fails the run before the tracker table
     * is created: a refusal leaves the database as it was, where an empty tracker table was left.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(dev.ratchet.conformance.DatabaseKind.class)
    void anUnreadablePendingFileFailsTheRunBeforeTheTrackerTableIsCreated(dev.ratchet.conformance.DatabaseKind kind,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("V1__a.sql"), "CREATE TABLE unread_a (id int);");
        java.nio.file.Files.write(dir.resolve("V2__latin1.sql"), new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ',
                '\'', (byte) 0xE9, '\'', ';'});
        try (TestDatabase db = TestDatabases.open(kind)) {
            RatchetException e = assertThrows(RatchetException.class, () -> Ratchet.builder()
                    .dataSource(db.dataSource()).tracker(dev.ratchet.tracker.appliedset.AppliedSetTracker.builder().build())
                    .namespace(Namespace.of("app", MigrationSource.directory(dir).load())).build().migrate());
            assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind(), e.getMessage());
            assertFalse(dev.ratchet.Fixtures.tableExists(db, "ratchet_applied_migrations"), "no tracker table");
            assertFalse(dev.ratchet.Fixtures.tableExists(db, "unread_a"), "nothing ran");
        }
    }

    /** A URL that names a directory where SQLite needs a file says so, and names a file to give. */
    @Test
    void aSqliteUrlNamingADirectoryIsNamedInTheHint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        RatchetException e = assertThrows(RatchetException.class, ratchetAt("jdbc:sqlite:" + dir)::migrate);
        assertEquals(ErrorKind.CONNECTION_FAILED, e.kind());
        assertEquals("the URL names a directory, " + dir + ", where SQLite needs a database file: name the file, such"
                + " as jdbc:sqlite:" + dir.resolve("app.db"), e.hint());
        try (var left = java.nio.file.Files.list(dir)) {
            assertEquals(0, left.count(), "nothing created");
        }
    }

    /** A SQLite URL whose mode=ro or mode=rw names a file that is not there: the hint says so. */
    @Test
    void aSqliteUrlWhoseModeCreatesNoFileNamesTheMissingFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        for (String mode : List.of("ro", "rw")) {
            java.nio.file.Path file = dir.resolve("app.db");
            RatchetException e = assertThrows(RatchetException.class,
                    ratchetAt("jdbc:sqlite:file:" + file + "?mode=" + mode)::migrate);
            assertEquals(ErrorKind.CONNECTION_FAILED, e.kind(), e.getMessage());
            assertEquals("the file " + file + " does not exist, and the URL's mode=" + mode + " opens only a file that"
                    + " exists (mode=rwc, or no mode, creates it): correct the path, or leave the mode out", e.hint());
            assertFalse(java.nio.file.Files.exists(file), "nothing created");
        }
    }

    /**
     * A server that refuses the connection says why in its SQLSTATE, and the hint says what to do:
     * a database the server does not have, and no server at the port.
     */
    @Test
    void aMissingDatabaseOrNoServerAtThePortIsNamedInTheHint() {
        String url;
        try (TestDatabase db = TestDatabases.postgres()) {
            url = db.url();
        }
        String missing = url.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]+", "$1ratchet_no_such_database");
        String noServer = url.replaceFirst("^jdbc:postgresql://[^/]+/", "jdbc:postgresql://127.0.0.1:1/");
        Map<String, String> hints = Map.of(missing, "the server has no database of the name the URL gives: create it",
                noServer, "no server answered at the host and port the URL gives");
        for (String u : List.of(missing, noServer)) {
            RatchetException e = assertThrows(RatchetException.class, ratchetAt(u)::migrate);
            assertEquals(ErrorKind.CONNECTION_FAILED, e.kind(), e.getMessage());
            assertTrue(e.hint().startsWith(hints.get(u)), u + ": " + e.hint());
        }
    }

    /** pgjdbc takes USER:PASSWORD@ as part of the host: the hint says how to write the URL instead. */
    @Test
    void userInfoBeforeThePostgresHostIsNamedInTheHint() {
        Ratchet r = Ratchet.builder()
                .connections(ConnectionSource.url("jdbc:postgresql://postgres:hunter2@127.0.0.1:1/none?connectTimeout=2",
                        null, null))
                .tracker(dev.ratchet.tracker.appliedset.AppliedSetTracker.builder().build())
                .namespace(Namespace.of("app", creates(1)))
                .build();
        RatchetException e = assertThrows(RatchetException.class, r::migrate);
        assertEquals(ErrorKind.CONNECTION_FAILED, e.kind());
        assertTrue(e.hint().startsWith("the PostgreSQL driver does not read USER:PASSWORD@ before the host"), e.hint());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
