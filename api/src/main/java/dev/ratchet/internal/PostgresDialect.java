package dev.ratchet.internal;

import dev.ratchet.ConnectionSource;
import dev.ratchet.ErrorKind;
import dev.ratchet.LockStrategy;
import dev.ratchet.RatchetException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL: session advisory locks taken by polling {@code pg_try_advisory_lock} (never a
 * blocking lock call, so a {@code CREATE INDEX CONCURRENTLY} in the holder cannot deadlock
 * against a waiter), proved by a probe to exclude before they are relied on, with a lease row
 * where they do not (transaction-pooling PgBouncer); {@code search_path} switching for target
 * schemas, restored afterwards.
 */
final class PostgresDialect extends DatabaseDialect {
    private static final Logger LOG = LoggerFactory.getLogger("dev.ratchet");
    /** How long the lock probe waits for its second connection. */
    private static final Duration PROBE_CONNECT_WAIT = Duration.ofSeconds(3);
    /**
     * Probe verdicts per connection source: empty when its sessions' advisory locks proved to
     * exclude, else why not (then its runs use the lease row without probing again).
     */
    private static final Map<ConnectionSource, String> PROBED = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String textType() {
        return "text";
    }

    @Override
    public String timestampType() {
        return "timestamptz";
    }

    @Override
    public String bigintType() {
        return "bigint";
    }

    @Override
    public String booleanType() {
        return "boolean";
    }

    @Override
    public Optional<String> condense(List<String> fields) {
        // A sum of the rows' 64-bit hashes: no sort and no text of all rows on the server, one
        // short value on the wire. Each row's fields hold its key (see Dialect#condense), so a sum,
        // blind to order, compares the same rows. A row's hash chains its fields' hashes, each the
        // seed of the next field's, with no text of the whole row built: at 5,000 rows of two
        // fields the proof took 0.96 ms on a warm backend, where hashing each row's fields joined
        // by separators, with its type checks at every row, took 1.5 to 1.9 (pgbench,
        // 2026-12-04). At 5,000 rows on a new backend a sum of hashes took 9.9 ms, where a SHA-256
        // of the rows' text in order took 21.6 (psql, medians of 15).
        String hash = "0"; // the first field's seed
        for (String f : fields) {
            hash = "hashtextextended((" + f + ") COLLATE \"C\", " + hash + ")";
        }
        return Optional.of("sum(" + hash + ")");
    }

    /** A sum: the rows' order does not change it. */
    @Override
    public boolean condensesInOrder() {
        return false;
    }

    @Override
    public Optional<String> condensed(List<String> rowTexts) {
        return PgTextHashes.sum(rowTexts);
    }

    @Override
    public String inCodePointOrder(String column) {
        return column + " COLLATE \"C\"";
    }

    @Override
    public Optional<String> holds(String column, ColumnKind kind) {
        // A column of the installed type reads back whatever it holds (timestamptz: infinity and
        // BC too); one whose type was changed proves nothing.
        return Optional.of("pg_typeof(" + column + ") = '" + typeOf(kind) + "'::regtype");
    }

    @Override
    public Optional<String> holdsForEveryRow(String table, String column, ColumnKind kind) {
        // The column's declared type, read from the table's row type in the query's own snapshot
        // of the catalog: asked once per query, where holds() asks it at each row (about 0.4 ms
        // of a proof of 5,000 rows, pgbench, 2026-12-04).
        return Optional.of("pg_typeof((NULL::" + table + ")." + column + ") = '" + typeOf(kind) + "'::regtype");
    }

    private String typeOf(ColumnKind kind) {
        return switch (kind) {
            case TEXT -> textType();
            case TIMESTAMP -> timestampType();
            case BIGINT -> bigintType();
        };
    }

    @Override
    public void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @Override
    public Optional<Instant> readInstant(ResultSet rs, String column) throws SQLException {
        // The server's ISO text is read here for the common shape; anything else (BC, infinity,
        // years past 9999, a column that is no timestamp) goes through the driver's parser.
        String text = rs.getString(column);
        if (text == null) {
            return Optional.empty();
        }
        Instant simple = parseIsoInstant(text, ' ');
        if (simple != null) {
            return Optional.of(simple);
        }
        OffsetDateTime t;
        try {
            t = rs.getObject(column, OffsetDateTime.class);
        } catch (SQLException e) {
            String state = e.getSQLState();
            if ("42821".equals(state) || state != null && state.startsWith("22")) {
                // A column that is not a timestamp, or a value that is none: the row is unreadable.
                throw new IllegalArgumentException("column " + column + " is not a timestamp: " + e.getMessage(), e);
            }
            throw e;
        }
        return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
    }

