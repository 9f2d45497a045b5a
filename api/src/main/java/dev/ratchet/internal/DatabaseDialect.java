package dev.ratchet.internal;

import dev.ratchet.ConnectionSource;
import dev.ratchet.ErrorKind;
import dev.ratchet.LockStrategy;
import dev.ratchet.RatchetException;
import dev.ratchet.spi.Dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Dialect} plus what only the engine uses: session preparation and restoration,
 * transactions, locks and schema switching.
 */
public abstract class DatabaseDialect implements Dialect {
    /** Only the dialects of this package ({@link #of} chooses one). */
    DatabaseDialect() {
    }

    /**
     * Who holds a lease: this process (pid@host) plus a random part per lock. Worked out when the
     * first lease is taken, not when a dialect is: the management bean costs a young JVM tens of
     * milliseconds of class loading (JMX), and an up-to-date boot takes no lease.
     */
    static String ownerPrefix() {
        return Owner.PREFIX;
    }

    /** Holds {@link #ownerPrefix()}, initialised on first use. */
    private static final class Owner {
        static final String PREFIX = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
    }

    /** A tracker table name that names something else than a table: never read or written. */
    static RatchetException notATable(String schema, String table, String what) {
        String where = schema + "." + table;
        return RatchetException.of(ErrorKind.FOREIGN_TRACKER_TABLE, where + " is " + what + ", not a table;"
                        + " Ratchet will not read or write tracker history through it.")
                .with("table", where).build();
    }


