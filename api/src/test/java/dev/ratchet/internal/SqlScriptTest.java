package dev.ratchet.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlScriptTest {
    private static final SqlScript.Syntax PG = SqlScript.Syntax.POSTGRESQL;
    private static final SqlScript.Syntax SQLITE = SqlScript.Syntax.SQLITE;

    private static List<String> split(String script, SqlScript.Syntax syntax) {
        return SqlScript.split(script, syntax).stream().map(SqlScript.Statement::sql).toList();
    }

    private static List<String> pg(String script) {
        return split(script, PG);
    }

    private static List<String> sqlite(String script) {
        return split(script, SQLITE);
    }

    @Test
    void splitsOnSemicolonsOutsideQuotesAndComments() {
        for (SqlScript.Syntax syntax : SqlScript.Syntax.values()) {
            assertEquals(List.of("CREATE TABLE a (x text DEFAULT ';')", "INSERT INTO \"we;ird\" VALUES ('it''s; fine')",
                            "-- a comment; with a semicolon\nSELECT 1"),
                    split("CREATE TABLE a (x text DEFAULT ';');\nINSERT INTO \"we;ird\" VALUES ('it''s; fine');\n"
                            + "-- a comment; with a semicolon\nSELECT 1;\n-- trailing comment only\n", syntax), syntax.name());
        }
    }

    @Test
    void keepsDollarQuotedBodiesAndNestedBlockComments() {
        String fn = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql";
        assertEquals(List.of(fn, "/* outer /* inner; */ still; */ SELECT 2", "SELECT $$a;b$$"),
                pg(fn + ";\n/* outer /* inner; */ still; */ SELECT 2;\nSELECT $$a;b$$;"));
    }

    /**
     * A block comment nests on PostgreSQL and ends at its first {@code *}{@code /} on SQLite, so a
     * {@code /*} inside one is text on SQLite: the statements after it run there (they were taken
     * for the comment's rest, and the migration ran nothing). On PostgreSQL such a comment is
     * unterminated: its text goes to the server, which refuses it, rather than being dropped.
     */
    @Test
    void aBlockCommentNestsOnPostgresAndEndsAtItsFirstCloseOnSqlite() {
        String script = "/* was: /* CREATE TABLE x (id int) */\nCREATE TABLE x (id int);\nCREATE TABLE y (id int);\n";
        List<SqlScript.Statement> onSqlite = SqlScript.split(script, SQLITE);
        assertEquals(List.of("/* was: /* CREATE TABLE x (id int) */\nCREATE TABLE x (id int)", "CREATE TABLE y (id int)"),
                onSqlite.stream().map(SqlScript.Statement::sql).toList());
        assertEquals(List.of(2, 3), onSqlite.stream().map(SqlScript.Statement::line).toList());
        List<SqlScript.Statement> onPostgres = SqlScript.split(script, PG);
        assertEquals(List.of(script.strip()), onPostgres.stream().map(SqlScript.Statement::sql).toList(),
                "unterminated: sent whole, for the server to name the error");
        assertEquals(1, onPostgres.get(0).line());
        assertEquals(List.of("SELECT 1 /* open */", "SELECT 2"), sqlite("SELECT 1 /* open */;\nSELECT 2; /* at the end"),
                "SQLite ends a comment at the end of the script");
    }

    /**
     * PostgreSQL's dollar quotes and E'' escapes are no syntax of SQLite's, where {@code $name} is a
     * parameter and {@code e'\'} a name and a string: on SQLite, neither hides a semicolon.
     */
    @Test
    void dollarQuotesAndEscapeStringsArePostgresOnly() {
        assertEquals(List.of("SELECT $a$", "SELECT 2", "SELECT 'x$$'", "SELECT e'\\'", "SELECT 3"),
                sqlite("SELECT $a$;\nSELECT 2;\nSELECT 'x$$';\nSELECT e'\\';\nSELECT 3;"));
        assertEquals(List.of("SELECT $a$;\nSELECT 2;\nSELECT 'x$$';\nSELECT e'\\';\nSELECT 3;"),
                pg("SELECT $a$;\nSELECT 2;\nSELECT 'x$$';\nSELECT e'\\';\nSELECT 3;"),
                "an unterminated dollar quote runs to the end on PostgreSQL");
    }

    @Test
    void aWordBeginOutsideATriggerOrBeginAtomicOpensNoBody() {
        assertEquals(List.of("CREATE TABLE periods (id int, begin date, \"end\" date)",
                        "CREATE INDEX periods_begin ON periods (begin)", "CREATE VIEW v AS SELECT begin AS end FROM periods",
                        "INSERT INTO periods VALUES (1)"),
                pg("CREATE TABLE periods (id int, begin date, \"end\" date);\n"
                        + "CREATE INDEX periods_begin ON periods (begin);\n"
                        + "CREATE VIEW v AS SELECT begin AS end FROM periods;\nINSERT INTO periods VALUES (1);\n"));
        assertEquals(4, sqlite("CREATE TABLE periods (id int, begin date, \"end\" date);\n"
                + "CREATE INDEX periods_begin ON periods (begin);\n"
                + "CREATE VIEW v AS SELECT begin AS end FROM periods;\nINSERT INTO periods VALUES (1);\n").size());
        String temp = "CREATE TEMP TRIGGER t AFTER UPDATE OF begin ON periods BEGIN\n"
                + "  INSERT INTO log VALUES (CASE WHEN new.begin IS NULL THEN 0 ELSE 1 END);\n  SELECT 1;\nEND";
        assertEquals(List.of(temp, "SELECT 2"), sqlite(temp + ";\nSELECT 2;"),
                "a trigger's body, even after a column named begin");
        String atomic = "CREATE FUNCTION two() RETURNS int LANGUAGE SQL\nBEGIN   ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND";
        assertEquals(List.of(atomic, "SELECT 3"), pg(atomic + ";\nSELECT 3;"));
    }

    @Test
    void aSemicolonInsideParenthesesEndsNothing() {
        String rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (NEW.id);\n"
                + "  INSERT INTO log VALUES (NEW.id * 2))";
        assertEquals(List.of(rule, "SELECT ')' , '(;'", "SELECT 1)", "SELECT 2"),
                pg(rule + ";\nSELECT ')' , '(;';\nSELECT 1);\nSELECT 2;"),
                "parentheses in quotes count for nothing, and a stray ')' leaves none open");
        assertEquals(List.of("SELECT (1;\nSELECT 2;"), pg("SELECT (1;\nSELECT 2;"),
                "an unclosed '(' runs to the end, as in psql: the server names the error");
    }

    @Test
    void keepsTriggerBodiesWithCaseTogether() {
        String trigger = "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
                + "  UPDATE a SET x = CASE WHEN new.x IS NULL THEN 'n' ELSE new.x END;\n"
                + "  INSERT INTO log VALUES (1);\nEND";
        assertEquals(List.of(trigger, "SELECT 1"), sqlite(trigger + ";\nSELECT 1;"));
    }

    /**
     * A SQLite trigger body ends where sqlite3_complete() ends it: at the semicolon after an END
     * that comes straight after a semicolon. Columns named end, case or begin (new.end, a column
     * list, SET end = ...) inside it, or before it in UPDATE OF and WHEN, are no keywords.
     */
    @Test
    void aTriggerBodyEndsAtTheEndAfterItsLastStatementWhateverItsColumnsAreNamed() {
        String trigger = "CREATE TRIGGER events_range BEFORE INSERT ON events\nBEGIN\n"
                + "  SELECT CASE WHEN NEW.end < NEW.start THEN RAISE(ABORT, 'end;') END;\n"
                + "  INSERT INTO log (id, start, end) VALUES (NEW.id, NEW.start, NEW.end);\n"
                + "  UPDATE log SET end = NEW.end, case = 1 WHERE id = NEW.id; -- the last one\n"
                + "  /* a comment; */ END";
        List<SqlScript.Statement> statements = SqlScript.split(trigger + ";\nINSERT INTO events VALUES (1, 1, 2);", SQLITE);
        assertEquals(List.of(trigger, "INSERT INTO events VALUES (1, 1, 2)"),
                statements.stream().map(SqlScript.Statement::sql).toList());
        assertEquals(List.of(1, 7), statements.stream().map(SqlScript.Statement::line).toList());

        String columns = "CREATE TRIGGER t AFTER UPDATE OF start, begin ON events\n"
                + "WHEN old.begin IS NOT new.begin AND begin > 0 BEGIN\n  UPDATE log SET end = 1;\nEND";
        assertEquals(List.of(columns, "SELECT 2"), sqlite(columns + ";\nSELECT 2;"),
                "begin in UPDATE OF and in the WHEN condition is a column: the body opens at the keyword");

        // PostgreSQL's triggers have no body: a column named begin must not open one.
        String pgTrigger = "CREATE OR REPLACE TRIGGER t AFTER UPDATE OF begin ON periods\n"
                + "FOR EACH ROW EXECUTE FUNCTION f()";
        List<SqlScript.Statement> onPostgres = SqlScript.split(pgTrigger + ";\nSELECT 2;\nSELECT 3;", PG);
        assertEquals(List.of(pgTrigger, "SELECT 2", "SELECT 3"),
                onPostgres.stream().map(SqlScript.Statement::sql).toList());
        assertEquals(List.of(1, 3, 4), onPostgres.stream().map(SqlScript.Statement::line).toList());

        String atomic = "CREATE FUNCTION span(p periods) RETURNS int LANGUAGE SQL\nBEGIN ATOMIC\n"
                + "  SELECT CASE WHEN p.end IS NULL THEN 0 ELSE 1 END;\nEND";
        assertEquals(List.of(atomic, "SELECT 3"), pg(atomic + ";\nSELECT 3;"),
                "p.end is a column in a SQL-standard body too");
    }

    /**
     * On SQLite a {@code [} always opens an identifier, which may hold a semicolon, a quote or a
     * comment's start (a table alias without AS too); on PostgreSQL it is a subscript or an array,
     * whose contents are read as any text (a jsonb key with a ']' in it too).
     */
    @Test
    void aBracketIsAnIdentifierOnSqliteAndASubscriptOnPostgres() {
        String table = "CREATE TABLE [order; it's] ([id] INTEGER, [--note] TEXT, [a\nb] TEXT)";
        String insert = "INSERT INTO [order; it's] ([id], [--note]) SELECT t.[id], [x/*y] FROM t AS [t;]";
        String alias = "SELECT a [first; name] FROM t [it's]";
        List<SqlScript.Statement> onSqlite = SqlScript.split(table + ";\n" + insert + ";\n" + alias + ";\nSELECT 1;",
                SQLITE);
        assertEquals(List.of(table, insert, alias, "SELECT 1"), onSqlite.stream().map(SqlScript.Statement::sql).toList());
        assertEquals(List.of(1, 3, 4, 5), onSqlite.stream().map(SqlScript.Statement::line).toList());

        List<String> onPostgres = List.of("SELECT ARRAY[1, 2] || arr[1:2], (ARRAY['a;'])[1], x::int[]",
                "SELECT data['k]'] FROM docs", "SELECT m[2][3]", "SELECT 'end'", "SELECT a [1] FROM t");
        assertEquals(onPostgres, pg(String.join(";\n", onPostgres) + ";"));
    }

    @Test
    void postgresEscapeStringsAndLineNumbers() {
        List<SqlScript.Statement> statements = SqlScript.split("SELECT E'a\\';b';\n\n  SELECT 2;\nSELECT 3", PG);
        assertEquals(List.of("SELECT E'a\\';b'", "SELECT 2", "SELECT 3"),
                statements.stream().map(SqlScript.Statement::sql).toList());
        assertEquals(List.of(1, 3, 4), statements.stream().map(SqlScript.Statement::line).toList());
    }

    @Test
    void emptyScriptsHaveNoStatements() {
        for (SqlScript.Syntax syntax : SqlScript.Syntax.values()) {
            assertEquals(List.of(), split("", syntax));
            assertEquals(List.of(), split(" ;; -- nothing\n/* at all */", syntax));
        }
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
            assertEquals(Optional.of(c[1]), SqlScript.transactionControl(c[0], PG), c[0]);
        }
    }

    @Test
    void savepointsBlocksAndLookalikesAreNoTransactionControl() {
        for (String sql : List.of("ROLLBACK TO SAVEPOINT a", "ROLLBACK TO a", "ROLLBACK TRANSACTION TO SAVEPOINT a",
                "ROLLBACK WORK TO a", "SAVEPOINT a", "RELEASE SAVEPOINT a", "PREPARE q AS SELECT 1", "START",
                "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO log VALUES (1); END",
                "DO $$ BEGIN COMMIT; END $$", "INSERT INTO log (note) VALUES ('COMMIT')", "SELECT 1 -- COMMIT",
                "-- COMMIT\nSELECT 1", "beginning_of_time()", "/* BEGIN */ SELECT 1", "")) {
            // a trigger's BEGIN ... END body is SQLite's, dollar quotes PostgreSQL's
            SqlScript.Syntax syntax = sql.startsWith("CREATE TRIGGER") ? SQLITE : PG;
            assertEquals(Optional.empty(), SqlScript.transactionControl(sql, syntax), sql);
        }
    }

    @Test
    void settingTheForeignKeysPragmaIsRecognisedAndReadingItOrItsNeighboursIsNot() {
        for (String sql : List.of("PRAGMA foreign_keys = OFF", "pragma FOREIGN_KEYS=off", "PRAGMA foreign_keys(0)",
                "-- rebuild\nPRAGMA foreign_keys = 1", "PRAGMA main.foreign_keys = false",
                "/* off */ Pragma Foreign_Keys\n  = ON", "PRAGMA \"foreign_keys\" = OFF", "PRAGMA [foreign_keys] = 0",
                "PRAGMA main.[foreign_keys] = OFF", "PRAGMA 'foreign_keys'=OFF", "PRAGMA \"main\" . `foreign_keys` (0)")) {
            List<SqlScript.Statement> statements = SqlScript.split(sql, SQLITE);
            assertEquals(1, statements.size(), sql);
            assertTrue(statements.get(0).setsForeignKeys(), sql);
            assertTrue(SqlScript.mentionsForeignKeys(sql), sql);
        }
        for (String sql : List.of("PRAGMA foreign_keys", "PRAGMA foreign_key_check", "PRAGMA foreign_key_list(t)",
                "PRAGMA defer_foreign_keys = ON", "PRAGMA main.defer_foreign_keys = ON",
                "SELECT 'PRAGMA foreign_keys = OFF'", "INSERT INTO notes VALUES ('foreign_keys = off')",
                "-- PRAGMA foreign_keys = OFF\nSELECT 1", "-- foreign_keys = OFF first\nPRAGMA cache_size = 100",
                "PRAGMA [defer_foreign_keys] = ON")) {
            assertFalse(SqlScript.split(sql, SQLITE).stream().anyMatch(SqlScript.Statement::setsForeignKeys), sql);
        }
        assertFalse(SqlScript.mentionsForeignKeys("PRAGMA foreign_key_check; SELECT 'foreign keys'"));
        assertFalse(SqlScript.mentionsForeignKeys("_oreign_keys"));
    }

    @Test
    void statementsThatMayChangeASessionSettingOrCreateATemporaryObjectAreRecognised() {
        for (String sql : List.of("SET search_path TO app", "set role app", "SET SESSION statement_timeout = '5s'",
                "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SET lock_timeout = 100",
                "RESET ALL", "DISCARD ALL", "DO $$ BEGIN PERFORM 1; END $$", "CALL setup()",
                "SELECT pg_catalog.SET_CONFIG('search_path', 'x', false)", "-- first\nSET ROLE app",
                "SET LOCAL statement_timeout = '5s'", "CREATE TEMP TABLE staging (id int)",
                "create temporary view v as select 1", "SELECT * INTO TEMP staging FROM t",
                "CREATE TABLE pg_temp.staging (id int)", "CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END",
                "PREPARE ins (int) AS INSERT INTO t VALUES ($1)")) {
            List<SqlScript.Statement> statements = SqlScript.split(sql, sql.contains("TRIGGER") ? SQLITE : PG);
            assertEquals(1, statements.size(), sql);
            assertTrue(statements.get(0).mayChangeSettings(), sql);
        }
        for (String sql : List.of("SET CONSTRAINTS ALL DEFERRED",
                "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "UPDATE t SET role = 'x'",
                "ALTER ROLE app SET search_path TO app", "CREATE TABLE settings (name text)", "SELECT 1",
                "CREATE TABLE t_1 (id int PRIMARY KEY)", "INSERT INTO t_1 VALUES (1)", "tem")) {
            assertFalse(SqlScript.split(sql, PG).get(0).mayChangeSettings(), sql);
        }
    }

    @Test
    void aGolangMigrateStyleFileSplitsIntoItsTransactionStatements() {
        List<SqlScript.Statement> statements = SqlScript.split("BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n", PG);
        assertEquals(List.of(Optional.of("BEGIN"), Optional.empty(), Optional.of("COMMIT")),
                statements.stream().map(st -> SqlScript.transactionControl(st.sql(), PG)).toList());
        assertEquals(List.of(1, 2, 3), statements.stream().map(SqlScript.Statement::line).toList());
    }

    /** pg_dump's plain-text form: COPY ... FROM stdin with its rows after it, up to the end marker. */
    @Test
    void aCopyFromStdinTakesTheLinesAfterItUpToTheEndMarkerAsItsData() {
        String script = "CREATE TABLE q (id int, s text);\n"
                + "COPY public.q (id, s) FROM stdin;\n"
                + "1\ttab\\there\n"
                + "2\tsemi;colon -- not a comment\n"
                + "3\t\\N\r\n"
                + "\\.\r\n"
                + "\n"
                + "SELECT 'after';\n"
                + "copy t from STDIN with (format csv);\n"
                + "1,\"x;y\"\n";
        List<SqlScript.Statement> statements = SqlScript.split(script, PG);
        assertEquals(List.of("CREATE TABLE q (id int, s text)", "COPY public.q (id, s) FROM stdin", "SELECT 'after'",
                "copy t from STDIN with (format csv)"), statements.stream().map(SqlScript.Statement::sql).toList());
        assertEquals("1\ttab\\there\n2\tsemi;colon -- not a comment\n3\t\\N\n", statements.get(1).copyData(),
                "rows as written, line endings as LF, without the end marker");
        assertEquals(8, statements.get(2).line(), "lines are counted through the data");
        assertEquals("1,\"x;y\"\n", statements.get(3).copyData(), "the script's end ends the data too");
        assertFalse(statements.get(0).copyFromStdin());
        assertFalse(SqlScript.split("COPY q TO STDOUT;\nSELECT 1;", PG).get(0).copyFromStdin(), "only FROM STDIN has data");
        assertFalse(SqlScript.split("COPY q FROM '/tmp/q.tsv';\nSELECT 1;", PG).get(0).copyFromStdin());
    }

    /**
     * A line that starts with a backslash is a psql meta-command; pg_dump's restrict and
     * unrestrict lines (written since PostgreSQL 17.6 and the other August 2025 releases) are passed
     * over. A backslash in quotes, a comment or a dollar-quoted body is nothing of the kind.
     */
    @Test
    void psqlMetaCommandsAreStatementsOfTheirOwnAndRestrictLinesArePassedOver() {
        List<SqlScript.Statement> statements = SqlScript.split("--\n-- PostgreSQL database dump\n--\n\n"
                + "\\restrict ljl0NG4jJVaKMJWD3GRoAHR7egX8\n\n"
                + "SELECT E'\n\\\\connect not_a_command';\n"
                + "CREATE FUNCTION f() RETURNS text AS $$\n\\set not_one\n$$ LANGUAGE sql;\n"
                + "/*\n\\i nor_this.sql\n*/\n"
                + "  \\connect other\n"
                + "CREATE TABLE a (id int);\n"
                + "\\unrestrict ljl0NG4jJVaKMJWD3GRoAHR7egX8\n", PG);
        assertEquals(List.of(Optional.empty(), Optional.empty(), Optional.of("\\connect"), Optional.empty()),
                statements.stream().map(SqlScript.Statement::psqlMetaCommand).toList(), statements.toString());
        assertEquals("\\connect other", statements.get(2).sql());
        assertEquals(15, statements.get(2).line());
        assertEquals("CREATE TABLE a (id int)", statements.get(3).sql());
    }

    /**
     * On SQLite a line that starts with a dot where a statement could start is a dot-command of
     * the sqlite3 shell, a statement of its own; a dot that continues a statement, and any dot on
     * PostgreSQL, is text.
     */
    @Test
    void sqliteShellDotCommandsAreStatementsOfTheirOwn() {
        String script = ".bail on\nCREATE TABLE a (id int);\n  .read more.sql\nSELECT t\n.id FROM t;\n";
        List<SqlScript.Statement> statements = SqlScript.split(script, SQLITE);
        assertEquals(List.of(".bail on", "CREATE TABLE a (id int)", ".read more.sql", "SELECT t\n.id FROM t"),
                statements.stream().map(SqlScript.Statement::sql).toList());
        assertEquals(List.of(Optional.of(".bail"), Optional.empty(), Optional.of(".read"), Optional.empty()),
                statements.stream().map(SqlScript.Statement::sqliteDotCommand).toList());
        assertEquals(List.of(1, 2, 3, 4), statements.stream().map(SqlScript.Statement::line).toList());
        assertEquals(List.of(".bail on\nCREATE TABLE a (id int)", ".read more.sql\nSELECT t\n.id FROM t"),
                pg(script));
    }

    /** Flyway's placeholders, where no SQL has them; in quotes, comments, bodies and COPY data they are text. */
    @Test
    void aFlywayPlaceholderOutsideQuotesIsFoundAndTextIsLeftAlone() {
        List<SqlScript.Statement> statements = SqlScript.split("CREATE TABLE ${schema}.t (id int);\n"
                + "SELECT '${quoted}', \"${ident}\" -- ${commented}\n;\n"
                + "CREATE FUNCTION f() RETURNS text AS $$ SELECT '${body}' $$ LANGUAGE sql;\n"
                + "GRANT SELECT ON t TO ${flyway:user};\n"
                + "COPY t FROM stdin;\n${data}\n\\.\n"
                + "SELECT $1, $tag$x$tag$;\n", PG);
        assertEquals(List.of(Optional.of("${schema}"), Optional.empty(), Optional.empty(),
                        Optional.of("${flyway:user}"), Optional.empty(), Optional.empty()),
                statements.stream().map(SqlScript.Statement::placeholderName).toList(), statements.toString());
    }

    /**
     * goose's and dbmate's files hold the down migration beside the up one: only the up section's
     * statements are returned (run after the up one, the down section would undo it), with the
     * file's line numbers; goose's StatementBegin/StatementEnd make one statement.
     */
    @Test
    void onlyTheUpSectionOfAGooseOrDbmateFileIsReturned() {
        List<SqlScript.Statement> goose = SqlScript.split("-- +goose Down\nDROP TABLE early;\n"
                + "-- +goose Up\n"
                + "CREATE TABLE users (id int);\n"
                + "-- +goose StatementBegin\n"
                + "INSERT INTO users VALUES (1); INSERT INTO users VALUES (2);\n"
                + "-- +goose StatementEnd\n"
                + "INSERT INTO users VALUES (3)\n"
                + "-- +goose Down\n"
                + "DROP TABLE users;\n", PG);
        assertEquals(List.of("CREATE TABLE users (id int)", "INSERT INTO users VALUES (1); INSERT INTO users VALUES (2)",
                "INSERT INTO users VALUES (3)"), goose.stream().map(SqlScript.Statement::sql).toList());
        assertEquals(List.of(4, 6, 8), goose.stream().map(SqlScript.Statement::line).toList());

        assertEquals(List.of("CREATE TABLE books (id int)", "CREATE INDEX books_id ON books (id)"),
                pg("-- migrate:up transaction:false\nCREATE TABLE books (id int);\n"
                        + "CREATE INDEX books_id ON books (id);\n\n-- migrate:down\nDROP TABLE books;\n"));
        assertEquals(List.of("SELECT '-- +goose Down'", "-- a comment naming -- +goose Down\nSELECT 2"),
                pg("SELECT '-- +goose Down';\n  -- a comment naming -- +goose Down\nSELECT 2;"),
                "an annotation counts only as a whole comment line, outside quotes");
        assertEquals(List.of("SELECT 1", "SELECT 2"), pg("SELECT 1;\n-- +goose Up\nSELECT 2;\n"),
                "only a down section is left out");
    }

    /** A down section with no up section anywhere, which goose and dbmate refuse, is found with its line. */
    @Test
    void aDownSectionWithoutAnUpSectionIsFoundWithItsLine() {
        assertEquals(java.util.OptionalInt.of(2), SqlScript.downSectionWithoutUp(
                "CREATE TABLE a (id int);\n-- migrate:down is done by hand\nCREATE TABLE b (id int);\n", PG));
        assertEquals(java.util.OptionalInt.of(1), SqlScript.downSectionWithoutUp("-- +goose Down\nDROP TABLE a;\n", SQLITE));
        for (String fine : List.of("-- +goose Down\nDROP TABLE a;\n-- +goose Up\nCREATE TABLE a (id int);\n",
                "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n",
                "SELECT '\n-- migrate:down\n';\n", "CREATE TABLE a (id int);\n", "-- +goose StatementBegin\nSELECT 1;\n")) {
            assertEquals(java.util.OptionalInt.empty(), SqlScript.downSectionWithoutUp(fine, PG), fine);
        }
    }

    @Test
    void placeholderSettingsAreTheDottedNamesAScriptSetsOrResets() {
        assertEquals(java.util.Set.of("myapp.tenant", "myapp.region", "other.flag", "app.user_id", "a.b.c"),
                SqlScript.placeholderSettings("SET myapp.tenant = '42';\nset local \"MyApp\" . Region to 'us';\n"
                        + "SELECT pg_catalog.set_config('other.flag', 'on', false);\n"
                        + "DO $$ BEGIN PERFORM SET_CONFIG ( 'App.User_Id', '7', true); END $$;\n"
                        + "RESET a.b.c;\n"));
        // PostgreSQL's own settings have no dot; a name made at run time is not seen; an UPDATE of
        // a composite column's field looks like one and costs a read.
        assertEquals(java.util.Set.of(), SqlScript.placeholderSettings("SET statement_timeout = 0;\n"
                + "SET search_path TO app;\nSELECT set_config(name, 'x', false) FROM names;\nRESET ALL;\n"
                + "SET SESSION AUTHORIZATION bob;\nSELECT set_config('bad name.x', 'y', false);\n"));
        assertEquals(java.util.Set.of("addr.city"), SqlScript.placeholderSettings("UPDATE t SET addr.city = 'x';"));
        assertEquals(java.util.Set.of("session.x"), SqlScript.placeholderSettings("SET session.x = 1;"));
    }
}
