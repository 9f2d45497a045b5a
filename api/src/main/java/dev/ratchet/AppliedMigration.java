package dev.ratchet;

import java.time.Duration;
import java.util.Optional;

/**
 * A migration that a run applied and committed.
 *
 * @param namespace the namespace
 * @param name      the migration name
 * @param version   its version, if any
 * @param duration  how long its body took
 */
public record AppliedMigration(String namespace, String name, Optional<Version> version, Duration duration) {
}
