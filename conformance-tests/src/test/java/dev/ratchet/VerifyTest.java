package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.SchemaFingerprint;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.ratchet.Fixtures.create;
import static dev.ratchet.Fixtures.creates;
import static dev.ratchet.Fixtures.failing;
import static dev.ratchet.Fixtures.ratchet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dry-run gate: pending migrations run in a transaction that is rolled back. */
@Timeout(120)
class VerifyTest {

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aBrokenPendingMigrationIsReportedAndTheDatabaseLeftExactlyAsBefore(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, creates(1)).migrate();
            String before = SchemaFingerprint.of(db);

            VerifyResult result = ratchet(db, List.of(create(1), create(2), failing(3), create(4))).verify();

            assertFalse(result.ok());
            assertEquals(List.of("app/2_create_t2"), result.verified());
            assertEquals(ErrorKind.MIGRATION_FAILED, result.failure().orElseThrow().kind());
            assertEquals("3_create_t3", result.failure().get().context().get("migration"));
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void verifyOnAFreshDatabaseCreatesNothing(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            String before = SchemaFingerprint.of(db);

            VerifyResult result = ratchet(db, creates(1, 2, 3)).verify();

            assertTrue(result.ok(), result.toString());
            assertEquals(List.of("app/1_create_t1", "app/2_create_t2", "app/3_create_t3"), result.verified());
            assertEquals(before, SchemaFingerprint.of(db), "not even the tracker table remains");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aNonTransactionalMigrationAndWhatFollowsAreReportedAsNotVerified(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Migration outside = Migration.builder("2_outside").version(Version.of(2))
                    .sql(Migration.NO_TRANSACTION_DIRECTIVE + "\nCREATE TABLE t2 (id int);").build();
            String before = SchemaFingerprint.of(db);

            VerifyResult result = ratchet(db, List.of(create(1), outside, create(3))).verify();

            assertFalse(result.ok());
            assertEquals(List.of("app/1_create_t1"), result.verified());
            assertEquals(2, result.notVerified().size(), result.notVerified().toString());
            assertTrue(result.notVerified().get(0).startsWith("app/2_outside: runs outside a transaction"));
            assertTrue(result.failure().isEmpty());
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }
}
