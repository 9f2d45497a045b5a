package dev.ratchet.internal;

import dev.ratchet.ErrorKind;
import dev.ratchet.LockStrategy;
import dev.ratchet.RatchetException;
import dev.ratchet.spi.ExpectedRows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * SQLite: writes under {@code BEGIN IMMEDIATE} with {@code busy_timeout} set, and a lease
 * row (owner, expiry) that serializes runners across per-migration transactions. A crashed
 * holder's lease expires, so the next runner proceeds without a manual step, at once when the
 * holder was a process of this machine that is provably gone ({@link LeaseOwner}); a live holder
 * renews its lease inside a migration transaction whenever a tenth of the lease (at most a
 * second) passed since the last renewal, and a runner that finds its lease taken over stops
 * with {@code LOCK_LOST} before running anything more.
 */
final class SqliteDialect extends DatabaseDialect {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.ratchet");

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String textType() {
        return "TEXT";
    }

    @Override
    public String timestampType() {
        return "TEXT";
    }

    @Override
    public String bigintType() {
        return "INTEGER";
    }

    @Override
    public String booleanType() {
        return "BOOLEAN";
    }

    @Override
    public Optional<String> condense(List<String> fields) {
        // In process: the text itself is as cheap to hand over as a digest of it. Each field is
        // followed by the separator, written into the literal as it is. group_concat takes the rows
        // in the order its FROM subquery gives them: SQLite keeps a subquery's ORDER BY under an
        // aggregate other than count(), min() and max(), and does not merge such a subquery into
        // the query (select.c, "omit ORDER BY" and the flattener's rule 16). Were it ever to take
        // them in another order, the texts would differ and the proof would prove nothing: the
        // boot would read its history instead. Ordered there, the rows come from the primary key's
        // index without a sort, and the aggregate needs no ORDER BY of its own, which SQLite has
        // only from 3.44 (about a fifth of the proof's time at 1,000 rows: 1.2 ms against 1.4,
        // 2026-12-04).
        StringBuilder row = new StringBuilder();
        for (String f : fields) {
            if (!row.isEmpty()) {
                row.append(" || ");
            }
            row.append(f).append(" || '").append(ExpectedRows.SEPARATOR).append('\'');
        }
        return Optional.of("group_concat(" + row + ", '')");
    }

    /**
     * The rows' texts joined, as group_concat joins them: {@link String#join}'s loop, run once a
     * boot, stays in the interpreter for a JVM's first dozen boots; a method called for every 16
     * rows is compiled during the first (the api module's {@code MigrationFiles.CHUNK} says more).
     */
    @Override
    public Optional<String> condensed(List<String> rowTexts) {
        int n = rowTexts.size();
        StringBuilder all = new StringBuilder(n * 64);
        for (int i = 0; i < n; i += CHUNK) {
            append(all, rowTexts, i, Math.min(n, i + CHUNK));
        }
        return Optional.of(all.toString());
    }

    /** How many rows' texts one call of {@link #append} takes: see {@link #condensed}. */
    private static final int CHUNK = 16;

    private static void append(StringBuilder all, List<String> rowTexts, int from, int to) {
        for (int i = from; i < to; i++) {
            all.append(rowTexts.get(i));
        }
    }

    @Override
    public String inCodePointOrder(String column) {
        return column + " COLLATE BINARY";
    }

