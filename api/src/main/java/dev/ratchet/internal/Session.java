package dev.ratchet.internal;

import dev.ratchet.ConnectionSource;
import dev.ratchet.ErrorKind;
import dev.ratchet.LockStrategy;
import dev.ratchet.Namespace;
import dev.ratchet.RatchetException;
import dev.ratchet.internal.DatabaseDialect.SessionState;
import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The pinned connection of one run, with the session settings to restore when it goes back,
 * and the small helpers every run uses: SQL wrapped into classified errors, transactions that
 * roll back on any failure, and clean-up that never hides the original failure.
 */
final class Session implements AutoCloseable {
    final Connection connection;
    final DatabaseDialect dialect;
    final SessionState state;
    /** The context of the run's main tracker. */
    final TrackerContext context;

    private Session(Connection connection, DatabaseDialect dialect, SessionState state, TrackerContext context) {
        this.connection = connection;
        this.dialect = dialect;
        this.state = state;
        this.context = context;
    }

    /**
     * The driver's exception with every secret masked in its message and its causes' (some drivers
     * quote the whole URL, password included): what a log of the cause chain would show. The
     * state, vendor code and stack traces are kept; an exception without secrets is returned as is.
     */
    static SQLException withoutSecrets(SQLException e) {
        if (clean(e)) {
            return e;
        }
        SQLException copy = new SQLException(ConnectionSource.maskUrl(e.getMessage()), e.getSQLState(), e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        Throwable cause = e.getCause();
        if (cause != null) {
            copy.initCause(cause instanceof SQLException sql ? withoutSecrets(sql) : clean(cause) ? cause
                    : masked(cause));
        }
        return copy;
    }

    private static boolean clean(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            String m = x.getMessage();
            if (m != null && !m.equals(ConnectionSource.maskUrl(m))) {
                return false;
            }
        }
        return true;
    }

