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
        return RatchetException.of(kind, "Database error while " + doing
                        + (namespace == null ? "" : " for namespace '" + namespace + "'")
                        + ": " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ", vendor code " + e.getErrorCode() + ").")
                .with("namespace", namespace).with("sqlState", e.getSQLState()).with("vendorCode", e.getErrorCode())
                .cause(e).build();
    }
}