    @Override
    public Optional<Set<String>> columns(Connection connection, String schema, String table) throws SQLException {
        // What the name is, then the columns as a query of the table describes them: two short
        // statements where one join of pg_class, pg_namespace and pg_attribute cost a boot's new
        // backend about 3 ms (cold catalog caches, and the planner's statistics for three
        // catalogs); the second reads what the tracker's own queries read next anyway (the
        // table's relation cache entry). pgbench of an up-to-date boot's statements, a new
        // connection each: 1.2 ms less.
        String qualified = quote(schema) + "." + quote(table);
        String kind;
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(?)")) {
            ps.setString(1, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                kind = rs.next() ? rs.getString(1) : null;
            }
        }
        switch (kind == null ? "" : kind) {
            case "r", "p" -> {
                // a table, partitioned or not: its columns below
            }
            case "v" -> throw notATable(schema, table, "a view");
            case "m" -> throw notATable(schema, table, "a materialized view");
            case "f" -> throw notATable(schema, table, "a foreign table");
            default -> {
                return Optional.empty(); // nothing of that name, or an index, a sequence, a type
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM " + qualified + " LIMIT 0");
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            Set<String> columns = new HashSet<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
            }
            return Optional.of(columns);
        }
    }

    @Override
    public boolean isConnectionError(SQLException e) {
        // 57P01 admin_shutdown (pg_terminate_backend), 57P02 crash_shutdown, 57P03 cannot_connect_now.
        String state = e.getSQLState();
        return super.isConnectionError(e) || state != null && state.startsWith("57P0");
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    @Override
    public SessionState prepare(Connection connection, Duration busyTimeout) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (!autoCommit) {
            connection.setAutoCommit(true);
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT current_setting('search_path'), current_schema(), current_setting('role')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            String searchPath = rs.getString(1);
            String schema = rs.getString(2);
            if (schema == null) {
                throw RatchetException.of(ErrorKind.UNSUPPORTED_FEATURE, "The session's search_path ('"
                                + searchPath + "') names no existing schema, so there is nowhere to keep the"
                                + " tracker table.")
                        .hint("create a schema on the search_path, or configure the tracker's schema").build();
            }
            SessionState state = new SessionState(autoCommit, schema, searchPath, null);
            state.role = rs.getString(3);
            return state;
        }
    }

    @Override
    public void restore(Connection connection, SessionState state) throws SQLException {
        leaveSchema(connection, state);
        if (state.bodiesRan) {
            // Migration bodies may have run SET ROLE, SET search_path, SET statement_timeout or SET
            // SESSION CHARACTERISTICS: the pooled connection goes back as it came (one query when
            // nothing changed).
            if (!connection.getAutoCommit()) {
                connection.rollback(); // nothing of Ratchet's is open here; do not leave a transaction behind
                connection.setAutoCommit(true);
            }
            resetSettings(connection, state);
            releaseSessionLocksBodiesTook(connection, state);
        }
        if (connection.getAutoCommit() != state.autoCommit) {
            connection.setAutoCommit(state.autoCommit);
        }
    }

    /**
     * The advisory locks this server session holds (a transaction's are gone by the run's end),
     * as {@code MODE classid objid objsubid}, and the session.
     */
    private static final String SESSION_LOCKS = "SELECT l.mode || ' ' || l.classid || ' ' || l.objid || ' ' ||"
            + " l.objsubid FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
            + " AND l.pid = pg_catalog.pg_backend_pid() UNION ALL SELECT '" + SERVER_SESSION + "' ||"
            + " pg_catalog.pg_backend_pid()";

    @Override
    java.util.Set<String> sessionLocks(Connection connection) throws SQLException {
        return firstColumn(connection, SESSION_LOCKS);
    }

    /**
     * Releases, at the run's end, the session-level advisory locks migration bodies took and kept
     * ({@code pg_advisory_lock} without its unlock): the pooled connection would hold them for the
     * application, whose own {@code pg_advisory_lock} of that key on another connection would wait
     * for ever. Ratchet's own lock is released by then; a lock the connection held before the first
     * body stays, and on another server session than the bodies' (a transaction-pooling PgBouncer)
     * nothing is released.
     */
    private void releaseSessionLocksBodiesTook(Connection connection, SessionState state) throws SQLException {
        if (state.sessionLocks == null) {
            return;
        }
        for (String lock : newSinceTheFirstBody(sessionLocks(connection), state.sessionLocks)) {
            String[] part = lock.split(" ");
            boolean shared = part[0].equals("ShareLock");
            long classid = Long.parseLong(part[1]);
            long objid = Long.parseLong(part[2]);
            String unlock = "SELECT pg_catalog.pg_advisory_unlock" + (shared ? "_shared" : "");
            try (PreparedStatement ps = connection.prepareStatement(part[3].equals("1") ? unlock + "(?)"
                    : unlock + "(?, ?)")) {
                if (part[3].equals("1")) {
                    ps.setLong(1, classid << 32 | objid); // a bigint key: its high and low 32 bits
                } else {
                    ps.setInt(1, (int) classid); // two int keys, each an oid's 32 bits
                    ps.setInt(2, (int) objid);
                }
                for (int held = 0; held < 10_000; held++) { // as often as the bodies took it
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || !rs.getBoolean(1)) {
                            break;
                        }
                    }
                }
            }
        }
    }

    /**
     * The role, the search path and every other setting set in the session. The JDBC isolation
     * level is one of them: pgjdbc sets it as the session's default_transaction_isolation.
     * Placeholder settings ({@code SET myapp.tenant}) are not listed by {@code pg_settings}.
     */
    private static final String SETTINGS = "SELECT NULL, current_setting('role'), current_setting('search_path'),"
            + " session_user::text UNION ALL SELECT name, setting, NULL, NULL FROM pg_settings"
            + " WHERE source = 'session' AND name <> 'search_path'";

    /**
     * Where {@link #settings} keeps the session user: {@code SET SESSION AUTHORIZATION} (a
     * superuser's) changes it, and {@code pg_settings} does not list it.
     */
    private static final String SESSION_USER = "session_authorization";

    @Override
    public boolean transactionOpen(Connection connection) throws SQLException {
        // pgjdbc keeps the server's own answer (each ReadyForQuery says idle, in a transaction or
        // in a failed one) behind an internal interface; asked without a round trip or a log line.
        try {
            Connection real = connection.unwrap(Connection.class);
            Class<?> base = Class.forName("org.postgresql.core.BaseConnection", false,
                    real.getClass().getClassLoader());
            if (base.isInstance(real)) {
                Object state = base.getMethod("getTransactionState").invoke(real);
                return !"IDLE".equals(((Enum<?>) state).name());
            }
        } catch (ReflectiveOperationException | ClassCastException | LinkageError | IllegalArgumentException notPgjdbc) {
            // another driver: ask the server
        }
        // A savepoint is refused outside a transaction block (25P01), and in a failed one (25P02).
        try {
            execute(connection, "SAVEPOINT ratchet_transaction_probe");
        } catch (SQLException e) {
            if ("25P01".equals(e.getSQLState())) {
                return false;
            }
            if ("25P02".equals(e.getSQLState())) {
                return true;
            }
            throw e;
        }
        execute(connection, "RELEASE SAVEPOINT ratchet_transaction_probe");
        return true;
    }

    @Override
    Map<String, String> settings(Connection connection) throws SQLException {
        Map<String, String> settings = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(SETTINGS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getString(1) != null) {
                    settings.put(rs.getString(1), rs.getString(2));
                } else {
                    settings.put(SESSION_USER, rs.getString(4));
                }
            }
        }
        return settings; // the role and the search path are the SessionState's own
    }

    @Override
    public void resetSettings(Connection connection, SessionState state) throws SQLException {
        if (state.settings == null) {
            return;
        }
        String role = null;
        String searchPath = null;
        String sessionUser = null;
        Map<String, String> now = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(SETTINGS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getString(1) == null) {
                    role = rs.getString(2);
                    searchPath = rs.getString(3);
                    sessionUser = rs.getString(4);
                } else {
                    now.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        // The session user first (setting it resets the role), then the role: they decide which
        // settings may be set.
        String initialUser = state.settings.get(SESSION_USER);
        if (initialUser != null && !initialUser.equals(sessionUser)) {
            execute(connection, "SET SESSION AUTHORIZATION " + quote(initialUser));
            role = "none";
        }
        if (!state.role.equals(role)) {
            execute(connection, state.role.equals("none") ? "RESET ROLE" : "SET ROLE " + quote(state.role));
        }
        String path = state.searchPathChanged ? state.targetSearchPath : state.searchPath;
        if (!path.equals(searchPath)) {
            setSearchPath(connection, path);
        }
        for (String name : now.keySet()) {
            if (!state.settings.containsKey(name)) {
                execute(connection, "RESET " + quoteSetting(name));
            }
        }
        for (Map.Entry<String, String> e : state.settings.entrySet()) {
            if (!e.getKey().equals(SESSION_USER) && !e.getValue().equals(now.get(e.getKey()))) {
                setConfig(connection, e.getKey(), e.getValue());
            }
        }
        restorePlaceholders(connection, state);
        dropTemporaryObjectsBodiesCreated(connection, state);
    }

    /** The names given and their values in the session, null for one it does not have. */
    private static final String PLACEHOLDERS = "SELECT n, pg_catalog.current_setting(n, true)"
            + " FROM pg_catalog.unnest(?::text[]) AS n";

    @Override
    public void rememberPlaceholders(Connection connection, SessionState state, java.util.Set<String> names)
            throws SQLException {
        List<String> unseen = names.stream().filter(n -> !state.placeholders.containsKey(n)).toList();
        if (!unseen.isEmpty()) {
            state.placeholders.putAll(placeholders(connection, unseen));
        }
    }

    private static Map<String, String> placeholders(Connection connection, java.util.Collection<String> names)
            throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(PLACEHOLDERS)) {
            ps.setArray(1, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return values;
    }

    /**
     * Puts back the placeholder settings bodies set ({@link #rememberPlaceholders}). One the
     * session did not have is reset: the server keeps the name, with an empty value, as after
     * {@code RESET ALL}.
     */
    private static void restorePlaceholders(Connection connection, SessionState state) throws SQLException {
        if (state.placeholders.isEmpty()) {
            return;
        }
        Map<String, String> now = placeholders(connection, state.placeholders.keySet());
        for (Map.Entry<String, String> e : state.placeholders.entrySet()) {
            String was = e.getValue() == null ? "" : e.getValue();
            String is = now.get(e.getKey()) == null ? "" : now.get(e.getKey());
            if (!was.equals(is)) {
                setConfig(connection, e.getKey(), was);
            }
        }
    }

    /** Sets {@code name} to {@code value} for the session. */
    private static void setConfig(Connection connection, String name, String value) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config(?, ?, false)")) {
            set.setString(1, name);
            set.setString(2, value);
            set.executeQuery().close();
        }
    }

    /**
     * The session's temporary tables, views and sequences (none before its first temporary
     * object: then it has no temporary schema, and the catalog is not scanned), and the prepared
     * statements SQL's PREPARE made (not the driver's own, which it keeps in its cache); and the
     * server session they are in.
     */
    private static final String TEMPORARY_OBJECTS = "SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'S' THEN"
            + " 'SEQUENCE' ELSE 'TABLE' END || ' ' || c.relname FROM pg_catalog.pg_class c"
            + " WHERE pg_catalog.pg_my_temp_schema() <> 0 AND c.relnamespace = pg_catalog.pg_my_temp_schema()"
            + " AND c.relkind IN ('r', 'p', 'v', 'S')"
            + " UNION ALL SELECT 'PREPARED ' || name FROM pg_catalog.pg_prepared_statements WHERE from_sql"
            + " UNION ALL SELECT '" + SERVER_SESSION + "' || pg_catalog.pg_backend_pid()";

    @Override
    java.util.Set<String> temporaryObjects(Connection connection) throws SQLException {
        return firstColumn(connection, TEMPORARY_OBJECTS);
    }

    @Override
    String dropTemporary(String kind, String name) {
        if (kind.equals("PREPARED")) {
            return "DEALLOCATE " + quote(name);
        }
        // CASCADE: a temporary view on a temporary table goes with it, whichever is dropped first.
        return "DROP " + kind + " IF EXISTS pg_temp." + quote(name) + " CASCADE";
    }

    /** A setting's name as RESET takes it: each dot-separated part quoted. */
    private String quoteSetting(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("\\.", -1)) {
            out.append(out.length() == 0 ? "" : ".").append(quote(part));
        }
        return out.toString();
    }

    @Override
    public boolean schemaExists(Connection connection, String schema) throws SQLException {
        return hasRow(connection, "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?", schema);
    }

    @Override
    public List<String> otherSchemasWithTable(Connection connection, String table, String currentSchema)
            throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT p.nspname"
                + " FROM pg_catalog.unnest(pg_catalog.current_schemas(false)) WITH ORDINALITY AS p(nspname, i)"
                + " WHERE p.nspname <> ? AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = p.nspname AND c.relname = ? AND c.relkind IN ('r', 'p')) ORDER BY p.i")) {
            ps.setString(1, currentSchema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    public java.util.Map<String, Set<String>> tablesWithColumns(Connection connection, String schema)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT c.relname, a.attname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, schema);
            return tablesWithColumns(ps);
        }
    }

    @Override
    public boolean supportsTargetSchema() {
        return true;
    }

    @Override
    public SqlScript.Syntax scriptSyntax() {
        return SqlScript.Syntax.POSTGRESQL;
    }

    @Override
    public void useSchema(Connection connection, SessionState state, String schema) throws SQLException {
        // Looked for first: CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege on the database
        // before it looks, so it fails for a user who may only use a schema made for it.
        if (!schemaExists(connection, schema)) {
            execute(connection, "CREATE SCHEMA IF NOT EXISTS " + quote(schema));
        }
        state.targetSearchPath = quote(schema) + (state.searchPath.isBlank() ? "" : ", " + state.searchPath);
        setSearchPath(connection, state.targetSearchPath);
        state.searchPathChanged = true;
    }

    @Override
    public void leaveSchema(Connection connection, SessionState state) throws SQLException {
        if (state.searchPathChanged) {
            setSearchPath(connection, state.searchPath);
            state.searchPathChanged = false;
        }
    }

    private static void setSearchPath(Connection connection, String value) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
            ps.setString(1, value);
            ps.executeQuery().close();
        }
    }

    @Override
    public void begin(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        connection.commit();
        connection.setAutoCommit(true);
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    /**
     * Sends the statements together, as one JDBC batch: the driver writes them all before it
     * reads a reply, so a body of n statements costs one round trip instead of n. The server
     * still runs them one after the other, each seeing what the ones before it did, and stops at
     * the first error (the transaction is then rolled back, as it would be anyway). A body of one
     * statement is sent as it is, and so, one statement at a time, is a body with a text of
     * several statements, which the driver takes in no batch.
     */
    @Override
    public void runInTransaction(Connection connection, List<String> statements) throws StatementFailure {
        if (statements.size() < 2) {
            runOneAtATime(connection, statements);
            return;
        }
        try (Statement st = connection.createStatement()) {
            try {
                for (String sql : statements) {
                    st.addBatch(sql);
                }
            } catch (SQLException severalInOne) {
                // The driver refuses a text of several statements (goose's StatementBegin ...
                // StatementEnd around them) in a batch, before anything is sent: one at a time.
                runOneAtATime(connection, statements);
                return;
            }
            st.executeBatch();
        } catch (BatchUpdateException e) {
            throw new StatementFailure(PgBatchErrors.failedEntry(e, statements.size()), PgBatchErrors.serverError(e));
        } catch (SQLException e) {
            throw new StatementFailure(-1, e);
        }
    }

    /** A stable 64-bit key for (tracker table, namespace). */
    static long lockKey(String scope, String namespace) {
        byte[] digest = sha256(("ratchet\0" + scope + "\0" + namespace).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest, 0, 8).getLong();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public boolean lockWrites(SessionState state) {
        return state.lockStrategy != LockStrategy.ADVISORY;
    }

    @Override
    public MigrationLock lock(Connection connection, SessionState state, String scope, String namespace,
                              Duration timeout, Duration lease) {
        long key = lockKey(scope, namespace);
        String leaseTable = leaseTable(scope);
        try {
            if (state.lockStrategy == LockStrategy.LEASE) {
                return PgLease.take(this, connection, leaseTable, namespace, key, timeout, lease);
            }
            if (state.lockStrategy == LockStrategy.AUTO) {
                String refusal = state.source == null ? null : PROBED.get(state.source);
                if (refusal == null) {
                    return probeAndLock(connection, state, leaseTable, namespace, key, timeout, lease);
                }
                if (!refusal.isEmpty()) {
                    LOG.debug("[{}] using the lease row in {}: {}", namespace, leaseTable, refusal);
                    return PgLease.take(this, connection, leaseTable, namespace, key, timeout, lease);
                }
            }
            return advisory(connection, leaseTable, namespace, key, timeout, OptionalInt.empty());
        } catch (SQLException e) {
            throw Errors.database(this, e, "taking the migration lock", namespace);
        }
    }

    /** {@code <schema>.<tracker table>_lock}, quoted: where lease rows live. */
    private String leaseTable(String scope) {
        int dot = scope.indexOf('.');
        return qualify(scope.substring(0, dot), scope.substring(dot + 1) + "_lock");
    }

    /**
     * The first lock of a connection source under {@link LockStrategy#AUTO}: proves that a session
     * advisory lock excludes before relying on it, and falls back to the lease row (logged) when it
     * cannot. The verdict is kept per source (a pool that could not give a second session, say of
     * size one, keeps using the lease row without waiting again).
     */
    private MigrationLock probeAndLock(Connection connection, SessionState state, String leaseTable,
                                       String namespace, long key, Duration timeout, Duration lease)
            throws SQLException {
        int serverPid = serverPid(connection);
        OptionalInt driverPid = driverPid(connection);
        if (driverPid.isPresent() && driverPid.getAsInt() != serverPid) {
            return fallBack(connection, state, leaseTable, namespace, key, timeout, lease,
                    "the driver's session (backend key " + driverPid.getAsInt() + ") is not the server session it"
                            + " talks to (pid " + serverPid + "): a connection pooler or proxy is in between, and"
                            + " a transaction-pooling one hands the session, and its advisory lock, to others");
        }
        Connection second;
        try {
            second = openSecond(state.source, timeout);
        } catch (SQLException | RuntimeException e) {
            return fallBack(connection, state, leaseTable, namespace, key, timeout, lease,
                    "no second session to prove the advisory lock excludes with ("
                            + ConnectionSource.maskUrl(String.valueOf(e.getMessage())) + ")");
        }
        if (second == connection) {
            return fallBack(connection, state, leaseTable, namespace, key, timeout, lease,
                    "the connection source handed out the same connection twice, so no second session can test"
                            + " the advisory lock");
        }
        try (second) {
            if (serverPid(second) == serverPid) {
                return fallBack(connection, state, leaseTable, namespace, key, timeout, lease,
                        "a second connection reached the same server session (pid " + serverPid + "): sessions"
                                + " are shared between connections, so a session advisory lock would be too");
            }
            AdvisoryLock lock = advisory(connection, leaseTable, namespace, key, timeout, OptionalInt.of(serverPid));
            if (lock == null) {
                // The server session changed under the connection: any lock taken there is unreachable.
                return fallBack(connection, state, leaseTable, namespace, key, timeout, lease,
                        "the connection's server session changed between two statements (pid " + serverPid
                                + " before): a transaction-pooling connection pooler is in between");
            }
            boolean excluded;
            try (PreparedStatement ps = second.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    excluded = !rs.getBoolean(1);
                }
            } catch (SQLException | RuntimeException e) {
                lock.release(connection);
                throw e;
            }
            if (!excluded) {
                lock.release(connection);
                return fallBack(connection, state, leaseTable, namespace, key, timeout, lease,
                        "a second session took the advisory lock " + key + " while this one held it: advisory"
                                + " locks do not exclude on this server");
            }
            PROBED.put(state.source, "");
            LOG.debug("[{}] session advisory lock {} proved to exclude a second session", namespace, key);
            return lock;
        }
    }

    private MigrationLock fallBack(Connection connection, SessionState state, String leaseTable, String namespace,
                                   long key, Duration timeout, Duration lease, String reason)
            throws SQLException {
        PROBED.put(state.source, reason);
        LOG.warn("[{}] PostgreSQL session advisory locks cannot be relied on here: {}. Using the lease row in {}"
                        + " instead (set lockStrategy(LEASE) to skip this probe).", namespace, reason, leaseTable);
        return PgLease.take(this, connection, leaseTable, namespace, key, timeout, lease);
    }

    private static int serverPid(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_backend_pid()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Through pgjdbc's {@code CopyManager}, found by reflection (the driver is the application's,
     * not a dependency of this module).
     */
    @Override
    public void copyIn(Connection connection, String sql, String data) throws SQLException {
        Class<?> pg = pgConnectionType(connection);
        if (pg == null || !connection.isWrapperFor(pg)) {
            throw new java.sql.SQLFeatureNotSupportedException("COPY ... FROM STDIN with its data in the script needs"
                    + " the PostgreSQL JDBC driver (pgjdbc), and this connection is not one of its");
        }
        try {
            Class<?> copyManager = Class.forName("org.postgresql.copy.CopyManager", false, pg.getClassLoader());
            Object copy = pg.getMethod("getCopyAPI").invoke(connection.unwrap(pg));
            copyManager.getMethod("copyIn", String.class, java.io.Reader.class)
                    .invoke(copy, sql, new java.io.StringReader(data));
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof SQLException se) {
                throw se;
            }
            throw new SQLException("COPY ... FROM STDIN failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError | ClassCastException | IllegalArgumentException e) {
            throw new SQLException("COPY ... FROM STDIN needs pgjdbc's copy API, which this connection does not"
                    + " give: " + e, e);
        }
    }

    @Override
    public void cancelStatement(Connection connection) throws SQLException {
        // A statement's own cancel() in pgjdbc cancels that statement only while it runs: the
        // connection's cancelQuery cancels whatever the backend runs.
        Class<?> pg = pgConnectionType(connection);
        if (pg == null || !connection.isWrapperFor(pg)) {
            return;
        }
        try {
            pg.getMethod("cancelQuery").invoke(connection.unwrap(pg));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(String.valueOf(e.getCause()), e);
        } catch (ReflectiveOperationException | LinkageError | ClassCastException | IllegalArgumentException e) {
            // not pgjdbc after all: nothing to cancel through
        }
    }

    /** The backend process id the driver was given at connection start (pgjdbc), if it says. */
    static OptionalInt driverPid(Connection connection) {
        try {
            Class<?> pg = pgConnectionType(connection);
            if (pg == null || !connection.isWrapperFor(pg)) {
                return OptionalInt.empty();
            }
            return OptionalInt.of((Integer) pg.getMethod("getBackendPID").invoke(connection.unwrap(pg)));
        } catch (ReflectiveOperationException | SQLException | LinkageError | ClassCastException
                 | IllegalArgumentException e) {
            // IllegalArgumentException: a wrapper that says it wraps pgjdbc and unwraps to something else
            return OptionalInt.empty();
        }
    }

    /**
     * pgjdbc's {@code PGConnection} as the connection's class loader sees it, else the thread's,
     * else this module's; null when none does.
     */
    private static Class<?> pgConnectionType(Connection connection) {
        for (ClassLoader loader : new ClassLoader[] {connection.getClass().getClassLoader(),
                Thread.currentThread().getContextClassLoader(), PostgresDialect.class.getClassLoader()}) {
            try {
                return Class.forName("org.postgresql.PGConnection", false, loader);
            } catch (ClassNotFoundException | NullPointerException | LinkageError e) {
                // not visible from this loader; try the next
            }
        }
        return null;
    }

    /** A second connection from the same source, waiting at most a few seconds (a pool may be exhausted). */
    private static Connection openSecond(ConnectionSource source, Duration timeout) throws SQLException {
        long waitMs = Math.min(timeout.toMillis(), PROBE_CONNECT_WAIT.toMillis());
        CompletableFuture<Connection> pending = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                Connection c = source.open();
                if (!pending.complete(c)) {
                    c.close(); // the probe gave up waiting: give it back at once
                }
            } catch (Throwable e) {
                pending.completeExceptionally(e);
            }
        }, "ratchet-lock-probe");
        opener.setDaemon(true);
        opener.start();
        try {
            return pending.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (!pending.completeExceptionally(e)) {
                return pending.join();
            }
            throw new SQLException("no connection within " + waitMs + " ms (an exhausted pool?)", "08001");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException(String.valueOf(cause), "08001");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.completeExceptionally(e);
            throw new SQLException("interrupted while opening a second session", "08001");
        }
    }

    /**
     * Polls {@code pg_try_advisory_lock} until {@code timeout}. A live lease row of the namespace
     * (a runner that fell back to the lease) counts as held. With {@code expectedPid}, returns
     * null when the lock statement ran in another server session than expected (releasing there).
     */
    private AdvisoryLock advisory(Connection connection, String leaseTable, String namespace, long key,
                                  Duration timeout, OptionalInt expectedPid) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int attempt = 0;
        String holder = "another session holds it";
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT pg_try_advisory_lock(?), pg_backend_pid(), to_regclass(?) IS NOT NULL")) {
            ps.setLong(1, key);
            ps.setString(2, leaseTable);
            while (true) {
                boolean got;
                boolean leases;
                int pid;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    got = rs.getBoolean(1);
                    pid = rs.getInt(2);
                    leases = rs.getBoolean(3);
                }
                if (got) {
                    AdvisoryLock lock = new AdvisoryLock(key, namespace);
                    if (expectedPid.isPresent() && pid != expectedPid.getAsInt()) {
                        try {
                            lock.release(connection);
                        } catch (RuntimeException | SQLException e) {
                            LOG.warn("[{}] could not release advisory lock {} taken in server session {}: {}",
                                    namespace, key, pid, e.getMessage());
                        }
                        return null;
                    }
                    Optional<String> leaseHolder = leases ? PgLease.liveHolder(connection, leaseTable, namespace)
                            : Optional.empty();
                    if (leaseHolder.isEmpty()) {
                        return lock;
                    }
                    lock.release(connection);
                    holder = "a runner holds the lease row in " + leaseTable + " (" + leaseHolder.get() + ")";
                }
                if (System.nanoTime() - deadline >= 0) {
                    if (!got) {
                        holder = advisoryHolder(connection, key).orElse(holder);
                    }
                    throw RatchetException.of(ErrorKind.LOCK_TIMEOUT, "Could not take the migration lock of namespace '"
                                    + namespace + "' (advisory key " + key + ") within " + timeout.toMillis()
                                    + " ms: " + holder + ".")
                            .with("namespace", namespace).with("lockKey", key)
                            .with("timeoutMs", timeout.toMillis()).build();
                }
                backoff(attempt++, namespace);
            }
        }
    }

    /**
     * Who holds the advisory lock {@code key}, as an operator would look it up: the server session
     * (pid), its application name and client address, how long it has been in its state, and its
     * query (as far as this user may see it). Empty when it cannot be told (the lock was released
     * meanwhile, or the catalog cannot be read): the timeout stands without it.
     */
    private static Optional<String> advisoryHolder(Connection connection, long key) {
        // A bigint key is (classid, objid) = its high and low 32 bits, with objsubid 1.
        String sql = "SELECT a.pid, a.application_name, host(a.client_addr), a.state,"
                + " floor(extract(epoch FROM now() - a.state_change))::bigint, left(a.query, 200)"
                + " FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                + " AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.database = (SELECT oid FROM"
                + " pg_catalog.pg_database WHERE datname = current_database()) LIMIT 1";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFFFFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                StringBuilder who = new StringBuilder("server session ").append(rs.getInt(1)).append(" holds it (");
                String application = rs.getString(2);
                who.append(application == null || application.isEmpty() ? "no application name"
                        : "application '" + application + "'");
                String client = rs.getString(3);
                who.append(client == null ? ", a local socket" : ", client " + client);
                String state = rs.getString(4);
                if (state != null) {
                    who.append(", ").append(state).append(" for ").append(rs.getLong(5)).append(" s");
                }
                String query = rs.getString(6);
                if (query != null && !query.isBlank()) {
                    who.append(", last query: ").append(query.strip().replaceAll("\\s+", " "));
                }
                return Optional.of(who.append(')').toString());
            }
        } catch (SQLException | RuntimeException notToldWho) {
            LOG.debug("could not tell who holds advisory lock {}: {}", key, notToldWho.getMessage());
            return Optional.empty();
        }
    }

    private static final class AdvisoryLock implements MigrationLock {
        private final long key;
        private final String namespace;

        AdvisoryLock(long key, String namespace) {
            this.key = key;
            this.namespace = namespace;
        }

        @Override
        public void renew(Connection connection) {
            // A session lock lasts as long as the session; a dead session fails the next statement.
        }

        @Override
        public void release(Connection connection) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw RatchetException.of(ErrorKind.LOCK_RELEASE_FAILED, "The advisory lock " + key
                                        + " of namespace '" + namespace + "' was not held by this session at release.")
                                .with("namespace", namespace).with("lockKey", key).build();
                    }
                }
            }
        }
    }

    /**
     * The lease row: one row per namespace in {@code <tracker table>_lock}, its expiry kept by the
     * server's clock (runners' clocks may disagree). Every write also takes the namespace's
     * transaction-scoped advisory lock, so a lease holder and a session-lock holder exclude each
     * other; all of it works through a transaction-pooling connection pooler.
     */
    private static final class PgLease implements MigrationLock {
        private final String table;
        private final String namespace;
        private final String owner;
        private final long key;
        private final Duration timeout;
        private final Duration lease;

        private PgLease(String table, String namespace, String owner, long key, Duration timeout, Duration lease) {
            this.table = table;
            this.namespace = namespace;
            this.owner = owner;
            this.key = key;
            this.timeout = timeout;
            this.lease = lease;
        }

        static PgLease take(PostgresDialect dialect, Connection connection, String table, String namespace, long key,
                            Duration timeout, Duration lease) throws SQLException {
            if (!connection.getAutoCommit()) {
                throw new IllegalStateException("a lease must be taken outside a transaction (auto-commit on)");
            }
            createTable(dialect, connection, table);
            String owner = ownerPrefix() + "/" + UUID.randomUUID();
            long deadline = System.nanoTime() + timeout.toNanos();
            int attempt = 0;
            while (true) {
                try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table + " AS l"
                        + " (name, owner, expires_at)"
                        + " SELECT ?, ?, clock_timestamp() + ? * interval '1 millisecond'"
                        + " WHERE pg_try_advisory_xact_lock(?)"
                        + " ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at"
                        + " WHERE l.expires_at < clock_timestamp() RETURNING 1")) {
                    ps.setString(1, namespace);
                    ps.setString(2, owner);
                    ps.setDouble(3, lease.toMillis());
                    ps.setLong(4, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            LOG.debug("[{}] lease row taken in {} as {}", namespace, table, owner);
                            return new PgLease(table, namespace, owner, key, timeout, lease);
                        }
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    String holder = liveHolder(connection, table, namespace)
                            .orElse("a session holding advisory lock " + key);
                    throw RatchetException.of(ErrorKind.LOCK_TIMEOUT, "Could not take the migration lease of namespace '"
                                    + namespace + "' in " + table + " within " + timeout.toMillis() + " ms: held by "
                                    + holder + ".")
                            .with("namespace", namespace).with("holder", holder).with("lockKey", key)
                            .with("timeoutMs", timeout.toMillis()).build();
                }
                backoff(attempt++, namespace);
            }
        }

        private static void createTable(PostgresDialect dialect, Connection connection, String table)
                throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                }
            }
            try {
                execute(connection, "CREATE TABLE IF NOT EXISTS " + table + " (name text NOT NULL PRIMARY KEY,"
                        + " owner text NOT NULL, expires_at timestamptz NOT NULL)");
            } catch (SQLException e) {
                // Two runners creating it at once: one of them gets a unique violation on the catalogue.
                if (!dialect.isUniqueViolation(e) && !"42P07".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }

        /** The owner and expiry of a live lease of the namespace, if there is one. */
        static Optional<String> liveHolder(Connection connection, String table, String namespace) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement("SELECT owner, expires_at FROM " + table
                    + " WHERE name = ? AND expires_at >= clock_timestamp()")) {
                ps.setString(1, namespace);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1) + " until " + rs.getObject(2, OffsetDateTime.class))
                            : Optional.empty();
                }
            }
        }

        @Override
        public void renew(Connection connection) throws SQLException {
            // The namespace's transaction-scoped advisory lock first, then the row: every lease write
            // takes them in this order, so two runners never wait on each other in opposite order. A
            // runner that took the session advisory lock releases it when it sees this live lease.
            long deadline = System.nanoTime() + timeout.toNanos();
            int attempt = 0;
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                ps.setLong(1, key);
                while (true) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            break;
                        }
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        throw RatchetException.of(ErrorKind.LOCK_LOST, "A session holding advisory lock " + key
                                        + " of namespace '" + namespace + "' kept it for " + timeout.toMillis()
                                        + " ms although this runner holds the lease; nothing more is run.")
                                .with("namespace", namespace).with("lockKey", key).build();
                    }
                    backoff(attempt++, namespace);
                }
            }
            try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table
                    + " SET expires_at = clock_timestamp() + ? * interval '1 millisecond'"
                    + " WHERE name = ? AND owner = ?")) {
                ps.setDouble(1, lease.toMillis());
                ps.setString(2, namespace);
                ps.setString(3, owner);
                if (ps.executeUpdate() == 0) {
                    throw RatchetException.of(ErrorKind.LOCK_LOST, "The migration lease of namespace '"
                                    + namespace + "' in " + table + " expired and was taken over by another"
                                    + " runner; nothing more is run.")
                            .with("namespace", namespace).with("owner", owner).build();
                }
            }
        }

        @Override
        public void release(Connection connection) throws SQLException {
            releaseLease(connection, table, namespace, owner);
        }
    }
}
