package dev.ratchet.adopt;

import dev.ratchet.CutoverResult;

import java.util.List;

/**
 * What an adoption did (or, for a dry run, would do).
 *
 * @param from    the tool adopted from
 * @param moves   per namespace, the rows written (or that would be) into Ratchet's tracker
 * @param leftOut the tool's entries not carried, and why (repeatables, rolled back, unmatched when allowed)
 */
public record AdoptionResult(ForeignTool from, CutoverResult moves, List<LeftOut> leftOut) {
    /** Copies the list. */
    public AdoptionResult {
        leftOut = List.copyOf(leftOut);
    }
}
