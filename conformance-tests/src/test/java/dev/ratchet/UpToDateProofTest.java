package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.internal.DatabaseDialect;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.identity.IdentityTracker;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one-row proof behind an up-to-date boot ({@code Tracker#provesUpToDate}) of the two
 * trackers whose history grows with every migration: it holds right after a migrate (so that
 * boots do take the fast path) and fails for any table that is not exactly the code. That a
 * tampered table is still refused on an up-to-date boot is {@code TamperTest}'s; that the proof
 * never contradicts the plan is the conformance suite's.
 */
class UpToDateProofTest {
    /** What the proof's text ends each field with (ExpectedRows). */
    private static final char SEPARATOR = '\u001f';

    /**
     * A tracker under test: its label, how to make it, whether it compares checksums, its table
     * and the column its rows are ordered by.
     */
    record Subject(String label, Supplier<Tracker> tracker, boolean verifies, String table, String key) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Arguments> subjects() {
        List<Subject> subjects = List.of(
                new Subject("applied-set", () -> AppliedSetTracker.builder().build(), true,
                        AppliedSetTracker.DEFAULT_TABLE, "version"),
                new Subject("applied-set, checksums off", () -> AppliedSetTracker.builder()
                        .checksumVerification(ChecksumVerification.OFF).build(), false, AppliedSetTracker.DEFAULT_TABLE, "version"),
                new Subject("identity", () -> IdentityTracker.builder().build(), true, "schema_version", "sequence"),
                new Subject("identity, checksums off", () -> IdentityTracker.builder()
                        .checksumVerification(ChecksumVerification.OFF).build(), false, "schema_version", "sequence"));
        List<Arguments> out = new ArrayList<>();
        for (DatabaseKind kind : DatabaseKind.values()) {
            for (Subject s : subjects) {
                out.add(Arguments.of(kind, s));
            }
        }
        return out.stream();
    }

    private static Path code(Path dir, int n, String editedBody) throws Exception {
        Path d = Files.createDirectories(dir.resolve("migrations"));
        for (int i = 1; i <= n; i++) {
            // A name with a colon and non-ASCII letters: the proof's text must not be fooled by either.
            Files.writeString(d.resolve("V" + i + "__m" + i + "_ünï:c.sql"), i == 2 && editedBody != null ? editedBody
                    : "CREATE TABLE t_" + i + " (id int);\n");
        }
        return d;
    }

    private static Namespace namespace(Path migrations) {
        return Namespace.of("app", MigrationSource.directory(migrations).load());
    }

    private static void migrate(TestDatabase db, Tracker tracker, Path migrations) {
        Ratchet.builder().dataSource(db.dataSource()).tracker(tracker).namespace(namespace(migrations)).build().migrate();
    }

    private static boolean proves(TestDatabase db, Tracker tracker, Path migrations) throws SQLException {
        try (Connection c = db.connect()) {
            return tracker.provesUpToDate(new TrackerContext(c, DatabaseDialect.of(c), db.schema()), namespace(migrations));
        }
    }

    private static void exec(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void theProofHoldsRightAfterAMigrateAndFailsForAMigrationMoreOrLess(DatabaseKind kind, Subject s,
                                                                     @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path migrations = code(dir, 12, null);
            migrate(db, s.tracker().get(), migrations);
            assertTrue(proves(db, s.tracker().get(), migrations), "after a migrate of the same code");

            code(dir, 13, null);
            assertFalse(proves(db, s.tracker().get(), migrations), "a migration pending");
            Files.delete(migrations.resolve("V13__m13_ünï:c.sql"));
            Files.delete(migrations.resolve("V12__m12_ünï:c.sql"));
            assertFalse(proves(db, s.tracker().get(), migrations), "a row the code does not have");
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void anEditedBodyFailsTheProofOnlyWhereChecksumsAreCompared(DatabaseKind kind, Subject s, @TempDir Path dir)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            migrate(db, s.tracker().get(), code(dir, 3, null));
            Path edited = code(dir, 3, "CREATE TABLE t_2 (id int, edited int);\n");
            assertEquals(!s.verifies(), proves(db, s.tracker().get(), edited),
                    "an edited body proves up to date only when checksums are not compared");
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void aRenamedRowFailsTheProof(DatabaseKind kind, Subject s, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path migrations = code(dir, 3, null);
            migrate(db, s.tracker().get(), migrations);
            // The same length and a prefix that a separator could shift: still not the same rows.
            exec(db, "UPDATE " + s.table() + " SET name = '2_m2_ünï:d' WHERE name = '2_m2_ünï:c'");
            assertFalse(proves(db, s.tracker().get(), migrations));
        }
    }

    /**
     * A row with a NULL compared field is left out of the database's text; another row's field
     * carrying the left-out row's fields (separators included) would make the same text. The
     * non-NULL counts catch it. Only the checksum column may hold NULL, so only where checksums
     * are compared.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void aRowLeftOutForANullFieldCannotBeCarriedByAnother(DatabaseKind kind, Subject s, @TempDir Path dir)
            throws Exception {
        assumeTrue(s.verifies(), "the compared columns are all NOT NULL when checksums are not compared");
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path migrations = code(dir, 3, null);
            migrate(db, s.tracker().get(), migrations);
            List<String> keys = new ArrayList<>();
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT CAST(" + s.key() + " AS text) FROM " + s.table()
                         + " ORDER BY " + s.key())) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            String first = keyLiteral(s, keys.get(0));
            String second = keyLiteral(s, keys.get(1));
            exec(db, "UPDATE " + s.table() + " SET checksum = checksum || '" + SEPARATOR + "' || (SELECT CAST("
                    + s.key() + " AS text) || '" + SEPARATOR + "' || name || '" + SEPARATOR + "' || checksum FROM "
                    + s.table() + " WHERE " + s.key() + " = " + second + ") WHERE " + s.key() + " = " + first);
            exec(db, "UPDATE " + s.table() + " SET checksum = NULL WHERE " + s.key() + " = " + second);
            assertFalse(proves(db, s.tracker().get(), migrations));
        }
    }

    private static String keyLiteral(Subject s, String key) {
        return s.key().equals("sequence") ? key : "'" + key + "'";
    }

    /**
     * Applied_at texts on SQLite that a read would refuse (or that SQLite would read otherwise)
     * fail the proof; the texts Instant.toString() writes pass it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(names = {"SQLITE"})
    void onSqliteOnlyTimestampsAReadTakesAsTheyArePassTheProof(DatabaseKind kind, @TempDir Path dir) throws Exception {
        Tracker tracker = AppliedSetTracker.builder().build();
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path migrations = code(dir, 3, null);
            migrate(db, tracker, migrations);
            for (String good : List.of("2026-12-02T18:43:32Z", "2026-12-02T18:43:32.123Z", "2026-12-02T18:43:32.123456789Z",
                    "2024-02-29T00:00:00Z", "0001-01-01T00:00:00.5Z", "2026-12-31T23:59:59.999999Z", "2026-11-30T00:00:00.12Z",
                    "2026-01-31T12:00:00.1234Z", "2026-02-28T00:00:00Z")) {
                exec(db, "UPDATE " + AppliedSetTracker.DEFAULT_TABLE + " SET applied_at = '" + good + "'");
                assertTrue(proves(db, tracker, migrations), good);
            }
            for (String bad : List.of("yesterday", "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z",
                    "2026-12-02T24:00:00Z", "2026-12-02T24:30:00Z", "2026-13-02T00:00:00Z", "2026-12-02 18:43:32Z", "2026-12-02T18:43:32",
                    "2026-12-02T18:43:32.Z", "2026-12-02T18:43:32.1234567890Z", "2026-12-02T18:43:32.12a4Z",
                    "2026-12-02T18:43:32+01:00", "2026-12-02T18:43:61Z", "2026-12-02T18:43:60Z", "2026-12-02T18:60:00Z",
                    "2026-04-31T00:00:00Z", "2026-00-10T00:00:00Z", "2026-12-00T00:00:00Z", "2026-19-10T00:00:00.123Z",
                    "2026-12-02T18:43:32.123456789", "2026-12-02T18:43:32.123x56Z")) {
                exec(db, "UPDATE " + AppliedSetTracker.DEFAULT_TABLE + " SET applied_at = '" + bad + "'");
                assertFalse(proves(db, tracker, migrations), bad);
            }
            exec(db, "UPDATE " + AppliedSetTracker.DEFAULT_TABLE + " SET applied_at = 20261202");
            assertFalse(proves(db, tracker, migrations), "a number");
            // two good texts in one value, joined by the separator the proof joins the rows' texts with
            exec(db, "UPDATE " + AppliedSetTracker.DEFAULT_TABLE + " SET applied_at = '2026-12-02T18:43:32Z'");
            exec(db, "UPDATE " + AppliedSetTracker.DEFAULT_TABLE + " SET applied_at = applied_at || '" + SEPARATOR
                    + "' || applied_at WHERE version = '2'");
            assertFalse(proves(db, tracker, migrations), "two texts in one");
            // a NUL char after a good text: SQLite's text functions stop at it, a read does not
            exec(db, "UPDATE " + AppliedSetTracker.DEFAULT_TABLE + " SET applied_at = '2026-12-02T18:43:32Z'"
                    + " || char(0) WHERE version = '2'");
            assertFalse(proves(db, tracker, migrations), "a NUL char after the text");
        }
    }

    /**
     * On PostgreSQL the proof sums a hash of each row's bytes in the database's encoding, and the
     * runner computes it from UTF-8: in a LATIN1 database, names beyond ASCII prove nothing, and
     * the boot reads its history instead and finds nothing to do; ASCII names still prove.
     */
    static Stream<Arguments> postgresSubjects() {
        return subjects().filter(a -> a.get()[0] == DatabaseKind.POSTGRESQL);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("postgresSubjects")
    void inALatin1DatabaseNamesBeyondAsciiProveNothingAndTheBootStillFindsNothingToDo(DatabaseKind kind, Subject s,
                                                                                   @TempDir Path dir) throws Exception {
        String server = TestDatabases.postgresServerUrl();
        String name = "rt_latin1_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(server); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        }
        try {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(server.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name));
            Path nonAscii = code(dir.resolve("a"), 3, null);
            Path ascii = Files.createDirectories(dir.resolve("b"));
            for (int i = 1; i <= 3; i++) {
                Files.writeString(ascii.resolve("V" + i + "__m" + i + ".sql"), "CREATE TABLE u_" + i + " (id int);\n");
            }
            for (Path code : List.of(nonAscii, ascii)) {
                String ns = code == ascii ? "ascii" : "latin";
                Namespace namespace = Namespace.of(ns, MigrationSource.directory(code).load());
                Ratchet ratchet = Ratchet.builder().dataSource(ds).tracker(s.tracker().get()).namespace(namespace).build();
                assertEquals(3, ratchet.migrate().applied().size());
                try (Connection c = ds.getConnection()) {
                    assertEquals("LATIN1", setting(c, "server_encoding"));
                    assertEquals(code == ascii, s.tracker().get().provesUpToDate(
                            new TrackerContext(c, DatabaseDialect.of(c), "public"), namespace),
                            ns + ": the proof holds for ASCII names only (LATIN1 bytes are not the runner's UTF-8)");
                }
                Ratchet again = Ratchet.builder().dataSource(ds).tracker(s.tracker().get()).namespace(namespace).build();
                assertEquals(List.of(), again.migrate().applied(), ns + ": the second boot has nothing to do");
            }
        } finally {
            try (Connection c = DriverManager.getConnection(server); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE " + name);
            }
        }
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
