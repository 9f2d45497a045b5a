package dev.ratchet.internal;

import dev.ratchet.ErrorKind;
import dev.ratchet.RatchetException;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the PostgreSQL dialect finds under a tracker table's name: a table's (or a partitioned
 * table's) columns, lower-cased, without its dropped ones; nothing for a missing name or schema
 * or for an index, a sequence or a type of that name; a refusal naming what it is for a view, a
 * materialized view or a foreign table. Names are matched exactly, quotes and case included.
 */
@Timeout(60)
class PostgresTableShapeTest {

    @Test
    void tablesAreFoundWithTheirColumnsByTheirExactName() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect(); Statement st = c.createStatement()) {
            String s = db.schema();
            PostgresDialect dialect = new PostgresDialect();
            st.execute("CREATE TABLE \"" + s + "\".plain (namespace text, \"Version\" text, gone int, \"odd \"\"col\" int)");
            st.execute("ALTER TABLE \"" + s + "\".plain DROP COLUMN gone");
            st.execute("CREATE TABLE \"" + s + "\".\"We\"\"ird Name\" (a int)");
            st.execute("CREATE TABLE \"" + s + "\".parted (namespace text, version text) PARTITION BY LIST (namespace)");
            st.execute("CREATE TABLE \"" + s + "\".empty ()");

            assertEquals(Optional.of(Set.of("namespace", "version", "odd \"col")), dialect.columns(c, s, "plain"));
            assertEquals(Optional.of(Set.of("a")), dialect.columns(c, s, "We\"ird Name"));
            assertEquals(Optional.of(Set.of("namespace", "version")), dialect.columns(c, s, "parted"));
            assertEquals(Optional.of(Set.of()), dialect.columns(c, s, "empty"));

            assertEquals(Optional.empty(), dialect.columns(c, s, "PLAIN"), "PostgreSQL's quoted names keep their case");
            assertEquals(Optional.empty(), dialect.columns(c, s, "we\"ird name"));
            assertEquals(Optional.empty(), dialect.columns(c, s, "missing"));
            assertEquals(Optional.empty(), dialect.columns(c, s + "_no_such_schema", "plain"));
        }
    }

    @Test
    void indexesSequencesAndTypesOfTheNameAreNoTable() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect(); Statement st = c.createStatement()) {
            String s = db.schema();
            PostgresDialect dialect = new PostgresDialect();
            st.execute("CREATE TABLE \"" + s + "\".t (a int)");
            st.execute("CREATE INDEX an_index ON \"" + s + "\".t (a)");
            st.execute("CREATE SEQUENCE \"" + s + "\".a_sequence");
            st.execute("CREATE TYPE \"" + s + "\".a_type AS (a int)");
            for (String name : new String[] {"an_index", "a_sequence", "a_type"}) {
                assertEquals(Optional.empty(), dialect.columns(c, s, name), name);
            }
        }
    }

    @Test
    void viewsMaterializedViewsAndForeignTablesAreRefusedAsWhatTheyAre() throws Exception {
        String wrapper = "ratchet_test_fdw_" + UUID.randomUUID().toString().replace("-", "");
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect(); Statement st = c.createStatement()) {
            String s = db.schema();
            PostgresDialect dialect = new PostgresDialect();
            st.execute("CREATE VIEW \"" + s + "\".a_view AS SELECT 'n'::text AS namespace");
            st.execute("CREATE MATERIALIZED VIEW \"" + s + "\".a_matview AS SELECT 'n'::text AS namespace");
            // A wrapper without a handler: enough to create a foreign table, which nothing reads.
            st.execute("CREATE FOREIGN DATA WRAPPER " + wrapper);
            try {
                st.execute("CREATE SERVER " + wrapper + "_server FOREIGN DATA WRAPPER " + wrapper);
                st.execute("CREATE FOREIGN TABLE \"" + s + "\".a_foreign (namespace text) SERVER " + wrapper + "_server");
                assertRefused(dialect, c, s, "a_view", "a view");
                assertRefused(dialect, c, s, "a_matview", "a materialized view");
                assertRefused(dialect, c, s, "a_foreign", "a foreign table");
            } finally {
                st.execute("DROP FOREIGN DATA WRAPPER " + wrapper + " CASCADE");
            }
        }
    }

    private static void assertRefused(PostgresDialect dialect, Connection c, String schema, String name, String what) {
        RatchetException e = assertThrows(RatchetException.class, () -> dialect.columns(c, schema, name));
        assertEquals(ErrorKind.FOREIGN_TRACKER_TABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(" is " + what + ", not a table"), e.getMessage());
    }
}
