package dev.ratchet.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlScriptTest {
    private static List<String> split(String script) {
        return SqlScript.split(script).stream().map(SqlScript.Statement::sql).toList();
    }

    @Test
    void splitsOnSemicolonsOutsideQuotesAndComments() {
        assertEquals(List.of("CREATE TABLE a (x text DEFAULT ';')", "INSERT INTO \"we;ird\" VALUES ('it''s; fine')",
                        "-- a comment; with a semicolon\nSELECT 1"),
                split("CREATE TABLE a (x text DEFAULT ';');\nINSERT INTO \"we;ird\" VALUES ('it''s; fine');\n"
                        + "-- a comment; with a semicolon\nSELECT 1;\n-- trailing comment only\n"));
    }

    @Test
    void keepsDollarQuotedBodiesAndNestedBlockComments() {
        String fn = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql";
        assertEquals(List.of(fn, "/* outer /* inner; */ still; */ SELECT 2", "SELECT $$a;b$$"),
                split(fn + ";\n/* outer /* inner; */ still; */ SELECT 2;\nSELECT $$a;b$$;"));
    }

    @Test
    void keepsTriggerBodiesWithCaseTogether() {
        String trigger = "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
                + "  UPDATE a SET x = CASE WHEN new.x IS NULL THEN 'n' ELSE new.x END;\n"
                + "  INSERT INTO log VALUES (1);\nEND";
        assertEquals(List.of(trigger, "SELECT 1"), split(trigger + ";\nSELECT 1;"));
    }

    @Test
    void postgresEscapeStringsAndLineNumbers() {
        List<SqlScript.Statement> statements = SqlScript.split("SELECT E'a\\';b';\n\n  SELECT 2;\nSELECT 3");
        assertEquals(List.of("SELECT E'a\\';b'", "SELECT 2", "SELECT 3"),
                statements.stream().map(SqlScript.Statement::sql).toList());
        assertEquals(List.of(1, 3, 4), statements.stream().map(SqlScript.Statement::line).toList());
    }

    @Test
    void emptyScriptsHaveNoStatements() {
        assertEquals(List.of(), split(""));
        assertEquals(List.of(), split(" ;; -- nothing\n/* at all */"));
    }

    @Test
    void transactionControlStatementsAreRecognisedBehindCommentsAndInAnyCase() {
        for (String[] c : new String[][] {
                {"BEGIN", "BEGIN"}, {"begin transaction", "BEGIN"}, {"BEGIN IMMEDIATE", "BEGIN"},
                {"-- wrap it\nBEGIN ISOLATION LEVEL SERIALIZABLE", "BEGIN"}, {"Commit", "COMMIT"},
                {"/* a /* nested */ comment */ COMMIT WORK", "COMMIT"}, {"COMMIT PREPARED 'x'", "COMMIT"},
                {"END", "END"}, {"END TRANSACTION", "END"}, {"ABORT", "ABORT"},
                {"START TRANSACTION READ WRITE", "START TRANSACTION"}, {"ROLLBACK", "ROLLBACK"},
                {"ROLLBACK WORK", "ROLLBACK"}, {"rollback prepared 'x'", "ROLLBACK"},
                {"PREPARE TRANSACTION 'x'", "PREPARE TRANSACTION"}}) {
            assertEquals(Optional.of(c[1]), SqlScript.transactionControl(c[0]), c[0]);
        }
    }

    @Test
    void savepointsBlocksAndLookalikesAreNoTransactionControl() {
        for (String sql : List.of("ROLLBACK TO SAVEPOINT a", "ROLLBACK TO a", "ROLLBACK TRANSACTION TO SAVEPOINT a",
                "ROLLBACK WORK TO a", "SAVEPOINT a", "RELEASE SAVEPOINT a", "PREPARE q AS SELECT 1", "START",
                "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO log VALUES (1); END",
                "DO $$ BEGIN COMMIT; END $$", "INSERT INTO log (note) VALUES ('COMMIT')", "SELECT 1 -- COMMIT",
                "-- COMMIT\nSELECT 1", "beginning_of_time()", "/* BEGIN */ SELECT 1", "")) {
            assertEquals(Optional.empty(), SqlScript.transactionControl(sql), sql);
        }
    }

    @Test
    void settingTheForeignKeysPragmaIsRecognisedAndReadingItOrItsNeighboursIsNot() {
        for (String sql : List.of("PRAGMA foreign_keys = OFF", "pragma FOREIGN_KEYS=off", "PRAGMA foreign_keys(0)",
                "-- rebuild\nPRAGMA foreign_keys = 1", "PRAGMA main.foreign_keys = false",
                "/* off */ Pragma Foreign_Keys\n  = ON")) {
            List<SqlScript.Statement> statements = SqlScript.split(sql);
            assertEquals(1, statements.size(), sql);
            assertTrue(statements.get(0).setsForeignKeys(), sql);
            assertTrue(SqlScript.mentionsForeignKeys(sql), sql);
        }
        for (String sql : List.of("PRAGMA foreign_keys", "PRAGMA foreign_key_check", "PRAGMA foreign_key_list(t)",
                "PRAGMA defer_foreign_keys = ON", "PRAGMA main.defer_foreign_keys = ON",
                "SELECT 'PRAGMA foreign_keys = OFF'", "INSERT INTO notes VALUES ('foreign_keys = off')",
                "-- PRAGMA foreign_keys = OFF\nSELECT 1")) {
            assertFalse(SqlScript.split(sql).stream().anyMatch(SqlScript.Statement::setsForeignKeys), sql);
        }
        assertFalse(SqlScript.mentionsForeignKeys("PRAGMA foreign_key_check; SELECT 'foreign keys'"));
        assertFalse(SqlScript.mentionsForeignKeys("_oreign_keys"));
    }

    @Test
    void statementsThatMayChangeASessionSettingAreRecognised() {
        for (String sql : List.of("SET search_path TO app", "set role app", "SET SESSION statement_timeout = '5s'",
                "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SET lock_timeout = 100",
                "RESET ALL", "DISCARD ALL", "DO $$ BEGIN PERFORM 1; END $$", "CALL setup()",
                "SELECT pg_catalog.SET_CONFIG('search_path', 'x', false)", "-- first\nSET ROLE app",
                "SET LOCAL statement_timeout = '5s'")) {
            List<SqlScript.Statement> statements = SqlScript.split(sql);
            assertEquals(1, statements.size(), sql);
            assertTrue(statements.get(0).mayChangeSettings(), sql);
        }
        for (String sql : List.of("SET CONSTRAINTS ALL DEFERRED",
                "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "UPDATE t SET role = 'x'",
                "ALTER ROLE app SET search_path TO app", "CREATE TABLE settings (name text)", "SELECT 1")) {
            assertFalse(SqlScript.split(sql).get(0).mayChangeSettings(), sql);
        }
    }

    @Test
    void aGolangMigrateStyleFileSplitsIntoItsTransactionStatements() {
        List<SqlScript.Statement> statements = SqlScript.split("BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n");
        assertEquals(List.of(Optional.of("BEGIN"), Optional.empty(), Optional.of("COMMIT")),
                statements.stream().map(st -> SqlScript.transactionControl(st.sql())).toList());
        assertEquals(List.of(1, 2, 3), statements.stream().map(SqlScript.Statement::line).toList());
    }
}
