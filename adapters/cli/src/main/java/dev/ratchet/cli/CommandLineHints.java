package dev.ratchet.cli;

import dev.ratchet.HintTerm;
import dev.ratchet.RatchetException;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Error messages and hints as an operator at the command line reads them. The API words its
 * hints for the code that configures a {@code Ratchet} ({@code ignoreOtherTrackers()},
 * {@code bootstrapFrom(...)}); here each such call becomes the option or command that does the
 * same, so that a hint never names something the operator cannot type.
 */
final class CommandLineHints {
    /** Each term's command-line words. */
    static final Map<HintTerm, String> WORDS = Map.ofEntries(
            Map.entry(HintTerm.BOOTSTRAP_FROM_NAMED, "pass migrate --bootstrap-from $1"),
            Map.entry(HintTerm.BOOTSTRAP_FROM,
                    "pass migrate --bootstrap-from with the name of $1 (ratchet trackers prints each table's)"),
            Map.entry(HintTerm.IGNORE_OTHER_TRACKERS, "pass --ignore-other-trackers"),
            Map.entry(HintTerm.ALLOW_NEWER_DATABASE, "pass --allow-newer-database"),
            Map.entry(HintTerm.STATUS_AND_PLAN_ONLY, "use the status and plan commands only"),
            Map.entry(HintTerm.LOCK_STRATEGY, "use --lock-strategy $1 or $2"),
            Map.entry(HintTerm.TRACKER_SCHEMA,
                    "name the tracker's schema in its name, NAME@SCHEMA.TABLE (--tracker, --from, --to)"),
            Map.entry(HintTerm.LOCK_TIMEOUT, "raise --lock-timeout"),
            Map.entry(HintTerm.LOCK_LEASE, "raise --lock-lease"),
            Map.entry(HintTerm.FORCE_VERSION, "run ratchet force $1"),
            Map.entry(HintTerm.FORCE_WITH_TRACKER, "(with --tracker $1)"));

    private static final UnaryOperator<String> REWORDING = HintTerm.rewording(WORDS);

    private CommandLineHints() {
    }

    /** {@code text} with each API call it names replaced by its command-line equivalent. */
    static String of(String text) {
        return REWORDING.apply(text);
    }

    /** The exception's message, hint included, in command-line words. */
    static String message(RatchetException e) {
        return of(e.getMessage());
    }

    /** The exception's hint in command-line words. */
    static String hint(RatchetException e) {
        return of(e.hint());
    }
}
