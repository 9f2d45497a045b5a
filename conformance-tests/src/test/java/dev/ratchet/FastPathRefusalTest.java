package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.identity.IdentityTracker;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An up-to-date boot takes the fast path (the tracker's one-row proof, {@code
 * Tracker#provesUpToDate}), and still refuses a tracker table that a boot with work to do would
 * refuse, where the proof itself could not tell: a materialized view holding the very rows, and a
 * table without the checksum column when checksums are not compared (the proof does not read
 * it). {@code TamperTest} has the view and the other tampers.
 */
class FastPathRefusalTest {

    /** A tracker under test, made with a table name. */
    record Subject(String label, java.util.function.Function<String, Tracker> tracker) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** In mixed case, so that it is found only when quoted. */
    private static final String TABLE = "Fast_Path_Tracker";

    static Stream<Arguments> subjects() {
        List<Subject> subjects = List.of(
                new Subject("applied-set", table -> AppliedSetTracker.builder().table(table).build()),
                new Subject("applied-set, checksums off", table -> AppliedSetTracker.builder().table(table)
                        .checksumVerification(ChecksumVerification.OFF).build()),
                new Subject("identity", table -> IdentityTracker.builder().table(table).build()),
                new Subject("identity, checksums off", table -> IdentityTracker.builder().table(table)
                        .checksumVerification(ChecksumVerification.OFF).build()));
        List<Arguments> out = new ArrayList<>();
        for (DatabaseKind kind : DatabaseKind.values()) {
            for (Subject s : subjects) {
                out.add(Arguments.of(kind, s));
            }
        }
        return out.stream();
    }

    private static Path code(Path dir) throws Exception {
        Path d = Files.createDirectories(dir.resolve("migrations"));
        for (int i = 1; i <= 3; i++) {
            Files.writeString(d.resolve("V" + i + "__m" + i + ".sql"), "CREATE TABLE t_" + i + " (id int);\n");
        }
        return d;
    }

    private static void migrate(TestDatabase db, Tracker tracker, Path migrations) {
        Ratchet.builder().dataSource(db.dataSource()).tracker(tracker)
                .namespace(Namespace.of("app", MigrationSource.directory(migrations).load())).build().migrate();
    }

    private static void exec(TestDatabase db, String... sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void aTableWithoutAColumnTheProofDoesNotCompareIsRefusedOnAnUpToDateBoot(DatabaseKind kind, Subject s,
                                                                             @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path migrations = code(dir);
            migrate(db, s.tracker().apply(TABLE), migrations);
            exec(db, "ALTER TABLE " + quoted(TABLE) + " DROP COLUMN checksum");

            RatchetException e = assertThrows(RatchetException.class,
                    () -> migrate(db, s.tracker().apply(TABLE), migrations));
            assertEquals(ErrorKind.FOREIGN_TRACKER_TABLE, e.kind(), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void aMaterializedViewHoldingTheVeryRowsIsRefusedOnAnUpToDateBoot(DatabaseKind kind, Subject s, @TempDir Path dir)
            throws Exception {
        assumeTrue(kind == DatabaseKind.POSTGRESQL, "SQLite has no materialized views");
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path migrations = code(dir);
            migrate(db, s.tracker().apply(TABLE), migrations);
            exec(db, "CREATE TABLE kept AS SELECT * FROM " + quoted(TABLE), "DROP TABLE " + quoted(TABLE),
                    "CREATE MATERIALIZED VIEW " + quoted(TABLE) + " AS SELECT * FROM kept");

            RatchetException e = assertThrows(RatchetException.class,
                    () -> migrate(db, s.tracker().apply(TABLE), migrations), s.label());
            assertEquals(ErrorKind.FOREIGN_TRACKER_TABLE, e.kind(), s.label() + ": " + e.getMessage());
        }
    }
}
