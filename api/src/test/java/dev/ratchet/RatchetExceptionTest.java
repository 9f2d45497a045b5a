package dev.ratchet;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class RatchetExceptionTest {
    @Test
    void aRewordedExceptionKeepsEverythingButItsWords() {
        SQLException cause = new SQLException("relation is locked", "55P03");
        RatchetException original = RatchetException.of(ErrorKind.FOREIGN_HISTORY_FOUND,
                        "Namespace 'default' has no history here; call ignoreOtherTrackers() is named in the detail too.")
                .with("namespace", "default").hint("configure this, or call ignoreOtherTrackers()").cause(cause).build();
        original.addSuppressed(new IllegalStateException("release failed"));

        RatchetException reworded = original.reworded(text -> text.replace("call ignoreOtherTrackers()", "pass --ignore"));

        assertEquals(ErrorKind.FOREIGN_HISTORY_FOUND, reworded.kind());
        assertEquals("configure this, or pass --ignore", reworded.hint());
        assertEquals("[FOREIGN_HISTORY_FOUND] Namespace 'default' has no history here; pass --ignore is named in the"
                + " detail too. Hint: configure this, or pass --ignore", reworded.getMessage());
        assertEquals(Map.of("namespace", "default"), reworded.context());
        assertEquals("55P03", reworded.sqlState().orElseThrow(), "the SQLSTATE of the database error, not of a wrapper");
        assertSame(cause, reworded.getCause());
        assertArrayEquals(original.getStackTrace(), reworded.getStackTrace(), "thrown where the original was");
        assertEquals(1, reworded.getSuppressed().length);
        assertEquals("release failed", reworded.getSuppressed()[0].getMessage());
        assertEquals("configure this, or call ignoreOtherTrackers()", original.hint(), "the original is unchanged");
    }

    @Test
    void anExceptionWithoutAHintStaysWithoutOne() {
        RatchetException original = RatchetException.of(ErrorKind.DATABASE_ERROR, "It failed.").hint("").build();
        RatchetException reworded = original.reworded(String::toUpperCase);
        assertEquals("[DATABASE_ERROR] IT FAILED.", reworded.getMessage());
        assertEquals("", reworded.hint());
    }
}
