package dev.ratchet;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One applied migration as a tracker read it back, in tracker-neutral form. Any field may be
 * unknown: a counter knows only versions, a backfilled row has no checksum.
 *
 * @param name        the migration name, if the tracker stores names
 * @param version     the version, if the tracker stores versions
 * @param sequence    the position in apply order, if the tracker stores it
 * @param checksum    SHA-256 hex of what ran; empty means unknown provenance, never drift
 * @param appliedAt   when it was applied
 * @param executionMs how long its body took
 */
public record AppliedEntry(Optional<String> name, Optional<Version> version, OptionalLong sequence,
                           Optional<String> checksum, Optional<Instant> appliedAt, OptionalLong executionMs) {

    /** An entry with a name and a version and nothing else known. */
    public static AppliedEntry of(String name, Version version) {
        return new AppliedEntry(Optional.ofNullable(name), Optional.ofNullable(version), OptionalLong.empty(),
                Optional.empty(), Optional.empty(), OptionalLong.empty());
    }

    /** The entry a migration would leave, before it has run. */
    public static AppliedEntry of(Migration migration) {
        return new AppliedEntry(Optional.of(migration.name()), migration.version(), OptionalLong.empty(),
                migration.checksum(), Optional.empty(), OptionalLong.empty());
    }

    /**
     * How the code's text differs from what ran, for a tracker's drift check: when this entry's
     * checksum and the code's are both known and differ, {@code "recorded <12 digits>..., code
     * <the code's checksum in full>"}; otherwise empty. The code's is given whole because it is
     * what an operator who judges the edit harmless writes into the tracker row. A checksum
     * unknown on either side is unknown provenance, never drift, and two checksums that differ
     * only in the case of their hex digits are the same digest (another tool, or a hand, may have
     * written it in capitals). Nor is a recorded checksum that hashed the script's byte order
     * mark, as Ratchet's did before the checksum left the mark out.
     */
    public Optional<String> drift(Migration code) {
        if (checksum.isEmpty() || code.checksum().isEmpty()) {
            return Optional.empty();
        }
        String recorded = checksum.get();
        String current = code.checksum().get();
        if (recorded.equalsIgnoreCase(current)
                || code.checksumWithByteOrderMark().filter(recorded::equalsIgnoreCase).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("recorded " + abbreviate(recorded) + ", code " + current);
    }

    private static String abbreviate(String checksum) {
        return checksum.length() > 12 ? checksum.substring(0, 12) + "..." : checksum;
    }

    /** A copy with the given checksum (empty for unknown). */
    public AppliedEntry withChecksum(Optional<String> checksum) {
        return new AppliedEntry(name, version, sequence, checksum, appliedAt, executionMs);
    }
}
