package dev.ratchet;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What Ratchet's hints ask of the code that builds a {@link Ratchet}, in the API's words ("call
 * ignoreOtherTrackers()"), each with the pattern that finds it in a message or hint. An adapter
 * whose users configure Ratchet otherwise (command-line options, application settings) maps every
 * term to its own words and rewords an exception with {@link #rewording} and
 * {@link RatchetException#reworded}; its test can require words for every term, so that a term
 * added here is not missed there.
 *
 * <pre>{@code
 * UnaryOperator<String> words = HintTerm.rewording(Map.of(HintTerm.IGNORE_OTHER_TRACKERS, "set ignore-others: true"));
 * throw e.reworded(words);
 * }</pre>
 */
public enum HintTerm {
    /** {@code configure bootstrapFrom(Trackers.byName("NAME"))}: {@code $1} is the tracker's name. */
    BOOTSTRAP_FROM_NAMED("configure bootstrapFrom\\(Trackers\\.byName\\(\"([^\"]+)\"\\)\\)"),
    /** {@code configure bootstrapFrom(<DESCRIPTION>)}: {@code $1} describes the tracker. */
    BOOTSTRAP_FROM("configure bootstrapFrom\\(<([^>]*)>\\)"),
    /** {@code call ignoreOtherTrackers()}. */
    IGNORE_OTHER_TRACKERS("call ignoreOtherTrackers\\(\\)"),
    /** {@code call allowNewerDatabase()}. */
    ALLOW_NEWER_DATABASE("call allowNewerDatabase\\(\\)"),
    /** {@code use status() and plan() only}: for a read-only tracker. */
    STATUS_AND_PLAN_ONLY("use status\\(\\) and plan\\(\\) only"),
    /** {@code use LockStrategy.A or B}: {@code $1} and {@code $2} are the strategies. */
    LOCK_STRATEGY("use LockStrategy\\.(\\w+) or (\\w+)"),
    /** {@code configure the tracker's schema}. */
    TRACKER_SCHEMA("configure the tracker's schema"),
    /** {@code raise the lock timeout}. */
    LOCK_TIMEOUT("raise the lock timeout"),
    /** {@code raise the lock lease}. */
    LOCK_LEASE("raise the lock lease"),
    /** {@code force version N}: {@code $1} is the version. */
    FORCE_VERSION("\\bforce version (\\d+)"),
    /** {@code (force with the tracker NAME)}: {@code $1} is the name of the tracker that can force. */
    FORCE_WITH_TRACKER("\\(force with the tracker ([^)\\s]+)\\)");

    private final Pattern pattern;

    HintTerm(String regex) {
        this.pattern = Pattern.compile(regex);
    }

    /** What finds the term in a text. */
    public Pattern pattern() {
        return pattern;
    }

    /**
     * A function that replaces every occurrence of each term in {@code words} by its words, in
     * which {@code $1} and {@code $2} stand for the term's parts (a literal {@code $} is written
     * {@code \$}); terms without words stay as they are.
     */
    public static UnaryOperator<String> rewording(Map<HintTerm, String> words) {
        Map<HintTerm, String> byTerm = new EnumMap<>(HintTerm.class);
        byTerm.putAll(words);
        return text -> {
            String out = text;
            for (Map.Entry<HintTerm, String> e : byTerm.entrySet()) {
                out = e.getKey().pattern.matcher(out).replaceAll(e.getValue());
            }
            return out;
        };
    }
}
