package dev.ratchet.internal;

import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Scripts made of generated statements split into exactly those statements (with the comments
 * before each), each on the line where it starts, and each statement runs on the database: so the splitter agrees with the database's
 * own parser on where statements end. The statements hold what makes splitting hard: identifiers
 * quoted in every way with a semicolon, a quote or a comment's start inside, string literals of
 * every form with the same inside, {@code CASE ... END}, SQLite triggers on columns named
 * {@code end} and {@code begin} with {@code RAISE} in their bodies, PostgreSQL dollar-quoted and
 * {@code BEGIN ATOMIC} bodies, {@code DO} blocks and rules with several actions, and blanks and
 * comments between statements (nested ones on PostgreSQL); and, for about half the scripts,
 * written as goose's up section with a down section after it, which must not be returned.
 */
class GeneratedScriptsSplitTest {
    /** One statement, with what follows its semicolon up to the next one: blanks and comments. */
    record Piece(String sql, String gap) {
    }

    @Property(tries = 300)
    void aSqliteScriptSplitsIntoItsStatementsAndEachRuns(@ForAll("sqliteScripts") List<Piece> pieces,
                                                         @ForAll boolean asGoose) throws Exception {
        try (TestDatabase db = TestDatabases.sqlite(); Connection c = db.connect()) {
            splitsAndRuns(pieces, SQLITE_TABLE, asGoose, c, SqlScript.Syntax.SQLITE);
        }
    }

