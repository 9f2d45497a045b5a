package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.internal.DatabaseDialect;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.identity.IdentityTracker;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The up-to-date proof ({@code Tracker#provesUpToDate}) never holds for a table its read would
 * refuse or plan work for: whatever a tracker row holds after a few edits, a proof that holds is
 * followed by a read that takes every row and a plan with nothing to do and nothing to warn of,
 * as the boot that reads its history would find. The proof may refuse more than the read does.
 * On SQLite, whose columns take a value of any type, the edits write numbers, reals, blobs, texts
 * with spaces, the proof's separator or a NUL, other columns' values and NULL; on PostgreSQL, values
 * of each column's type and others its cast takes (the separator, spaces, infinity, another
 * column's value), NULL after dropping the column's NOT NULL, and a column's type changed.
 */
class ProofAgreesWithTheReadTest {

    /** A tracker under test and its table's columns. */
    record Subject(String label, Supplier<Tracker> tracker, String table, List<String> columns) {
        @Override
        public String toString() {
            return label;
        }
    }

    private static final List<Subject> SUBJECTS = List.of(
            new Subject("applied-set", () -> AppliedSetTracker.builder().build(), AppliedSetTracker.DEFAULT_TABLE,
                    List.of("namespace", "version", "name", "checksum", "applied_at", "execution_ms")),
            new Subject("applied-set, checksums off", () -> AppliedSetTracker.builder()
                    .checksumVerification(ChecksumVerification.OFF).build(), AppliedSetTracker.DEFAULT_TABLE,
                    List.of("namespace", "version", "name", "checksum", "applied_at", "execution_ms")),
            new Subject("identity", () -> IdentityTracker.builder().build(), "schema_version",
                    List.of("namespace", "name", "sequence", "applied_at", "checksum")),
            new Subject("identity, checksums off", () -> IdentityTracker.builder()
                    .checksumVerification(ChecksumVerification.OFF).build(), "schema_version",
                    List.of("namespace", "name", "sequence", "applied_at", "checksum")));

    /**
     * An edit of one row's column to a value, SQL that may name the row's columns ({@code $} is the
     * column); on PostgreSQL a value {@code ALTER ...} alters the column instead, and NULL first
     * drops the column's NOT NULL.
     */
    record Edit(int row, int column, String value) {
        List<String> sql(Subject s, DatabaseKind kind) {
            String c = s.columns().get(Math.floorMod(column, s.columns().size()));
            String row = kind == DatabaseKind.SQLITE ? "rowid" : "ctid";
            String update = "UPDATE " + s.table() + " SET " + c + " = " + value.replace("$", c) + " WHERE " + row
                    + " = (SELECT " + row + " FROM " + s.table() + " ORDER BY " + row + " LIMIT 1 OFFSET " + this.row + ")";
            if (kind == DatabaseKind.SQLITE) {
                return List.of(update);
            }
            String alter = "ALTER TABLE " + s.table() + " ALTER COLUMN " + c + " ";
            if (value.startsWith("ALTER ")) {
                return List.of(alter + value.substring("ALTER ".length()).replace("$", c));
            }
            return value.equals("NULL") ? List.of(alter + "DROP NOT NULL", update) : List.of(update);
        }

        boolean changesNothing() {
            return value.equals("$");
        }
    }

    @Provide
    Arbitrary<Edit> sqliteEdits() {
        return edits(Arbitraries.of(
                "$", "$", "NULL", "0", "2", "-1", "12345", "1.5", "2.0", "''", "'abc'", "'2'", "'02'", "' 2'", "'2 '",
                "'app'", "'default'", "'2026-12-02T18:43:32Z'", "'2026-12-02T18:43:32.5Z'",
                "'2026-12-02T18:43:32.123456789Z'", "'2026-12-02T18:43:32+01:00'", "'2026-02-30T00:00:00Z'",
                "'2026-12-02 18:43:32Z'", "'2026-12-02T24:00:00Z'", "'2026-12-02T18:43:32.1234567890Z'",
                "CAST('2026-12-02T18:43:32Z' AS BLOB)", "X'00'", "CAST($ AS BLOB)", "CAST($ AS TEXT)",
                "CAST($ AS INTEGER)", "CAST($ AS REAL)", "$ || ''", "$ || char(31)", "char(31) || $",
                "$ || char(31) || $", "$ || char(0)", "upper($)", "$ || ' '", "' ' || $", "$ + 0", "$ + 1", "name", "version",
                "sequence", "applied_at", "checksum", "substr($, 1, 19) || 'Z'", "replace($, 'T', 't')"));
    }

    @Provide
    Arbitrary<Edit> postgresEdits() {
        // One edit in four changes a column's type; the other edit may then write a value of the new type.
        return Arbitraries.frequencyOf(Tuple.of(3, edits(Arbitraries.of(
                "$", "$", "NULL", "0", "2", "-1", "12345", "''", "'abc'", "'2'", "'02'", "' 2'", "'2 '", "'1.0'", "'1.5'",
                "'app'", "'default'", "'infinity'", "'-infinity'", "'2026-12-02 18:43:32+00'", "'0044-03-15 12:00:00+00 BC'",
                "'294276-12-31 23:59:59+00'", "$ + interval '1 microsecond'", "$ || ''", "$ || chr(31)",
                "chr(31) || $", "$ || chr(31) || $", "upper($)", "$ || ' '", "' ' || $", "$ + 1", "$ * 1000000000000",
                "name", "version", "sequence", "checksum", "namespace"))),
                Tuple.of(1, edits(Arbitraries.of("ALTER TYPE text", "ALTER TYPE varchar(200)",
                        "ALTER TYPE numeric USING $::numeric", "ALTER TYPE numeric USING $::numeric + 0.5",
                        "ALTER TYPE integer USING $::integer", "ALTER TYPE timestamp USING $::timestamp",
                        "ALTER TYPE text USING $::text || 'x'", "ALTER TYPE text COLLATE \"C\"", "ALTER DROP NOT NULL"))));
    }

    private static Arbitrary<Edit> edits(Arbitrary<String> values) {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 5), values)
                .as(Edit::new);
    }

    @Property(tries = 300)
    void onSqliteAProofThatHoldsIsOneTheReadAgreesWith(@ForAll("subjects") Subject s, @ForAll("sqliteEdits") Edit first,
                                                       @ForAll("sqliteEdits") Edit second) throws Exception {
        aProofThatHoldsIsOneTheReadAgreesWith(DatabaseKind.SQLITE, s, first, second);
    }

    @Property(tries = 200)
    void onPostgresAProofThatHoldsIsOneTheReadAgreesWith(@ForAll("subjects") Subject s,
                                                         @ForAll("postgresEdits") Edit first,
                                                         @ForAll("postgresEdits") Edit second) throws Exception {
        aProofThatHoldsIsOneTheReadAgreesWith(DatabaseKind.POSTGRESQL, s, first, second);
    }

    private static void aProofThatHoldsIsOneTheReadAgreesWith(DatabaseKind kind, Subject s, Edit first, Edit second)
            throws Exception {
        Path dir = Files.createTempDirectory("ratchet-proof");
        try (TestDatabase db = TestDatabases.open(kind)) {
            aProofThatHoldsIsOneTheReadAgreesWith(db, dir, s, first, second);
        } finally {
            TestDatabases.deleteTree(dir);
        }
    }

    private static void aProofThatHoldsIsOneTheReadAgreesWith(TestDatabase db, Path dir, Subject s, Edit first,
                                                              Edit second) throws Exception {
        DatabaseKind kind = db.kind();
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        for (int i = 1; i <= 3; i++) {
            Files.writeString(migrations.resolve("V" + i + "__m" + i + ".sql"), "CREATE TABLE t_" + i + " (id int);\n");
        }
        Namespace ns = Namespace.of("app", MigrationSource.directory(migrations).load());
        Ratchet.builder().dataSource(db.dataSource()).tracker(s.tracker().get()).namespace(ns).build().migrate();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (Edit e : List.of(first, second)) {
                for (String sql : e.sql(s, kind)) {
                    try {
                        st.execute(sql);
                    } catch (SQLException refused) {
                        // a type, NOT NULL, key or uniqueness constraint refused the edit: as it was
                    }
                }
            }
            Tracker tracker = s.tracker().get();
            TrackerContext ctx = new TrackerContext(c, DatabaseDialect.of(c), db.schema());
            boolean proves = tracker.provesUpToDate(ctx, ns);
            Statistics.label("proof holds").collect(proves);
            Statistics.label("proof holds").coverage(coverage -> {
                coverage.check(true).percentage(p -> p >= 10);
                coverage.check(false).percentage(p -> p >= 10);
            });
            if (first.changesNothing() && second.changesNothing()) {
                assertTrue(proves, "an untouched table proves it is up to date");
            }
            if (proves) {
                Plan plan;
                try {
                    plan = tracker.plan(tracker.read(ctx, ns.name()), ns);
                } catch (RuntimeException | SQLException refused) {
                    throw new AssertionError("the proof held for " + first.sql(s, kind) + "; " + second.sql(s, kind)
                            + ", whose read or plan refuses it: " + refused, refused);
                }
                if (!plan.isUpToDate() || !plan.warnings().isEmpty()) {
                    fail("the proof held for " + first.sql(s, kind) + "; " + second.sql(s, kind) + ", whose plan is "
                            + plan.pending() + " pending, warnings " + plan.warnings());
                }
            }
        }
    }

    @Provide
    Arbitrary<Subject> subjects() {
        return Arbitraries.of(SUBJECTS);
    }
}