    @Override
    public Optional<String> holds(String column, ColumnKind kind) {
        String c = column;
        return Optional.of(switch (kind) {
            case TEXT -> "typeof(" + c + ") IN ('text', 'null')";
            // NULL, or a whole number: the value is the integer CAST makes of it (a text such as
            // 'abc', a real such as 1.5 or a blob is not; a text of digits in a column declared
            // otherwise is compared as the number it spells, which a read takes too). No function
            // call: about 0.05 ms less than typeof() at 1,000 rows (2026-12-04).
            case BIGINT -> "CAST(" + c + " AS INTEGER) IS " + c;
            // What bindInstant writes (Instant.toString()): a date and time of the calendar to the
            // second, a fraction of 1 to 9 digits or none, and Z. Such a text is one a read takes.
            // The proof asks holdsText of the same texts in Java instead (see handOver), which
            // SqliteTimestampTest holds to this condition's answers; here each test is a cheap one,
            // for a query that asks it at every row:
            // - no NUL char: SQLite's text functions end a text at its first NUL, a driver's read
            //   does not (a blob's length counts every byte, and a valid text is all ASCII);
            // - the shape, by a GLOB of '?' only: a '-', 'T', ':', '.' and 'Z' where they go, and
            //   the length (a GLOB of [0-9] classes, one per digit, cost about six times as much);
            // - julianday() parses it as SQLite's own YYYY-MM-DDTHH:MM:SS.SSS with a zone: it takes
            //   exactly the digits each field has here (four, then two each), a month of 1 to 12,
            //   a day of 1 to 31, an hour of 0 to 24, a minute and a second of 0 to 59 and a fraction
            //   of digits, then its zone: spaces may come before the Z, so the char before the Z
            //   must be a digit (the GLOB puts the Z last, after which nothing may follow);
            // - the hour below 24;
            // - a day from the 29th on is one of its month: SQLite carries an overflow into the next
            //   month (30 February is 2 March), so such a day is asked of date(), whose '+0 days'
            //   makes every SQLite version carry it, where without a modifier 3.40 keeps it.
            // It took about 0.4 ms of a proof of 1,000 rows, 0.06 to 0.17 ms less than with the
            // GLOB of digits (measured alone and within the proof's query, 2026-12-04), which took
            // about half the time of strftime() at every row (2026-12-03).
            case TIMESTAMP -> "(" + c + " IS NULL OR typeof(" + c + ") = 'text' AND length(CAST(" + c
                    + " AS BLOB)) = length(" + c + ") AND (" + c
                    + " GLOB '????-??-??T??:??:??.?*Z' AND length(" + c + ") <= 30 OR " + c
                    + " GLOB '????-??-??T??:??:??Z') AND julianday(" + c + ") IS NOT NULL AND substr(" + c
                    + ", -2, 1) BETWEEN '0' AND '9' AND substr(" + c
                    + ", 12, 2) < '24' AND (substr(" + c + ", 9, 2) <= '28' OR date(substr(" + c
                    + ", 1, 10), '+0 days') = substr(" + c + ", 1, 10)))";
        });
    }

    /**
     * Timestamps are checked in Java: joining the rows' texts costs SQLite less than
     * {@link #holds}'s functions at every row (with the compared columns' type checks that
     * ExpectedRows dropped, the proof's query of 1,000 rows took 0.83 ms against 1.02, in the
     * driver, 2026-12-04), and {@link #holdsText} costs a young JVM less than either.
     */
    @Override
    public Optional<String> handOver(String field, ColumnKind kind) {
        return kind == ColumnKind.TIMESTAMP
                ? Optional.of("group_concat(" + field + " || '" + ExpectedRows.SEPARATOR + "', '')")
                : Optional.empty();
    }

    /**
     * A timestamp's text holds when it is of the shape {@link #bindInstant} writes, which
     * {@link #readInstant} parses itself: {@code YYYY-MM-DDTHH:MM:SS}, a fraction of 1 to 9 digits
     * or none, and {@code Z}, a date of the calendar and a time of the day. A value SQLite holds
     * as a number has a text of another shape; one held as a blob has its bytes for text, which
     * the read takes as that text too. Checked without {@code java.time}'s objects: making them
     * for each row cost the first boots of a JVM more than the SQL check did (2026-12-04).
     */
    @Override
    public boolean holdsText(String texts, int from, int to, ColumnKind kind) {
        return kind == ColumnKind.TIMESTAMP && isUtcInstant(texts, from, to);
    }

    /** Whether {@code s[from, to)} is {@code YYYY-MM-DDTHH:MM:SS[.F{1,9}]Z} of a real date and time. */
    static boolean isUtcInstant(String s, int from, int to) {
        int n = to - from;
        if (n != 20 && (n < 22 || n > 30) || s.charAt(to - 1) != 'Z' || s.charAt(from + 4) != '-'
                || s.charAt(from + 7) != '-' || s.charAt(from + 10) != 'T' || s.charAt(from + 13) != ':'
                || s.charAt(from + 16) != ':' || n > 20 && s.charAt(from + 19) != '.') {
            return false;
        }
        for (int i = from + 20; i < to - 1; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        int year = digits(s, from, 4);
        int month = digits(s, from + 5, 2);
        int day = digits(s, from + 8, 2);
        int hour = digits(s, from + 11, 2);
        int minute = digits(s, from + 14, 2);
        int second = digits(s, from + 17, 2);
        return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)
                && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60;
    }