    /** Chooses the dialect from connection metadata; no SQL is sent. */
    public static DatabaseDialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgresql")) {
            return new PostgresDialect();
        }
        if (p.contains("sqlite")) {
            return new SqliteDialect();
        }
        throw RatchetException.of(ErrorKind.UNSUPPORTED_DATABASE,
                "Database product '" + product + "' is not supported.").with("product", product).build();
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Prepares the pinned session (auto-commit on, timeouts) and remembers what to restore. */
    public abstract SessionState prepare(Connection connection, Duration busyTimeout) throws SQLException;

    /** Puts back what {@link #prepare} and {@link #useSchema} changed. */
    public abstract void restore(Connection connection, SessionState state) throws SQLException;

    /** Whether namespaces may have a target schema here. */
    public abstract boolean supportsTargetSchema();

    /**
     * Whether the database has {@code schema} (SQLite: an attached database of that name), for
     * {@code status()} and {@code plan()} to say that a migrate would fail creating a tracker table
     * there. One read of the catalog.
     */
    public abstract boolean schemaExists(Connection connection, String schema) throws SQLException;

    /**
     * The schemas of the session's search path, in its order, but {@code currentSchema}, that have a
     * table named {@code table}: where a tracker's table was before the session's current schema
     * changed. None by default: a database without a search path.
     */
    public List<String> otherSchemasWithTable(Connection connection, String table, String currentSchema)
            throws SQLException {
        return List.of();
    }

    /**
     * Every table of {@code schema} (SQLite: of that attached database) with its columns, in lower
     * case, as {@link #columns} gives one table's; views are left out. One read of the catalog, for
     * looking at every table as a tracker's (a tracker table of another name).
     */
    public abstract java.util.Map<String, java.util.Set<String>> tablesWithColumns(Connection connection, String schema)
            throws SQLException;

    /** Collects {@code (table, column)} rows into {@link #tablesWithColumns}'s map. */
    static java.util.Map<String, java.util.Set<String>> tablesWithColumns(java.sql.PreparedStatement query)
            throws SQLException {
        java.util.Map<String, java.util.Set<String>> out = new java.util.TreeMap<>();
        try (java.sql.ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), t -> new java.util.HashSet<>())
                        .add(rs.getString(2).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** Whose lexical rules this database's scripts follow, for {@link SqlScript#split}. */
    public abstract SqlScript.Syntax scriptSyntax();

    /** Creates {@code schema} if missing and puts it first on the session's search path. */
    public abstract void useSchema(Connection connection, SessionState state, String schema) throws SQLException;

    /** Restores the search path after {@link #useSchema}. */
    public abstract void leaveSchema(Connection connection, SessionState state) throws SQLException;

    /** Starts a write transaction. */
    public abstract void begin(Connection connection) throws SQLException;

    /** Commits the transaction started by {@link #begin}. */
    public abstract void commit(Connection connection) throws SQLException;

    /** Rolls back the transaction started by {@link #begin}. */
    public abstract void rollback(Connection connection) throws SQLException;

    /**
     * Takes the migration lock of one namespace, polling until {@code timeout}.
     *
     * @param scope     the schema-qualified tracker table, the stable part of the key
     * @param namespace the namespace
     */
    public abstract MigrationLock lock(Connection connection, SessionState state, String scope, String namespace,
                                       Duration timeout, Duration lease);

    /**
     * Whether the session has SQLite's {@code PRAGMA foreign_keys} on, which no statement inside a
     * transaction can turn off. False on a database without such a switch.
     */
    public boolean foreignKeysOn(Connection connection) throws SQLException {
        return false;
    }

    /**
     * Whether the session is inside a transaction that SQL opened (BEGIN) while JDBC's auto-commit
     * is on: one a script that runs outside the engine's transaction opened and did not end.
     */
    public abstract boolean transactionOpen(Connection connection) throws SQLException;

    /**
     * Cancels the statement running on {@code connection}, from another thread; nothing when none
     * runs. PostgreSQL: a cancel request for the session's backend (pgjdbc's
     * {@code cancelQuery}); SQLite: {@code sqlite3_interrupt}. Does nothing for a connection whose
     * driver offers neither.
     */
    public abstract void cancelStatement(Connection connection) throws SQLException;

    /**
     * Ends a wait for the migration lock on {@code connection} that the database itself does (SQLite
     * waits in its busy handler while another connection writes), from another thread; nothing
     * where the wait is Ratchet's polling, which sees the cancel between polls (PostgreSQL: a
     * cancel could land after {@code pg_try_advisory_lock} took the lock and before it answered,
     * leaving the session holding a lock nobody knows of).
     */
    public void cancelLockWait(Connection connection) throws SQLException {
    }

    /**
     * Remembers the session's settings before the first migration body of the session runs, so
     * that {@link #resetSettings} and {@link #restore} can put back what bodies change. Does
     * nothing the second time, and nothing on a database without session settings to keep.
     */
    public final void rememberSettings(Connection connection, SessionState state) throws SQLException {
        if (state.settings == null) {
            state.temporaryObjects = temporaryObjects(connection);
            state.sessionLocks = sessionLocks(connection);
            state.settings = settings(connection);
        }
    }

    /**
     * Remembers the values of the placeholder settings a body is about to set ({@code names}, in
     * lower case: see {@link SqlScript#placeholderSettings}) that no earlier body of the run set,
     * so that {@link #resetSettings} can put them back: no catalog lists them, so only the names a
     * script shows can be kept. Nothing by default: a database without such settings.
     */
    public void rememberPlaceholders(Connection connection, SessionState state, java.util.Set<String> names)
            throws SQLException {
    }

    /** The session's settings {@link #rememberSettings} keeps, by name; none by default. */
    java.util.Map<String, String> settings(Connection connection) throws SQLException {
        return java.util.Map.of();
    }

    /**
     * The session's temporary objects a migration may leave behind, as {@code KIND name}
     * ({@code TABLE staging}; the kind as DROP takes it; PostgreSQL: {@code PREPARED name} too, a
     * prepared statement; SQLite: {@code DATABASE name}, an attached database), and on a server
     * {@code SESSION pid}, the session they are in; none by default.
     */
    java.util.Set<String> temporaryObjects(Connection connection) throws SQLException {
        return java.util.Set.of();
    }

    /** The statement that drops one of {@link #temporaryObjects}, if it still exists. */
    String dropTemporary(String kind, String name) {
        throw new UnsupportedOperationException(kind + " " + name);
    }

    /**
     * Drops the temporary objects migration bodies created: those the session has now and did not
     * have before the first body ran. A temporary table outlives the transaction that created it
     * (PostgreSQL's ON COMMIT PRESERVE ROWS, SQLite's only kind), so a second migration creating
     * one of the same name would fail in the same run and not in a run of its own, and the pooled
     * connection would go back to the application holding it (a temporary trigger firing on its
     * writes).
     */
    final void dropTemporaryObjectsBodiesCreated(Connection connection, SessionState state) throws SQLException {
        for (String object : newSinceTheFirstBody(temporaryObjects(connection), state.temporaryObjects)) {
            int space = object.indexOf(' ');
            execute(connection, dropTemporary(object.substring(0, space), object.substring(space + 1)));
        }
    }

    /**
     * The entries of {@code now} that {@code before} (the snapshot taken before the first body ran)
     * lacks: what the bodies made. None when {@code now} was read on another server session than
     * {@code before} (a transaction-pooling PgBouncer between): what that one holds is not theirs.
     */
    static java.util.List<String> newSinceTheFirstBody(java.util.Set<String> now, java.util.Set<String> before) {
        java.util.List<String> made = new java.util.ArrayList<>();
        for (String entry : now) {
            if (!before.contains(entry)) {
                if (entry.startsWith(SERVER_SESSION)) {
                    return java.util.List.of();
                }
                made.add(entry);
            }
        }
        return made;
    }

    /**
     * The session-level locks the session holds that last beyond a transaction (PostgreSQL's
     * advisory locks), as {@link #restore} compares them, with the {@link #SERVER_SESSION} entry;
     * none by default.
     */
    java.util.Set<String> sessionLocks(Connection connection) throws SQLException {
        return java.util.Set.of();
    }

    /** Whether {@code sql}, given {@code parameter} for its one parameter, returns a row. */
    static boolean hasRow(Connection connection, String sql, String parameter) throws SQLException {
        try (java.sql.PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The values of the first column of {@code sql}'s rows. */
    static java.util.Set<String> firstColumn(Connection connection, String sql) throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (java.sql.PreparedStatement ps = connection.prepareStatement(sql);
             java.sql.ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The entry of {@link #temporaryObjects} that names the server session they are in, where there is one. */
    static final String SERVER_SESSION = "SESSION ";

    /**
     * Puts back the session settings a migration body changed ({@code SET ROLE},
     * {@code SET search_path}, {@code SET statement_timeout}, ...), as {@link #rememberSettings}
     * found them (the search path as the namespace's target schema set it), so that the next
     * migration runs as it would in a run of its own. Does nothing before
     * {@link #rememberSettings}.
     */
    public void resetSettings(Connection connection, SessionState state) throws SQLException {
    }

    /** Whether taking a lock may write to the database (a lease row), so refusals should come first. */
    public boolean lockWrites(SessionState state) {
        return false;
    }

    /**
     * Runs the statements of a migration whose body runs inside a transaction, in order, stopping
     * at the first that fails. This default sends them one at a time; a dialect whose driver can
     * send them together (one round trip instead of one per statement) overrides it. A body that
     * runs outside a transaction is never sent this way: see {@link #runOneAtATime}.
     *
     * @throws StatementFailure naming the failing statement, or saying that the driver did not
     */
    public void runInTransaction(Connection connection, List<String> statements) throws StatementFailure {
        runOneAtATime(connection, statements);
    }

    /** Runs statements one at a time, in order, stopping at the first that fails. */
    public void runOneAtATime(Connection connection, List<String> statements) throws StatementFailure {
        for (int i = 0; i < statements.size(); i++) {
            try (Statement st = connection.createStatement()) {
                executeScriptStatement(st, statements.get(i));
            } catch (SQLException e) {
                throw new StatementFailure(i, e);
            }
        }
    }

    /**
     * Whether the driver's {@code execute}, {@code executeQuery} and prepared statements run only
     * the first statement of a text of several, dropping the others without an error (SQLite's).
     */
    public boolean runsOnlyTheFirstStatementOfAText() {
        return false;
    }

    /**
     * Runs one statement of a script. A text the splitter kept whole may hold several statements
     * (a trigger's body, a goose StatementBegin ... StatementEnd block): every one of them must
     * run. {@code execute} where the driver runs a text whole (PostgreSQL's);
     * {@code executeUpdate} where its {@code execute} runs only the first statement
     * ({@link #runsOnlyTheFirstStatementOfAText}: SQLite's, whose {@code executeUpdate} runs them
     * all, as sqlite3_exec, rows or not, stopping at the first error).
     */
    private void executeScriptStatement(Statement st, String sql) throws SQLException {
        if (runsOnlyTheFirstStatementOfAText()) {
            st.executeUpdate(sql);
        } else {
            st.execute(sql);
        }
    }

    /**
     * Runs a {@code COPY ... FROM STDIN} statement with its data (see
     * {@link SqlScript.Statement#copyFromStdin}). Only PostgreSQL has it: this default refuses.
     */
    public void copyIn(Connection connection, String sql, String data) throws SQLException {
        throw new java.sql.SQLFeatureNotSupportedException("COPY ... FROM STDIN with its data in the script (pg_dump's"
                + " form) runs on PostgreSQL only");
    }

    /** A statement of a script failed. */
    public static final class StatementFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int index;

        /**
         * @param index the failing statement's index in the script (from 0), or -1 when the
         *              statements were sent together and the driver did not say which one failed
         * @param cause the database's error
         */
        public StatementFailure(int index, SQLException cause) {
            super(cause.getMessage(), cause, false, false);
            this.index = index;
        }

        /** The failing statement's index (from 0), or -1 when it is not known. */
        public int index() {
            return index;
        }

        /** The database's error. */
        public SQLException error() {
            return (SQLException) getCause();
        }
    }

    /** True when the error means the connection is gone. */
    public boolean isConnectionError(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08")
                || e instanceof java.sql.SQLRecoverableException
                || e instanceof java.sql.SQLNonTransientConnectionException;
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    /** Deletes this runner's lease row; {@code LOCK_RELEASE_FAILED} when it is no longer there. */
    static void releaseLease(Connection connection, String table, String namespace, String owner) throws SQLException {
        try (java.sql.PreparedStatement ps = connection.prepareStatement(
                "DELETE FROM " + table + " WHERE name = ? AND owner = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, owner);
            if (ps.executeUpdate() == 0) {
                throw RatchetException.of(ErrorKind.LOCK_RELEASE_FAILED, "The migration lease of namespace '"
                                + namespace + "' was no longer held by this runner at release.")
                        .with("namespace", namespace).with("owner", owner).build();
            }
        }
    }

    /**
     * Waits with exponential backoff and jitter; restores the interrupt flag. A cancelled run stops
     * waiting ({@link Cancellation#whileWaiting}).
     */
    static void backoff(int attempt, String namespace) {
        Cancellation.whileWaiting(namespace);
        long base = Math.min(500, 10L << Math.min(attempt, 6));
        long jitter = (long) (Math.random() * base / 2);
        try {
            Thread.sleep(base + jitter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RatchetException.of(ErrorKind.LOCK_TIMEOUT,
                    "Interrupted while waiting for the migration lock of namespace '" + namespace + "'.")
                    .with("namespace", namespace).cause(e).build();
        }
        Cancellation.whileWaiting(namespace);
    }

    /** Session settings saved by {@link #prepare}. */
    public static final class SessionState {
        final boolean autoCommit;
        final String currentSchema;
        final String searchPath;
        final Integer busyTimeout;
        boolean searchPathChanged;
        /** Set once a migration body ran: it may have changed session settings, checked on restore. */
        boolean bodiesRan;
        /** PostgreSQL: the session's role at the start. */
        String role;
        /**
         * The session's settings before the first body ran, by name; null until then. PostgreSQL:
         * those set in the session ({@code pg_settings.source = 'session'}) but the search path;
         * SQLite: the connection's pragmas.
         */
        java.util.Map<String, String> settings;
        /**
         * PostgreSQL: the placeholder settings bodies set ({@link #rememberPlaceholders}), by name,
         * with their values before the first body that set them; null for one the session did not
         * have.
         */
        final java.util.Map<String, String> placeholders = new java.util.HashMap<>();
        /** The session's temporary objects before the first body ran ({@link #temporaryObjects}); null until then. */
        java.util.Set<String> temporaryObjects;
        /** The session's locks before the first body ran ({@link #sessionLocks}); null until then. */
        java.util.Set<String> sessionLocks;
        /** PostgreSQL: the search path while a namespace's target schema is in use. */
        String targetSearchPath;
        /** Where the session came from: a lock probe opens a second session from it. */
        ConnectionSource source;
        LockStrategy lockStrategy = LockStrategy.AUTO;

        SessionState(boolean autoCommit, String currentSchema, String searchPath, Integer busyTimeout) {
            this.autoCommit = autoCommit;
            this.currentSchema = currentSchema;
            this.searchPath = searchPath;
            this.busyTimeout = busyTimeout;
        }

        /** The schema unqualified names resolve to when the run started. */
        public String currentSchema() {
            return currentSchema;
        }
    }

    /** A held migration lock. */
    public interface MigrationLock {
        /** Confirms the lock is still held (and extends a lease); throws {@code LOCK_LOST} if not. */
        void renew(Connection connection) throws SQLException;

        /** Releases the lock; throws {@code LOCK_RELEASE_FAILED} if it was not held any more. */
        void release(Connection connection) throws SQLException;
    }

    /**
     * {@code YYYY-MM-DD<separator>HH:MM:SS[.fraction](Z|±HH[:MM[:SS]])} as an instant, or null for
     * any other text (the caller's full parser decides those): PostgreSQL's ISO output of a
     * {@code timestamptz} (separator ' ') and {@link Instant#toString()} (separator 'T'), which
     * trackers read once per row, parsed without a general-purpose parser.
     */
    static Instant parseIsoInstant(String s, char separator) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != separator || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i - start > 9) {
                return null;
            }
            nanos = digits(s, start, i - start);
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int sign = 1;
        int offsetHours = 0;
        int offsetMinutes = 0;
        int offsetSeconds = 0;
        if (i + 1 == n && s.charAt(i) == 'Z') {
            i = n;
        } else if (i + 3 > n || (s.charAt(i) != '+' && s.charAt(i) != '-')) {
            return null;
        } else {
            sign = s.charAt(i) == '+' ? 1 : -1;
            offsetHours = digits(s, i + 1, 2);
            i += 3;
        }
        if (i < n) {
            if (i + 3 > n || s.charAt(i) != ':') {
                return null;
            }
            offsetMinutes = digits(s, i + 1, 2);
            i += 3;
            if (i < n) {
                if (i + 3 != n || s.charAt(i) != ':') {
                    return null;
                }
                offsetSeconds = digits(s, i + 1, 2);
            }
        }
        if (offsetHours < 0 || offsetMinutes < 0 || offsetSeconds < 0) {
            return null;
        }
        try {
            java.time.ZoneOffset offset = java.time.ZoneOffset.ofHoursMinutesSeconds(sign * offsetHours,
                    sign * offsetMinutes, sign * offsetSeconds);
            return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
        } catch (java.time.DateTimeException e) {
            return null; // not a date the driver would accept either; it decides
        }
    }

    /** The non-negative number in {@code s[from, from + count)}, or -1 when it is not all digits. */
    static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

}
