package dev.ratchet.jdbi;

import dev.ratchet.Version;
import org.jdbi.v3.core.Handle;

import java.util.Objects;
import java.util.Optional;

/**
 * A migration written as Jdbi code: a name, an optional version, and a callback that receives
 * the run's pinned {@link Handle} (with the application's Jdbi configuration: plugins,
 * mappers, arguments). Jdbi's transactions ({@code useTransaction}, {@code inTransaction}) join
 * the run's; a {@code commit()}, {@code rollback()} or {@code close()} of the handle fails the
 * migration, which is rolled back (Ratchet commits it with its tracker row).
 *
 * <p>The checksum comes from an explicit string that the author changes whenever the
 * migration's effect changes ({@link Builder#checksumOf(String)}). Ratchet cannot derive one
 * from the code: bytecode changes with every compiler and refactoring, and the same bytecode can
 * do different things as the code it calls changes, so a bytecode hash would flag harmless
 * rebuilds and miss real edits.
 *
 * <pre>{@code
 * JdbiMigration seed = JdbiMigration.builder("2_seed_colours")
 *         .version(Version.parse("2"))
 *         .checksumOf("colours v1")
 *         .body(handle -> handle.prepareBatch("INSERT INTO colour (name) VALUES (?)")
 *                 .add("red").add("green").execute())
 *         .build();
 * }</pre>
 */
public final class JdbiMigration {
    private final String name;
    private final Version version;
    private final String description;
    private final String checksumSource;
    private final HandleBody body;
    private final boolean transactional;

    private JdbiMigration(Builder b) {
        this.name = b.name;
        this.version = b.version;
        this.description = b.description;
        this.checksumSource = b.checksumSource;
        this.body = b.body;
        this.transactional = b.transactional;
    }

    /** Starts a migration with this name (unique in its namespace). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The name. */
    public String name() {
        return name;
    }

    /** The version, if any. */
    public Optional<Version> version() {
        return Optional.ofNullable(version);
    }

    /** The description (defaults to the name). */
    public String description() {
        return description == null ? name : description;
    }

    /** The text the checksum is computed from, if given. */
    public Optional<String> checksumSource() {
        return Optional.ofNullable(checksumSource);
    }

    /** The body. */
    public HandleBody body() {
        return body;
    }

    /** Whether it runs in Ratchet's transaction (the default) or outside any. */
    public boolean transactional() {
        return transactional;
    }

    /** The body of a {@link JdbiMigration}: Jdbi code on the pinned handle. */
    @FunctionalInterface
    public interface HandleBody {
        /** Runs the migration. */
        void run(Handle handle) throws Exception;
    }

    /** Builds a {@link JdbiMigration}. */
    public static final class Builder {
        private final String name;
        private Version version;
        private String description;
        private String checksumSource;
        private HandleBody body;
        private boolean transactional = true;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The version; required by versioned trackers. */
        public Builder version(Version version) {
            this.version = version;
            return this;
        }

        /** A human description. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * The text the checksum is computed from: change it whenever the effect changes.
         * Without it the checksum is unknown and edits go undetected.
         */
        public Builder checksumOf(String text) {
            this.checksumSource = text;
            return this;
        }

        /**
         * {@code false}: the migration runs alone, outside Ratchet's transaction, and is recorded
         * once it returns. Its Jdbi transactions ({@code useTransaction}) then commit as they end:
         * for a long backfill in batches, or PostgreSQL's {@code CREATE INDEX CONCURRENTLY}.
         */
        public Builder transactional(boolean transactional) {
            this.transactional = transactional;
            return this;
        }

        /** The body. */
        public Builder body(HandleBody body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        /**
         * The migration.
         *
         * @throws IllegalArgumentException without a body or with a blank name
         */
        public JdbiMigration build() {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a migration needs a non-blank name");
            }
            if (body == null) {
                throw new IllegalArgumentException("migration '" + name + "' needs a body: call body(handle -> ...)");
            }
            return new JdbiMigration(this);
        }
    }
}
