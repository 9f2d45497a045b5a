package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ratchet.Fixtures.effects;
import static dev.ratchet.Fixtures.rows;
import static dev.ratchet.Fixtures.tableExists;
import static dev.ratchet.Fixtures.trackerRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a migration script's statements reach the database. On PostgreSQL the statements of a body
 * that runs in a transaction are sent together, as one JDBC batch (one round trip); on SQLite, and
 * outside a transaction, one at a time. Either way they run in order, each seeing what the ones
 * before it did, and a failure names the statement and its line and leaves nothing behind.
 */
@Timeout(120)
class ScriptStatementsTest {

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theFailingStatementIsNamedWhereverItIsInTheScript(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            // 12 statements, one per line; a row-returning statement first. Positions 1, 2, 10, 11
            // and 12: an index of two digits must not be taken for one of one digit.
            for (int failAt : List.of(1, 2, 10, 11, 12)) {
                List<String> lines = new ArrayList<>();
                lines.add("SELECT 1;");
                lines.add("CREATE TABLE made (id int PRIMARY KEY);");
                for (int i = 3; i <= 12; i++) {
                    lines.add("INSERT INTO effects(name) VALUES ('" + i + "');");
                }
                lines.set(failAt - 1, "INSERT INTO no_such_table VALUES (" + failAt + ");");
                Migration m = Migration.builder("1_twelve").version(Version.of(1)).sql(String.join("\n", lines)).build();

                RatchetException e = assertThrows(RatchetException.class,
                        () -> Fixtures.ratchet(db, List.of(m)).migrate());

                assertEquals(ErrorKind.MIGRATION_FAILED, e.kind(), e.getMessage());
                assertEquals(failAt, e.context().get("statement"), e.getMessage());
                assertEquals(failAt, e.context().get("line"), e.getMessage());
                assertTrue(e.getMessage().contains("statement " + failAt + " of 12 (line " + failAt + ")"),
                        e.getMessage());
                assertTrue(e.getMessage().contains("no_such_table"), "the server's own message: " + e.getMessage());
                if (kind == DatabaseKind.POSTGRESQL) {
                    assertEquals("42P01", e.context().get("sqlState"), e.getMessage());
                }
                assertEquals(Map.of(), effects(db), "statements before the failing one were rolled back");
                assertFalse(tableExists(db, "made"));
                assertEquals(List.of(), trackerRows(db));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void eachStatementSeesWhatTheStatementsBeforeItDid(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Migration m = Migration.builder("1_steps").version(Version.of(1)).sql("""
                    CREATE TABLE a (id int);
                    INSERT INTO a VALUES (1);
                    INSERT INTO a SELECT id + 1 FROM a;
                    SELECT count(*) FROM a;
                    INSERT INTO a SELECT id + 2 FROM a;
                    CREATE TABLE b AS SELECT count(*) AS n, sum(id) AS total FROM a;
                    """).build();

            Fixtures.ratchet(db, List.of(m)).migrate();

            assertEquals(List.of("4|10"), rows(db, "SELECT n, total FROM b"));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aTransactionalBodyIsOneBatchOnPostgresqlAndOneStatementAtATimeOnSqlite(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            List<String> calls = Collections.synchronizedList(new ArrayList<>());
            DataSource counting = wrap(db.dataSource(), calls, UnaryOperator.identity());
            Migration four = Migration.builder("1_four").version(Version.of(1)).sql("""
                    CREATE TABLE four (id int);
                    INSERT INTO four VALUES (1);
                    INSERT INTO four VALUES (2);
                    INSERT INTO effects(name) VALUES ('1');
                    """).build();

            Fixtures.builder(db, List.of(four)).dataSource(counting).build().migrate();

            assertEquals(List.of("1|2"), rows(db, "SELECT min(id), max(id) FROM four"));
            assertEquals(Map.of("1", 1), effects(db));
            long added = calls.stream().filter("addBatch"::equals).count();
            long batches = calls.stream().filter("executeBatch"::equals).count();
            if (kind == DatabaseKind.POSTGRESQL) {
                assertEquals(4, added, "the body's four statements go into one batch: " + calls);
                assertEquals(1, batches, calls.toString());
            } else {
                assertEquals(0, added, "SQLite has no round trips to save: " + calls);
                assertEquals(0, batches, calls.toString());
            }
        }
    }

    @Test
    void aBodyOutsideATransactionIsSentOneStatementAtATime() throws Exception {
        // Sent together, statements form one implicit transaction on PostgreSQL, which
        // CREATE INDEX CONCURRENTLY refuses.
        try (TestDatabase db = TestDatabases.postgres()) {
            List<String> calls = Collections.synchronizedList(new ArrayList<>());
            DataSource counting = wrap(db.dataSource(), calls, UnaryOperator.identity());
            Migration table = Migration.builder("1_table").version(Version.of(1))
                    .sql("CREATE TABLE c (id int);\nINSERT INTO c VALUES (1);").build();
            Migration index = Migration.builder("2_index").version(Version.of(2)).transactional(false)
                    .sql("CREATE INDEX CONCURRENTLY c_id ON c (id);\nCREATE INDEX CONCURRENTLY c_id2 ON c (id);").build();

            Fixtures.builder(db, List.of(table, index)).dataSource(counting).build().migrate();

            assertEquals(List.of("c_id", "c_id2"),
                    rows(db, "SELECT indexname FROM pg_indexes WHERE tablename = 'c' ORDER BY indexname"));
            assertEquals(2, calls.stream().filter("addBatch"::equals).count(), "only the first body is a batch: " + calls);
            assertEquals(1, calls.stream().filter("executeBatch"::equals).count(), calls.toString());
        }
    }

    @Test
    void aBatchErrorThatDoesNotSayWhichStatementFailedStillNamesTheMigrationAndItsLines() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            // A driver whose batch error carries no entry index (another driver, or a wording
            // this one does not know): the statement cannot be named, the migration and its
            // lines can, with the server's error.
            DataSource silent = wrap(db.dataSource(), new ArrayList<>(), e -> new BatchUpdateException(
                    "something went wrong", e.getSQLState(), 0, new long[0], e.getNextException()));
            Migration m = Migration.builder("1_three").version(Version.of(1))
                    .sql("CREATE TABLE three (id int);\n\nINSERT INTO three VALUES (1);\nINSERT INTO nowhere VALUES (1);")
                    .build();

            RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.builder(db, List.of(m)).dataSource(silent).build().migrate());

            assertEquals(ErrorKind.MIGRATION_FAILED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("one of its 3 statements (lines 1 to 4;"), e.getMessage());
            assertTrue(e.getMessage().contains("nowhere"), "the server's message: " + e.getMessage());
            assertEquals("42P01", e.context().get("sqlState"));
            assertNull(e.context().get("statement"));
            assertFalse(tableExists(db, "three"), "rolled back");
            assertEquals(List.of(), trackerRows(db));
        }
    }

    /**
     * The real data source; every plain (not prepared) statement's {@code addBatch},
     * {@code execute*} and {@code executeBatch} calls are noted, and a failing
     * {@code executeBatch}'s error is passed through {@code batchError}.
     */
    private static DataSource wrap(DataSource real, List<String> calls,
                                   UnaryOperator<BatchUpdateException> batchError) {
        return new WrappingDataSource(real) {
            @Override
            protected Connection wrap(Connection c) {
                InvocationHandler h = (proxy, method, args) -> {
                    Object result = invoke(c, method, args);
                    return result instanceof Statement s && !(s instanceof PreparedStatement) ? statement(s) : result;
                };
                return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {Connection.class}, h);
            }

            private Statement statement(Statement s) {
                InvocationHandler h = (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("addBatch") || name.startsWith("execute")) {
                        calls.add(name);
                    }
                    try {
                        return invoke(s, method, args);
                    } catch (BatchUpdateException e) {
                        throw batchError.apply(e);
                    }
                };
                return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {Statement.class}, h);
            }
        };
    }

    /**
     * A file written for a tool that runs it outside a transaction (golang-migrate) and so wraps
     * itself in BEGIN and COMMIT. Run in Ratchet's transaction its COMMIT would commit the body
     * (and, in a chain, the migrations before it) apart from the tracker rows; it is refused before
     * any of its statements runs, and runs as written when marked to run outside a transaction.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aScriptWithItsOwnBeginAndCommitIsRefusedUnlessItRunsOutsideATransaction(DatabaseKind kind) throws Exception {
        for (TransactionMode mode : TransactionMode.values()) {
            try (TestDatabase db = TestDatabases.open(kind)) {
                Fixtures.createEffectsTable(db);
                String body = "-- written for golang-migrate\nBEGIN;\nCREATE TABLE t2 (id int PRIMARY KEY);\n"
                        + "INSERT INTO effects(name) VALUES ('2');\nCOMMIT;\n";
                Migration wrapped = Migration.builder("2_wrapped").version(Version.of(2)).sql(body).build();
                List<Migration> code = List.of(Fixtures.create(1), wrapped, Fixtures.create(3));

                RatchetException planned = assertThrows(RatchetException.class,
                        () -> Fixtures.ratchet(db, mode, code).plan(), "plan() says what migrate would refuse");
                assertEquals(ErrorKind.TRANSACTION_CONTROL_IN_MIGRATION, planned.kind(), planned.getMessage());
                NamespaceStatus status = Fixtures.ratchet(db, mode, code).status().get(0);
                assertEquals(ErrorKind.TRANSACTION_CONTROL_IN_MIGRATION,
                        status.problem().map(RatchetException::kind).orElse(null), "status() reports it");
                assertEquals(3, status.pending().size());

                RatchetException e = assertThrows(RatchetException.class,
                        () -> Fixtures.ratchet(db, mode, code).migrate(), mode.name());

                assertEquals(ErrorKind.TRANSACTION_CONTROL_IN_MIGRATION, e.kind(), e.getMessage());
                assertEquals(ErrorKind.Family.SOURCE, e.kind().family());
                assertTrue(e.getMessage().contains("statement 1 of 4 (line 2) is BEGIN"), e.getMessage());
                assertEquals("2_wrapped", e.context().get("migration"));
                assertFalse(tableExists(db, "t2"), mode + ": nothing of it ran");
                boolean chain = mode == TransactionMode.CHAIN;
                assertEquals(chain ? Map.of() : Map.of("1", 1), effects(db), mode.name());
                assertEquals(chain ? List.of() : Fixtures.expectedRows(List.of(Fixtures.create(1))), trackerRows(db));

                Migration asWritten = Migration.builder("2_wrapped").version(Version.of(2))
                        .sql(Migration.NO_TRANSACTION_DIRECTIVE + "\n" + body).build();
                List<Migration> marked = List.of(Fixtures.create(1), asWritten, Fixtures.create(3));
                assertTrue(Fixtures.ratchet(db, mode, marked).status().get(0).problem().isEmpty());
                Fixtures.ratchet(db, mode, marked).migrate();
                assertTrue(tableExists(db, "t2"), mode.name());
                assertEquals(Map.of("1", 1, "2", 1, "3", 1), effects(db), mode.name());
                assertEquals(Fixtures.expectedRows(marked), trackerRows(db), mode.name());
            }
        }
    }

    /**
     * SQLite ignores {@code PRAGMA foreign_keys} inside a transaction. A table rebuild written as
     * SQLite's procedure has it (foreign keys off, copy, drop, rename, foreign keys on), run in
     * Ratchet's transaction on a connection with foreign keys on, would have its {@code DROP TABLE}
     * delete the rows that refer to the table ({@code ON DELETE CASCADE}): it is refused before any
     * of it runs, by plan, status, verify and migrate. Marked to run outside a transaction, with
     * {@code BEGIN} and {@code COMMIT} between the pragmas, it runs as SQLite intends and keeps every
     * row. With foreign keys off it runs, with a warning, and nothing cascades.
     */
    @ParameterizedTest
    @EnumSource(TransactionMode.class)
    void aForeignKeysPragmaSqliteIgnoresInTheTransactionIsRefusedWhileForeignKeysAreOn(TransactionMode mode)
            throws Exception {
        Migration schema = Migration.builder("1_schema").version(Version.of(1)).sql(
                "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n"
                        + "CREATE TABLE child (id INTEGER PRIMARY KEY,"
                        + " parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE);\n"
                        + "INSERT INTO parent VALUES (1, 'a'), (2, NULL);\n"
                        + "INSERT INTO child VALUES (10, 1), (11, 2);\n").build();
        String copy = "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n"
                + "INSERT INTO parent_new SELECT id, coalesce(name, '') FROM parent;\n"
                + "DROP TABLE parent;\n"
                + "ALTER TABLE parent_new RENAME TO parent;\n";
        Migration rebuild = Migration.builder("2_rebuild_parent").version(Version.of(2))
                .sql("-- SQLite's table rebuild\nPRAGMA foreign_keys = OFF;\n" + copy + "PRAGMA foreign_keys = ON;\n")
                .build();
        List<Migration> code = List.of(schema, rebuild);
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            ConnectionSource enforcing = ConnectionSource.url(db.url() + "?foreign_keys=on", null, null);
            Fixtures.builder(db, List.of(schema)).connections(enforcing).transactionMode(mode).build().migrate();

            Ratchet ratchet = Fixtures.builder(db, code).connections(enforcing).transactionMode(mode).build();
            RatchetException planned = assertThrows(RatchetException.class, ratchet::plan);
            assertEquals(ErrorKind.FOREIGN_KEYS_PRAGMA_IN_TRANSACTION, planned.kind(), planned.getMessage());
            assertEquals(ErrorKind.FOREIGN_KEYS_PRAGMA_IN_TRANSACTION,
                    ratchet.status().get(0).problem().map(RatchetException::kind).orElse(null), "status() reports it");
            assertEquals(ErrorKind.FOREIGN_KEYS_PRAGMA_IN_TRANSACTION,
                    ratchet.verify().failure().map(RatchetException::kind).orElse(null), "verify() reports it");
            RatchetException e = assertThrows(RatchetException.class, ratchet::migrate);
            assertEquals(ErrorKind.FOREIGN_KEYS_PRAGMA_IN_TRANSACTION, e.kind(), e.getMessage());
            assertEquals(ErrorKind.Family.SOURCE, e.kind().family());
            assertTrue(e.getMessage().contains("statement 1 of 6 (line 2) sets PRAGMA foreign_keys"), e.getMessage());
            assertEquals("2_rebuild_parent", e.context().get("migration"));
            assertEquals(List.of("10|1", "11|2"), rows(db, "SELECT id, parent_id FROM child"), "no row cascaded");
            assertEquals(List.of("1|a", "2|null"), rows(db, "SELECT id, name FROM parent"), "nothing of it ran");
            assertFalse(tableExists(db, "parent_new"));
            assertEquals(Fixtures.expectedRows(List.of(schema)), trackerRows(db));

            Migration asSqliteSays = Migration.builder("2_rebuild_parent").version(Version.of(2))
                    .sql(Migration.NO_TRANSACTION_DIRECTIVE + "\nPRAGMA foreign_keys = OFF;\nBEGIN;\n" + copy
                            + "COMMIT;\nPRAGMA foreign_keys = ON;\n").build();
            Fixtures.builder(db, List.of(schema, asSqliteSays)).connections(enforcing).transactionMode(mode).build()
                    .migrate();
            assertEquals(List.of("10|1", "11|2"), rows(db, "SELECT id, parent_id FROM child"), "every row kept");
            assertEquals(List.of("1|a", "2|"), rows(db, "SELECT id, name FROM parent"), "the table was rebuilt");
            assertEquals(Fixtures.expectedRows(List.of(schema, asSqliteSays)), trackerRows(db));
        }
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            MigrateResult result = Fixtures.ratchet(db, mode, code).migrate();
            assertEquals(2, result.applied().size());
            assertEquals(1, result.warnings().size(), result.warnings().toString());
            assertTrue(result.warnings().get(0).contains("statement 1 of 6 (line 2) sets PRAGMA foreign_keys, which"
                    + " SQLite ignores inside a transaction: it has no effect"), result.warnings().toString());
            assertEquals(List.of("10|1", "11|2"), rows(db, "SELECT id, parent_id FROM child"), "foreign keys were off");
            assertEquals(List.of("1|a", "2|"), rows(db, "SELECT id, name FROM parent"));
        }
    }

    /**
     * A Java body in Ratchet's transaction that sets {@code PRAGMA foreign_keys} on a SQLite
     * connection with foreign keys on is refused as a script is, through a plain or a prepared
     * statement, before the pragma reaches SQLite; nothing of it stays, and no row cascades.
     */
    @Test
    void aJavaBodySettingTheForeignKeysPragmaInTheTransactionIsRefusedWhileForeignKeysAreOn() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            ConnectionSource enforcing = ConnectionSource.url(db.url() + "?foreign_keys=on", null, null);
            Migration schema = Migration.builder("1_schema").version(Version.of(1)).sql(
                    "CREATE TABLE parent (id INTEGER PRIMARY KEY);\nCREATE TABLE child (id INTEGER PRIMARY KEY,"
                            + " parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE);\n"
                            + "INSERT INTO parent VALUES (1);\nINSERT INTO child VALUES (10, 1);\n").build();
            for (boolean prepared : new boolean[] {false, true}) {
                Migration rebuild = Migration.builder("2_java_rebuild").version(Version.of(2)).checksumOf("v1")
                        .body(c -> {
                            try (Statement st = c.createStatement()) {
                                st.execute("CREATE TABLE parent_new (id INTEGER PRIMARY KEY)");
                                if (prepared) {
                                    c.prepareStatement("PRAGMA foreign_keys = OFF").execute();
                                } else {
                                    st.execute("PRAGMA foreign_keys = OFF");
                                }
                                st.execute("DROP TABLE parent");
                            }
                        }).build();
                RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.builder(db,
                        List.of(schema, rebuild)).connections(enforcing).build().migrate());
                assertEquals(ErrorKind.MIGRATION_FAILED, e.kind(), e.getMessage());
                assertEquals("2_java_rebuild", e.context().get("migration"));
                assertTrue(e.getMessage().contains("must not set PRAGMA foreign_keys while foreign keys are on"),
                        e.getMessage());
                assertTrue(e.hint().startsWith("build the migration with transactional(false)"), e.hint());
                assertEquals(List.of("10|1"), rows(db, "SELECT id, parent_id FROM child"), "no row cascaded");
                assertFalse(tableExists(db, "parent_new"), "nothing of the body stayed");
            }
        }
    }

    /**
     * A statement that cannot run inside a transaction (PostgreSQL's CREATE INDEX CONCURRENTLY,
     * SQLite's VACUUM) fails the migration with a hint that says how to run it outside one; the
     * hint is right, too: with the directive the same statement runs.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aStatementThatCannotRunInATransactionIsAnsweredWithTheDirective(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Migration table = Migration.builder("1_table").version(Version.of(1)).sql("CREATE TABLE t (id int);").build();
            String statement = kind == DatabaseKind.POSTGRESQL ? "CREATE INDEX CONCURRENTLY t_id ON t (id);" : "VACUUM;";
            Migration inTransaction = Migration.builder("2_outside").version(Version.of(2)).sql(statement).build();
            RatchetException e = assertThrows(RatchetException.class,
                    () -> Fixtures.ratchet(db, List.of(table, inTransaction)).migrate());
            assertEquals(ErrorKind.MIGRATION_FAILED, e.kind(), e.getMessage());
            assertEquals("2_outside", e.context().get("migration"));
            assertTrue(e.hint().startsWith("this statement cannot run inside a transaction: make the migration's first"
                    + " line -- ratchet:no-transaction"), e.hint());

            Migration outside = Migration.builder("2_outside").version(Version.of(2))
                    .sql(Migration.NO_TRANSACTION_DIRECTIVE + "\n" + statement).build();
            Fixtures.ratchet(db, List.of(table, outside)).migrate();
            assertEquals(Fixtures.expectedRows(List.of(table, outside)), trackerRows(db));
        }
    }

    /**
     * PostgreSQL refuses a new enum value used in the transaction that added it (SQLSTATE 55P04):
     * the hint says to add it in one migration and use it in a later one, and in a chain, where
     * those two still share a transaction, how to part them.
     */
    @ParameterizedTest
    @EnumSource(TransactionMode.class)
    void aNewEnumValueUsedInTheTransactionThatAddedItIsAnsweredWithHowToSplit(TransactionMode mode) throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            Migration type = Migration.builder("1_type").version(Version.of(1))
                    .sql("CREATE TYPE mood AS ENUM ('happy');\nCREATE TABLE person (mood mood);").build();
            Fixtures.ratchet(db, mode, List.of(type)).migrate();
            Migration together = Migration.builder("2_sad").version(Version.of(2))
                    .sql("ALTER TYPE mood ADD VALUE 'sad';\nINSERT INTO person VALUES ('sad');").build();
            RatchetException one = assertThrows(RatchetException.class,
                    () -> Fixtures.ratchet(db, mode, List.of(type, together)).migrate());
            assertEquals("55P04", one.context().get("sqlState"), one.getMessage());
            assertTrue(one.hint().startsWith("a new enum value can be used only once the transaction that added it has"
                    + " committed: add the value in one migration and use it in a later one"), one.hint());
            assertFalse(one.hint().contains("CHAIN"), one.hint());

            Migration add = Migration.builder("2_add_sad").version(Version.of(2))
                    .sql("ALTER TYPE mood ADD VALUE 'sad';").build();
            Migration use = Migration.builder("3_use_sad").version(Version.of(3))
                    .sql("INSERT INTO person VALUES ('sad');").build();
            if (mode == TransactionMode.CHAIN) {
                List<Migration> chain = List.of(type, add, use);
                RatchetException chained = assertThrows(RatchetException.class,
                        () -> Fixtures.ratchet(db, mode, chain).migrate());
                assertEquals("55P04", chained.context().get("sqlState"), chained.getMessage());
                assertTrue(chained.hint().endsWith("in a chain transaction (TransactionMode.CHAIN) those two still share"
                        + " one, so run the adding migration outside it (-- ratchet:no-transaction) or use"
                        + " PER_MIGRATION"), chained.hint());
                add = Migration.builder("2_add_sad").version(Version.of(2))
                        .sql(Migration.NO_TRANSACTION_DIRECTIVE + "\nALTER TYPE mood ADD VALUE 'sad';").build();
            }
            Fixtures.ratchet(db, mode, List.of(type, add, use)).migrate();
            assertEquals(List.of("sad"), rows(db, "SELECT mood FROM person"));
        }
    }

    /**
     * A script that runs outside Ratchet's transaction and opens one of its own (BEGIN) is not
     * left inside it, whether it fails there or ends without its COMMIT: Ratchet rolls it back,
     * says which statements stay applied, records nothing, and releases the lock (on SQLite a
     * lease row, whose DELETE the open transaction would have swallowed, holding the namespace
     * for a minute). On PostgreSQL also through a driver wrapper that hides pgjdbc, where the
     * server is asked instead.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aScriptThatLeavesItsOwnTransactionOpenIsRolledBackAndTheLockReleased(DatabaseKind kind) throws Exception {
        for (boolean hidden : kind == DatabaseKind.POSTGRESQL ? new boolean[] {false, true} : new boolean[] {false}) {
            try (TestDatabase db = TestDatabases.open(kind)) {
                DataSource source = hidden ? hidingTheDriver(db.dataSource()) : db.dataSource();
                String outside = Migration.NO_TRANSACTION_DIRECTIVE + "\nCREATE TABLE IF NOT EXISTS before_begin (id int);\nBEGIN;\n"
                        + "CREATE TABLE after_begin (id int);\n";
                Migration failing = Migration.builder("1_own").version(Version.of(1))
                        .sql(outside + "INSERT INTO missing VALUES (1);\n").build();
                RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.builder(db, List.of(failing))
                        .dataSource(source).lockTimeout(java.time.Duration.ofSeconds(2)).build().migrate());
                assertEquals(ErrorKind.NON_TRANSACTIONAL_MIGRATION_FAILED, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("statement 4 of 4 (line 5)") && e.getMessage().contains(
                        "in one it opened itself, which Ratchet rolled back: statements before that BEGIN stay"
                                + " applied, those after it do not"), e.getMessage());
                assertTrue(tableExists(db, "before_begin"));
                assertFalse(tableExists(db, "after_begin"));

                Migration leftOpen = Migration.builder("1_own").version(Version.of(1)).sql(outside).build();
                RatchetException open = assertThrows(RatchetException.class, () -> Fixtures.builder(db,
                        List.of(leftOpen)).dataSource(source).lockTimeout(java.time.Duration.ofSeconds(2)).build()
                        .migrate(), "the lock was released: no LOCK_TIMEOUT");
                assertEquals(ErrorKind.NON_TRANSACTIONAL_MIGRATION_FAILED, open.kind(), open.getMessage());
                assertTrue(open.getMessage().contains("left one of its own open (a BEGIN without its COMMIT)"),
                        open.getMessage());
                assertFalse(tableExists(db, "after_begin"));
                assertEquals(List.of(), trackerRows(db));

                Migration fixed = Migration.builder("1_own").version(Version.of(1))
                        .sql(Migration.NO_TRANSACTION_DIRECTIVE + "\nBEGIN;\nCREATE TABLE after_begin (id int);\nCOMMIT;\n")
                        .build();
                Fixtures.builder(db, List.of(fixed)).dataSource(source).lockTimeout(java.time.Duration.ofSeconds(2))
                        .build().migrate();
                assertTrue(tableExists(db, "after_begin"));
                assertEquals(Fixtures.expectedRows(List.of(fixed)), trackerRows(db));
            }
        }
    }

    /**
     * A migration PostgreSQL cancels for its statement_timeout, that an operator cancels
     * (pg_cancel_backend), or that gives up waiting for a lock another session holds
     * (lock_timeout), fails with a hint that says which, and what to do, instead of "fix the
     * migration".
     */
    @ParameterizedTest
    @EnumSource(TransactionMode.class)
    void aTimeoutTheServerImposesIsNamedInTheHint(TransactionMode mode) throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            Migration table = Migration.builder("1_table").version(Version.of(1)).sql("CREATE TABLE t (id int);").build();
            Fixtures.ratchet(db, mode, List.of(table)).migrate();
            Migration slow = Migration.builder("2_slow").version(Version.of(2))
                    .sql("SET LOCAL statement_timeout = '50ms';\nSELECT pg_sleep(2);").build();
            RatchetException cancelled = assertThrows(RatchetException.class,
                    () -> Fixtures.ratchet(db, mode, List.of(table, slow)).migrate());
            assertEquals("57014", cancelled.context().get("sqlState"), cancelled.getMessage());
            assertTrue(cancelled.hint().startsWith("the server's statement_timeout"), cancelled.hint());

            Migration sleepy = Migration.builder("2_sleepy").version(Version.of(2))
                    .sql("SELECT pg_sleep(30);").build();
            java.util.concurrent.CompletableFuture<RatchetException> running = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> assertThrows(RatchetException.class,
                            () -> Fixtures.ratchet(db, mode, List.of(table, sleepy)).migrate()));
            try (Connection operator = db.connect(); Statement st = operator.createStatement()) {
                long deadline = System.nanoTime() + 20_000_000_000L;
                int found = 0;
                while (found == 0 && System.nanoTime() < deadline) {
                    try (java.sql.ResultSet rs = st.executeQuery("SELECT count(pg_cancel_backend(pid)) FROM"
                            + " pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND pid <> pg_backend_pid()")) {
                        rs.next();
                        found = rs.getInt(1);
                    }
                    Thread.sleep(50);
                }
                assertEquals(1, found, "the operator found the migration's statement");
            }
            RatchetException byOperator = running.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("57014", byOperator.context().get("sqlState"), byOperator.getMessage());
            assertTrue(byOperator.hint().startsWith("another session cancelled the statement"), byOperator.hint());

            Migration blocked = Migration.builder("2_blocked").version(Version.of(2))
                    .sql("SET LOCAL lock_timeout = '100ms';\nALTER TABLE t ADD COLUMN name text;").build();
            try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
                holder.setAutoCommit(false);
                st.execute("LOCK TABLE t IN ACCESS SHARE MODE");
                RatchetException waited = assertThrows(RatchetException.class,
                        () -> Fixtures.ratchet(db, mode, List.of(table, blocked)).migrate());
                assertEquals("55P03", waited.context().get("sqlState"), waited.getMessage());
                assertTrue(waited.hint().startsWith("another session holds a lock this statement needs"), waited.hint());
                holder.rollback();
            }
            Fixtures.ratchet(db, mode, List.of(table, blocked)).migrate();
            assertEquals(Fixtures.expectedRows(List.of(table, blocked)), trackerRows(db));
        }
    }

    /** The real data source behind connections that wrap nothing they would unwrap, as another driver's. */
    private static DataSource hidingTheDriver(DataSource real) {
        return new WrappingDataSource(real) {
            @Override
            protected Connection wrap(Connection c) {
                return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                        (proxy, method, args) -> switch (method.getName()) {
                            case "isWrapperFor" -> ((Class<?>) args[0]).isInstance(proxy);
                            case "unwrap" -> {
                                if (((Class<?>) args[0]).isInstance(proxy)) {
                                    yield proxy;
                                }
                                throw new java.sql.SQLException("not a wrapper for " + args[0]);
                            }
                            default -> invoke(c, method, args);
                        });
            }
        };
    }

    /** A schema and data dump as pg_dump writes it (less the schema names a test schema cannot have). */
    private static final String PG_DUMP = "--\n-- PostgreSQL database dump\n--\n\n"
            + "\\restrict nLi1NT4yis9ok7Yzj73VQPsTNgc1YyHS99v80fFQjP6VYHTBrmMyFTbHJeaTnsi\n\n"
            + "SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n"
            + "CREATE TABLE q (\n    id integer NOT NULL,\n    s text\n);\n\n"
            + "--\n-- Data for Name: q; Type: TABLE DATA\n--\n\n"
            + "COPY q (id, s) FROM stdin;\n"
            + "1\ttab\\there\n"
            + "2\tback\\\\slash; -- and no comment\n"
            + "3\t\\N\n"
            + "4\tquote's\n"
            + "\\.\n\n\n"
            + "ALTER TABLE ONLY q\n    ADD CONSTRAINT q_pkey PRIMARY KEY (id);\n\n"
            + "--\n-- PostgreSQL database dump complete\n--\n\n"
            + "\\unrestrict nLi1NT4yis9ok7Yzj73VQPsTNgc1YyHS99v80fFQjP6VYHTBrmMyFTbHJeaTnsi\n\n";

    /**
     * A pg_dump file as a baseline migration, in both transaction modes: its restrict lines (which
     * pg_dump writes since PostgreSQL 17.6, 16.10, 15.14, 14.19 and 13.22) are passed over, and its
     * COPY data goes in through the COPY protocol, every value as written. A row COPY refuses fails
     * the migration naming the COPY and its line, and leaves nothing behind.
     */
    /**
     * A column named begin is no trigger body: the statements after it ran as one statement, and
     * on SQLite, which runs only the first statement of a text, they were silently skipped while
     * the migration was recorded as applied.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aColumnNamedBeginLeavesTheStatementsAfterItTheirOwn(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Migration m = Migration.builder("1_periods").version(Version.of(1)).sql(
                    "CREATE TABLE periods (id int, begin date, \"end\" date);\n"
                            + "CREATE INDEX periods_begin ON periods (begin);\n"
                            + "INSERT INTO periods (id) VALUES (1);\nINSERT INTO periods (id) VALUES (2);\n").build();
            Fixtures.ratchet(db, List.of(m)).migrate();
            assertEquals(List.of("1", "2"), rows(db, "SELECT id FROM periods"));
        }
    }

    /**
     * Columns named end, case and begin around and inside a trigger. SQLite's trigger body ends
     * at the END after its last statement's semicolon, not at a column new.end: the migration was
     * refused as holding the transaction statement END. PostgreSQL's trigger has no body, so a
     * column begin in UPDATE OF opens none: the statements after it are named by their own lines.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aTriggerOnColumnsNamedEndOrBeginRunsAndTheStatementsAfterItKeepTheirLines(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            if (kind == DatabaseKind.SQLITE) {
                Migration m = Migration.builder("1_events").version(Version.of(1)).sql("""
                        CREATE TABLE events (id INTEGER PRIMARY KEY, start INTEGER, end INTEGER);
                        CREATE TABLE log (id INTEGER, start INTEGER, end INTEGER, n INTEGER);
                        CREATE TRIGGER events_range BEFORE INSERT ON events
                        BEGIN
                          SELECT CASE WHEN NEW.end < NEW.start THEN RAISE(ABORT, 'end before start') END;
                          INSERT INTO log (id, start, end) VALUES (NEW.id, NEW.start, NEW.end);
                          UPDATE log SET end = NEW.end * 10, n = 1 WHERE id = NEW.id;
                        END;
                        INSERT INTO events VALUES (1, 1, 2);
                        """).build();
                Fixtures.ratchet(db, List.of(m)).migrate();
                assertEquals(List.of("1|1|20|1"), rows(db, "SELECT id, start, end, n FROM log"));
                try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                    java.sql.SQLException e = assertThrows(java.sql.SQLException.class,
                            () -> st.executeUpdate("INSERT INTO events VALUES (2, 5, 4)"));
                    assertTrue(e.getMessage().contains("end before start"), "the trigger's whole body: " + e.getMessage());
                }
            } else {
                Migration m = Migration.builder("1_periods").version(Version.of(1)).sql("""
                        CREATE TABLE periods (id int, begin int, "end" int);
                        CREATE FUNCTION periods_touch() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN NEW."end" := NEW.begin; RETURN NEW; END $$;
                        CREATE OR REPLACE TRIGGER periods_touch BEFORE UPDATE OF begin ON periods
                        FOR EACH ROW EXECUTE FUNCTION periods_touch();
                        INSERT INTO periods VALUES (1, 1, 1);
                        INSERT INTO no_such_table VALUES (1);
                        """).build();
                RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.ratchet(db, List.of(m)).migrate());
                assertEquals(ErrorKind.MIGRATION_FAILED, e.kind(), e.getMessage());
                assertEquals(5, e.context().get("statement"), e.getMessage());
                assertEquals(7, e.context().get("line"), e.getMessage());
                assertTrue(e.getMessage().contains("statement 5 of 5 (line 7)"), e.getMessage());
            }
        }
    }

    /**
     * SQLite's [bracketed identifiers], as scripts ported from SQL Server or Access write them,
     * with a semicolon, a quote and a comment's start inside: the migration was split inside
     * them and failed, or was refused.
     */
    @Test
    void sqliteBracketedIdentifiersWithASemicolonOrAQuoteInsideRun() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            Migration m = Migration.builder("1_brackets").version(Version.of(1)).sql("""
                    CREATE TABLE [order; it's] ([id] INTEGER PRIMARY KEY, [--note] TEXT);
                    INSERT INTO [order; it's] ([id], [--note]) VALUES (1, 'first');
                    CREATE VIEW [v/*] AS SELECT o.[--note] AS [note;] FROM [order; it's] AS o;
                    """).build();
            Fixtures.ratchet(db, List.of(m)).migrate();
            assertEquals(List.of("first"), rows(db, "SELECT [note;] FROM [v/*]"));
        }
    }

    /**
     * A {@code /*} inside a block comment: SQLite ends the comment at its first close, so the
     * statements after it run (they were taken for the rest of a nested comment, and the migration
     * was recorded as applied having run nothing); PostgreSQL nests comments, so there the comment
     * is left open, and the migration fails naming its first line, recording nothing.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCommentOpenedInsideACommentIsReadAsTheDatabaseReadsIt(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Migration m = Migration.builder("1_comment").version(Version.of(1)).sql("""
                    /* was: /* CREATE TABLE x (id int) */
                    CREATE TABLE made_a (id int);
                    CREATE TABLE made_b (id int);
                    """).build();
            if (kind == DatabaseKind.SQLITE) {
                Fixtures.ratchet(db, List.of(m)).migrate();
                assertTrue(tableExists(db, "made_a"));
                assertTrue(tableExists(db, "made_b"));
            } else {
                RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.ratchet(db, List.of(m)).migrate());
                assertEquals(ErrorKind.MIGRATION_FAILED, e.kind(), e.getMessage());
                assertEquals(1, e.context().get("line"), e.getMessage());
                assertFalse(tableExists(db, "made_a"));
                assertEquals(List.of(), trackerRows(db));
            }
        }
    }

    /**
     * A script with no statement to run (blanks and comments only, an empty file, a goose file
     * whose up section is empty) is applied, as an empty migration keeping a version's place may
     * be, but migrate and verify warn of it, naming it, before it runs: it would be recorded as
     * applied having run nothing, as the migrations whose statements an open comment hid were.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aScriptWithNoStatementToRunIsWarnedOfBeforeItRuns(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            List<Migration> ms = List.of(
                    Migration.builder("1_comments").version(Version.of(1)).sql("-- to do\n/* CREATE TABLE later (id int); */\n")
                            .build(),
                    Migration.builder("2_real").version(Version.of(2)).sql("-- made here\nCREATE TABLE real_one (id int);")
                            .build(),
                    Migration.builder("3_empty").version(Version.of(3)).sql("").build(),
                    Migration.builder("4_empty_up").version(Version.of(4))
                            .sql("-- +goose Up\n-- +goose Down\nDROP TABLE real_one;\n").build(),
                    Migration.builder("5_plain").version(Version.of(5)).sql("CREATE TABLE plain_one (id int);").build());
            List<String> named = List.of("1_comments", "3_empty", "4_empty_up");
            VerifyResult verified = Fixtures.ratchet(db, ms).verify();
            assertTrue(verified.failure().isEmpty(), verified.toString());
            MigrateResult migrated = Fixtures.ratchet(db, ms).migrate();
            for (List<String> warnings : List.of(verified.warnings(), migrated.warnings())) {
                assertEquals(named.size(), warnings.size(), warnings.toString());
                for (int i = 0; i < named.size(); i++) {
                    assertTrue(warnings.get(i).contains("Migration '" + named.get(i) + "' of namespace"), warnings.toString());
                    assertTrue(warnings.get(i).contains("has no statement to run"), warnings.get(i));
                }
            }
            assertEquals(5, migrated.applied().size());
            assertTrue(tableExists(db, "real_one"));
            assertFalse(tableExists(db, "later"));
            assertEquals(List.of(), Fixtures.ratchet(db, ms).migrate().warnings(), "warned of only before it runs");
        }
    }

    /**
     * A down section with no up section, as goose and dbmate refuse it: here a plain comment that
     * starts like dbmate's annotation, which would hide the statements after it. The migration is
     * refused before any of it runs, naming the line, and plan() and status() report it first.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aDownSectionWithoutAnUpSectionIsRefusedBeforeAnythingRuns(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            List<Migration> ms = List.of(
                    Migration.builder("1_first").version(Version.of(1)).sql("CREATE TABLE first_one (id int);").build(),
                    Migration.builder("2_stray").version(Version.of(2)).sql("CREATE TABLE before_it (id int);\n"
                            + "-- migrate:down is done by hand, see the runbook\nCREATE TABLE after_it (id int);\n")
                            .build());
            RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.ratchet(db, ms).migrate());
            assertEquals(ErrorKind.DOWN_SECTION_WITHOUT_UP, e.kind(), e.getMessage());
            assertEquals(2, e.context().get("line"));
            assertEquals("2_stray", e.context().get("migration"));
            assertTrue(e.getMessage().contains("opens a down section on line 2 and has no up section"), e.getMessage());
            assertTrue(tableExists(db, "first_one"), "the migration before it ran");
            assertFalse(tableExists(db, "before_it"), "nothing of it ran");
            assertEquals(Fixtures.expectedRows(ms.subList(0, 1)), trackerRows(db));
            assertEquals(ErrorKind.DOWN_SECTION_WITHOUT_UP,
                    Fixtures.ratchet(db, ms).status().get(0).problem().orElseThrow().kind());
        }
    }

    /**
     * A SQLite script written for the sqlite3 shell, with its dot-commands: refused before any of
     * it runs, naming the line, where it was sent to SQLite and failed with a syntax error near
     * ".", naming the statement after it as statement 1; plan() and status() report it first.
     */
    @Test
    void aSqliteShellDotCommandIsRefusedBeforeAnythingRuns() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            List<Migration> ms = List.of(Migration.builder("1_shell").version(Version.of(1))
                    .sql("CREATE TABLE shell_a (id int);\n.read seed.sql\nCREATE TABLE shell_b (id int);\n").build());
            assertEquals(ErrorKind.SQLITE_DOT_COMMAND,
                    Fixtures.ratchet(db, ms).status().get(0).problem().orElseThrow().kind());
            RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.ratchet(db, ms).migrate());
            assertEquals(ErrorKind.SQLITE_DOT_COMMAND, e.kind(), e.getMessage());
            assertEquals(2, e.context().get("line"));
            assertTrue(e.getMessage().contains("has a sqlite3 shell dot-command on line 2 (.read)"), e.getMessage());
            assertFalse(tableExists(db, "shell_a"), "nothing of it ran");
            assertEquals(List.of(), trackerRows(db));
        }
    }

    /**
     * A NUL character is refused before anything of the migration runs. SQLite took a statement's
     * text only up to a NUL, so a file saved as UTF-16BE without a byte order mark (valid UTF-8:
     * a NUL before every ASCII character) ran nothing and was recorded as applied; PostgreSQL's
     * driver failed the connection with a protocol error, reported as CONNECTION_FAILED.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aNulCharacterIsRefusedBeforeAnythingRuns(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            String utf16be = new String("CREATE TABLE nul_b (id int);\nCREATE TABLE nul_c (id int);\n"
                    .getBytes(StandardCharsets.UTF_16BE), StandardCharsets.UTF_8);
            List<Migration> ms = List.of(
                    Migration.builder("1_first").version(Version.of(1)).sql("CREATE TABLE nul_a (id int);").build(),
                    Migration.builder("2_utf16").version(Version.of(2)).sql(utf16be).build());
            assertEquals(ErrorKind.NUL_IN_SCRIPT, Fixtures.ratchet(db, ms).status().get(0).problem().orElseThrow().kind());
            RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.ratchet(db, ms).migrate());
            assertEquals(ErrorKind.NUL_IN_SCRIPT, e.kind(), e.getMessage());
            assertEquals(ErrorKind.Family.SOURCE, e.kind().family());
            assertTrue(e.getMessage().contains("holds a NUL character (U+0000) on line 1, column 1, and 57 more")
                    && e.getMessage().contains("it was saved as UTF-16 without a byte order mark"), e.getMessage());
            assertTrue(tableExists(db, "nul_a"));
            assertFalse(tableExists(db, "nul_b") || tableExists(db, "nul_c"), "nothing of it ran");
            assertEquals(List.of("1_first"), trackerRows(db).stream().map(r -> r.split("\\|")[1]).toList());

            // One NUL in an otherwise good script: its line and column, no word of UTF-16.
            List<Migration> one = List.of(ms.get(0), Migration.builder("2_one").version(Version.of(2))
                    .sql("CREATE TABLE nul_d (v text);\n-- seed\nINSERT INTO nul_d VALUES ('a\0b');\n").build());
            RatchetException single = assertThrows(RatchetException.class, () -> Fixtures.ratchet(db, one).migrate());
            assertEquals(ErrorKind.NUL_IN_SCRIPT, single.kind(), single.getMessage());
            assertEquals(3, single.context().get("line"));
            assertTrue(single.getMessage().contains("on line 3, column 29, which no SQL statement can hold")
                    && !single.getMessage().contains("UTF-16 without"), single.getMessage());
            assertFalse(tableExists(db, "nul_d"), "nothing of it ran");
            assertEquals(List.of("1_first"), trackerRows(db).stream().map(r -> r.split("\\|")[1]).toList());
        }
    }

    /**
     * A text kept whole that holds several statements (here goose's StatementBegin ... StatementEnd
     * around two) runs every one of them, as goose runs it: SQLite's driver ran the first only,
     * and the migration was recorded as applied without the second; PostgreSQL's refused it in a
     * batch of the body's statements.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void everyStatementOfATextKeptWholeRuns(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            // Alone, and among other statements (which PostgreSQL's driver would send as one batch).
            Migration alone = Migration.builder("1_goose").version(Version.of(1)).sql("-- +goose Up\n"
                    + "-- +goose StatementBegin\nCREATE TABLE whole_a (id int);\nCREATE TABLE whole_b (id int);\n"
                    + "INSERT INTO whole_b VALUES (7);\n-- +goose StatementEnd\n").build();
            Migration among = Migration.builder("2_goose").version(Version.of(2)).sql("-- +goose Up\n"
                    + "CREATE TABLE whole_c (id int);\n"
                    + "-- +goose StatementBegin\nCREATE TABLE whole_d (id int);\nINSERT INTO whole_d VALUES (8);\n"
                    + "-- +goose StatementEnd\nINSERT INTO whole_c VALUES (9);\n").build();
            Fixtures.ratchet(db, List.of(alone, among)).migrate();
            assertTrue(tableExists(db, "whole_a"));
            assertEquals(List.of("7"), rows(db, "SELECT id FROM whole_b"));
            assertEquals(List.of("8"), rows(db, "SELECT id FROM whole_d"));
            assertEquals(List.of("9"), rows(db, "SELECT id FROM whole_c"));
        }
    }

    /** Statements with semicolons inside them that psql keeps whole: a rule's actions, a SQL-standard body. */
    @ParameterizedTest
    @EnumSource(TransactionMode.class)
    void aRuleWithSeveralActionsAndAStandardSqlBodyRunWhole(TransactionMode mode) throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Migration m = Migration.builder("1_rule").version(Version.of(1)).sql("CREATE TABLE rt (id int);\n"
                    + "CREATE TABLE rlog (id int);\n"
                    + "CREATE RULE r AS ON INSERT TO rt DO ALSO (INSERT INTO rlog VALUES (NEW.id);\n"
                    + "  INSERT INTO rlog VALUES (NEW.id * 2));\n"
                    + "CREATE PROCEDURE rins(x int) LANGUAGE SQL\nBEGIN ATOMIC\n  INSERT INTO rt VALUES (x);\n"
                    + "  INSERT INTO rt VALUES (x + 1);\nEND;\n"
                    + "CALL rins(5);\n").build();
            Fixtures.builder(db, List.of(m)).transactionMode(mode).build().migrate();
            assertEquals(List.of("10", "12", "5", "6"), rows(db, "SELECT id FROM rlog"));
        }
    }

    @ParameterizedTest
    @EnumSource(TransactionMode.class)
    void aPgDumpFileWithRestrictLinesAndCopyDataIsApplied(TransactionMode mode) throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Migration dump = Migration.builder("1_baseline").version(Version.of(1)).sql(PG_DUMP).build();
            Migration bad = Migration.builder("3_more").version(Version.of(3))
                    .sql("INSERT INTO q VALUES (5, 'five');\nCOPY q FROM stdin;\n6\tsix\nseven\tseven\n\\.\n").build();
            List<Migration> code = List.of(dump, Fixtures.create(2), bad);
            Fixtures.createEffectsTable(db);

            VerifyResult dryRun = Fixtures.ratchet(db, mode, List.of(dump)).verify();
            assertTrue(dryRun.ok(), dryRun.toString());
            assertFalse(tableExists(db, "q"), "verify rolled the COPY back");

            RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.ratchet(db, mode, code).migrate());
            assertEquals(ErrorKind.MIGRATION_FAILED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("statement 2 of 2 (line 2)") && e.getMessage().contains("seven"),
                    e.getMessage());
            boolean chain = mode == TransactionMode.CHAIN;
            assertEquals(chain ? List.of() : List.of("1|tab\there", "2|back\\slash; -- and no comment", "3|null",
                    "4|quote's"), chain ? List.of() : rows(db, "SELECT id, s FROM q"), "each value as written");
            assertEquals(chain ? List.of() : List.of("1", "2"),
                    trackerRows(db).stream().map(r -> r.substring(0, r.indexOf('|'))).toList());
            if (!chain) {
                assertEquals(List.of("q_pkey"), rows(db, "SELECT conname FROM pg_constraint WHERE conrelid = 'q'::regclass"),
                        "the statements after the data ran too");
                assertEquals(List.of(), rows(db, "SELECT id FROM q WHERE id > 4"), "the failed COPY left nothing");
            }
        }
    }

    /**
     * A psql meta-command (a line starting with a backslash, outside quotes) is refused before any
     * of the migration runs, in or outside a transaction, and plan and status say so first; so is
     * a Flyway placeholder. On SQLite, which has no COPY, a COPY with its data fails saying so.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aPsqlMetaCommandIsRefusedBeforeAnyOfTheMigrationRuns(DatabaseKind kind) throws Exception {
        for (String directive : List.of("", Migration.NO_TRANSACTION_DIRECTIVE + "\n")) {
            try (TestDatabase db = TestDatabases.open(kind)) {
                Fixtures.createEffectsTable(db);
                Migration meta = Migration.builder("2_meta").version(Version.of(2)).sql(directive
                        + "CREATE TABLE before_it (id int);\n\\set ON_ERROR_STOP on\nCREATE TABLE after_it (id int);\n")
                        .build();
                List<Migration> code = List.of(Fixtures.create(1), meta);
                int line = directive.isEmpty() ? 2 : 3;

                RatchetException planned = assertThrows(RatchetException.class, () -> Fixtures.ratchet(db, code).plan());
                assertEquals(ErrorKind.PSQL_META_COMMAND, planned.kind(), planned.getMessage());
                assertEquals(ErrorKind.PSQL_META_COMMAND, Fixtures.ratchet(db, code).status().get(0).problem()
                        .map(RatchetException::kind).orElse(null));
                RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.ratchet(db, code).migrate());
                assertEquals(ErrorKind.PSQL_META_COMMAND, e.kind(), e.getMessage());
                assertEquals(ErrorKind.Family.SOURCE, e.kind().family());
                assertTrue(e.getMessage().contains("psql meta-command on line " + line + " (\\set)"), e.getMessage());
                assertEquals(line, e.context().get("line"));
                assertFalse(tableExists(db, "before_it"), "nothing of it ran: " + directive);
                assertEquals(Map.of("1", 1), effects(db));
            }
        }
        try (TestDatabase db = TestDatabases.open(kind)) {
            Migration flyway = Migration.builder("1_flyway").version(Version.of(1))
                    .sql("CREATE TABLE before_it (id int);\nGRANT SELECT ON before_it TO ${appUser};\n").build();
            RatchetException planned = assertThrows(RatchetException.class,
                    () -> Fixtures.ratchet(db, List.of(flyway)).plan());
            assertEquals(ErrorKind.UNRESOLVED_PLACEHOLDER, planned.kind(), planned.getMessage());
            RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.ratchet(db, List.of(flyway)).migrate());
            assertEquals(ErrorKind.UNRESOLVED_PLACEHOLDER, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("has a placeholder, ${appUser}, in its statement 2 of 2 (line 2)"),
                    e.getMessage());
            assertFalse(tableExists(db, "before_it"), "nothing of it ran");
        }
        if (kind == DatabaseKind.SQLITE) {
            try (TestDatabase db = TestDatabases.open(kind)) {
                Migration copy = Migration.builder("1_copy").version(Version.of(1))
                        .sql("CREATE TABLE q (id int);\nCOPY q FROM stdin;\n1\n\\.\n").build();
                RatchetException e = assertThrows(RatchetException.class,
                        () -> Fixtures.ratchet(db, List.of(copy)).migrate());
                assertEquals(ErrorKind.MIGRATION_FAILED, e.kind());
                assertTrue(e.getMessage().contains("statement 2 of 2 (line 2): COPY ... FROM STDIN with its data in the"
                        + " script (pg_dump's form) runs on PostgreSQL only"), e.getMessage());
                assertFalse(tableExists(db, "q"));
            }
        }
    }

    /**
     * Files written for goose and dbmate, whose histories Ratchet adopts, hold the down migration
     * beside the up one. Run whole, the down section undid the up one and the migration was
     * recorded as applied: now only the up section runs. Their own no-transaction annotations mark
     * the migration non-transactional.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aGooseOrDbmateFileRunsItsUpSectionOnly(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Migration goose = Migration.builder("1_users").version(Version.of(1)).sql("-- +goose Up\n"
                    + "CREATE TABLE users (id int PRIMARY KEY);\n"
                    + "-- +goose StatementBegin\n"
                    + "INSERT INTO users VALUES (1);\n"
                    + "-- +goose StatementEnd\n\n"
                    + "-- +goose Down\n"
                    + "DROP TABLE users;\n").build();
            Migration dbmate = Migration.builder("2_books").version(Version.of(2)).sql("-- migrate:up\n"
                    + "CREATE TABLE books (id int PRIMARY KEY);\nINSERT INTO books VALUES (7);\n\n"
                    + "-- migrate:down\nDROP TABLE books;\n").build();
            Migration gooseOutside = Migration.builder("3_index").version(Version.of(3)).sql("-- +goose NO TRANSACTION\n"
                    + "-- +goose Up\nCREATE INDEX " + (kind == DatabaseKind.POSTGRESQL ? "CONCURRENTLY " : "")
                    + "books_id ON books (id);\n-- +goose Down\nDROP INDEX books_id;\n").build();
            Migration dbmateOutside = Migration.builder("4_vacuum").version(Version.of(4))
                    .sql("-- migrate:up transaction:false\nVACUUM;\n-- migrate:down\n").build();
            assertTrue(goose.transactional() && dbmate.transactional());
            assertFalse(gooseOutside.transactional(), "goose's NO TRANSACTION");
            assertFalse(dbmateOutside.transactional(), "dbmate's transaction:false");

            List<Migration> code = List.of(goose, dbmate, gooseOutside, dbmateOutside);
            assertEquals(4, Fixtures.ratchet(db, code).migrate().applied().size());
            assertEquals(List.of("1"), rows(db, "SELECT id FROM users"), "the down section did not run after the up one");
            assertEquals(List.of("7"), rows(db, "SELECT id FROM books"));
            assertEquals(1, rows(db, kind == DatabaseKind.POSTGRESQL
                    ? "SELECT indexname FROM pg_indexes WHERE indexname = 'books_id'"
                    : "SELECT name FROM sqlite_master WHERE name = 'books_id'").size(), "the index stays");
            assertEquals(Fixtures.expectedRows(code), trackerRows(db), "checksums cover the whole file");
        }
    }
}
