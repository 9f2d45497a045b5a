package dev.ratchet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class HintTermTest {
    /** A method call ({@code name(}) or a Java constant ({@code LockStrategy.AUTO}). */
    private static final Pattern API = Pattern.compile("\\b[a-z]+[A-Z]\\w*\\(|\\b[a-z]+\\(\\)|\\b[A-Z][a-z]+[A-Z]\\w*\\.[A-Z]");

    /** Every term in words of its own: what an adapter that maps them all leaves of a hint. */
    private static final UnaryOperator<String> ALL;

    static {
        Map<HintTerm, String> words = new EnumMap<>(HintTerm.class);
        for (HintTerm t : HintTerm.values()) {
            words.put(t, "<" + t + ">");
        }
        ALL = HintTerm.rewording(words);
    }

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void everyApiCallADefaultHintNamesIsATerm(ErrorKind kind) {
        String hint = ALL.apply(kind.defaultHint());
        assertFalse(API.matcher(hint).find(), kind + ": " + hint);
    }

    @Test
    void eachTermFindsWhatRatchetWritesAndKeepsItsParts() {
        assertEquals("<BOOTSTRAP_FROM_NAMED> or run a cutover; or, if not, <IGNORE_OTHER_TRACKERS>",
                ALL.apply("configure bootstrapFrom(Trackers.byName(\"counter:per-namespace@public.ratchet_counter\"))"
                        + " or run a cutover; or, if not, call ignoreOtherTrackers()"));
        assertEquals("cut over, or <STATUS_AND_PLAN_ONLY>", ALL.apply("cut over, or use status() and plan() only"));
        assertEquals("<LOCK_STRATEGY> with SQLite", ALL.apply("use LockStrategy.AUTO or LEASE with SQLite"));
        assertEquals("create a schema, or <TRACKER_SCHEMA>", ALL.apply("create a schema, or configure the tracker's schema"));
        assertEquals("if so, <FORCE_VERSION>; else <FORCE_VERSION> <FORCE_WITH_TRACKER>",
                ALL.apply("if so, force version 3; else force version 2 (force with the tracker counter@schema_migrations)"));
        assertEquals("--bootstrap-from counter@public.schema_migrations; use AUTO|LEASE",
                HintTerm.rewording(Map.of(HintTerm.BOOTSTRAP_FROM_NAMED, "--bootstrap-from $1",
                        HintTerm.LOCK_STRATEGY, "use $1|$2")).apply("configure bootstrapFrom(Trackers.byName("
                        + "\"counter@public.schema_migrations\")); use LockStrategy.AUTO or LEASE"));
        assertEquals("call ignoreOtherTrackers()", HintTerm.rewording(Map.of()).apply("call ignoreOtherTrackers()"),
                "a term without words stays");
    }
}
