package dev.ratchet.internal;

import dev.ratchet.ErrorKind;
import dev.ratchet.RatchetException;

import java.sql.SQLException;

/** Classifies database errors met during Ratchet's own work, by SQLSTATE and vendor code. */
public final class Errors {
    private Errors() {
    }

    /**
     * The database's own error behind a failed JDBC batch, for the message an operator reads: a
     * driver may wrap it in a {@link java.sql.BatchUpdateException} that speaks of batch entries
     * (PostgreSQL's: "Batch entry 0 ... was aborted ... Call getNextException"). Any other error
     * as it is.
     */
    public static SQLException unwrapBatch(SQLException e) {
        if (e instanceof java.sql.BatchUpdateException) {
            if (e.getNextException() != null) {
                return e.getNextException();
            }
            if (e.getCause() instanceof SQLException cause) {
                return cause;
            }
        }
        return e;
    }

    /** A {@code CONNECTION_FAILED} or {@code DATABASE_ERROR} for an error while {@code doing}. */
    public static RatchetException database(DatabaseDialect dialect, SQLException e, String doing, String namespace) {
        ErrorKind kind = dialect != null && dialect.isConnectionError(e) ? ErrorKind.CONNECTION_FAILED
                : ErrorKind.DATABASE_ERROR;
        RatchetException.Builder b = RatchetException.of(kind, "Database error while " + doing
                        + (namespace == null ? "" : " for namespace '" + namespace + "'")
                        + ": " + e.getMessage() + " (" + codes(dialect, e) + ").")
                .with("namespace", namespace).with("sqlState", e.getSQLState()).with("vendorCode", e.getErrorCode())
                .cause(e);
        String lost = lostConnection(e.getSQLState());
        String hint = kind == ErrorKind.DATABASE_ERROR ? hint(dialect, e)
                : lost == null ? null
                : lost + ": the server rolled back what was not committed; run again once it accepts connections";
        return (hint == null ? b : b.hint(hint)).build();
    }

    /**
     * Why an open connection was lost, by SQLSTATE, for a hint that starts with it: an error on a
     * connection that was working, so the URL and the credentials, which the kind's own hint
     * speaks of, are not the cause. Null for any other error (a connection that could not be opened).
     */
    public static String lostConnection(String sqlState) {
        if (sqlState == null) {
            return null;
        }
        return switch (sqlState) {
            case "57P01" -> "the server ended the session (an administrator's pg_terminate_backend, a fast shutdown, or a"
                    + " failover)";
            case "57P02" -> "the server ended every session after one of its processes crashed";
            case "08003", "08006", "08007" -> "the connection broke (the network, a proxy or a firewall that drops long"
                    + " connections, or the server went away)";
            default -> null;
        };
    }

    /** The error's codes, as the message gives them: its SQLSTATE if it has one, and the vendor's code. */
    private static String codes(DatabaseDialect dialect, SQLException e) {
        String vendor = (dialect instanceof SqliteDialect ? "SQLite result code " : "vendor code ") + e.getErrorCode();
        return e.getSQLState() == null ? vendor : "SQLSTATE " + e.getSQLState() + ", " + vendor;
    }

    /**
     * {@link #hint} for an error a migration's own statement met: a missing privilege, a read-only
     * connection, a full disk are the same whoever meets them (a missing schema is the
     * migration's own business, not the tracker's); null for any other error.
     */
    static String migrationHint(DatabaseDialect dialect, SQLException e) {
        return "3F000".equals(e.getSQLState()) ? null : hint(dialect, e);
    }

    /** What to do about a schema the database does not have (PostgreSQL's 3F000). */
    static final String MISSING_SCHEMA_HINT = "create the schema first (Ratchet creates its tracker table, never a"
            + " schema), or name one that exists";

    /** What to do about a SQLite database name that is not attached. */
    static final String MISSING_ATTACHED_DATABASE_HINT = "attach that database on the connections Ratchet is given"
            + " (ATTACH DATABASE 'file' AS name), or name one that is attached (main is the URL's file)";

    /**
     * What an operator can do about the database errors a set-up meets first (a user without
     * rights, a read-only server, a schema that is not there, a full disk, a SQLite database
     * another connection holds, a file that is no SQLite database or a damaged one), by SQLSTATE, or by
     * SQLite's result code; null for any other error, which keeps the kind's hint.
     */
    static String hint(DatabaseDialect dialect, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int sqlite = dialect instanceof SqliteDialect ? e.getErrorCode() & 0xff : -1;
        if (state.equals("42501") || sqlite == 3 /* SQLITE_PERM */) {
            return "the database user lacks a privilege this needs (the message names it): grant it, or connect as a"
                    + " user who has it";
        }
        if (state.equals("25006") || sqlite == 8 /* SQLITE_READONLY */) {
            return "the connection is read-only (a standby server, default_transaction_read_only, or a SQLite file opened"
                    + " read-only or not writable): connect to a writable primary, or make the database writable";
        }
        if (state.equals("3F000")) {
            return MISSING_SCHEMA_HINT;
        }
        if (sqlite == 1 /* SQLITE_ERROR */ && e.getMessage() != null && e.getMessage().contains("unknown database")) {
            return MISSING_ATTACHED_DATABASE_HINT;
        }
        if (sqlite == 5 /* SQLITE_BUSY */ || sqlite == 6 /* SQLITE_LOCKED */) {
            return "another connection held the database for longer than the lock timeout (here SQLite's busy wait): a"
                    + " writer, or a reader inside a long transaction (unless the database is in WAL mode, a reader"
                    + " keeps a writer from committing); wait for it, switch the database to WAL (PRAGMA journal_mode"
                    + " = WAL), or raise the lock timeout";
        }
        if (sqlite == 26 /* SQLITE_NOTADB */) {
            return "the file the URL names is not a SQLite database (another kind of file, or a database encrypted with"
                    + " a key this driver was not given): check that the URL names the application's database file;"
                    + " Ratchet wrote nothing to it";
        }
        if (sqlite == 11 /* SQLITE_CORRUPT */) {
            return "the database file is damaged: restore it from a backup, or save what it holds with sqlite3's .recover"
                    + " command into a new file; PRAGMA integrity_check names the damage";
        }
        if (state.equals("53100") || sqlite == 13 /* SQLITE_FULL */) {
            return "the disk is full: free space where the database keeps its files, then run again";
        }
        return null;
    }
}
