package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

import static dev.ratchet.Fixtures.create;
import static dev.ratchet.Fixtures.ratchet;
import static dev.ratchet.Fixtures.trackerRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Migrations that must run outside a transaction, Java migrations, several namespaces. */
@Timeout(60)
class NonTransactionalTest {

    @Test
    void createIndexConcurrentlyRunsOutsideATransactionAndIsRecordedAfter() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Fixtures.createEffectsTable(db);
            Migration index = Migration.builder("2_index_t1").version(Version.of(2))
                    .sql(Migration.NO_TRANSACTION_DIRECTIVE + "\nCREATE INDEX CONCURRENTLY t1_id_idx ON t1 (id);")
                    .build();
            for (TransactionMode mode : TransactionMode.values()) {
                Fixtures.exec(db, "DROP TABLE IF EXISTS t1, t3, ratchet_applied_migrations");
                MigrateResult result = ratchet(db, mode, List.of(create(1), index, create(3))).migrate();
                assertEquals(3, result.applied().size(), mode.toString());
                assertEquals(3, trackerRows(db).size(), mode.toString());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aFailingNonTransactionalMigrationIsNotRecordedAndSaysItMayBePartial(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Migration partial = Migration.builder("2_partial").version(Version.of(2))
                    .sql(Migration.NO_TRANSACTION_DIRECTIVE
                            + "\nCREATE TABLE half (id int);\nINSERT INTO no_such_table VALUES (1);").build();

            RatchetException e = assertThrows(RatchetException.class,
                    () -> ratchet(db, List.of(create(1), partial)).migrate());

            assertEquals(ErrorKind.NON_TRANSACTIONAL_MIGRATION_FAILED, e.kind());
            assertTrue(e.getMessage().contains("statements before the failing one stay applied, and it is not"
                    + " recorded."), e.getMessage());
            assertEquals(ErrorKind.NON_TRANSACTIONAL_MIGRATION_FAILED.defaultHint(), e.hint());
            assertEquals(1, trackerRows(db).size(), "only 1 is recorded");
            assertTrue(Fixtures.tableExists(db, "half"), "the statement before the failure stays, as the message says");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void javaMigrationsAndSeveralNamespacesInOneRun(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Migration seed = Migration.builder("2_seed_colours").version(Version.of(2)).checksumOf("colours v1")
                    .body(c -> {
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO colours (name) VALUES (?)")) {
                            for (String colour : List.of("red", "green")) {
                                ps.setString(1, colour);
                                ps.addBatch();
                            }
                            ps.executeBatch();
                        }
                    }).build();
            Migration table = Migration.builder("1_colours").version(Version.of(1))
                    .sql("CREATE TABLE colours (name varchar(20) NOT NULL)").build();
            Ratchet ratchet = Ratchet.builder().dataSource(db.dataSource())
                    .tracker(dev.ratchet.tracker.appliedset.AppliedSetTracker.builder().build())
                    .namespace(Namespace.of("core", List.of(table, seed)))
                    .namespace(Namespace.of("plugin.billing", Fixtures.creates(1)))
                    .build();

            MigrateResult result = ratchet.migrate();

            assertEquals(List.of("core/1_colours", "core/2_seed_colours", "plugin.billing/1_create_t1"),
                    result.applied().stream().map(a -> a.namespace() + "/" + a.name()).toList());
            try (Connection c = db.connect(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM colours")) {
                rs.next();
                assertEquals(2, rs.getInt(1));
            }
            assertTrue(ratchet.migrate().applied().isEmpty());
            assertEquals(2, ratchet.status().size());
            assertTrue(ratchet.status().stream().allMatch(NamespaceStatus::isUpToDate));
        }
    }
}
