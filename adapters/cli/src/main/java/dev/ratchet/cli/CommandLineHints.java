package dev.ratchet.cli;

import dev.ratchet.RatchetException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Error messages and hints as an operator at the command line reads them. The API words its
 * hints for the code that configures a {@code Ratchet} ({@code ignoreOtherTrackers()},
 * {@code bootstrapFrom(...)}); here each such call becomes the option or command that does the
 * same, so that a hint never names something the operator cannot type.
 */
final class CommandLineHints {
    private record Rewrite(Pattern api, String commandLine) {
    }

    private static final List<Rewrite> REWRITES = List.of(
            new Rewrite(Pattern.compile("configure bootstrapFrom\\(Trackers\\.byName\\(\"([^\"]+)\"\\)\\)"),
                    "pass migrate --bootstrap-from $1"),
            new Rewrite(Pattern.compile("configure bootstrapFrom\\(<([^>]*)>\\)"),
                    "pass migrate --bootstrap-from with the name of $1 (ratchet trackers prints each table's)"),
            new Rewrite(Pattern.compile("call ignoreOtherTrackers\\(\\)"), "pass --ignore-other-trackers"),
            new Rewrite(Pattern.compile("use status\\(\\) and plan\\(\\) only"), "use the status and plan commands only"),
            new Rewrite(Pattern.compile("use LockStrategy\\.(\\w+) or (\\w+)"), "use --lock-strategy $1 or $2"),
            new Rewrite(Pattern.compile("configure the tracker's schema"),
                    "name the tracker's schema in --tracker (NAME@SCHEMA.TABLE)"),
            new Rewrite(Pattern.compile("raise the lock timeout"), "raise --lock-timeout"),
            new Rewrite(Pattern.compile("\\bforce version (\\d+)"), "run ratchet force $1"),
            new Rewrite(Pattern.compile("\\(force with the tracker ([^)\\s]+)\\)"), "(with --tracker $1)"),
            new Rewrite(Pattern.compile("raise the lock lease"), "raise --lock-lease"));

    private CommandLineHints() {
    }

    /** {@code text} with each API call it names replaced by its command-line equivalent. */
    static String of(String text) {
        String out = text;
        for (Rewrite r : REWRITES) {
            out = r.api().matcher(out).replaceAll(r.commandLine());
        }
        return out;
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
