package dev.ratchet.internal;

import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Which entry of a batch failed, read from the PostgreSQL driver's own batch error, in the
 * JVM's language (the driver translates that message) and not only in English.
 */
@Timeout(120)
class PgBatchErrorsTest {
    private static final int SIZE = 12;

    @Test
    void theFailingEntryIsFoundWhereverItIs() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect()) {
            for (int failing : List.of(0, 1, 9, 10, 11)) {
                BatchUpdateException e = failBatch(c, failing);
                assertEquals(failing, PgBatchErrors.failedEntry(e, SIZE), e.getMessage());
                SQLException server = PgBatchErrors.serverError(e);
                assertEquals("42P01", server.getSQLState(), "the server's own error: " + server);
                assertTrue(server.getMessage().contains("nowhere"), server.getMessage());
            }
        }
    }

    @Test
    void aMessageInAnotherWordingIsNotKnownRatherThanGuessed() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect()) {
            BatchUpdateException real = failBatch(c, 3);
            BatchUpdateException reworded = new BatchUpdateException("Entry 3 failed", "42P01", 0, new long[0],
                    real.getNextException());
            assertEquals(-1, PgBatchErrors.failedEntry(reworded, SIZE));
            BatchUpdateException noCause = new BatchUpdateException(real.getMessage(), "42P01", 0, new int[0]);
            assertEquals(-1, PgBatchErrors.failedEntry(noCause, SIZE), "no driver exception to read the template from");
        }
    }

    @Test
    void theFailingEntryIsFoundInAJvmWhoseLanguageTheDriverTranslatesTo() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Duser.language=ja",
                    "-Duser.country=JP", "-cp", System.getProperty("java.class.path"),
                    PgBatchErrorsTest.class.getName(), db.url())
                    .redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the child JVM did not finish");
            }
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), text);
            // Not vacuous: the driver's message really was in Japanese.
            assertTrue(text.contains("バッチ 10 "), text);
            assertTrue(text.contains("index=10\n"), text);
        }
    }

    /** In a child JVM: fails a batch at entry 10 and prints the message and the entry found. */
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0])) {
            BatchUpdateException e = failBatch(c, 10);
            System.out.write((e.getMessage() + "\nindex=" + PgBatchErrors.failedEntry(e, SIZE) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            System.out.flush();
        }
    }

    /** A batch of {@link #SIZE} statements in a transaction whose entry {@code failing} fails. */
    private static BatchUpdateException failBatch(Connection c, int failing) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (int i = 0; i < SIZE; i++) {
                st.addBatch(i == failing ? "INSERT INTO nowhere VALUES (" + i + ")" : "SELECT " + i);
            }
            st.executeBatch();
            throw new AssertionError("the batch did not fail");
        } catch (BatchUpdateException e) {
            assertNotNull(e.getNextException(), "the driver chains the server's error");
            return e;
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }
}