    @Property(tries = 300)
    void aPostgresScriptSplitsIntoItsStatementsAndEachRuns(@ForAll("postgresScripts") List<Piece> pieces,
                                                           @ForAll boolean asGoose) throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect()) {
            splitsAndRuns(pieces, POSTGRES_TABLE, asGoose, c, SqlScript.Syntax.POSTGRESQL);
        }
    }

    /**
     * The script of {@code table}'s statement and {@code pieces}, as a migration file has them
     * (as goose's up section, with a down section after it, when {@code asGoose}): split into
     * exactly those statements, each on the line where it starts; then each runs, in one
     * transaction that is rolled back.
     */
    private static void splitsAndRuns(List<Piece> pieces, String table, boolean asGoose, Connection c,
                                      SqlScript.Syntax syntax) throws SQLException {
        List<String> expected = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        StringBuilder script = new StringBuilder(asGoose ? "-- +goose Up\n" : "");
        String before = "";
        for (Piece p : prepend(table, pieces)) {
            lines.add(1 + (int) script.chars().filter(ch -> ch == '\n').count());
            // a statement's text holds the comments before it, which the database passes over
            expected.add((before + p.sql()).strip());
            script.append(p.sql()).append(';').append(p.gap());
            before = p.gap();
        }
        if (asGoose) {
            script.append("\n-- +goose Down\nDROP TABLE t;\n");
        }
        assertTrue(SqlScript.downSectionWithoutUp(script.toString(), syntax).isEmpty(), script.toString());
        List<SqlScript.Statement> split = SqlScript.split(script.toString(), syntax);
        List<String> got = split.stream().map(s -> s.sql().strip()).toList();
        assertEquals(expected, got, "the statements of:\n" + script);
        assertEquals(lines, split.stream().map(SqlScript.Statement::line).toList(), "their lines in:\n" + script);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (SqlScript.Statement s : split) {
                try {
                    st.execute(s.sql());
                } catch (SQLException e) {
                    fail("statement " + s.line() + " does not run (" + e.getMessage() + "): " + s.sql()
                            + "\nin:\n" + script);
                }
            }
        } finally {
            c.rollback();
        }
    }

    private static List<Piece> prepend(String table, List<Piece> pieces) {
        List<Piece> all = new ArrayList<>();
        all.add(new Piece(table, "\n"));
        all.addAll(pieces);
        return all;
    }

    // ------------------------------------------------------------------ SQLite

    /** Columns named to trouble a splitter; {@code end} and {@code begin} bare, as SQLite allows. */
    private static final List<String> SQLITE_COLUMNS = List.of("\"semi;colon\"", "[br;ack]", "`back;tick`",
            "\"q\"\"uote\"", "[it's]", "\"--dash\"", "[/*x]", "end", "begin", "\"case\"");
    private static final String SQLITE_TABLE = "CREATE TABLE t (" + String.join(" TEXT, ", SQLITE_COLUMNS) + " TEXT)";

    private static Arbitrary<String> sqliteLiteral() {
        return Arbitraries.of("'a;b'", "'it''s'", "'--x'", "'/*y'", "'end'", "'BEGIN'", "';'", "''", "'['", "']'",
                "x'00ff'", "'END;'");
    }

    /** A column of t, bare (in a statement on t) or, in a trigger, as NEW.column. */
    private static Arbitrary<String> sqliteColumn(boolean bare, boolean asNew) {
        Arbitrary<String> quotedBare = Arbitraries.of(SQLITE_COLUMNS).filter(n -> !n.equals("end") && !n.equals("begin"));
        Arbitrary<String> newColumn = Arbitraries.of(SQLITE_COLUMNS).map(n -> "NEW." + n);
        return bare && asNew ? Arbitraries.oneOf(quotedBare, newColumn) : bare ? quotedBare : newColumn;
    }

    private static Arbitrary<String> sqliteExpression(int depth, Arbitrary<String> column) {
        Arbitrary<String> number = Arbitraries.integers().between(0, 99).map(String::valueOf);
        return expression(depth, column == null ? Arbitraries.oneOf(number, sqliteLiteral())
                : Arbitraries.oneOf(number, sqliteLiteral(), column), "", Arbitraries.of("=", "<>", "||", "+", "AND", "<", "/"));
    }

    /**
     * Expressions of {@code leaf} up to {@code depth} deep: {@code CASE WHEN x}{@code condition} ...
     * {@code END}, a binary operator, coalesce and a scalar subquery.
     */
    private static Arbitrary<String> expression(int depth, Arbitrary<String> leaf, String condition,
                                                Arbitrary<String> operators) {
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> sub = expression(depth - 1, leaf, condition, operators);
        return Arbitraries.frequencyOf(
                Tuple.of(3, leaf),
                Tuple.of(1, Combinators.combine(sub, sub, sub).as((a, b, e) -> "CASE WHEN " + a + condition + " THEN " + b
                        + " ELSE " + e + " END")),
                Tuple.of(1, Combinators.combine(sub, operators, sub).as((a, op, b) -> "(" + a + " " + op + " " + b + ")")),
                Tuple.of(1, Combinators.combine(sub, sub).as((a, b) -> "coalesce(" + a + ", " + b + ")")),
                Tuple.of(1, sub.map(a -> "(SELECT " + a + ")")));
    }

    /** Blanks and comments, with what ends a statement or opens a quote inside the comments; SQLite's do not nest. */
    private static Arbitrary<String> sqliteGap() {
        return Arbitraries.of(" ", "\n", "\n\n", " /* ; it's */ ", " -- ; it's END;\n", "\t", "\n-- [x;\n",
                "\n/* was: /* $$ [ */\n");
    }

    private static Arbitrary<String> sqliteTrigger() {
        Arbitrary<String> inBody = sqliteExpression(2, sqliteColumn(true, true));
        Arbitrary<String> noFrom = sqliteExpression(2, sqliteColumn(false, true));
        Arbitrary<String> bodyStatement = Arbitraries.oneOf(
                Combinators.combine(noFrom, sqliteLiteral().filter(l -> !l.startsWith("x")))
                        .as((e, l) -> "SELECT CASE WHEN " + e + " THEN RAISE(ABORT, " + l + ") END;"),
                Combinators.combine(Arbitraries.of(SQLITE_COLUMNS), inBody)
                        .as((col, e) -> "UPDATE t SET " + col + " = " + e + " WHERE 0;"),
                Combinators.combine(Arbitraries.of(SQLITE_COLUMNS), inBody)
                        .as((col, e) -> "INSERT INTO t (" + col + ") SELECT " + e + " FROM t WHERE 0;"),
                inBody.map(e -> "SELECT " + e + " FROM t WHERE 0;"));
        Arbitrary<String> body = Combinators.combine(bodyStatement.list().ofMinSize(1).ofMaxSize(3), sqliteGap())
                .as((statements, gap) -> String.join(gap, statements));
        Arbitrary<String> event = Arbitraries.oneOf(Arbitraries.just("INSERT"), Arbitraries.just("UPDATE"),
                Arbitraries.of(SQLITE_COLUMNS).map(col -> "UPDATE OF " + col));
        Arbitrary<String> when = Arbitraries.oneOf(Arbitraries.just(""), noFrom.map(e -> " WHEN " + e));
        return Combinators.combine(Arbitraries.of("BEFORE", "AFTER"), event, when, Arbitraries.of("BEGIN", "begin"),
                        body, sqliteGap(), Arbitraries.of("END", "end"))
                .as((time, ev, w, begin, b, gap, end) -> "CREATE TRIGGER tr# " + time + " " + ev + " ON t" + w
                        + gap + begin + gap + b + gap + end);
    }

    @Provide
    Arbitrary<List<Piece>> sqliteScripts() {
        Arbitrary<String> onT = sqliteExpression(2, sqliteColumn(true, false));
        Arbitrary<String> statement = Arbitraries.oneOf(
                sqliteTrigger(),
                Combinators.combine(Arbitraries.of(SQLITE_COLUMNS), onT)
                        .as((col, e) -> "INSERT INTO t (" + col + ") SELECT " + e + " FROM t WHERE 0"),
                Combinators.combine(onT, Arbitraries.of(SQLITE_COLUMNS))
                        .as((e, col) -> "CREATE VIEW v# AS SELECT " + e + " AS " + col + " FROM t"),
                Combinators.combine(onT, Arbitraries.of("[first; name]", "[it's]", "[--x]"))
                        .as((e, alias) -> "SELECT " + e + " " + alias + " FROM t " + alias.replace("]", "2]")
                                + " WHERE 0"),
                Combinators.combine(Arbitraries.of(SQLITE_COLUMNS), onT)
                        .as((col, e) -> "UPDATE t SET " + col + " = " + e + " WHERE " + e + " IS NULL"));
        return pieces(statement, sqliteGap());
    }

    // ------------------------------------------------------------------ PostgreSQL

    private static final List<String> POSTGRES_COLUMNS = List.of("\"semi;colon\"", "\"q\"\"uote\"", "\"--dash\"",
            "\"/*x\"", "\"end\"", "\"begin\"", "\"case\"", "\"$$\"", "\"it's\"", "\"[br]\"", "plain");
    private static final String POSTGRES_TABLE = "CREATE TABLE t (" + String.join(" text, ", POSTGRES_COLUMNS) + " text)";

    /** Text values: every form of string, arrays and jsonb with their brackets; none holds $body$, $fn$ or $do$. */
    private static Arbitrary<String> postgresText() {
        return Arbitraries.of("'a;b'", "'it''s'", "'--x'", "'/*y'", "E'it\\'s;'", "E'\\\\'", "$$a;b$$",
                "$q$x ; $$ y$q$", "U&'d\\0061t;'", "''", "'['", "e'\\n;'", "$_$;$_$", "'$$'", "'END;'",
                "('{\"k;\": 1}'::jsonb ->> 'k;')", "(ARRAY['a;'])[1]", "('{1,2}'::int[])::text",
                "('{}'::jsonb ? 'x')::text", "(1 <> 2)::text", "NULL::text", "(('{\"k]\": \"a;\"}'::jsonb)['k]'])::text");
    }

    private static Arbitrary<String> postgresExpression(int depth, boolean columns) {
        return expression(depth, columns ? Arbitraries.oneOf(postgresText(), Arbitraries.of(POSTGRES_COLUMNS))
                : postgresText(), " IS NULL", Arbitraries.just("||"));
    }

    /** Blanks and comments; PostgreSQL's block comments nest. */
    private static Arbitrary<String> postgresGap() {
        return Arbitraries.of(" ", "\n", "\n\n", " /* ; c /* nested ; it's */ $$ */ ", " -- ; it's $$\n", "\t",
                "\n-- END;\n");
    }

    @Provide
    Arbitrary<List<Piece>> postgresScripts() {
        Arbitrary<String> free = postgresExpression(2, false);
        Arbitrary<String> onT = postgresExpression(2, true);
        Arbitrary<String> gap = postgresGap();
        Arbitrary<String> statement = Arbitraries.oneOf(
                Combinators.combine(onT, Arbitraries.of(POSTGRES_COLUMNS))
                        .as((e, col) -> "SELECT " + e + " AS " + col + " FROM t"),
                Combinators.combine(Arbitraries.of("$body$", "$fn$"), free, gap)
                        .as((tag, e, g) -> "CREATE FUNCTION f#() RETURNS text LANGUAGE plpgsql AS " + tag + g + "BEGIN"
                                + g + "RETURN " + e + ";" + g + "END;" + g + tag),
                Combinators.combine(free, gap).as((e, g) -> "CREATE FUNCTION f#() RETURNS text LANGUAGE sql BEGIN"
                        + " ATOMIC" + g + "SELECT " + e + ";" + g + "END"),
                Combinators.combine(free, free, gap).as((a, b, g) -> "CREATE PROCEDURE p#() LANGUAGE sql BEGIN ATOMIC"
                        + g + "SELECT " + a + ";" + g + "SELECT CASE WHEN true THEN " + b + " END;" + g + "END"),
                Combinators.combine(free, gap).as((e, g) -> "DO $do$" + g + "BEGIN PERFORM " + e + "; END" + g
                        + "$do$"),
                Combinators.combine(free, gap).as((e, g) -> "CREATE RULE r# AS ON UPDATE TO t DO ALSO (SELECT 1;" + g
                        + "SELECT " + e + ")"),
                Arbitraries.of("'a;b'", "E'c\\';'", "$$d;$$", "U&'e;'").map(l -> "COMMENT ON TABLE t IS " + l),
                Combinators.combine(onT, Arbitraries.of(POSTGRES_COLUMNS))
                        .as((e, col) -> "CREATE VIEW v# AS SELECT " + e + " AS " + col + " FROM t"));
        return pieces(statement, gap);
    }

    /** One to six statements, {@code #} in each replaced by its index, each with a gap after it. */
    private static Arbitrary<List<Piece>> pieces(Arbitrary<String> statement, Arbitrary<String> gap) {
        return Combinators.combine(statement, gap).as(Piece::new).list().ofMinSize(1).ofMaxSize(6).map(list -> {
            List<Piece> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(new Piece(list.get(i).sql().replace("#", Integer.toString(i)), list.get(i).gap()));
            }
            return out;
        });
    }
}
