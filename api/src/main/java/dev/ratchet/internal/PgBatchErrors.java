package dev.ratchet.internal;

import java.lang.reflect.Method;
import java.sql.BatchUpdateException;
import java.sql.SQLException;

/**
 * What the PostgreSQL JDBC driver says when a statement of a batch fails.
 *
 * <p>The driver's {@link BatchUpdateException} marks every entry as failed, so its update counts
 * do not tell which one did; its message does, as "Batch entry <i> ..." in the driver's own
 * wording, translated into the JVM's language where the driver has a translation. Rather than
 * parse one wording, the index is found by formatting the driver's message template (with the
 * driver's own {@code org.postgresql.util.GT}, loaded from the class loader of the driver's
 * exception) for each entry and keeping the one entry whose text the message starts with.
 * Anything else (no such class, a shaded driver, two candidates, none) gives -1, "not known": the
 * error still names the migration and carries the server's message.
 */
final class PgBatchErrors {
    /** The driver's template (pgjdbc BatchResultHandler); {0} is the entry's index from 0. */
    static final String TEMPLATE =
            "Batch entry {0} {1} was aborted: {2}  Call getNextException to see other errors in the batch.";
    private static final String MARK = "\u0000";

    private PgBatchErrors() {
    }

    /** The server's error behind the batch's: the driver chains it as the next exception. */
    static SQLException serverError(BatchUpdateException e) {
        SQLException next = e.getNextException();
        if (next != null) {
            return next;
        }
        return e.getCause() instanceof SQLException cause ? cause : e;
    }

    /** The failing entry's index (from 0) among {@code size}, or -1 when the message does not say. */
    static int failedEntry(BatchUpdateException e, int size) {
        String message = e.getMessage();
        SQLException server = serverError(e);
        if (message == null || server == e) {
            return -1;
        }
        try {
            Class<?> gt = Class.forName("org.postgresql.util.GT", false, server.getClass().getClassLoader());
            Method tr = gt.getMethod("tr", String.class, Object[].class);
            int found = -1;
            for (int i = 0; i < size; i++) {
                String formatted = (String) tr.invoke(null, TEMPLATE, new Object[] {i, MARK, MARK});
                int cut = formatted == null ? -1 : formatted.indexOf(MARK);
                if (cut <= 0) {
                    return -1;
                }
                if (message.startsWith(formatted.substring(0, cut))) {
                    if (found >= 0) {
                        return -1;
                    }
                    found = i;
                }
            }
            return found;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException notThisDriver) {
            return -1;
        }
    }
}