    /** The days of a month of the proleptic Gregorian calendar, as {@code java.time} counts them. */
    private static int daysIn(int year, int month) {
        if (month == 2) {
            return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    @Override
    public void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setString(index, instant.toString());
    }

    @Override
    public Optional<Instant> readInstant(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        if (text == null) {
            return Optional.empty();
        }
        Instant simple = parseIsoInstant(text, 'T'); // what bindInstant wrote, Instant.toString()
        return Optional.of(simple != null ? simple : Instant.parse(text));
    }

    @Override
    public Optional<Set<String>> columns(Connection connection, String schema, String table) throws SQLException {
        // One statement: what the name is (a view is refused) and its columns. SQLite's names are
        // case-insensitive in ASCII, as NOCASE compares; it does so without lower()'s copy of
        // every name in the schema (a tenth of a millisecond a boot with 1,000 tables).
        try (PreparedStatement ps = connection.prepareStatement("SELECT m.type, p.name FROM " + quote(schema)
                + ".sqlite_master m LEFT JOIN pragma_table_info(m.name, ?) p"
                + " WHERE m.name = ? COLLATE NOCASE AND m.type IN ('table', 'view')")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                Set<String> columns = new HashSet<>();
                while (rs.next()) {
                    if (!rs.getString(1).equals("table")) {
                        throw notATable(schema, table, "a view");
                    }
                    String column = rs.getString(2);
                    if (column != null) {
                        columns.add(column.toLowerCase(Locale.ROOT));
                    }
                }
                return columns.isEmpty() ? Optional.empty() : Optional.of(columns);
            }
        }
    }


    @Override
    public boolean isUniqueViolation(SQLException e) {
        int code = e.getErrorCode();
        // SQLITE_CONSTRAINT, or its extended PRIMARYKEY / UNIQUE codes.
        return code == 19 || code == 1555 || code == 2067;
    }

    static boolean isBusy(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == 5 || primary == 6;
    }

