package dev.ratchet.internal;

import dev.ratchet.RatchetException;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SQLite resolves a table's name without regard to ASCII case, so the dialect finds a tracker
 * table under any such spelling: a table named otherwise only in case is the tracker's table (a
 * CREATE TABLE IF NOT EXISTS of the tracker's name would not make another), and a view so named is
 * refused as one.
 */
class SqliteTableNamesTest {

    @Test
    void aTableNamedOtherwiseOnlyInAsciiCaseIsFoundWithItsColumns() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE); Connection c = db.connect();
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE \"Ratchet_APPLIED_Migrations\" (Namespace text, VERSION text)");
            DatabaseDialect dialect = DatabaseDialect.of(c);
            assertEquals(Optional.of(Set.of("namespace", "version")),
                    dialect.columns(c, "main", "ratchet_applied_migrations"));
            assertEquals(Optional.of(Set.of("namespace", "version")),
                    dialect.columns(c, "main", "RATCHET_APPLIED_MIGRATIONS"));
            assertEquals(Optional.empty(), dialect.columns(c, "main", "ratchet_applied_migration"));
            assertEquals(Optional.empty(), dialect.columns(c, "main", "ratchet_applied_migrations_"));
        }
    }

    @Test
    void aViewNamedOtherwiseOnlyInCaseIsRefusedAsAView() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE); Connection c = db.connect();
             Statement st = c.createStatement()) {
            st.execute("CREATE VIEW \"SCHEMA_Version\" AS SELECT 1 AS sequence");
            RatchetException e = assertThrows(RatchetException.class,
                    () -> DatabaseDialect.of(c).columns(c, "main", "schema_version"));
            assertTrue(e.getMessage().contains("a view"), e.getMessage());
        }
    }
}
