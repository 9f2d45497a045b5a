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
 * On SQLite, whose columns take a value of any type, the up-to-date proof
 * ({@code Tracker#provesUpToDate}) never holds for a table its read would refuse or plan work
 * for: whatever a tracker row holds after a few edits (a number, a real, a blob, a text with
 * spaces or the proof's separator, another column's value, NULL), a proof that holds is followed
 * by a read that takes every row and a plan with nothing to do and nothing to warn of, as the
 * boot that reads its history would find. The proof may refuse more than the read does.
 */
class SqliteProofAgreesWithTheReadTest {

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

    /** An edit of one row's column to a value, SQL that may name the row's columns ({@code $} is the column). */
    record Edit(int row, int column, String value) {
        String sql(Subject s) {
            String c = s.columns().get(Math.floorMod(column, s.columns().size()));
            return "UPDATE " + s.table() + " SET " + c + " = " + value.replace("$", c)
                    + " WHERE rowid = (SELECT rowid FROM " + s.table() + " ORDER BY rowid LIMIT 1 OFFSET " + row + ")";
        }

        boolean changesNothing() {
            return value.equals("$");
        }
    }

    @Provide
    Arbitrary<Edit> edits() {
        Arbitrary<String> values = Arbitraries.of(
                "$", "$", "NULL", "0", "2", "-1", "12345", "1.5", "2.0", "''", "'abc'", "'2'", "'02'", "' 2'", "'2 '",
                "'app'", "'default'", "'2026-12-02T18:43:32Z'", "'2026-12-02T18:43:32.5Z'",
                "'2026-12-02T18:43:32.123456789Z'", "'2026-12-02T18:43:32+01:00'", "'2026-02-30T00:00:00Z'",
                "'2026-12-02 18:43:32Z'", "'2026-12-02T24:00:00Z'", "'2026-12-02T18:43:32.1234567890Z'",
                "CAST('2026-12-02T18:43:32Z' AS BLOB)", "X'00'", "CAST($ AS BLOB)", "CAST($ AS TEXT)",
                "CAST($ AS INTEGER)", "CAST($ AS REAL)", "$ || ''", "$ || char(31)", "char(31) || $",
                "$ || char(31) || $", "$ || char(0)", "upper($)", "$ || ' '", "' ' || $", "$ + 0", "$ + 1", "name", "version",
                "sequence", "applied_at", "checksum", "substr($, 1, 19) || 'Z'", "replace($, 'T', 't')");
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 5), values)
                .as(Edit::new);
    }

    @Property(tries = 300)
    void aProofThatHoldsIsOneTheReadAgreesWith(@ForAll("subjects") Subject s,
                                               @ForAll("edits") Edit first, @ForAll("edits") Edit second)
            throws Exception {
        Path dir = Files.createTempDirectory("ratchet-proof");
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            Path migrations = Files.createDirectories(dir.resolve("migrations"));
            for (int i = 1; i <= 3; i++) {
                Files.writeString(migrations.resolve("V" + i + "__m" + i + ".sql"), "CREATE TABLE t_" + i + " (id int);\n");
            }
            Namespace ns = Namespace.of("app", MigrationSource.directory(migrations).load());
            Ratchet.builder().dataSource(db.dataSource()).tracker(s.tracker().get()).namespace(ns).build().migrate();
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                for (Edit e : List.of(first, second)) {
                    try {
                        st.execute(e.sql(s));
                    } catch (SQLException constraint) {
                        // a NOT NULL, key or uniqueness constraint refused the edit: the row is as it was
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
                        throw new AssertionError("the proof held for " + first.sql(s) + "; " + second.sql(s)
                                + ", whose read or plan refuses it: " + refused, refused);
                    }
                    if (!plan.isUpToDate() || !plan.warnings().isEmpty()) {
                        fail("the proof held for " + first.sql(s) + "; " + second.sql(s) + ", whose plan is "
                                + plan.pending() + " pending, warnings " + plan.warnings());
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<Subject> subjects() {
        return Arbitraries.of(SUBJECTS);
    }
}