    @Override
    public SessionState prepare(Connection connection, Duration busyTimeout) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (!autoCommit) {
            connection.setAutoCommit(true);
        }
        int previous;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA busy_timeout")) {
            previous = rs.next() ? rs.getInt(1) : 0;
        }
        execute(connection, "PRAGMA busy_timeout = " + busyTimeoutMillis(busyTimeout));
        return new SessionState(autoCommit, "main", null, previous);
    }

    /**
     * The connection's own pragmas a migration may set (a table rebuild's {@code foreign_keys},
     * a bulk load's {@code synchronous}, {@code locking_mode}, ...), which must not reach the
     * migrations after it nor go back to a pool. {@code busy_timeout} is the session's own.
     */
    private static final List<String> PRAGMAS = List.of("foreign_keys", "recursive_triggers", "legacy_alter_table",
            "ignore_check_constraints", "query_only", "trusted_schema", "synchronous", "temp_store", "cache_size",
            "automatic_index", "locking_mode", "cell_size_check", "reverse_unordered_selects");

    private static final java.util.regex.Pattern PRAGMA_VALUE = java.util.regex.Pattern.compile("-?[A-Za-z0-9_]+");

    @Override
    Map<String, String> settings(Connection connection) throws SQLException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        try (Statement st = connection.createStatement()) {
            for (String pragma : PRAGMAS) {
                try (ResultSet rs = st.executeQuery("PRAGMA " + pragma)) {
                    if (rs.next()) { // a pragma this SQLite does not know answers nothing
                        out.put(pragma, rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void cancelStatement(Connection connection) throws SQLException {
        // xerial's Statement.cancel() interrupts the connection's database, whichever statement runs.
        try (java.sql.Statement st = connection.createStatement()) {
            st.cancel();
        }
    }

    @Override
    public void cancelLockWait(Connection connection) throws SQLException {
        // an interrupted lease write is rolled back: no lease is left behind
        cancelStatement(connection);
    }

    @Override
    public boolean transactionOpen(Connection connection) throws SQLException {
        // SQLite says only by refusing a second BEGIN; one that succeeds is ended at once.
        try (Statement st = connection.createStatement()) {
            st.execute("BEGIN");
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("within a transaction")) {
                return true;
            }
            throw e;
        }
        execute(connection, "ROLLBACK");
        return false;
    }

    @Override
    public void resetSettings(Connection connection, SessionState state) throws SQLException {
        if (state.settings == null) {
            return;
        }
        Map<String, String> now = settings(connection);
        for (Map.Entry<String, String> e : state.settings.entrySet()) {
            // Inside a transaction foreign_keys and synchronous cannot change, so they never differ there.
            if (!e.getValue().equals(now.get(e.getKey())) && PRAGMA_VALUE.matcher(e.getValue()).matches()) {
                execute(connection, "PRAGMA " + e.getKey() + " = " + e.getValue());
            }
        }
        dropTemporaryObjectsBodiesCreated(connection, state);
    }

    @Override
    java.util.Set<String> temporaryObjects(Connection connection) throws SQLException {
        // Not sqlite_sequence, which an AUTOINCREMENT table makes and which cannot be dropped; and
        // the databases a migration outside a transaction ATTACHed, which last as long.
        return firstColumn(connection, "SELECT upper(type) || ' ' || name FROM temp.sqlite_master"
                + " WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                + " UNION ALL SELECT 'DATABASE ' || name FROM pragma_database_list WHERE name NOT IN ('main', 'temp')");
    }

    @Override
    String dropTemporary(String kind, String name) {
        return kind.equals("DATABASE") ? "DETACH DATABASE " + quote(name)
                : "DROP " + kind + " IF EXISTS temp." + quote(name);
    }

    @Override
    public void restore(Connection connection, SessionState state) throws SQLException {
        if (state.bodiesRan) {
            resetSettings(connection, state);
        }
        execute(connection, "PRAGMA busy_timeout = " + state.busyTimeout);
        if (connection.getAutoCommit() != state.autoCommit) {
            connection.setAutoCommit(state.autoCommit);
        }
    }

    @Override
    public boolean foreignKeysOn(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_keys")) {
            return rs.next() && rs.getInt(1) != 0;
        }
    }

    @Override
    public boolean lockWrites(SessionState state) {
        return true;
    }

    @Override
    public boolean schemaExists(Connection connection, String schema) throws SQLException {
        return hasRow(connection, "SELECT 1 FROM pragma_database_list WHERE name = ?", schema);
    }

    @Override
    public java.util.Map<String, Set<String>> tablesWithColumns(Connection connection, String schema)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT m.name, p.name FROM " + quote(schema)
                + ".sqlite_master m JOIN pragma_table_info(m.name, ?) p WHERE m.type = 'table'")) {
            ps.setString(1, schema);
            return tablesWithColumns(ps);
        }
    }

    @Override
    public boolean supportsTargetSchema() {
        return false;
    }

    @Override
    public SqlScript.Syntax scriptSyntax() {
        return SqlScript.Syntax.SQLITE;
    }

    @Override
    public void useSchema(Connection connection, SessionState state, String schema) {
        throw RatchetException.of(ErrorKind.UNSUPPORTED_FEATURE,
                "SQLite has no search_path; a namespace cannot have target schema '" + schema + "'.").build();
    }

    @Override
    public void leaveSchema(Connection connection, SessionState state) {
        // nothing was changed
    }

    @Override
    public void begin(Connection connection) throws SQLException {
        execute(connection, "BEGIN IMMEDIATE");
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        execute(connection, "COMMIT");
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        try {
            execute(connection, "ROLLBACK");
        } catch (SQLException e) {
            // "cannot rollback - no transaction is active": SQLite already rolled back (e.g. on a
            // constraint failure inside a trigger). Anything else is real.
            if ((e.getErrorCode() & 0xff) != 1) {
                throw e;
            }
        }
    }

    /**
     * True: the SQLite driver's {@code execute} compiles the first statement of a text and
     * silently drops the rest, so a script's statements run through {@code executeUpdate}, which
     * runs them all, and a Java body's text of several is refused where it would run half.
     */
    @Override
    public boolean runsOnlyTheFirstStatementOfAText() {
        return true;
    }

    @Override
    public MigrationLock lock(Connection connection, SessionState state, String scope, String namespace,
                              Duration timeout, Duration lease) {
        if (state.lockStrategy == LockStrategy.ADVISORY) {
            throw RatchetException.of(ErrorKind.UNSUPPORTED_FEATURE, "SQLite has no advisory locks: lockStrategy"
                    + " ADVISORY is for PostgreSQL; SQLite always uses the lease row.")
                    .hint("use LockStrategy.AUTO or LEASE with SQLite").with("namespace", namespace).build();
        }
        int dot = scope.indexOf('.');
        String schema = scope.substring(0, dot);
        String table = scope.substring(dot + 1) + "_lock";
        String qualified = qualify(schema, table);
        String owner = LeaseOwner.next();
        long deadline = System.nanoTime() + timeout.toNanos();
        // SQLite waits for another connection's write in its busy handler, which nothing
        // interrupts: the wait goes in slices, between which a cancelled run stops waiting.
        long sessionBusyTimeout = busyTimeoutMillis(timeout); // as prepare set it
        try {
            execute(connection, "PRAGMA busy_timeout = " + Math.min(sessionBusyTimeout, BUSY_SLICE_MS));
            return takeLease(connection, namespace, qualified, owner, lease, timeout, deadline);
        } catch (SQLException e) {
            throw Errors.database(this, e, "taking the migration lease", namespace);
        } finally {
            try {
                execute(connection, "PRAGMA busy_timeout = " + sessionBusyTimeout);
            } catch (SQLException e) {
                // the session's settings are put back when the run ends
            }
        }
    }

    /** The session's {@code busy_timeout} for a lock timeout: at least 1 ms, at most what the pragma takes. */
    private static long busyTimeoutMillis(Duration timeout) {
        return Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** How long one BEGIN IMMEDIATE of {@link #lock} waits in SQLite's busy handler, in milliseconds. */
    private static final long BUSY_SLICE_MS = 1000;

    /** {@link #lock}'s loop: takes the lease, waiting for it and for the database until {@code deadline}. */
    private Lease takeLease(Connection connection, String namespace, String qualified, String owner, Duration lease,
                            Duration timeout, long deadline) {
        int attempt = 0;
        String holder = null;
        long holderExpiry = 0;
        while (true) {
            long tried = System.nanoTime();
            boolean waitedForTheDatabase = false;
            try {
                begin(connection);
                try {
                    execute(connection, "CREATE TABLE IF NOT EXISTS " + qualified
                            + " (name TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL)");
                    holder = null;
                    try (PreparedStatement ps = connection.prepareStatement(
                            "SELECT owner, expires_at FROM " + qualified + " WHERE name = ?")) {
                        ps.setString(1, namespace);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                holder = rs.getString(1);
                                holderExpiry = rs.getLong(2);
                            }
                        }
                    }
                    long acquiredAt = System.nanoTime(); // no later than the expiry's clock reading
                    long now = System.currentTimeMillis();
                    boolean gone = holder != null && holderExpiry >= now && LeaseOwner.provablyGone(holder);
                    if (holder == null || holderExpiry < now || gone) {
                        if (gone) {
                            LOG.info("Took over the migration lease of namespace '{}' in {} from {}, whose process"
                                    + " is no longer running (it held the lease until {}).", namespace, qualified,
                                    holder, Instant.ofEpochMilli(holderExpiry));
                        }
                        try (PreparedStatement ps = connection.prepareStatement("INSERT OR REPLACE INTO " + qualified
                                + " (name, owner, expires_at) VALUES (?, ?, ?)")) {
                            ps.setString(1, namespace);
                            ps.setString(2, owner);
                            ps.setLong(3, now + lease.toMillis());
                            ps.executeUpdate();
                        }
                        commit(connection);
                        return new Lease(qualified, namespace, owner, lease, acquiredAt);
                    }
                    commit(connection);
                } catch (SQLException e) {
                    rollbackQuietly(connection, e);
                    throw e;
                }
            } catch (SQLException e) {
                if (!isBusy(e)) {
                    throw Errors.database(this, e, "taking the migration lease", namespace);
                }
                waitedForTheDatabase = System.nanoTime() - tried >= BUSY_SLICE_MS * 500_000L;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw RatchetException.of(ErrorKind.LOCK_TIMEOUT, "Could not take the migration lease of namespace '"
                                + namespace + "' in " + qualified + " within " + timeout.toMillis() + " ms"
                                + (holder == null ? ": the database stayed busy." : ": held by " + holder
                                + " until " + Instant.ofEpochMilli(holderExpiry) + "."))
                        .with("namespace", namespace).with("holder", holder)
                        .with("timeoutMs", timeout.toMillis())
                        .hint(holder != null ? ErrorKind.LOCK_TIMEOUT.defaultHint()
                                : "another connection kept the database busy the whole time: a writer, or a reader"
                                + " inside a long transaction (unless the database is in WAL mode, a reader keeps"
                                + " a writer from committing); wait for it, switch the database to WAL (PRAGMA"
                                + " journal_mode = WAL) so that readers no longer block writers, or raise the lock"
                                + " timeout")
                        .build();
            }
            if (waitedForTheDatabase) {
                Cancellation.whileWaiting(namespace); // the busy handler waited a slice: try again at once
            } else {
                backoff(attempt++, namespace);
            }
        }
    }

    private void rollbackQuietly(Connection connection, SQLException primary) {
        try {
            rollback(connection);
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    /**
     * A held lease. It is renewed inside a migration's transaction (which holds SQLite's write
     * lock, so nobody can take the lease over while it runs) whenever its last renewal is
     * {@link #renewalInterval} old: a runner applying many small migrations writes the lease row
     * once per interval rather than once per migration (an extra page in every commit). Skipping
     * is safe: another runner takes a lease over only once it expired, a whole lease after the
     * last renewal, and the interval is at most a tenth of that; after a migration that ran longer,
     * or a pause of the process, the next migration renews first and stops with
     * {@code LOCK_LOST} if the lease was taken meanwhile. Only a hand edit of the lease row can go
     * unnoticed, for at most one interval.
     */
    private static final class Lease implements MigrationLock {
        private final String table;
        private final String namespace;
        private final String owner;
        private final Duration lease;
        private final long renewalInterval;
        /** {@link System#nanoTime()} read before the clock that set the current expiry. */
        private long renewedAt;

        Lease(String table, String namespace, String owner, Duration lease, long acquiredAt) {
            this.table = table;
            this.namespace = namespace;
            this.owner = owner;
            this.lease = lease;
            this.renewalInterval = renewalInterval(lease);
            this.renewedAt = acquiredAt;
        }

        /** A tenth of the lease, at most a second. */
        static long renewalInterval(Duration lease) {
            return Math.min(TimeUnit.SECONDS.toNanos(1), lease.toNanos() / 10);
        }

        @Override
        public void renew(Connection connection) throws SQLException {
            long started = System.nanoTime();
            if (started - renewedAt < renewalInterval) {
                return;
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "UPDATE " + table + " SET expires_at = ? WHERE name = ? AND owner = ?")) {
                ps.setLong(1, System.currentTimeMillis() + lease.toMillis());
                ps.setString(2, namespace);
                ps.setString(3, owner);
                if (ps.executeUpdate() == 0) {
                    throw RatchetException.of(ErrorKind.LOCK_LOST, "The migration lease of namespace '" + namespace
                                    + "' expired and was taken over by another runner; nothing more is run.")
                            .with("namespace", namespace).with("owner", owner).build();
                }
            }
            // Relied on only while this lease lives: a migration transaction that rolls back (and
            // with it this renewal) ends the namespace's run, which releases the lease.
            renewedAt = started;
        }

        @Override
        public void release(Connection connection) throws SQLException {
            releaseLease(connection, table, namespace, owner);
        }
    }
}
