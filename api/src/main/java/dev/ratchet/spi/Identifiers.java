package dev.ratchet.spi;

import dev.ratchet.ErrorKind;
import dev.ratchet.RatchetException;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Validation of the names Ratchet puts into SQL text. Values always travel as bound
 * parameters; identifiers cannot, so they are held to a strict pattern and then quoted.
 * A name longer than 63 bytes is refused rather than silently truncated, as PostgreSQL
 * would do, and is refused on every database so that a move between databases cannot
 * change a name.
 */
public final class Identifiers {
    /** The longest identifier PostgreSQL keeps without truncation. */
    public static final int MAX_BYTES = 63;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern IDENTIFIER_START = Pattern.compile("[A-Za-z_]");
    private static final Pattern IDENTIFIER_PART = Pattern.compile("[A-Za-z0-9_]");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");
    private static final Pattern NAMESPACE_START = Pattern.compile("[A-Za-z0-9_]");
    private static final Pattern NAMESPACE_PART = Pattern.compile("[A-Za-z0-9_.\\-]");

    private Identifiers() {
    }

    /**
     * Returns {@code name} if it is a valid identifier (schema, table, column).
     *
     * @param what what the name is, for the message, e.g. {@code "tracker table"}
     * @throws RatchetException of kind {@link ErrorKind#INVALID_IDENTIFIER}
     */
    public static String requireIdentifier(String what, String name) {
        check(what, name, IDENTIFIER, IDENTIFIER_START, IDENTIFIER_PART,
                "ASCII letters, digits and underscores, starting with a letter or underscore");
        return name;
    }

    /**
     * Returns {@code name} if it is a valid namespace name: ASCII letters, digits, {@code _ . -}.
     *
     * @throws RatchetException of kind {@link ErrorKind#INVALID_IDENTIFIER}
     */
    public static String requireNamespace(String name) {
        check("namespace", name, NAMESPACE, NAMESPACE_START, NAMESPACE_PART,
                "ASCII letters, digits, '_', '.' and '-', starting with a letter, digit or '_'");
        return name;
    }

    /**
     * Refuses {@code name} unless {@code whole} matches it, naming its first character that
     * {@code start} (the first) or {@code part} (the others) does not. A name that matches costs
     * one match, as every boot checks its names.
     */
    private static void check(String what, String name, Pattern whole, Pattern start, Pattern part, String allowed) {
        // The kind's hint is for schemas, tables and columns; a namespace allows more.
        String hint = "use 1 to " + MAX_BYTES + " bytes of " + allowed;
        if (name == null || name.isEmpty()) {
            throw RatchetException.of(ErrorKind.INVALID_IDENTIFIER, "The " + what + " name is empty.")
                    .with("what", what).hint(hint).build();
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw RatchetException.of(ErrorKind.INVALID_IDENTIFIER, "The " + what + " name '" + printable(name)
                            + "' is " + bytes + " bytes long; at most " + MAX_BYTES
                            + " are allowed (PostgreSQL would silently truncate it).")
                    .with("what", what).with("name", name).hint(hint).build();
        }
        if (whole.matcher(name).matches()) {
            return;
        }
        int[] codePoints = name.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            String c = new String(codePoints, i, 1);
            if (!(i == 0 ? start : part).matcher(c).matches()) {
                String which = Character.isISOControl(codePoints[i]) || Character.isWhitespace(codePoints[i])
                        ? String.format("U+%04X", codePoints[i]) : "'" + c + "'";
                throw RatchetException.of(ErrorKind.INVALID_IDENTIFIER, "The " + what + " name '" + printable(name)
                                + "' is not allowed: " + which + (i == 0 ? " cannot start it" : " (character " + (i + 1)
                                + ") cannot be in it") + "; use " + allowed + ".")
                        .with("what", what).with("name", name).hint(hint).build();
            }
        }
        // Unreachable while whole is start followed by parts; never accept what whole refused.
        throw RatchetException.of(ErrorKind.INVALID_IDENTIFIER, "The " + what + " name '" + printable(name)
                + "' is not allowed: use " + allowed + ".").with("what", what).with("name", name).hint(hint).build();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return s.length() > 80 ? sb + "..." : sb.toString();
    }
}
