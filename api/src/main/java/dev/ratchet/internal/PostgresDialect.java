package dev.ratchet.internal;

import dev.ratchet.ErrorKind;
import dev.ratchet.RatchetException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * PostgreSQL: session advisory locks taken by polling {@code pg_try_advisory_lock} (never a
 * blocking lock call, so a {@code CREATE INDEX CONCURRENTLY} in the holder cannot deadlock
 * against a waiter), {@code search_path} switching for target schemas, restored afterwards.
 */
final class PostgresDialect extends DatabaseDialect {

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
    public void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @Override
    public Optional<Instant> readInstant(ResultSet rs, String column) throws SQLException {
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
        String sql = "SELECT c.relkind, a.attname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                Set<String> columns = new HashSet<>();
                boolean found = false;
                while (rs.next()) {
                    found = true;
                    String kind = rs.getString(1);
                    if (!kind.equals("r") && !kind.equals("p")) {
                        throw notATable(schema, table, switch (kind) {
                            case "v" -> "a view";
                            case "m" -> "a materialized view";
                            default -> "a foreign table";
                        });
                    }
                    String c = rs.getString(2);
                    if (c != null) {
                        columns.add(c.toLowerCase(Locale.ROOT));
                    }
                }
                return found ? Optional.of(columns) : Optional.empty();
            }
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
                "SELECT current_setting('search_path'), current_schema(), current_setting('role'),"
                        + " current_setting('default_transaction_isolation')");
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
            // The JDBC isolation level is this setting too (pgjdbc sets the session characteristics).
            state.defaultIsolation = rs.getString(4);
            return state;
        }
    }

    @Override
    public void restore(Connection connection, SessionState state) throws SQLException {
        leaveSchema(connection, state);
        if (state.bodiesRan) {
            // A migration body may have run SET ROLE, SET search_path or SET SESSION CHARACTERISTICS:
            // the pooled connection goes back as it came (one query when nothing changed).
            if (!connection.getAutoCommit()) {
                connection.rollback(); // nothing of Ratchet's is open here; do not leave a transaction behind
                connection.setAutoCommit(true);
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT current_setting('search_path'),"
                    + " current_setting('role'), current_setting('default_transaction_isolation')");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getString(2).equals(state.role)) {
                    execute(connection, state.role.equals("none") ? "RESET ROLE" : "SET ROLE " + quote(state.role));
                }
                if (!rs.getString(1).equals(state.searchPath)) {
                    setSearchPath(connection, state.searchPath);
                }
                if (!rs.getString(3).equals(state.defaultIsolation)) {
                    try (PreparedStatement set = connection.prepareStatement(
                            "SELECT set_config('default_transaction_isolation', ?, false)")) {
                        set.setString(1, state.defaultIsolation);
                        set.executeQuery().close();
                    }
                }
            }
        }
        if (connection.getAutoCommit() != state.autoCommit) {
            connection.setAutoCommit(state.autoCommit);
        }
    }

    @Override
    public boolean supportsTargetSchema() {
        return true;
    }

    @Override
    public void useSchema(Connection connection, SessionState state, String schema) throws SQLException {
        execute(connection, "CREATE SCHEMA IF NOT EXISTS " + quote(schema));
        setSearchPath(connection, quote(schema) + (state.searchPath.isBlank() ? "" : ", " + state.searchPath));
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

    /** A stable 64-bit key for (tracker table, namespace). */
    static long lockKey(String scope, String namespace) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("ratchet\0" + scope + "\0" + namespace).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public MigrationLock lock(Connection connection, SessionState state, String scope, String namespace,
                              Duration timeout, Duration lease) {
        long key = lockKey(scope, namespace);
        long deadline = System.nanoTime() + timeout.toNanos();
        int attempt = 0;
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return new AdvisoryLock(key, namespace);
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw RatchetException.of(ErrorKind.LOCK_TIMEOUT, "Could not take the migration lock of namespace '"
                                    + namespace + "' (tracker table " + scope + ", advisory key " + key + ") within "
                                    + timeout.toMillis() + " ms: another session holds it.")
                            .with("namespace", namespace).with("lockKey", key)
                            .with("timeoutMs", timeout.toMillis()).build();
                }
                backoff(attempt++, namespace);
            }
        } catch (SQLException e) {
            throw Errors.database(this, e, "taking the migration lock", namespace);
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
}
