package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ratchet.Fixtures.create;
import static dev.ratchet.Fixtures.effects;
import static dev.ratchet.Fixtures.expectedRows;
import static dev.ratchet.Fixtures.ratchet;
import static dev.ratchet.Fixtures.tableExists;
import static dev.ratchet.Fixtures.trackerRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a Java migration body may do with the connection it receives: inside the engine's
 * transaction nothing that would end that transaction (by a JDBC call or in SQL) or the
 * connection; outside one, manage its own transactions, but not close the connection.
 */
@Timeout(120)
class JavaBodyTest {
    /** A call on the body's connection that would end the engine's transaction or the run's connection. */
    private interface Call {
        void on(Connection c) throws SQLException;
    }

    static Stream<Arguments> forbiddenInTransaction() {
        List<Arguments> out = new ArrayList<>();
        Map<String, Call> calls = Map.of(
                "call commit()", Connection::commit,
                "call rollback()", Connection::rollback,
                "call setAutoCommit(true)", c -> c.setAutoCommit(true),
                "call close()", Connection::close,
                "run COMMIT", c -> sql(c, "COMMIT"),
                "run ROLLBACK", c -> sql(c, "INSERT INTO effects(name) VALUES ('more');\nROLLBACK"),
                "run BEGIN", c -> c.prepareStatement("/* again */ BEGIN").close(),
                "run END", c -> {
                    try (Statement st = c.createStatement()) {
                        st.addBatch("END");
                        st.executeBatch();
                    }
                });
        for (DatabaseKind kind : DatabaseKind.values()) {
            for (TransactionMode mode : TransactionMode.values()) {
                calls.forEach((name, call) -> out.add(Arguments.of(kind, mode, name, call)));
            }
        }
        return out.stream();
    }

