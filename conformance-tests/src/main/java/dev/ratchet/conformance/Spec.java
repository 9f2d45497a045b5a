package dev.ratchet.conformance;

import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;
import dev.ratchet.spi.Tracker;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated migration: a unique {@code id} (its table is {@code c<id>} and its effect a row
 * {@code id} in the side table {@code effects}, which has no unique key, so a double
 * application shows), a name with unicode in it, a version, and optionally a failing statement
 * or an edit. Specs are values: every change makes a new one.
 *
 * @param id      unique in a try
 * @param name    the migration name
 * @param version the version
 * @param failAt  the position (0..2) of a failing statement, or -1
 * @param edited  whether the body was edited after it was first written
 */
public record Spec(int id, String name, Version version, int failAt, boolean edited) {

    /** The migration: {@code CREATE TABLE c<id>}, then its effect row. */
    public Migration migration() {
        List<String> statements = new ArrayList<>(List.of(
                "CREATE TABLE c" + id + " (id int)",
                "INSERT INTO effects (id) VALUES (" + id + ")"));
        if (failAt >= 0) {
            statements.add(failAt, "SELECT * FROM missing_table_" + id);
        }
        String script = String.join(";\n", statements) + ";\n" + (edited ? "-- edited after it ran\n" : "");
        return Migration.builder(name).version(version).sql(script).origin("generated #" + id).build();
    }

    /** The same migration under another name. */
    public Spec renamed() {
        return new Spec(id, name + "_renamed", version, failAt, edited);
    }

    /** The same migration with its body edited. */
    public Spec edit() {
        return new Spec(id, name, version, failAt, true);
    }

    /** The same migration failing at statement {@code position} (0..2). */
    public Spec failing(int position) {
        return new Spec(id, name, version, position, edited);
    }

    /** The same migration, not failing. */
    public Spec fixed() {
        return new Spec(id, name, version, -1, edited);
    }

    /** The migrations of these specs. */
    public static List<Migration> migrations(List<Spec> specs) {
        return specs.stream().map(Spec::migration).toList();
    }

    /** A namespace of these specs. */
    public static Namespace namespace(String name, List<Spec> specs) {
        return Namespace.of(name, migrations(specs));
    }

    /**
     * Specs with ids {@code firstId..}, names from {@code descriptions}, and versions in the given
     * style when the tracker accepts them (dotted, 20 digits), else {@code 1, 2, 3 ...}.
     */
    public static List<Spec> of(List<String> descriptions, int style, int firstId, Tracker tracker) {
        List<Spec> styled = build(descriptions, style, firstId);
        if (style != 0) {
            try {
                tracker.validate(List.of(namespace("probe", styled)));
            } catch (RatchetException | IllegalArgumentException e) {
                return build(descriptions, 0, firstId);
            }
        }
        return styled;
    }

    private static List<Spec> build(List<String> descriptions, int style, int firstId) {
        List<Spec> out = new ArrayList<>();
        for (int i = 0; i < descriptions.size(); i++) {
            int id = firstId + i;
            Version v = switch (style) {
                case 1 -> Version.parse("1." + (i + 1)); // 1.9 < 1.10
                case 2 -> Version.parse(new BigInteger("20191100000001000000").add(BigInteger.valueOf(i * 1000L)).toString());
                default -> Version.of(firstId + i + 1L);
            };
            out.add(new Spec(id, v + "_" + descriptions.get(i) + "_" + id, v, -1, false));
        }
        return out;
    }
}
