package dev.ratchet.micronaut;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Error messages and hints as the owner of a Micronaut application reads them. The API words
 * its hints for the code that builds a {@code Ratchet} ({@code ignoreOtherTrackers()},
 * {@code bootstrapFrom(...)}); here each such call becomes the setting under
 * {@code ratchet.datasources.<name>} that does the same, so that a hint never names a call the
 * application does not make.
 */
final class SettingHints {
    private record Rewrite(Pattern api, String setting) {
    }

    /** Each replacement's {@code PREFIX} stands for {@code ratchet.datasources.<name>}. */
    private static final List<Rewrite> REWRITES = List.of(
            new Rewrite(Pattern.compile("configure bootstrapFrom\\(Trackers\\.byName\\(\"([^\"]+)\"\\)\\)"),
                    "set PREFIX.bootstrap-from: $1"),
            new Rewrite(Pattern.compile("configure bootstrapFrom\\(<([^>]*)>\\)"),
                    "set PREFIX.bootstrap-from to the name of $1 (as ratchet trackers prints it)"),
            new Rewrite(Pattern.compile("call ignoreOtherTrackers\\(\\)"), "set PREFIX.ignore-other-trackers: true"),
            new Rewrite(Pattern.compile("use status\\(\\) and plan\\(\\) only"),
                    "set PREFIX.enabled: false so that start-up does not migrate"),
            new Rewrite(Pattern.compile("use LockStrategy\\.(\\w+) or (\\w+)"), "set PREFIX.lock-strategy to $1 or $2"),
            new Rewrite(Pattern.compile("configure the tracker's schema"),
                    "name the tracker's schema in PREFIX.tracker (TRACKER@SCHEMA.TABLE)"),
            new Rewrite(Pattern.compile("raise the lock timeout"), "raise PREFIX.lock-timeout"),
            new Rewrite(Pattern.compile("raise the lock lease"), "raise PREFIX.lock-lease"));

    private SettingHints() {
    }

    /** Rewords text for the data source {@code dataSource}. */
    static UnaryOperator<String> of(String dataSource) {
        String prefix = Matcher.quoteReplacement("ratchet.datasources." + dataSource);
        return text -> {
            String out = text;
            for (Rewrite r : REWRITES) {
                out = r.api().matcher(out).replaceAll(r.setting().replace("PREFIX", prefix));
            }
            return out;
        };
    }
}
