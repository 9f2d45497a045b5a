package dev.ratchet.adopt;

import dev.ratchet.CutoverResult;

import java.util.List;

/**
 * What an adoption did (or, for a dry run, would do).
 *
 * @param from    the tool adopted from
 * @param moves   per namespace, the rows written (or that would be) into Ratchet's tracker
 * @param leftOut  the tool's entries not carried, and why (repeatables, rolled back, unmatched when allowed)
 * @param warnings what was carried with less than it could have: an applied file edited after the
 *                 tool ran it (the tool's checksum is not the file's), adopted without a checksum
 */
public record AdoptionResult(ForeignTool from, CutoverResult moves, List<LeftOut> leftOut, List<String> warnings) {
    /** Copies the lists. */
    public AdoptionResult {
        leftOut = List.copyOf(leftOut);
        warnings = List.copyOf(warnings);
    }
}