    private static Throwable masked(Throwable t) {
        Exception copy = new Exception(t.getClass().getName() + ": " + ConnectionSource.maskUrl(t.getMessage()));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /**
     * What is wrong with a URL the driver could not connect with, when the URL itself shows it: a
     * SQLite file in a missing directory, a directory, a missing file that the URL's
     * {@code mode=ro} or {@code mode=rw} does not create, or a PostgreSQL URL with {@code user:password@} before the
     * host, which pgjdbc reads as part of the host name (libpq's and most platforms' URLs have it).
     */
    static java.util.Optional<String> urlHint(String url) {
        java.util.Optional<java.nio.file.Path> file = sqliteFile(url);
        if (file.isPresent()) {
            java.nio.file.Path parent = file.get().getParent();
            if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
                return java.util.Optional.of("the directory " + parent + " does not exist: SQLite creates the"
                        + " database file, not the directories above it; create it, or correct the path in the URL");
            }
            if (java.nio.file.Files.isDirectory(file.get())) {
                return java.util.Optional.of("the URL names a directory, " + file.get() + ", where SQLite needs a"
                        + " database file: name the file, such as jdbc:sqlite:" + file.get().resolve("app.db"));
            }
            java.util.regex.Matcher mode = java.util.regex.Pattern.compile("[?&]mode=(ro|rw)(?:&|$)").matcher(url);
            if (mode.find() && !java.nio.file.Files.exists(file.get())) {
                return java.util.Optional.of("the file " + file.get() + " does not exist, and the URL's mode="
                        + mode.group(1) + " opens only a file that exists (mode=rwc, or no mode, creates it): correct"
                        + " the path, or leave the mode out");
            }
        }
        if (url != null && url.startsWith("jdbc:postgresql://")) {
            String rest = url.substring("jdbc:postgresql://".length());
            int end = rest.indexOf('/');
            String authority = end < 0 ? rest : rest.substring(0, end);
            int query = authority.indexOf('?');
            authority = query < 0 ? authority : authority.substring(0, query);
            if (authority.contains("@")) {
                return java.util.Optional.of("the PostgreSQL driver does not read USER:PASSWORD@ before the host, as"
                        + " in postgres:// URLs; write jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER and give the"
                        + " password as ?password= (or, with the command line, --user and RATCHET_PASSWORD)");
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * What to do about a connection the server refused, by the SQLSTATE it gave: a database or a
     * user it does not have, a password it rejected, or no server answering.
     */
    static java.util.Optional<String> connectHint(String sqlState) {
        if (sqlState == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(switch (sqlState) {
            case "3D000" -> "the server has no database of the name the URL gives: create it (createdb NAME, or CREATE"
                    + " DATABASE NAME), or correct the name; Ratchet creates its tracker table, never a database";
            case "28P01" -> "the server rejected the password for this user: give the user's password (?password= in"
                    + " the URL, or, with the command line, RATCHET_PASSWORD)";
            case "28000" -> "the server does not let this user connect: check the user name (?user= in the URL, or,"
                    + " with the command line, --user), that the role exists and may log in, and that the server's"
                    + " pg_hba.conf admits it from this host";
            case "08001" -> "no server answered at the host and port the URL gives: check them, that the server runs"
                    + " and listens there (listen_addresses, port), and that no firewall is in the way";
            default -> null;
        });
    }

    /** The file a {@code jdbc:sqlite:} URL names, absolute; empty for another URL or an in-memory database. */
    static java.util.Optional<java.nio.file.Path> sqliteFile(String url) {
        if (url == null || !url.startsWith("jdbc:sqlite:")) {
            return java.util.Optional.empty();
        }
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        file = query < 0 ? file : file.substring(0, query);
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
        }
        if (file.isEmpty() || file.startsWith(":memory:")) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(java.nio.file.Path.of(file).toAbsolutePath());
        } catch (java.nio.file.InvalidPathException notAPath) {
            return java.util.Optional.empty();
        }
    }

    /** Opens (borrows) the connection, picks the dialect and prepares the session. */
    static Session open(ConnectionSource source, Duration busyTimeout, Tracker tracker) {
        return open(source, busyTimeout, tracker, LockStrategy.AUTO);
    }

    /** As {@link #open(ConnectionSource, Duration, Tracker)}, with the lock strategy its locks use. */
    static Session open(ConnectionSource source, Duration busyTimeout, Tracker tracker, LockStrategy lockStrategy) {
        Connection c;
        try {
            c = source.open();
        } catch (SQLException e) {
            RatchetException.Builder failed = RatchetException.of(ErrorKind.CONNECTION_FAILED, "Cannot open a"
                            + " connection to " + source.describe() + ": " + ConnectionSource.maskUrl(e.getMessage())
                            + (e.getSQLState() == null ? "." : " (SQLSTATE " + e.getSQLState() + ")."))
                    .with("source", source.describe()).cause(withoutSecrets(e));
            urlHint(source.describe()).or(() -> connectHint(e.getSQLState())).ifPresent(failed::hint);
            throw failed.build();
        }
        try {
            DatabaseDialect dialect = DatabaseDialect.of(c);
            SessionState state;
            try {
                state = dialect.prepare(c, busyTimeout);
                state.source = source;
                state.lockStrategy = lockStrategy;
            } catch (SQLException e) {
                throw Errors.database(dialect, e, "preparing the session", null);
            }
            String schema = tracker.schema().orElse(state.currentSchema());
            return new Session(c, dialect, state, new TrackerContext(c, dialect, schema));
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof SQLException se) {
                throw Errors.database(null, se, "reading connection metadata", null);
            }
            throw (RuntimeException) e;
        }
    }

    /** The context of another tracker on this session (its own schema, or the session's). */
    TrackerContext contextFor(Tracker tracker) {
        return new TrackerContext(connection, dialect, tracker.schema().orElse(state.currentSchema()));
    }

    /** The stable lock scope of a tracker: its schema-qualified table. */
    String lockScope(Tracker tracker) {
        return qualifiedTable(tracker);
    }

    /** {@code schema.table} of {@code tracker}'s table, its schema resolved for this session. */
    String qualifiedTable(Tracker tracker) {
        return contextFor(tracker).defaultSchema() + "." + tracker.table();
    }

    @Override
    public void close() {
        try {
            if (!connection.isClosed()) {
                dialect.rollback(connection);
                dialect.restore(connection, state);
            }
        } catch (SQLException e) {
            throw Errors.database(dialect, e, "restoring the session before returning the connection", null);
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                // Nothing more can be done with a connection that does not close.
            }
        }
    }

    /** An action on the database. */
    @FunctionalInterface
    interface SqlAction {
        void run() throws SQLException;
    }

    /** Runs {@code action}, turning an {@link SQLException} into a classified {@link RatchetException}. */
    static void sql(Session s, Namespace ns, String doing, SqlAction action) {
        try {
            action.run();
        } catch (SQLException e) {
            throw Errors.database(s.dialect, e, doing, ns == null ? null : ns.name());
        }
    }

    /** Runs a clean-up step; its failure is suppressed into {@code primary}, or thrown when there is none. */
    static void cleanup(Session s, Throwable primary, String doing, Namespace ns, SqlAction action) {
        try {
            action.run();
        } catch (SQLException | RuntimeException e) {
            RuntimeException wrapped = e instanceof SQLException se
                    ? Errors.database(s.dialect, se, doing, ns == null ? null : ns.name()) : (RuntimeException) e;
            if (primary != null) {
                primary.addSuppressed(wrapped);
            } else {
                throw wrapped;
            }
        }
    }

    /** Runs {@code work} in a transaction: committed if it returns, rolled back if it throws. */
    static void inTransaction(Session s, Namespace ns, Runnable work) {
        sql(s, ns, "starting a transaction", () -> s.dialect.begin(s.connection));
        try {
            work.run();
            sql(s, ns, "committing", () -> s.dialect.commit(s.connection));
        } catch (RuntimeException | Error e) {
            try {
                s.dialect.rollback(s.connection);
            } catch (SQLException | RuntimeException r) {
                e.addSuppressed(r);
            }
            throw e;
        }
    }
}
