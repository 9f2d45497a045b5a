package dev.ratchet.micronaut;

import dev.ratchet.HintTerm;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;

/**
 * Error messages and hints as the owner of a Micronaut application reads them. The API words
 * its hints for the code that builds a {@code Ratchet} ({@code ignoreOtherTrackers()},
 * {@code bootstrapFrom(...)}); here each such call becomes the setting under
 * {@code ratchet.datasources.<name>} that does the same, so that a hint never names a call the
 * application does not make.
 */
final class SettingHints {
    /** Each term's words; {@code PREFIX} stands for {@code ratchet.datasources.<name>}. */
    static final Map<HintTerm, String> WORDS = Map.ofEntries(
            Map.entry(HintTerm.BOOTSTRAP_FROM_NAMED, "set PREFIX.bootstrap-from: $1"),
            Map.entry(HintTerm.BOOTSTRAP_FROM, "set PREFIX.bootstrap-from to the name of $1 (as ratchet trackers prints it)"),
            Map.entry(HintTerm.IGNORE_OTHER_TRACKERS, "set PREFIX.ignore-other-trackers: true"),
            Map.entry(HintTerm.ALLOW_NEWER_DATABASE, "set PREFIX.allow-newer-database: true"),
            Map.entry(HintTerm.STATUS_AND_PLAN_ONLY, "set PREFIX.enabled: false so that start-up does not migrate"),
            Map.entry(HintTerm.LOCK_STRATEGY, "set PREFIX.lock-strategy to $1 or $2"),
            Map.entry(HintTerm.TRACKER_SCHEMA, "name the tracker's schema in PREFIX.tracker (TRACKER@SCHEMA.TABLE)"),
            Map.entry(HintTerm.LOCK_TIMEOUT, "raise PREFIX.lock-timeout"),
            Map.entry(HintTerm.LOCK_LEASE, "raise PREFIX.lock-lease"),
            // The application cannot force; the command line can.
            Map.entry(HintTerm.FORCE_VERSION, "force version $1 (ratchet force $1, on the command line)"),
            Map.entry(HintTerm.FORCE_WITH_TRACKER, "(with --tracker $1)"));

    private SettingHints() {
    }

    /** Rewords text for the data source {@code dataSource}. */
    static UnaryOperator<String> of(String dataSource) {
        String prefix = Matcher.quoteReplacement("ratchet.datasources." + dataSource);
        Map<HintTerm, String> words = new EnumMap<>(HintTerm.class);
        WORDS.forEach((term, text) -> words.put(term, text.replace("PREFIX", prefix)));
        return HintTerm.rewording(words);
    }
}
