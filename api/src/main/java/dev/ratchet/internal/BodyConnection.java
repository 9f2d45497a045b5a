package dev.ratchet.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/**
 * The connection a Java migration body ({@link dev.ratchet.MigrationBody}) receives: the run's
 * pinned connection, less the calls that would break what the run promises.
 *
 * <ul>
 *   <li>Inside the engine's transaction (a transactional migration, in {@code migrate()} and in
 *   {@code verify()}): {@code commit()}, {@code rollback()} (to a savepoint is fine),
 *   {@code setAutoCommit(true)}, {@code close()} and {@code abort(..)} throw {@link Refused}. A
 *   commit there would keep a body without its tracker row (it would run again at the next
 *   boot), keep half of a chain, or make {@code verify()}'s dry run write. {@code getAutoCommit()}
 *   answers false, as it should inside a transaction (SQLite's driver answers true: the engine
 *   begins SQLite's transactions with {@code BEGIN IMMEDIATE}), and {@code setAutoCommit(false)}
 *   changes nothing, so that code which opens a transaction only when none is open (Jdbi's,
 *   Spring's) joins the engine's. Savepoints work, on SQLite too (see {@code Savepoints}).</li>
 *   <li>Outside one (a non-transactional migration) the body may manage transactions itself;
 *   only {@code close()} and {@code abort(..)} throw: the connection holds the migration lock.
 *   See {@link #settle} for a transaction it leaves open.</li>
 *   <li>In or outside it, on SQLite, a text of several statements is refused where the driver
 *   would run only the first ({@link #refuseSeveralStatements}).</li>
 * </ul>
 *
 * Inside the engine's transaction, SQL that would end it ({@code COMMIT}, {@code BEGIN}, ...)
 * is refused too, when a statement from {@code createStatement()} runs it or
 * {@code prepareStatement} / {@code prepareCall} is given it. Everything else goes to the pinned
 * connection, {@code unwrap} included (a deliberate way out). The wrapper equals, and
 * hashes as, the connection it wraps, so that an adapter can find its own state by the
 * connection it handed the engine.
 */
final class BodyConnection {
    /** A call the body may not make here; SQLSTATE 25000 (invalid transaction state). */
    static final class Refused extends SQLException {
        private static final long serialVersionUID = 1L;
        private final String hint;

        Refused(String message, String hint) {
            super(message, "25000");
            this.hint = hint;
        }

        /** What the author should change. */
        String hint() {
            return hint;
        }
    }

    private BodyConnection() {
    }

    /** What the engine does with each SQL text a body hands the connection, before it reaches the database. */
    interface SqlSeen {
        void before(String sql) throws SQLException;
    }

