package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.SchemaFingerprint;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile names are refused before any SQL is sent. */
@Timeout(60)
class IdentifierTest {
    private static final String LONG_64 = "a".repeat(64);

    /** Counts connections handed out by a real data source. */
    private static final class CountingDataSource implements DataSource {
        final DataSource real;
        final AtomicInteger opened = new AtomicInteger();

        CountingDataSource(DataSource real) {
            this.real = real;
        }

        @Override
        public Connection getConnection() throws java.sql.SQLException {
            opened.incrementAndGet();
            return real.getConnection();
        }

        @Override
        public Connection getConnection(String u, String p) throws java.sql.SQLException {
            opened.incrementAndGet();
            return real.getConnection(u, p);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void hostileNamesAreRefusedWithoutSendingSql(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            String before = SchemaFingerprint.of(db);
            CountingDataSource ds = new CountingDataSource(db.dataSource());
            List<Migration> code = Fixtures.creates(1);

            List<Executable> attempts = List.of(
                    () -> AppliedSetTracker.builder().table("x\"; DROP TABLE effects; --").build(),
                    () -> AppliedSetTracker.builder().table("ratchet'applied").build(),
                    () -> AppliedSetTracker.builder().table(LONG_64).build(),
                    () -> AppliedSetTracker.builder().schema("public; DROP TABLE effects").build(),
                    () -> AppliedSetTracker.builder().schema(LONG_64).build(),
                    () -> Namespace.of("app'; DROP TABLE effects; --", code),
                    () -> Namespace.of("a;b", code),
                    () -> Namespace.of(LONG_64, code),
                    () -> Namespace.of("", code),
                    () -> Namespace.of("app", code).withSchema("s\"x"),
                    () -> Namespace.of("app", code).withSchema(LONG_64));
            for (Executable attempt : attempts) {
                RatchetException e = assertThrows(RatchetException.class, () -> {
                    attempt.execute();
                    // Were it accepted, it would reach the database here.
                    Ratchet.builder().dataSource(ds).tracker(AppliedSetTracker.builder().build())
                            .namespace(Namespace.of("app", code)).build().migrate();
                });
                assertEquals(ErrorKind.INVALID_IDENTIFIER, e.kind(), e.getMessage());
            }
            assertEquals(0, ds.opened.get(), "no connection was opened, so no SQL ran with a hostile name");
            assertEquals(before, SchemaFingerprint.of(db));
        }
    }

    /** The refusal names the first character that is not allowed, and where; ASCII is said, as meant. */
    @Test
    void aRefusedNameNamesItsFirstCharacterNotAllowed() {
        List<Migration> code = Fixtures.creates(1);
        assertEquals("[INVALID_IDENTIFIER] The namespace name 'caf\u00e9s' is not allowed: '\u00e9' (character 4)"
                        + " cannot be in it; use ASCII letters, digits, '_', '.' and '-', starting with a letter, digit or '_'.",
                assertThrows(RatchetException.class, () -> Namespace.of("caf\u00e9s", code)).getMessage()
                        .replaceFirst(" Hint: .*", ""));
        assertTrue(assertThrows(RatchetException.class, () -> Namespace.of("a b", code)).getMessage()
                .contains("'a b' is not allowed: U+0020 (character 2) cannot be in it;"));
        assertTrue(assertThrows(RatchetException.class, () -> Namespace.of("-a", code)).getMessage()
                .contains("'-a' is not allowed: '-' cannot start it;"));
        assertTrue(assertThrows(RatchetException.class, () -> AppliedSetTracker.builder().table("9lives").build())
                .getMessage().contains("The tracker table name '9lives' is not allowed: '9' cannot start it; use ASCII"
                        + " letters, digits and underscores, starting with a letter or underscore."));
    }
}
