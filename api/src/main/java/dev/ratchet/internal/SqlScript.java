package dev.ratchet.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits an SQL script into statements so that each runs (and fails) on its own: a failure
 * names the statement and its line, and non-transactional statements such as
 * {@code CREATE INDEX CONCURRENTLY} are not wrapped in an implicit transaction block. (A body
 * that runs in a transaction may still be sent as one batch of these statements: see
 * {@link DatabaseDialect#runInTransaction}.)
 *
 * <p>It reads a script as its database's own parser does ({@link Syntax}): single-quoted
 * strings (with {@code ''}, and PostgreSQL's {@code E'\''}), quoted identifiers (SQLite's
 * {@code [bracketed]} ones too), {@code --} and {@code /* *}{@code /} comments (nested on
 * PostgreSQL, not on SQLite), PostgreSQL dollar quoting, the {@code BEGIN ... END} body of a
 * SQLite {@code CREATE TRIGGER} (which ends, as in SQLite's sqlite3_complete(), at the
 * {@code END} right after a semicolon, whatever {@code CASE} or column named end came before),
 * PostgreSQL's {@code CREATE FUNCTION ... BEGIN ATOMIC} (with {@code CASE ... END} inside it, as
 * psql counts them), and parentheses, inside which a semicolon ends nothing (as in psql:
 * {@code CREATE RULE ... DO ALSO (INSERT ...; INSERT ...)}).
 */
public final class SqlScript {
    /**
     * One statement of a script.
     *
     * @param sql        the statement text, without the terminating semicolon
     * @param line       the 1-based line on which it starts
     * @param firstWords its first three words at most, upper-cased (comments and quoted text skipped)
     * @param copyData   the data lines of a {@code COPY ... FROM STDIN} (see {@link #copyFromStdin}), else null
     * @param placeholder its first Flyway placeholder (see {@link #placeholderName}), else null
     */
    public record Statement(String sql, int line, List<String> firstWords, String copyData, String placeholder) {
        private static final java.util.regex.Pattern SETS_FOREIGN_KEYS =
                java.util.regex.Pattern.compile("(?is)^(?:\\s|--[^\\n]*(?:\\n|$)|/\\*.*?\\*/)*PRAGMA\\s+"
                        + "(?:[\\w\"'`\\[\\]]+\\s*\\.\\s*)?[\"'`\\[]?foreign_keys[\"'`\\]]?\\s*[=(]");

        /** A statement with no COPY data and no placeholder. */
        public Statement(String sql, int line, List<String> firstWords) {
            this(sql, line, firstWords, null, null);
        }

        /**
         * The first placeholder of this statement, as Flyway writes them ({@code ${schema}},
         * {@code ${flyway:user}}), outside quotes, comments and dollar-quoted bodies, where no SQL
         * has it; if any. Ratchet replaces none: the database would see a syntax error.
         */
        public java.util.Optional<String> placeholderName() {
            return java.util.Optional.ofNullable(placeholder);
        }

        /**
         * Whether this is a {@code COPY ... FROM STDIN} whose data followed it in the script, as
         * pg_dump writes it (up to a line <code>&#92;.</code>): {@link #copyData} holds that data, a line
         * each, and the statement runs through the driver's COPY protocol, not as plain SQL.
         */
        public boolean copyFromStdin() {
            return copyData != null;
        }

        /**
         * The sqlite3 shell's dot-command this line is ({@code .read}, {@code .bail},
         * {@code .mode} ...), if it is one: on SQLite, a line that starts with a dot where a
         * statement could start. Only the sqlite3 shell runs them; the database would see a syntax
         * error.
         */
        public java.util.Optional<String> sqliteDotCommand() {
            return sql.startsWith(".") ? java.util.Optional.of(firstWordOf(sql)) : java.util.Optional.empty();
        }

        /** The first word of {@code command}: up to its first blank. */
        private static String firstWordOf(String command) {
            int end = 1;
            while (end < command.length() && !Character.isWhitespace(command.charAt(end))) {
                end++;
            }
            return command.substring(0, end);
        }

        /**
         * The psql meta-command this line is (<code>&#92;connect</code>, <code>&#92;set</code>, <code>&#92;i</code> ...),
         * if it is one: a line of the script that starts with a backslash, outside quotes and
         * comments. Only psql runs them; the database would see a syntax error. (pg_dump's
         * <code>&#92;restrict</code> and <code>&#92;unrestrict</code> lines are not statements: see {@link #split}.)
         */
        public java.util.Optional<String> psqlMetaCommand() {
            return sql.startsWith("\\") ? java.util.Optional.of(firstWordOf(sql)) : java.util.Optional.empty();
        }

        /**
         * Whether this statement may change a setting that outlives it, in the session or, for
         * {@code SET LOCAL}, in a chain transaction the migrations after it share: {@code SET}
         * (not {@code SET CONSTRAINTS} or {@code SET TRANSACTION}, which concern this transaction
         * only), {@code RESET}, {@code DISCARD}, a {@code set_config}
         * call, {@code DO} blocks and {@code CALL}s, whose code Ratchet does not read, and SQLite's
         * {@code PRAGMA name = value} and {@code PRAGMA name(value)}; or may create a temporary
         * table, view, sequence or trigger, which outlives its transaction in the session too (any
         * other statement with "temp" in it: {@code CREATE TEMP TABLE}, {@code SELECT ... INTO
         * TEMP}, {@code pg_temp.}), a prepared statement ({@code PREPARE}) or an attached SQLite database
         * ({@code ATTACH}). A function called by a plain {@code SELECT} may do either too,
         * unseen: the session is put back as it was at the end of the run whatever ran.
         */
        public boolean mayChangeSettings() {
            if (firstWords.isEmpty()) {
                return false;
            }
            String second = firstWords.size() > 1 ? firstWords.get(1) : "";
            return switch (firstWords.get(0)) {
                case "SET" -> !(second.equals("CONSTRAINTS") || second.equals("TRANSACTION"));
                case "RESET", "DISCARD", "DO", "CALL", "PREPARE", "ATTACH" -> true;
                case "PRAGMA" -> sql.indexOf('=') >= 0 || sql.indexOf('(') >= 0;
                default -> containsIgnoringCase(sql, "set_config") || mentionsTemp(sql);
            };
        }

        /**
         * Whether this statement sets SQLite's {@code foreign_keys} pragma
         * ({@code PRAGMA foreign_keys = OFF}, {@code PRAGMA foreign_keys(1)}), which SQLite
         * ignores inside a transaction. Reading it ({@code PRAGMA foreign_keys}) is not setting it.
         */
        public boolean setsForeignKeys() {
            return !firstWords.isEmpty() && firstWords.get(0).equals("PRAGMA") && SETS_FOREIGN_KEYS.matcher(sql).find();
        }

        /**
         * The transaction-control command this statement is, if any: {@code BEGIN},
         * {@code START TRANSACTION}, {@code COMMIT}, {@code END}, {@code ABORT}, {@code ROLLBACK}
         * (not {@code ROLLBACK TO} a savepoint) or {@code PREPARE TRANSACTION}, as written (its
         * first words). A statement's first word decides: {@code BEGIN} and {@code END} of a
         * trigger or function body are inside their {@code CREATE} statement, and a PL/pgSQL
         * block inside its {@code DO} or dollar quotes.
         */
        public java.util.Optional<String> transactionControl() {
            if (firstWords.isEmpty()) {
                return java.util.Optional.empty();
            }
            String first = firstWords.get(0);
            String second = firstWords.size() > 1 ? firstWords.get(1) : "";
            return switch (first) {
                case "BEGIN", "COMMIT", "END", "ABORT" -> java.util.Optional.of(first);
                case "START", "PREPARE" -> second.equals("TRANSACTION")
                        ? java.util.Optional.of(first + " TRANSACTION") : java.util.Optional.empty();
                case "ROLLBACK" -> {
                    String next = second.equals("WORK") || second.equals("TRANSACTION")
                            ? (firstWords.size() > 2 ? firstWords.get(2) : "") : second;
                    yield next.equals("TO") ? java.util.Optional.empty() : java.util.Optional.of(first);
                }
                default -> java.util.Optional.empty();
            };
        }
    }

    /**
     * Whose lexical rules a script follows. They differ where a script valid for one database
     * would be split wrongly by the other's: a {@code /*} inside a block comment opens a nested
     * one on PostgreSQL and is text on SQLite; {@code [x]} is an identifier on SQLite and a
     * subscript on PostgreSQL; {@code $tag$ ... $tag$}, {@code E'...'} and {@code BEGIN ATOMIC}
     * are PostgreSQL's, a trigger's {@code BEGIN ... END} body SQLite's.
     */
    public enum Syntax {
        POSTGRESQL, SQLITE
    }

    private SqlScript() {
    }

    /** The patterns of {@link #placeholderSettings}, compiled the first time a script needs them. */
    private static final class Placeholders {
        /** A part of a setting's name: a plain or double-quoted identifier. */
        static final String NAME_PART = "(?:\"[^\"\\r\\n]+\"|[A-Za-z_][A-Za-z0-9_$]*)";

        /**
         * {@code SET [SESSION | LOCAL] a.b {TO | =}} and {@code RESET a.b}: a dotted name, which only a
         * placeholder (custom) setting has.
         */
        static final java.util.regex.Pattern SETS_PLACEHOLDER = java.util.regex.Pattern.compile(
                "(?i)\\b(?:SET\\s+(?:SESSION\\s+|LOCAL\\s+)?(" + NAME_PART + "(?:\\s*\\.\\s*" + NAME_PART
                        + ")+)\\s*(?:=|TO\\b)|RESET\\s+(" + NAME_PART + "(?:\\s*\\.\\s*" + NAME_PART + ")+))");

        /** {@code set_config('a.b', ...}: its name given as a string literal. */
        static final java.util.regex.Pattern SET_CONFIG = java.util.regex.Pattern.compile(
                "(?i)\\bset_config\\s*\\(\\s*'((?:[^']|'')+)'");

        /** A placeholder setting's name as the server keeps it: dotted identifiers, folded to lower case. */
        static final java.util.regex.Pattern PLACEHOLDER_NAME = java.util.regex.Pattern.compile(
                "[a-z_][a-z0-9_$]*(?:\\.[a-z_][a-z0-9_$]*)+");
    }

    /**
     * Whether {@code sql} may name a placeholder setting ({@link #placeholderSettings}): a cheap
     * test, as every statement of a Java body takes it. It has the letters {@code set}, in any case.
     */
    public static boolean mayNamePlaceholders(String sql) {
        for (int i = 0, last = sql.length() - 3; i <= last; i++) {
            char c = sql.charAt(i);
            if ((c == 's' || c == 'S') && sql.regionMatches(true, i, "set", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The placeholder settings ({@code myapp.tenant}: a dotted name, which PostgreSQL's core
     * settings do not have, and which {@code pg_settings} does not list) that {@code script} may
     * set or reset, by name in lower case: wherever its text has {@code SET a.b =}, {@code SET a.b
     * TO}, {@code RESET a.b} or {@code set_config('a.b', ...)}, in a statement or in a function or
     * {@code DO} body, or in a comment (a name too many costs one read). A name made at run time
     * ({@code set_config(name, ...)}) is not seen.
     */
    public static java.util.Set<String> placeholderSettings(String script) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.regex.Matcher set = Placeholders.SETS_PLACEHOLDER.matcher(script);
        while (set.find()) {
            addPlaceholder(set.group(1) != null ? set.group(1) : set.group(2), names);
        }
        java.util.regex.Matcher config = Placeholders.SET_CONFIG.matcher(script);
        while (config.find()) {
            addPlaceholder(config.group(1).replace("''", "'"), names);
        }
        return names;
    }

    private static void addPlaceholder(String written, java.util.Set<String> names) {
        StringBuilder name = new StringBuilder();
        for (String part : written.split("\\.", -1)) {
            String p = part.strip();
            if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
                p = p.substring(1, p.length() - 1);
            }
            name.append(name.length() == 0 ? "" : ".").append(p.toLowerCase(Locale.ROOT));
        }
        if (Placeholders.PLACEHOLDER_NAME.matcher(name).matches()) {
            names.add(name.toString());
        }
    }

    /**
     * Whether {@code script} has the word {@code foreign_keys} anywhere, in any case: a cheap
     * test before splitting it to find a statement that {@link Statement#setsForeignKeys() sets}
     * that pragma.
     */
    public static boolean mentionsForeignKeys(String script) {
        return containsIgnoringCase(script, "foreign_keys");
    }

    /**
     * Whether {@code script} may hold no statement at all: a cheap test before splitting it to
     * find out. A script with a letter or digit and no comment, no backslash (pg_dump's passed-over
     * lines) and no section annotation has a statement; any other may not.
     */
    public static boolean mayHaveNoStatement(String script) {
        if (script.contains("--") || script.contains("/*") || script.indexOf('\\') >= 0) {
            return true;
        }
        for (int i = 0; i < script.length(); i++) {
            if (Character.isLetterOrDigit(script.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} contains "temp" in any case (TEMP, TEMPORARY, pg_temp). */
    private static boolean mentionsTemp(String text) {
        for (int i = 0, n = text.length() - 3; i < n; i++) {
            char c = text.charAt(i);
            if ((c == 't' || c == 'T') && text.regionMatches(true, i, "temp", 0, 4)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} contains {@code word} (which has an underscore), in any case. */
    private static boolean containsIgnoringCase(String text, String word) {
        int underscore = word.indexOf('_');
        for (int i = text.indexOf('_', underscore); i >= 0; i = text.indexOf('_', i + 1)) {
            if (text.regionMatches(true, i - underscore, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The statements of {@code script}, in order; empty and comment-only pieces are dropped.
     *
     * <p>Two things psql understands are recognized, as they come in pg_dump's output: a
     * {@code COPY ... FROM STDIN} statement takes the lines after it, up to a line <code>&#92;.</code>
     * (or the end), as its {@link Statement#copyData data}; and a line that starts with a
     * backslash is a psql meta-command, a statement of its own ({@link Statement#psqlMetaCommand}),
     * except <code>&#92;restrict</code> and <code>&#92;unrestrict</code>, which pg_dump writes around every
     * plain-text dump since PostgreSQL 17.6, 16.10, 15.14, 14.19 and 13.22: they only switch psql's
     * meta-commands off and on, there are none here, and they are passed over like comments.
     *
     * <p>A file written for goose or dbmate holds its up and down migrations in one file, in
     * sections their annotations open ({@code -- +goose Up} / {@code -- +goose Down},
     * {@code -- migrate:up} / {@code -- migrate:down}): the statements of a down section, up to
     * the next up section, are not returned, so that the down migration never runs after the up
     * one. goose's
     * {@code -- +goose StatementBegin} ... {@code -- +goose StatementEnd} makes one statement of
     * the lines between them, whatever their semicolons. Line numbers stay the file's.
     */
    public static List<Statement> split(String script, Syntax syntax) {
        return split(script, syntax, new int[1]);
    }

    /**
     * The line of a goose or dbmate annotation that opens a down section ({@code -- +goose Down},
     * {@code -- migrate:down}) in a script where no annotation opens an up section, if there is
     * one. goose and dbmate refuse such a file; split, it would run none of the statements after
     * that line, and all of them when the line is a plain comment that happens to start like the
     * annotation.
     */
    public static java.util.OptionalInt downSectionWithoutUp(String script, Syntax syntax) {
        if (!script.contains("-- +goose") && !script.contains("-- migrate:")) {
            return java.util.OptionalInt.empty();
        }
        int[] sections = new int[1];
        split(script, syntax, sections);
        return sections[0] > 0 ? java.util.OptionalInt.of(sections[0]) : java.util.OptionalInt.empty();
    }

    /**
     * {@link #split}, setting {@code downWithoutUp[0]} to the line of the first annotation that
     * opens a down section, or to 0 when there is none or an annotation opens an up section.
     */
    private static List<Statement> split(String script, Syntax syntax, int[] downWithoutUp) {
        boolean postgres = syntax == Syntax.POSTGRESQL;
        int firstDown = 0;
        boolean up = false;
        List<Statement> all = new ArrayList<>();
        String s = script.startsWith("\uFEFF") ? script.substring(1) : script;
        // goose's and dbmate's sections: the statements of a down section are lexed, not returned
        boolean sections = s.contains("-- +goose") || s.contains("-- migrate:");
        boolean verbatim = false;        // between goose's StatementBegin and StatementEnd
        List<Statement> out = all;
        int n = s.length();
        int start = 0;
        int line = 1;
        Piece piece = new Piece(syntax);
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
                i++;
                continue;
            }
            if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                int commentStart = i;
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
                Section marker = sections && atLineStart(s, commentStart)
                        ? Section.of(s.substring(commentStart, i)) : null;
                if (marker != null) {
                    // A section's edge ends the statement before it, as the tools themselves do.
                    if (piece.significant) {
                        String sql = s.substring(start, commentStart).strip();
                        if (marker == Section.STATEMENT_END && sql.endsWith(";")) {
                            sql = sql.substring(0, sql.length() - 1).strip();
                        }
                        out.add(piece.statement(sql, null));
                    }
                    piece.reset();
                    start = i;
                    switch (marker) {
                        case UP -> {
                            out = all;
                            up = true;
                        }
                        case DOWN -> {
                            out = new ArrayList<>();
                            firstDown = firstDown == 0 ? line : firstDown;
                        }
                        case STATEMENT_BEGIN -> verbatim = true;
                        case STATEMENT_END -> verbatim = false;
                        default -> {
                        }
                    }
                }
                continue;
            }
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int commentLine = line;
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    char d = s.charAt(i);
                    if (d == '\n') {
                        line++;
                    }
                    if (postgres && d == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                        depth++; // PostgreSQL's block comments nest; SQLite's end at the first */
                        i += 2;
                    } else if (d == '*' && i + 1 < n && s.charAt(i + 1) == '/') {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
                if (depth > 0 && postgres && !piece.significant) {
                    // Unterminated: PostgreSQL refuses it, so the text goes to the server to say so,
                    // rather than being dropped as a comment (SQLite ends a comment at the end of input).
                    piece.significant = true;
                    piece.startLine = commentLine;
                }
                continue;
            }
            if (c == '.' && !postgres && !piece.significant && atLineStart(s, i)) {
                // The sqlite3 shell's dot-command (.read, .bail, .mode ...): a line of its own where
                // a statement could start, which no SQL does with a dot. A statement of its own.
                int eol = s.indexOf('\n', i);
                eol = eol < 0 ? n : eol;
                out.add(new Statement(s.substring(i, eol).strip(), line, List.of()));
                i = eol;
                start = eol;
                continue;
            }
            if (c == '\\' && atLineStart(s, i)) {
                int eol = s.indexOf('\n', i);
                eol = eol < 0 ? n : eol;
                String meta = s.substring(i, eol).strip();
                if (piece.significant) {
                    // psql would run it before the statement it interrupts is complete; the
                    // script is refused for it anyway, so the statement simply ends here
                    out.add(piece.statement(s.substring(start, i).strip(), null));
                    piece.reset();
                }
                String command = meta.split("\\s", 2)[0];
                if (!command.equals("\\restrict") && !command.equals("\\unrestrict")) {
                    out.add(new Statement(meta, line, List.of()));
                }
                i = eol;
                start = eol;
                continue;
            }
            if (!piece.significant && !Character.isWhitespace(c) && c != ';') {
                piece.significant = true;
                piece.startLine = line;
            }
            if (c == '[' && !postgres) {
                // SQLite's [identifier], as in MS Access and SQL Server: it runs to the first ']'
                int close = s.indexOf(']', i + 1);
                int end = close < 0 ? n : close + 1;
                line += countNewlines(s, i, end);
                i = end;
                piece.token(']');
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                boolean backslashEscapes = postgres && c == '\'' && i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e')
                        && (i < 2 || !isWordChar(s.charAt(i - 2)));
                i++;
                while (i < n) {
                    char d = s.charAt(i);
                    if (d == '\n') {
                        line++;
                    }
                    if (backslashEscapes && d == '\\') {
                        i += 2;
                        continue;
                    }
                    if (d == c) {
                        if (i + 1 < n && s.charAt(i + 1) == c) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i++;
                }
                i++;
                piece.token(c);
                continue;
            }
            if (c == '$' && i + 1 < n && s.charAt(i + 1) == '{') {
                int close = s.indexOf('}', i + 2);
                int newline = s.indexOf('\n', i + 2);
                if (piece.placeholder == null && close > 0 && (newline < 0 || close < newline)) {
                    piece.placeholder = s.substring(i, close + 1);
                }
            }
            if (postgres && c == '$' && (i == 0 || !isWordChar(s.charAt(i - 1)))) {
                int tagEnd = i + 1;
                while (tagEnd < n && (Character.isLetterOrDigit(s.charAt(tagEnd)) || s.charAt(tagEnd) == '_')
                        && !(tagEnd == i + 1 && Character.isDigit(s.charAt(tagEnd)))) {
                    tagEnd++;
                }
                if (tagEnd < n && s.charAt(tagEnd) == '$') {
                    String tag = s.substring(i, tagEnd + 1);
                    int close = s.indexOf(tag, tagEnd + 1);
                    int end = close < 0 ? n : close + tag.length();
                    line += countNewlines(s, i, end);
                    i = end;
                    piece.token('$');
                    continue;
                }
            }
            if (isWordStart(c) && (i == 0 || !isWordChar(s.charAt(i - 1)))) {
                int j = i;
                while (j < n && isWordChar(s.charAt(j))) {
                    j++;
                }
                piece.word(s.substring(i, j).toUpperCase(Locale.ROOT), s, j);
                i = j;
                continue;
            }
            if (c == '(') {
                piece.parenDepth++;
            } else if (c == ')' && piece.parenDepth > 0) {
                piece.parenDepth--;
            }
            if (c == ';' && piece.endsAtSemicolon() && !verbatim) {
                if (piece.significant) {
                    String sql = s.substring(start, i).strip();
                    if (!piece.firstWords.isEmpty() && piece.firstWords.get(0).equals("COPY") && COPY_FROM_STDIN.matcher(sql).find()) {
                        // The data starts on the next line and ends at a line "\." (or the script's end).
                        int dataStart = s.indexOf('\n', i);
                        dataStart = dataStart < 0 ? n : dataStart + 1;
                        StringBuilder data = new StringBuilder();
                        int at = dataStart;
                        while (at < n) {
                            int eol = s.indexOf('\n', at);
                            int next = eol < 0 ? n : eol + 1;
                            String row = s.substring(at, eol < 0 ? n : eol);
                            if (row.endsWith("\r")) {
                                row = row.substring(0, row.length() - 1);
                            }
                            at = next;
                            if (row.equals("\\.")) {
                                break;
                            }
                            data.append(row).append('\n');
                        }
                        out.add(piece.statement(sql, data.toString()));
                        line += countNewlines(s, i, at);
                        i = at;
                        start = at;
                        piece.reset();
                        continue;
                    }
                    out.add(piece.statement(sql, null));
                }
                start = i + 1;
                piece.reset();
            } else if (!Character.isWhitespace(c)) {
                piece.token(c);
            }
            i++;
        }
        if (piece.significant) {
            out.add(piece.statement(s.substring(start).strip(), null));
        }
        downWithoutUp[0] = up ? 0 : firstDown;
        return all;
    }

    /**
     * The first transaction-control command among the statements of {@code sql}, if any (see
     * {@link Statement#transactionControl()}).
     */
    public static java.util.Optional<String> transactionControl(String sql, Syntax syntax) {
        for (Statement st : split(sql, syntax)) {
            java.util.Optional<String> command = st.transactionControl();
            if (command.isPresent()) {
                return command;
            }
        }
        return java.util.Optional.empty();
    }

    /** What {@link #split} knows of the statement it is reading. */
    private static final class Piece {
        /** Words after which a BEGIN is a column named begin, not a trigger's body: UPDATE OF begin, WHEN begin > 0 ... */
        private static final java.util.Set<String> OPERAND_BEFORE = java.util.Set.of(
                "OF", "ON", "WHEN", "AND", "OR", "NOT", "IS", "LIKE", "GLOB", "BETWEEN", "IN", "THEN", "ELSE", "CASE");
        /** The characters of operators, after which an identifier or an expression comes. */
        private static final String OPERATORS = "=<>!+-*/%|&~";
        /** Whose script this is: SQLite's trigger bodies, PostgreSQL's BEGIN ATOMIC. */
        private final Syntax syntax;
        /** Something besides blanks and comments was read. */
        boolean significant;
        /** The line the statement starts on. */
        int startLine = 1;
        /** Its words so far (all of them are counted; the first three are kept). */
        int words;
        final List<String> firstWords = new ArrayList<>(3);
        /** It starts with CREATE, and with CREATE [TEMP|TEMPORARY] TRIGGER. */
        boolean create;
        boolean trigger;
        /** The body of BEGIN ATOMIC, and CASE ... END inside it: a semicolon there ends nothing. */
        int blockDepth;
        /**
         * In the BEGIN ... END body of a trigger (SQLite's), which ends, as SQLite's own
         * sqlite3_complete() has it, at the semicolon after an END that comes straight after a
         * semicolon; {@code triggerEnd} once that END is read.
         */
        boolean triggerBody;
        boolean triggerEnd;
        /**
         * The last token read: a word's first letter upper-cased, a quote or {@code $} for quoted text, else the
         * character itself (0 for none); and the word, if it was one.
         */
        char previous;
        String previousWord;
        /** Open parentheses: a semicolon inside them ends nothing (CREATE RULE ... DO (a; b)). */
        int parenDepth;
        /** Its first Flyway placeholder. */
        String placeholder;

        Piece(Syntax syntax) {
            this.syntax = syntax;
        }

        /**
         * A word of the statement, upper-cased; {@code end} is where it ends in {@code script}.
         * Only a trigger's BEGIN and PostgreSQL's BEGIN ATOMIC open a body: a column or alias
         * named begin (CREATE TABLE periods (begin date, ...)) is a word like any other.
         */
        void word(String word, String script, int end) {
            if (words == 0) {
                create = word.equals("CREATE");
            }
            if (create && syntax == Syntax.SQLITE && word.equals("TRIGGER") && words <= 3) {
                trigger = true; // CREATE [TEMP | TEMPORARY] TRIGGER: its body is SQLite's
            }
            words++;
            if (firstWords.size() < 3) {
                firstWords.add(word);
            }
            if (create) {
                keyword(word, script, end);
            }
            triggerEnd = triggerBody && word.equals("END") && previous == ';';
            previous = word.charAt(0);
            previousWord = word;
        }

        /** What a word of a CREATE statement opens or closes. */
        private void keyword(String word, String script, int end) {
            if (previous == '.') {
                return; // a column: new.end, t.case, old.begin
            }
            if (trigger) {
                // SQLite's body: BEGIN as a keyword, not a column of UPDATE OF or of the WHEN condition
                if (!triggerBody && word.equals("BEGIN") && parenDepth == 0 && previous != ','
                        && !OPERAND_BEFORE.contains(previousWord == null ? "" : previousWord)
                        && OPERATORS.indexOf(previous) < 0) {
                    triggerBody = true;
                }
            } else if (blockDepth == 0) {
                if (syntax == Syntax.POSTGRESQL && word.equals("BEGIN") && nextWord(script, end).equals("ATOMIC")) {
                    blockDepth = 1;
                }
            } else if (word.equals("CASE")) {
                blockDepth++;
            } else if (word.equals("END")) {
                blockDepth--;
            }
        }

        /** Something other than a word or a semicolon that ends the statement: an operator, a quoted text. */
        void token(char c) {
            triggerEnd = false;
            previous = c;
            previousWord = null;
        }

        /** Whether a semicolon read now, outside quotes and comments, ends the statement. */
        boolean endsAtSemicolon() {
            return blockDepth == 0 && parenDepth == 0 && (!triggerBody || triggerEnd);
        }

        private static String nextWord(String script, int from) {
            int i = from;
            while (i < script.length() && Character.isWhitespace(script.charAt(i))) {
                i++;
            }
            int j = i;
            while (j < script.length() && isWordChar(script.charAt(j))) {
                j++;
            }
            return script.substring(i, j).toUpperCase(Locale.ROOT);
        }

        Statement statement(String sql, String copyData) {
            return new Statement(sql, startLine, List.copyOf(firstWords), copyData, placeholder);
        }

        void reset() {
            significant = false;
            words = 0;
            firstWords.clear();
            create = false;
            trigger = false;
            blockDepth = 0;
            triggerBody = false;
            triggerEnd = false;
            previous = 0;
            previousWord = null;
            parenDepth = 0;
            placeholder = null;
        }
    }

    /** The annotations of goose and dbmate that open a section of a file or mark a statement's edges. */
    private enum Section {
        UP, DOWN, STATEMENT_BEGIN, STATEMENT_END;

        /** The annotation a whole-line comment is, or null. */
        static Section of(String comment) {
            String c = comment.strip().toLowerCase(Locale.ROOT);
            if (c.startsWith("-- +goose ")) {
                return switch (c.substring("-- +goose ".length()).strip()) {
                    case "up" -> UP;
                    case "down" -> DOWN;
                    case "statementbegin" -> STATEMENT_BEGIN;
                    case "statementend" -> STATEMENT_END;
                    default -> null;
                };
            }
            if (c.equals("-- migrate:up") || c.startsWith("-- migrate:up ")) {
                return UP;
            }
            return c.equals("-- migrate:down") || c.startsWith("-- migrate:down ") ? DOWN : null;
        }
    }

    /** {@code COPY ... FROM STDIN}, the form whose data follows the statement in the script. */
    private static final java.util.regex.Pattern COPY_FROM_STDIN =
            java.util.regex.Pattern.compile("(?is)\\bFROM\\s+STDIN\\b");

    /** Whether only blanks come before {@code i} on its line. */
    private static boolean atLineStart(String s, int i) {
        for (int k = i - 1; k >= 0; k--) {
            char c = s.charAt(k);
            if (c == '\n') {
                return true;
            }
            if (c != ' ' && c != '\t' && c != '\r' && c != '\uFEFF') {
                return false;
            }
        }
        return true;
    }

    private static int countNewlines(String s, int from, int to) {
        int count = 0;
        for (int k = from; k < to; k++) {
            if (s.charAt(k) == '\n') {
                count++;
            }
        }
        return count;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
