package dev.ratchet;

import dev.ratchet.spi.Identifiers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named, ordered list of migrations with its own tracker rows, and an optional target
 * schema in which its statements run. A database may hold many namespaces (modules,
 * plugins); each is locked and tracked on its own.
 *
 * <p>Construction refuses two migrations with one name ({@link ErrorKind#DUPLICATE_NAME}) or
 * one version ({@link ErrorKind#VERSION_COLLISION}), naming both.
 *
 * <pre>{@code
 * Namespace app = Namespace.of("app", MigrationSource.directory(Path.of("db/migrations")).load());
 * Namespace billing = Namespace.of("billing", migrations).withSchema("billing");
 * }</pre>
 */
public final class Namespace {
    private final String name;
    private final List<Migration> migrations;
    private final String schema;

    private Namespace(String name, List<Migration> migrations, String schema) {
        this.name = Identifiers.requireNamespace(name);
        this.schema = schema == null ? null : Identifiers.requireIdentifier("target schema", schema);
        if (migrations instanceof MigrationFiles.SortedByVersion checked) {
            this.migrations = checked; // immutable, and its versions and names are unique by construction
        } else {
            this.migrations = List.copyOf(migrations);
            checkUnique("Namespace '" + name + "'", name, this.migrations);
        }
    }

    /** A namespace whose migrations run in the connection's current schema. */
    public static Namespace of(String name, List<Migration> migrations) {
        return new Namespace(name, Objects.requireNonNull(migrations, "migrations"), null);
    }

    /** The same namespace with its statements run in {@code schema} (created when missing). */
    public Namespace withSchema(String schema) {
        return new Namespace(name, migrations, Objects.requireNonNull(schema, "schema"));
    }

    /** The namespace name. */
    public String name() {
        return name;
    }

    /** The migrations in code order. */
    public List<Migration> migrations() {
        return migrations;
    }

    /** The target schema, if any. */
    public Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    @Override
    public String toString() {
        return name;
    }

    static void checkUnique(String where, String namespace, List<Migration> migrations) {
        Map<String, Migration> byName = new HashMap<>(migrations.size() * 2);
        // Versions strictly increasing in code order (a directory source's order) cannot collide.
        boolean increasing = true;
        for (int i = 1; i < migrations.size() && increasing; i++) {
            Version a = migrations.get(i - 1).versionOrNull();
            Version b = migrations.get(i).versionOrNull();
            increasing = a != null && b != null && a.compareTo(b) < 0;
        }
        Map<Version, Migration> byVersion = increasing ? null : new HashMap<>(migrations.size() * 2);
        // Every origin at a version shared by several, in code order, by version in order of first collision.
        Map<Version, List<String>> collisions = new java.util.LinkedHashMap<>();
        for (Migration m : migrations) {
            Migration sameName = byName.putIfAbsent(m.name(), m);
            if (sameName != null) {
                throw RatchetException.of(ErrorKind.DUPLICATE_NAME, where + " has two migrations named '" + m.name() + "': " + sameName.origin()
                                + " and " + m.origin() + ".")
                        .with("namespace", namespace).with("migration", m.name())
                        .with("first", sameName.origin()).with("second", m.origin()).build();
            }
            if (byVersion != null && m.version().isPresent()) {
                Migration sameVersion = byVersion.putIfAbsent(m.version().get(), m);
                if (sameVersion != null) {
                    collisions.computeIfAbsent(m.version().get(), v -> new ArrayList<>(List.of(sameVersion.origin())))
                            .add(m.origin());
                }
            }
        }
        if (!collisions.isEmpty()) {
            List<String> named = new ArrayList<>();
            collisions.forEach((version, origins) -> named.add(version + " ("
                    + String.join(", ", origins.subList(0, origins.size() - 1)) + " and "
                    + origins.get(origins.size() - 1) + ")"));
            throw RatchetException.of(ErrorKind.VERSION_COLLISION, where + " has more than one migration at version "
                            + String.join(", ", named) + ".")
                    .with("namespace", namespace).with("collisions", List.copyOf(named)).build();
        }
    }
}
