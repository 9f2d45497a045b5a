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
 * <p>It understands single-quoted strings (with {@code ''} and PostgreSQL's {@code E'\''}),
 * quoted identifiers, {@code --} and nested {@code /* *}{@code /} comments, PostgreSQL
 * dollar quoting, and {@code BEGIN ... END} bodies of {@code CREATE TRIGGER} /
 * {@code CREATE FUNCTION ... BEGIN ATOMIC} (with {@code CASE ... END} inside them).
 */
public final class SqlScript {
    /**
     * One statement of a script.
     *
     * @param sql  the statement text, without the terminating semicolon
     * @param line the 1-based line on which it starts
     */
    public record Statement(String sql, int line) {
    }

    private SqlScript() {
    }

    /** The statements of {@code script}, in order; empty and comment-only pieces are dropped. */
    public static List<Statement> split(String script) {
        List<Statement> out = new ArrayList<>();
        String s = script.startsWith("\uFEFF") ? script.substring(1) : script;
        int n = s.length();
        int start = 0;
        int line = 1;
        int startLine = 1;
        boolean significant = false;     // the current piece has something besides blanks/comments
        int blockDepth = 0;              // BEGIN/CASE ... END nesting inside CREATE TRIGGER/FUNCTION
        boolean createStatement = false; // the current piece starts with CREATE
        int wordsSeen = 0;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
                i++;
                continue;
            }
            if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    char d = s.charAt(i);
                    if (d == '\n') {
                        line++;
                    }
                    if (d == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                        depth++;
                        i += 2;
                    } else if (d == '*' && i + 1 < n && s.charAt(i + 1) == '/') {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
                continue;
            }
            if (!significant && !Character.isWhitespace(c) && c != ';') {
                significant = true;
                startLine = line;
            }
            if (c == '\'' || c == '"' || c == '`') {
                boolean backslashEscapes = c == '\'' && i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e')
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
                continue;
            }
            if (c == '$' && (i == 0 || !isWordChar(s.charAt(i - 1)))) {
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
                    continue;
                }
            }
            if (isWordStart(c) && (i == 0 || !isWordChar(s.charAt(i - 1)))) {
                int j = i;
                while (j < n && isWordChar(s.charAt(j))) {
                    j++;
                }
                String word = s.substring(i, j).toUpperCase(Locale.ROOT);
                if (wordsSeen == 0) {
                    createStatement = word.equals("CREATE");
                }
                wordsSeen++;
                if (createStatement) {
                    if (word.equals("BEGIN")) {
                        blockDepth++;
                    } else if (word.equals("CASE") && blockDepth > 0) {
                        blockDepth++;
                    } else if (word.equals("END") && blockDepth > 0) {
                        blockDepth--;
                    }
                }
                i = j;
                continue;
            }
            if (c == ';' && blockDepth == 0) {
                if (significant) {
                    out.add(new Statement(s.substring(start, i).strip(), startLine));
                }
                start = i + 1;
                significant = false;
                createStatement = false;
                wordsSeen = 0;
            }
            i++;
        }
        if (significant) {
            out.add(new Statement(s.substring(start).strip(), startLine));
        }
        return out;
    }

    /**
     * The transaction-control command that {@code sql} (one statement of {@link #split}) is, if
     * any: {@code BEGIN}, {@code START TRANSACTION}, {@code COMMIT}, {@code END}, {@code ABORT},
     * {@code ROLLBACK} (not {@code ROLLBACK TO} a savepoint) or {@code PREPARE TRANSACTION}, as
     * written (its first words, upper-cased). A statement's first word decides: {@code BEGIN}
     * and {@code END} of a trigger or function body are inside their {@code CREATE} statement,
     * and a PL/pgSQL block inside its {@code DO} or dollar quotes.
     */
    public static java.util.Optional<String> transactionControl(String sql) {
        List<String> words = leadingWords(sql, 3);
        if (words.isEmpty()) {
            return java.util.Optional.empty();
        }
        String first = words.get(0);
        String second = words.size() > 1 ? words.get(1) : "";
        return switch (first) {
            case "BEGIN", "COMMIT", "END", "ABORT" -> java.util.Optional.of(first);
            case "START", "PREPARE" -> second.equals("TRANSACTION")
                    ? java.util.Optional.of(first + " TRANSACTION") : java.util.Optional.empty();
            case "ROLLBACK" -> {
                String next = second.equals("WORK") || second.equals("TRANSACTION")
                        ? (words.size() > 2 ? words.get(2) : "") : second;
                yield next.equals("TO") ? java.util.Optional.empty() : java.util.Optional.of(first);
            }
            default -> java.util.Optional.empty();
        };
    }

    /** Up to {@code max} leading words of {@code sql}, upper-cased, skipping blanks and comments. */
    private static List<String> leadingWords(String sql, int max) {
        List<String> words = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n && words.size() < max) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else if (isWordStart(c)) {
                int j = i;
                while (j < n && isWordChar(sql.charAt(j))) {
                    j++;
                }
                words.add(sql.substring(i, j).toUpperCase(Locale.ROOT));
                i = j;
            } else {
                break;
            }
        }
        return words;
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
