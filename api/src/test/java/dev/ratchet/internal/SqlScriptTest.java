package dev.ratchet.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
