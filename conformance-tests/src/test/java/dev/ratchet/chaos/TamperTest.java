package dev.ratchet.chaos;

import dev.ratchet.ErrorKind;
import dev.ratchet.RatchetException;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.SchemaFingerprint;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracker tables edited by hand after three migrations: deleted, duplicated and edited rows,
 * sequence holes, wrong column types, a dropped column, the table replaced by a view. The next
 * boot refuses with a specific error kind (never a raw SQL exception or the catch-all
 * {@code DATABASE_ERROR}) and writes nothing.
 */
@Timeout(120)
class TamperTest {
    private static final String APPLIED = "ratchet_applied_migrations";
    private static final String COUNTER = "schema_migrations";
    private static final String IDENTITY = "schema_version";

    /** A tamper: its tracker, the SQL that does it, and the refusal it must meet. */
    record Tamper(String name, String tracker, List<String> sql, Set<ErrorKind> expected) {
        @Override
        public String toString() {
            return tracker + ": " + name;
        }
    }

    /** Recreates {@code table} without its keys (portable: CREATE TABLE AS), selecting {@code columns}. */
    private static List<String> rebuild(String table, String columns) {
        return List.of("CREATE TABLE tampered AS SELECT " + columns + " FROM " + table, "DROP TABLE " + table,
                "ALTER TABLE tampered RENAME TO " + table);
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    static Stream<Arguments> tampers() {
        List<Tamper> all = List.of(
                // applied-set
                new Tamper("a middle row deleted (the migration looks pending and fails re-running)", "applied-set",
                        List.of("DELETE FROM " + APPLIED + " WHERE version = '2'"), Set.of(ErrorKind.MIGRATION_FAILED)),
                new Tamper("a row duplicated", "applied-set", concat(rebuild(APPLIED, "*"),
                        "INSERT INTO " + APPLIED + " SELECT * FROM " + APPLIED + " WHERE version = '2'"),
                        Set.of(ErrorKind.CORRUPT_TRACKER_ROW)),
                new Tamper("a name edited", "applied-set",
                        List.of("UPDATE " + APPLIED + " SET name = '2_edited' WHERE version = '2'"),
                        Set.of(ErrorKind.RENAMED_AFTER_APPLY)),
                new Tamper("a version edited out of canonical form", "applied-set",
                        List.of("UPDATE " + APPLIED + " SET version = '02' WHERE version = '2'"),
                        Set.of(ErrorKind.CORRUPT_TRACKER_ROW)),
                new Tamper("checksum column turned into numbers", "applied-set",
                        rebuild(APPLIED, "namespace, version, name, 12345 AS checksum, applied_at, execution_ms"),
                        Set.of(ErrorKind.CHECKSUM_DRIFT)),
                new Tamper("applied_at column turned into text", "applied-set",
                        rebuild(APPLIED, "namespace, version, name, checksum, 'yesterday' AS applied_at, execution_ms"),
                        Set.of(ErrorKind.CORRUPT_TRACKER_ROW)),
                new Tamper("a column dropped", "applied-set",
                        rebuild(APPLIED, "namespace, version, name, applied_at, execution_ms"),
                        Set.of(ErrorKind.FOREIGN_TRACKER_TABLE)),
                new Tamper("the table replaced by a view", "applied-set", List.of(
                        "CREATE TABLE kept AS SELECT * FROM " + APPLIED, "DROP TABLE " + APPLIED,
                        "CREATE VIEW " + APPLIED + " AS SELECT * FROM kept"), Set.of(ErrorKind.FOREIGN_TRACKER_TABLE)),
                // counter
                new Tamper("the row deleted (everything looks pending and fails re-running)", "counter",
                        List.of("DELETE FROM " + COUNTER), Set.of(ErrorKind.MIGRATION_FAILED)),
                new Tamper("a second row added", "counter", List.of("INSERT INTO " + COUNTER + " (version, dirty)"
                        + " SELECT version - 1, dirty FROM " + COUNTER), Set.of(ErrorKind.CORRUPT_TRACKER_ROW)),
                new Tamper("the version edited beyond the code", "counter",
                        List.of("UPDATE " + COUNTER + " SET version = 99"), Set.of(ErrorKind.BINARY_OLDER_THAN_DB)),
                new Tamper("the table replaced by a view", "counter", List.of(
                        "CREATE TABLE kept AS SELECT * FROM " + COUNTER, "DROP TABLE " + COUNTER,
                        "CREATE VIEW " + COUNTER + " AS SELECT * FROM kept"), Set.of(ErrorKind.FOREIGN_TRACKER_TABLE)),
                // identity
                new Tamper("a middle row deleted", "identity",
                        List.of("DELETE FROM " + IDENTITY + " WHERE name = '2_m2'"), Set.of(ErrorKind.NAME_DIVERGENCE)),
                new Tamper("a sequence hole", "identity",
                        List.of("UPDATE " + IDENTITY + " SET sequence = sequence + 10 WHERE name = '3_m3'"),
                        Set.of(ErrorKind.CORRUPT_TRACKER_ROW)),
                new Tamper("a row duplicated", "identity", concat(rebuild(IDENTITY, "*"),
                        "INSERT INTO " + IDENTITY + " SELECT * FROM " + IDENTITY + " WHERE name = '2_m2'"),
                        Set.of(ErrorKind.CORRUPT_TRACKER_ROW)),
                new Tamper("a name edited", "identity",
                        List.of("UPDATE " + IDENTITY + " SET name = '2_edited' WHERE name = '2_m2'"),
                        Set.of(ErrorKind.NAME_DIVERGENCE)),
                new Tamper("the table replaced by a view", "identity", List.of(
                        "CREATE TABLE kept AS SELECT * FROM " + IDENTITY, "DROP TABLE " + IDENTITY,
                        "CREATE VIEW " + IDENTITY + " AS SELECT * FROM kept"), Set.of(ErrorKind.FOREIGN_TRACKER_TABLE)));
        List<Arguments> out = new ArrayList<>();
        for (DatabaseKind kind : DatabaseKind.values()) {
            for (Tamper t : all) {
                out.add(Arguments.of(kind, t));
            }
        }
        return out.stream();
    }

    /** A boot with a migration to apply: it reads and plans the whole history under the lock. */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("tampers")
    void aTamperedTrackerTableIsRefusedWithASpecificKindAndNothingIsWritten(DatabaseKind kind, Tamper tamper,
                                                                            @TempDir Path dir) throws Exception {
        refused(kind, tamper, dir, true);
    }

    /**
     * A boot with nothing to apply: it takes the fast path (the tracker's one-row proof that the
     * table holds exactly the code, {@code Tracker#provesUpToDate}), which must not let a tamper
     * through either.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("tampers")
    void anUpToDateBootRefusesATamperedTrackerTableToo(DatabaseKind kind, Tamper tamper, @TempDir Path dir)
            throws Exception {
        refused(kind, tamper, dir, false);
    }

    private static void refused(DatabaseKind kind, Tamper tamper, Path dir, boolean codeAhead) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Chaos.exec(db, "CREATE TABLE applications (name varchar(20))");
            Path migrations = Chaos.workload(dir, 3, 0, false);
            Chaos.ratchet(db, migrations, tamper.tracker(), Duration.ofSeconds(30)).migrate();
            if (codeAhead) {
                Chaos.workload(dir, 4, 0, false); // one more migration in the code: a boot would write
            }
            Chaos.exec(db, tamper.sql().toArray(String[]::new));
            String before = SchemaFingerprint.of(db);

            RatchetException e = assertThrows(RatchetException.class,
                    () -> Chaos.ratchet(db, migrations, tamper.tracker(), Duration.ofSeconds(30)).migrate());

            assertTrue(tamper.expected().contains(e.kind()), "expected " + tamper.expected() + ", got " + e.kind()
                    + ": " + e.getMessage());
            assertEquals(before, SchemaFingerprint.of(db), "nothing written");
            Chaos.record("tampered tracker table" + (codeAhead ? "" : ", up-to-date boot"),
                    kind.name().toLowerCase(), tamper.toString(), 1, 0);
        }
    }
}
