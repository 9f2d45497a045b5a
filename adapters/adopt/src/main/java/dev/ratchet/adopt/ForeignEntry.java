package dev.ratchet.adopt;

import dev.ratchet.Version;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of another tool's history, as that tool means it.
 *
 * @param identity     the tool's own identity of the entry, for messages and name mappings
 *                     (Flyway {@code 2 create authors}, Liquibase {@code id::author::file}, Django
 *                     {@code app.0001_initial} ...)
 * @param version      the version the tool records, when it records one
 * @param description  the name part the tool records besides the version, when it records one
 * @param state        what the tool says happened
 * @param appliedAt    when it was applied, when the tool says
 * @param executionMs  how long it ran, when the tool says
 * @param provenance   what the tool recorded that Ratchet does not use (its checksum, its author),
 *                     kept for the report
 * @param toolChecksum the tool's own checksum of what it ran, as text, when it records one that
 *                     its {@link ForeignHistory} can check a file against
 */
public record ForeignEntry(String identity, Optional<Version> version, Optional<String> description, State state,
                           Optional<Instant> appliedAt, OptionalLong executionMs, String provenance,
                           Optional<String> toolChecksum) {

    /** An entry without a checksum of the tool's to check files against. */
    public ForeignEntry(String identity, Optional<Version> version, Optional<String> description, State state,
                        Optional<Instant> appliedAt, OptionalLong executionMs, String provenance) {
        this(identity, version, description, state, appliedAt, executionMs, provenance, Optional.empty());
    }

    /** What the other tool says happened to an entry. */
    public enum State {
        /** Applied. */
        APPLIED,
        /** A baseline: everything up to its version counts as applied without having run. */
        BASELINE,
        /** Recorded as failed: adoption is refused. */
        FAILED,
        /** Started and never finished: adoption is refused. */
        UNFINISHED,
        /** Not applied (rolled back, skipped, deleted): left out and reported. */
        NOT_APPLIED,
        /** Not a versioned migration (a repeatable migration, a marker row): left out and reported. */
        NOT_A_MIGRATION,
        /** Of a kind Ratchet cannot represent: refused unless unmatched entries are allowed. */
        UNSUPPORTED
    }

    /** The entry, without the applied time and duration. */
    static ForeignEntry of(String identity, Optional<Version> version, Optional<String> description, State state,
                           String provenance) {
        return new ForeignEntry(identity, version, description, state, Optional.empty(), OptionalLong.empty(),
                provenance);
    }
}
