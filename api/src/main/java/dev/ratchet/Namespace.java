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
 * <p>A namespace may have a target ({@link #through}): {@code migrate()}, {@code verify()} and
 * {@code plan()} then stop after that migration.
 *
 * <pre>{@code
 * Namespace app = Namespace.of("app", MigrationSource.directory(Path.of("db/migrations")).load());
 * Namespace billing = Namespace.of("billing", migrations).withSchema("billing");
 * Namespace staged = app.through("41");   // apply up to and including version 41
 * }</pre>
 */
public final class Namespace {
    private final String name;
    private final List<Migration> migrations;
    private final String schema;
    /** The name of the last migration to run, or null for all. */
    private final String target;

    private Namespace(String name, List<Migration> migrations, String schema, String target) {
        this.name = Identifiers.requireNamespace(name);
        this.schema = schema == null ? null : Identifiers.requireIdentifier("target schema", schema);
        this.target = target;
        if (migrations instanceof MigrationFiles.SortedByVersion checked) {
            this.migrations = checked; // immutable, and its versions and names are unique by construction
        } else {
            this.migrations = List.copyOf(migrations);
            checkUnique("Namespace '" + name + "'", name, this.migrations);
        }
    }

    /** A namespace whose migrations run in the connection's current schema. */
    public static Namespace of(String name, List<Migration> migrations) {
        return new Namespace(name, Objects.requireNonNull(migrations, "migrations"), null, null);
    }

    /** The same namespace with its statements run in {@code schema} (created when missing). */
    public Namespace withSchema(String schema) {
        return new Namespace(name, migrations, Objects.requireNonNull(schema, "schema"), target);
    }

    /**
     * The same namespace with a target: {@code migrate()} and {@code verify()} run the pending
     * migrations up to and including {@code last} in code order and leave the later ones pending,
     * and {@code plan()} shows those; {@code status()} still reports every pending migration. The
     * tracker checks the applied history against the whole code as without a target (drift, an
     * unknown applied migration and a gap refuse as before), and a database already past the
     * target has nothing to run. Like Flyway's {@code target} or golang-migrate's {@code goto},
     * for a staged rollout or a conversion script that must stop at a given version.
     *
     * @param last a migration's name, or its version ({@code "41"}, {@code "1.2"}; written as any
     *             form of the version, {@code "041"} too)
     * @throws IllegalArgumentException when no migration of the namespace has that name or version
     */
    public Namespace through(String last) {
        Version version = versionOrNull(Objects.requireNonNull(last, "last"));
        for (Migration m : migrations) {
            if (m.name().equals(last) || version != null && version.equals(m.versionOrNull())) {
                return new Namespace(name, migrations, schema, m.name());
            }
        }
        throw new IllegalArgumentException("namespace '" + name + "' has no migration named '" + last + "' or of"
                + " version " + last + (migrations.isEmpty() ? "" : " (its last is " + migrations.get(migrations.size() - 1)
                .name() + ")"));
    }

    private static Version versionOrNull(String text) {
        try {
            return Version.parse(text);
        } catch (IllegalArgumentException notAVersion) {
            return null;
        }
    }

    /** The name of the last migration to run ({@link #through}), if the namespace has a target. */
    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    /**
     * The migrations a run may apply, in code order: up to and including the target
     * ({@link #through}), or all of them when the namespace has none.
     */
    public List<Migration> upToTarget() {
        if (target == null) {
            return migrations;
        }
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).name().equals(target)) {
                return migrations.subList(0, i + 1);
            }
        }
        throw new IllegalStateException("the target " + target + " is a migration of the namespace"); // through made it so
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
