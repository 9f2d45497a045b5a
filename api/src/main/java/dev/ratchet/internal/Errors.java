package dev.ratchet.internal;

import dev.ratchet.ErrorKind;
import dev.ratchet.RatchetException;

import java.sql.SQLException;

/** Classifies database errors met during Ratchet's own work, by SQLSTATE and vendor code. */
public final class Errors {
    private Errors() {
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
