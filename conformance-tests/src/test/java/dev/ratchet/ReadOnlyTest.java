package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.SchemaFingerprint;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.ratchet.Fixtures.creates;
import static dev.ratchet.Fixtures.ratchet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** status() and plan() never write. */
@Timeout(60)
class ReadOnlyTest {

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void statusAndPlanOnAFreshDatabaseCreateNothing(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            String before = SchemaFingerprint.of(db);
            Ratchet ratchet = ratchet(db, creates(1, 2));

            NamespaceStatus status = ratchet.status().get(0);
            List<Plan> plans = ratchet.plan();

            assertFalse(status.trackerInstalled());
            assertEquals(List.of("1_create_t1", "2_create_t2"), status.pending().stream().map(Migration::name).toList());
            assertEquals(status.pending(), plans.get(0).pending());
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void statusReportsAppliedPendingAndProblemsWithoutWriting(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, creates(1, 3)).migrate();
            String before = SchemaFingerprint.of(db);

            NamespaceStatus gap = ratchet(db, creates(1, 2, 3)).status().get(0);
            assertTrue(gap.trackerInstalled());
            assertEquals(2, gap.applied().size());
            assertEquals(List.of("2_create_t2"), gap.pending().stream().map(Migration::name).toList());
            assertTrue(gap.problem().isEmpty());

            NamespaceStatus older = ratchet(db, creates(1)).status().get(0);
            assertEquals(ErrorKind.UNKNOWN_APPLIED_VERSION, older.problem().orElseThrow().kind());
            RatchetException e = assertThrows(RatchetException.class, () -> ratchet(db, creates(1)).plan());
            assertEquals(ErrorKind.UNKNOWN_APPLIED_VERSION, e.kind());

            assertEquals(before, SchemaFingerprint.of(db));
        }
    }
}
