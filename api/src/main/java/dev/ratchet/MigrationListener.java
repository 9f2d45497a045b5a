package dev.ratchet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Hooks called as a run progresses, for progress output and metrics. Every method has a
 * do-nothing default. The default listener of {@link Ratchet} is {@link #logging()}.
 *
 * <pre>{@code
 * Ratchet.builder().listener(new MigrationListener() {
 *     public void afterMigration(String ns, Migration m, Duration d) { metrics.record(m.name(), d); }
 * })
 * }</pre>
 */
public interface MigrationListener {
    /** Before a migration body runs (in {@link Ratchet#verify()} too, which rolls it back). */
    default void beforeMigration(String namespace, Migration migration) {
    }

    /**
     * After a migration is applied: its body ran, and its tracker row committed with it (for a
     * non-transactional migration, the row's own transaction committed). In chain mode it is called
     * once the chain commits, for each of its migrations in order, so a chain that fails and rolls
     * back calls it for none of them. Never called by {@link Ratchet#verify()}, which rolls back.
     */
    default void afterMigration(String namespace, Migration migration, Duration duration) {
    }

    /** After a migration failed; its effects are rolled back unless it was non-transactional. */
    default void migrationFailed(String namespace, Migration migration, RatchetException error) {
    }

    /** A warning the tracker raised without refusing, e.g. checksum drift in {@code WARN} mode. */
    default void warning(String namespace, String message) {
    }

    /**
     * Calls each of {@code listeners}, in the order given, for every hook: to keep the logging
     * one and add another ({@code all(MigrationListener.logging(), metrics)}), since
     * {@link Ratchet.Builder#listener} replaces the default. A listener that throws stops the
     * call there, and the run, as a single listener's would.
     */
    static MigrationListener all(MigrationListener... listeners) {
        List<MigrationListener> each = List.of(listeners);
        return new MigrationListener() {
            @Override
            public void beforeMigration(String namespace, Migration migration) {
                each.forEach(l -> l.beforeMigration(namespace, migration));
            }

            @Override
            public void afterMigration(String namespace, Migration migration, Duration duration) {
                each.forEach(l -> l.afterMigration(namespace, migration, duration));
            }

            @Override
            public void migrationFailed(String namespace, Migration migration, RatchetException error) {
                each.forEach(l -> l.migrationFailed(namespace, migration, error));
            }

            @Override
            public void warning(String namespace, String message) {
                each.forEach(l -> l.warning(namespace, message));
            }
        };
    }

    /** Logs through SLF4J (logger {@code dev.ratchet}). */
    static MigrationListener logging() {
        Logger log = LoggerFactory.getLogger("dev.ratchet");
        return new MigrationListener() {
            @Override
            public void beforeMigration(String namespace, Migration migration) {
                log.debug("[{}] applying {}", namespace, migration.name());
            }

            @Override
            public void afterMigration(String namespace, Migration migration, Duration duration) {
                log.info("[{}] applied {} in {} ms", namespace, migration.name(), duration.toMillis());
            }

            @Override
            public void migrationFailed(String namespace, Migration migration, RatchetException error) {
                log.error("[{}] {} failed: {}", namespace, migration.name(), error.getMessage());
            }

            @Override
            public void warning(String namespace, String message) {
                log.warn("[{}] {}", namespace, message);
            }
        };
    }
}