    /** Creates t{@code v}, counts its effect, then makes {@code call}. */
    private static Migration calling(int v, Call call) {
        return Migration.builder(v + "_java_t" + v).version(Version.of(v)).checksumOf("java " + v).body(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t" + v + " (id int PRIMARY KEY)");
                st.execute("INSERT INTO effects(name) VALUES ('" + v + "')");
            }
            call.on(c);
        }).build();
    }

    /**
     * A non-transactional migration whose body turns auto-commit off, commits batch 1, then runs
     * {@code rest}: a backfill committing in batches.
     */
    private static Migration backfill(Call rest) {
        return Migration.builder("1_backfill").version(Version.of(1)).checksumOf("backfill").transactional(false)
                .body(c -> {
                    c.setAutoCommit(false);
                    sql(c, "INSERT INTO effects(name) VALUES ('batch 1')");
                    c.commit();
                    rest.on(c);
                }).build();
    }

    private static void sql(Connection c, String statement) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("forbiddenInTransaction")
    void aTransactionalBodyCannotEndTheTransactionAndNothingOfItRemains(DatabaseKind kind, TransactionMode mode,
                                                                      String name, Call call) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            List<Migration> code = List.of(create(1), calling(2, call), create(3));

            RatchetException e = assertThrows(RatchetException.class, () -> ratchet(db, mode, code).migrate());

            assertEquals(ErrorKind.MIGRATION_FAILED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("must not " + name), e.getMessage());
            assertTrue(e.hint().contains(name.equals("call close()") ? "leave the connection open" : "transactional(false)"),
                    e.hint());
            assertFalse(tableExists(db, "t2"), "the body's table was rolled back");
            boolean chain = mode == TransactionMode.CHAIN;
            assertEquals(chain ? Map.of() : Map.of("1", 1), effects(db), "a chain keeps nothing, a migration its own");
            assertEquals(chain ? List.of() : expectedRows(List.of(create(1))), trackerRows(db));

            List<Migration> fixed = List.of(create(1), calling(2, c -> { }), create(3));
            ratchet(db, mode, fixed).migrate();
            assertEquals(expectedRows(fixed), trackerRows(db));
            assertEquals(Map.of("1", 1, "2", 1, "3", 1), effects(db));
        }
    }

    /**
     * A body's text of two statements: PostgreSQL's driver runs both; SQLite's would run the first
     * only (execute, executeQuery, prepared statements), so there the text is refused, while
     * executeUpdate, which runs both, is allowed.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aTextOfTwoStatementsRunsWholeOrIsRefusedNeverHalfRun(DatabaseKind kind) throws Exception {
        String two = "INSERT INTO effects(name) VALUES ('a');\nINSERT INTO effects(name) VALUES ('b')";
        Map<String, Call> calls = new java.util.LinkedHashMap<>();
        calls.put("execute(String)", c -> sql(c, two));
        calls.put("prepareStatement()", c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(two)) {
                ps.execute();
            }
        });
        for (Map.Entry<String, Call> call : calls.entrySet()) {
            for (boolean transactional : List.of(true, false)) {
                oneBodyOfTwoStatements(kind, two, call.getKey(), call.getValue(), transactional);
            }
        }
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            ratchet(db, List.of(Migration.builder("1_two").version(Version.of(1)).body(c -> {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate(two);
                }
            }).build())).migrate();
            assertEquals(Map.of("a", 1, "b", 1), effects(db), "executeUpdate runs both, on SQLite too");
        }
    }

    private static void oneBodyOfTwoStatements(DatabaseKind kind, String two, String callName, Call call,
                                               boolean transactional) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Migration m = Migration.builder("1_two").version(Version.of(1)).transactional(transactional)
                    .body(call::on).build();
            String label = callName + (transactional ? "" : ", outside a transaction");
            if (kind == DatabaseKind.SQLITE) {
                RatchetException e = assertThrows(RatchetException.class, () -> ratchet(db, List.of(m)).migrate());
                assertTrue(e.getMessage().contains("gave " + callName + " a text of 2 statements, and SQLite's"
                        + " driver would run only the first"), label + ": " + e.getMessage());
                assertTrue(e.hint().contains("Statement.executeUpdate"), e.hint());
                assertEquals(Map.of(), effects(db), label + ": nothing of it ran");
            } else {
                ratchet(db, List.of(m)).migrate();
                assertEquals(Map.of("a", 1, "b", 1), effects(db), label);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aBodyThatCommitsCannotMakeVerifyWrite(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            VerifyResult r = ratchet(db, List.of(calling(1, Connection::commit))).verify();

            assertTrue(r.failure().isPresent(), "the refused commit fails the verification");
            assertTrue(r.failure().get().getMessage().contains("must not call commit()"), r.failure().get().getMessage());
            assertFalse(tableExists(db, "t1"), "verify left the database as it was");
            assertEquals(Map.of(), effects(db));
        }
    }

    /**
     * Code that opens a transaction only when none is open (as Jdbi's and Spring's do) sees the
     * engine's, on SQLite too, where the driver itself would say auto-commit is on.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void insideTheTransactionAutoCommitIsOffAndTurningItOffChangesNothing(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            boolean[] sawAutoCommit = {true};
            Migration joins = calling(1, c -> {
                sawAutoCommit[0] = c.getAutoCommit();
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO effects(name) VALUES ('joined')");
                }
            });
            ratchet(db, List.of(joins)).migrate();

            assertFalse(sawAutoCommit[0], "the body is inside the engine's transaction");
            assertEquals(Map.of("1", 1, "joined", 1), effects(db));
            assertEquals(expectedRows(List.of(joins)), trackerRows(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void insideTheTransactionABodyMayUseSavepoints(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Migration partly = calling(1, c -> {
                try (Statement st = c.createStatement()) {
                    java.sql.Savepoint before = c.setSavepoint("before \"undone\"");
                    st.execute("INSERT INTO effects(name) VALUES ('undone')");
                    c.rollback(before);
                    java.sql.Savepoint unnamed = c.setSavepoint();
                    st.execute("INSERT INTO effects(name) VALUES ('kept')");
                    c.releaseSavepoint(unnamed);
                }
            });
            List<Migration> code = List.of(partly, create(2));
            ratchet(db, code).migrate();

            assertEquals(Map.of("1", 1, "kept", 1, "2", 1), effects(db));
            assertEquals(expectedRows(code), trackerRows(db));
        }
    }

    /** A long backfill committing in batches: what a non-transactional body is for. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aNonTransactionalBodyManagesItsOwnTransactionsAndWhatItLeavesOpenIsCommitted(DatabaseKind kind)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Migration backfill = backfill(c -> {
                sql(c, "INSERT INTO effects(name) VALUES ('batch 2')");
                c.rollback();
                sql(c, "INSERT INTO effects(name) VALUES ('batch 3')");
                // returns with batch 3 not yet committed, auto-commit still off
            });
            List<Migration> code = List.of(backfill, create(2));

            ratchet(db, code).migrate();

            assertEquals(Map.of("batch 1", 1, "batch 3", 1, "2", 1), effects(db));
            assertEquals(expectedRows(code), trackerRows(db), "the next migration's transaction began as usual");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aFailingNonTransactionalBodyLosesOnlyWhatItHadNotCommitted(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Migration half = backfill(c -> {
                sql(c, "INSERT INTO effects(name) VALUES ('batch 2')");
                sql(c, "INSERT INTO no_such_table VALUES (1)");
            });

            RatchetException e = assertThrows(RatchetException.class, () -> ratchet(db, List.of(half)).migrate());

            assertEquals(ErrorKind.NON_TRANSACTIONAL_MIGRATION_FAILED, e.kind(), e.getMessage());
            assertEquals(Map.of("batch 1", 1), effects(db), "the committed batch stays, the open one is rolled back");
            assertEquals(List.of(), trackerRows(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aNonTransactionalBodyCannotCloseTheRunsConnection(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            Migration closes = Migration.builder("1_closes").version(Version.of(1)).checksumOf("closes")
                    .transactional(false).body(c -> c.close()).build();

            RatchetException e = assertThrows(RatchetException.class, () -> ratchet(db, List.of(closes)).migrate());

            assertEquals(ErrorKind.NON_TRANSACTIONAL_MIGRATION_FAILED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("must not call close()"), e.getMessage());
            assertEquals(List.of(), trackerRows(db));
        }
    }
}
