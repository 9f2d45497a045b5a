package dev.ratchet.micronaut;

import dev.ratchet.ErrorKind;
import dev.ratchet.HintTerm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingHintsTest {

    private final UnaryOperator<String> inventory = SettingHints.of("inventory");

    @ParameterizedTest
    @EnumSource(HintTerm.class)
    void everyTermTheApiNamesHasWordsHere(HintTerm term) {
        assertTrue(SettingHints.WORDS.containsKey(term), term + " has no words in SettingHints.WORDS");
    }


    @Test
    void theApiCallsHintsNameBecomeTheDataSourcesSettings() {
        assertEquals("set ratchet.datasources.inventory.bootstrap-from: counter@public.schema_migrations or run a"
                        + " cutover; or set ratchet.datasources.inventory.ignore-other-trackers: true",
                inventory.apply("configure bootstrapFrom(Trackers.byName(\"counter@public.schema_migrations\")) or run"
                        + " a cutover; or call ignoreOtherTrackers()"));
        assertEquals("set ratchet.datasources.inventory.bootstrap-from to the name of that tracker (as ratchet trackers"
                        + " prints it) or run a cutover, so that history is moved, not re-run",
                inventory.apply(ErrorKind.FOREIGN_HISTORY_FOUND.defaultHint()));
        assertEquals("cut over to a writable tracker, or set ratchet.datasources.inventory.enabled: false so that"
                        + " start-up does not migrate",
                inventory.apply("cut over to a writable tracker, or use status() and plan() only"));
        assertEquals("set ratchet.datasources.inventory.lock-strategy to AUTO or LEASE with SQLite",
                inventory.apply("use LockStrategy.AUTO or LEASE with SQLite"));
        assertEquals("create a schema on the search_path, or name the tracker's schema in"
                        + " ratchet.datasources.inventory.tracker (TRACKER@SCHEMA.TABLE)",
                inventory.apply("create a schema on the search_path, or configure the tracker's schema"));
        assertEquals("raise ratchet.datasources.inventory.lock-lease so that it outlasts the longest migration,"
                + " then run again", inventory.apply(ErrorKind.LOCK_LOST.defaultHint()));
        assertEquals("another instance is migrating this namespace; wait for it, or raise"
                + " ratchet.datasources.inventory.lock-timeout", inventory.apply(ErrorKind.LOCK_TIMEOUT.defaultHint()));
        assertEquals("if not, force version 2 (ratchet force 2, on the command line) (with --tracker"
                + " counter@schema_migrations)", inventory.apply("if not, force version 2 (force with the tracker"
                + " counter@schema_migrations)"));
        assertEquals("a hint with nothing to rewrite", inventory.apply("a hint with nothing to rewrite"));
        assertEquals("set ratchet.datasources.a$b\\c.ignore-other-trackers: true",
                SettingHints.of("a$b\\c").apply("call ignoreOtherTrackers()"), "a name is text, not a regex replacement");
    }
}
