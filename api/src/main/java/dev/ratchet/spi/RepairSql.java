package dev.ratchet.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * SQL text that an operator may run by hand to accept what a tracker refuses: a refusal's hint
 * gives it (an edited applied migration's new checksum, say) so that nobody has to work out the
 * tracker table's columns and keys. Ratchet never runs it. Identifiers are validated and
 * double-quoted, which PostgreSQL and SQLite both read; values are string literals with their
 * quotes doubled.
 */
public final class RepairSql {
    private RepairSql() {
    }

    /**
     * {@code UPDATE "schema"."table" SET "column" = 'value' WHERE "k1" = 'v1' AND ...;}, without the
     * schema when none is configured (the table is then found where the session finds it).
     *
     * @param key the row's key columns and values, in the order to print them
     */
    public static String update(Optional<String> schema, String table, String column, String value,
                                Map<String, String> key) {
        StringJoiner where = new StringJoiner(" AND ");
        key.forEach((k, v) -> where.add(identifier(k) + " = " + literal(v)));
        return "UPDATE " + schema.map(s -> identifier(s) + ".").orElse("") + identifier(table)
                + " SET " + identifier(column) + " = " + literal(value) + " WHERE " + where + ";";
    }

    /**
     * The hint of a {@code CHECKSUM_DRIFT} refusal: the default advice, with the statements that
     * accept the edits when the operator judges them harmless.
     */
    public static String checksumDriftHint(List<String> statements) {
        return "restore the applied migration's original text and put the change in a new migration; if the edit"
                + " is harmless, accept it by running " + String.join(" ", statements);
    }

    private static String identifier(String name) {
        return "\"" + Identifiers.requireIdentifier("column or table", name) + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