    /**
     * {@code pinned} as a body in the engine's transaction ({@code inTransaction}) or outside one
     * sees it, telling {@code seen} of each SQL text the body prepares ({@code prepareStatement},
     * {@code prepareCall}) or runs or batches through a {@code createStatement()} statement, before
     * it does.
     */
    static Connection of(Connection pinned, boolean inTransaction, DatabaseDialect dialect, SqlSeen seen) {
        Savepoints savepoints = new Savepoints(pinned);
        return (Connection) Proxy.newProxyInstance(BodyConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if ((method.getName().equals("prepareStatement") || method.getName().equals("prepareCall"))
                            && args != null && args[0] instanceof String sql) {
                        seen.before(sql);
                    }
                    switch (method.getName()) {
                        case "close", "abort" -> throw new Refused("a migration body must not call " + call(method)
                                + ": the connection is the run's, and holds its migration lock",
                                "leave the connection open: Ratchet closes it when the run ends");
                        case "equals" -> {
                            return args[0] == proxy || pinned.equals(args[0]);
                        }
                        default -> {
                        }
                    }
                    if (inTransaction) {
                        switch (method.getName()) {
                            case "commit" -> throw refusedInTransaction("call commit()");
                            case "rollback" -> {
                                if (method.getParameterCount() == 0) {
                                    throw refusedInTransaction("call rollback()");
                                }
                                savepoints.rollbackTo((Savepoint) args[0]);
                                return null;
                            }
                            case "setAutoCommit" -> {
                                if ((Boolean) args[0]) {
                                    throw refusedInTransaction("call setAutoCommit(true)");
                                }
                                return null;
                            }
                            case "getAutoCommit" -> {
                                return false;
                            }
                            case "setSavepoint" -> {
                                return savepoints.set(args == null ? null : (String) args[0]);
                            }
                            case "releaseSavepoint" -> {
                                savepoints.release((Savepoint) args[0]);
                                return null;
                            }
                            case "prepareStatement", "prepareCall" -> refuseInTransaction(pinned, dialect, (String) args[0]);
                            case "createStatement" -> {
                                return statement((Statement) invoke(pinned, method, args), (Connection) proxy, pinned, dialect,
                                        true, seen);
                            }
                            default -> {
                            }
                        }
                    }
                    if (dialect.runsOnlyTheFirstStatementOfAText()) {
                        // In or outside the transaction, no text may run half.
                        switch (method.getName()) {
                            case "prepareStatement", "prepareCall" ->
                                    refuseSeveralStatements(dialect, (String) args[0], method.getName() + "()");
                            default -> {
                            }
                        }
                    }
                    if (method.getName().equals("createStatement")) {
                        return statement((Statement) invoke(pinned, method, args), (Connection) proxy, pinned, dialect,
                                false, seen);
                    }
                    return invoke(pinned, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * A statement of a body: inside the engine's transaction ({@code inTransaction}), SQL that
     * would end that transaction ({@code COMMIT}, {@code BEGIN}, ...: see
     * {@link SqlScript#transactionControl}) is refused before it reaches the database, as it is in
     * a script; in or outside it, a text the driver would run half ({@link #refuseSeveralStatements}).
     * Each text goes to {@code seen} first. Its connection is the body's.
     */
    private static Statement statement(Statement raw, Connection body, Connection pinned, DatabaseDialect dialect,
                                       boolean inTransaction, SqlSeen seen) {
        return (Statement) Proxy.newProxyInstance(BodyConnection.class.getClassLoader(),
                new Class<?>[] {Statement.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch" -> {
                            if (args != null && args.length > 0 && args[0] instanceof String sql) {
                                seen.before(sql);
                                if (inTransaction) {
                                    refuseInTransaction(pinned, dialect, sql);
                                }
                                if (!method.getName().startsWith("executeUpdate")
                                        && !method.getName().equals("executeLargeUpdate")) {
                                    refuseSeveralStatements(dialect, sql, method.getName() + "(String)");
                                }
                            }
                        }
                        case "getConnection" -> {
                            return body;
                        }
                        case "equals" -> {
                            return args[0] == proxy;
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        default -> {
                        }
                    }
                    return invoke(raw, method, args);
                });
    }

    private static void refuseInTransaction(Connection pinned, DatabaseDialect dialect, String sql) throws SQLException {
        java.util.Optional<String> command = SqlScript.transactionControl(sql, dialect.scriptSyntax());
        if (command.isPresent()) {
            throw refusedInTransaction("run " + command.get());
        }
        if (SqlScript.mentionsForeignKeys(sql) && SqlScript.split(sql, dialect.scriptSyntax()).stream().anyMatch(SqlScript.Statement::setsForeignKeys)
                && dialect.foreignKeysOn(pinned)) {
            // As a script is refused (FOREIGN_KEYS_PRAGMA_IN_TRANSACTION): SQLite ignores the pragma
            // here, and a table rebuild's DROP TABLE would take the rows that refer to the table.
            throw new Refused("a transactional migration's body must not set PRAGMA foreign_keys while foreign keys"
                    + " are on: SQLite ignores it inside Ratchet's transaction, so foreign keys stay on, and a DROP"
                    + " TABLE of a table other rows refer to would delete those rows (ON DELETE CASCADE) or fail",
                    "build the migration with transactional(false) and set the pragma outside the transaction it"
                            + " opens, as SQLite's table-rebuild procedure does; or connect without foreign_keys=on");
        }
    }

    /**
     * Refuses a text of several statements where the driver would run its first only (SQLite's
     * {@code execute}, {@code executeQuery}, {@code addBatch} and prepared statements; its
     * {@code executeUpdate} runs them all): the others would be skipped without an error, and the
     * migration recorded as applied.
     */
    private static void refuseSeveralStatements(DatabaseDialect dialect, String sql, String call) throws SQLException {
        if (!dialect.runsOnlyTheFirstStatementOfAText()) {
            return;
        }
        int statements = SqlScript.split(sql, dialect.scriptSyntax()).size();
        if (statements > 1) {
            throw new Refused("a migration body gave " + call + " a text of " + statements + " statements, and SQLite's"
                    + " driver would run only the first of them, skipping the others without an error",
                    "give each statement a call of its own (with Jdbi, one handle.execute per statement), or run the"
                            + " text with Statement.executeUpdate, which runs every statement of it");
        }
    }

    /**
     * Savepoints inside the engine's transaction, in SQL ({@code SAVEPOINT}, {@code ROLLBACK TO},
     * {@code RELEASE}: the same on PostgreSQL and SQLite). SQLite's driver would take its own
     * {@code setSavepoint()} outside any transaction it knows of (the engine began SQLite's with
     * {@code BEGIN IMMEDIATE}) and turn its auto-commit off, which breaks the engine's commit.
     */
    private static final class Savepoints {
        private final Connection pinned;
        private int next = 1;

        Savepoints(Connection pinned) {
            this.pinned = pinned;
        }

        Savepoint set(String name) throws SQLException {
            int id = next++;
            Named sp = new Named(id, name);
            execute("SAVEPOINT " + sp.sqlName());
            return sp;
        }

        void rollbackTo(Savepoint savepoint) throws SQLException {
            execute("ROLLBACK TO SAVEPOINT " + own(savepoint).sqlName());
        }

        void release(Savepoint savepoint) throws SQLException {
            execute("RELEASE SAVEPOINT " + own(savepoint).sqlName());
        }

        private static Named own(Savepoint savepoint) throws SQLException {
            if (savepoint instanceof Named n) {
                return n;
            }
            throw new SQLException("not a savepoint of this migration body's connection: " + savepoint, "3B001");
        }

        private void execute(String sql) throws SQLException {
            try (Statement st = pinned.createStatement()) {
                st.execute(sql);
            }
        }

        /** A savepoint; an unnamed one is named {@code ratchet_body_savepoint_<id>} in SQL. */
        private record Named(int id, String name) implements Savepoint {
            String sqlName() {
                String n = name == null ? "ratchet_body_savepoint_" + id : name;
                return '"' + n.replace("\"", "\"\"") + '"';
            }

            @Override
            public int getSavepointId() throws SQLException {
                if (name != null) {
                    throw new SQLException("a named savepoint has no id: " + name);
                }
                return id;
            }

            @Override
            public String getSavepointName() throws SQLException {
                if (name == null) {
                    throw new SQLException("an unnamed savepoint has no name: " + id);
                }
                return name;
            }
        }
    }

    private static String call(Method method) {
        return method.getName() + (method.getParameterCount() == 0 ? "()" : "(..)");
    }

    /** {@code what}: "call commit()", "run COMMIT". */
    private static Refused refusedInTransaction(String what) {
        return new Refused("a transactional migration's body must not " + what + ": Ratchet commits the"
                + " body with its tracker row, or rolls both back",
                "remove the call; a body that must commit as it goes (a long backfill in batches) belongs in a"
                        + " migration built with transactional(false)");
    }

    /**
     * After a non-transactional body: a transaction it left open (auto-commit off) is committed
     * when the body returned, as auto-commit would have done, and rolled back when it failed;
     * either way auto-commit is on again, as the engine's next transaction expects.
     */
    static void settle(Connection pinned, boolean bodyFailed) throws SQLException {
        if (pinned.getAutoCommit()) {
            return;
        }
        if (bodyFailed) {
            pinned.rollback();
        }
        pinned.setAutoCommit(true);
    }
}
