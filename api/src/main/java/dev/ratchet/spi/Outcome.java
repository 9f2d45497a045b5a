package dev.ratchet.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the engine tells a tracker about a migration that just succeeded.
 *
 * @param appliedAt when the body finished
 * @param duration  how long the body took
 */
public record Outcome(Instant appliedAt, Duration duration) {
    /** Null checks. */
    public Outcome {
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(duration, "duration");
    }
}
