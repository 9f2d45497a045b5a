package dev.ratchet.cli;

import dev.ratchet.ErrorKind;
import dev.ratchet.HintTerm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineHintsTest {

    @ParameterizedTest
    @EnumSource(HintTerm.class)
    void everyTermTheApiNamesHasWordsHere(HintTerm term) {
        assertTrue(CommandLineHints.WORDS.containsKey(term), term + " has no words in CommandLineHints.WORDS");
    }


    @Test
    void theApiCallsHintsNameBecomeOptionsAndCommands() {
        assertEquals("pass migrate --bootstrap-from counter:per-namespace@public.ratchet_counter or run a cutover;"
                        + " or pass --ignore-other-trackers",
                CommandLineHints.of("configure bootstrapFrom(Trackers.byName(\"counter:per-namespace@public.ratchet_counter\"))"
                        + " or run a cutover; or call ignoreOtherTrackers()"));
        assertEquals("pass migrate --bootstrap-from with the name of that tracker (ratchet trackers prints each"
                        + " table's) or run a cutover, so that history is moved, not re-run",
                CommandLineHints.of(ErrorKind.FOREIGN_HISTORY_FOUND.defaultHint()));
        assertEquals("cut over to a writable tracker, or use the status and plan commands only",
                CommandLineHints.of("cut over to a writable tracker, or use status() and plan() only"));
        assertEquals("use --lock-strategy AUTO or LEASE with SQLite",
                CommandLineHints.of("use LockStrategy.AUTO or LEASE with SQLite"));
        assertEquals("create a schema on the search_path, or name the tracker's schema in its name, NAME@SCHEMA.TABLE"
                        + " (--tracker, --from, --to)",
                CommandLineHints.of("create a schema on the search_path, or configure the tracker's schema"));
        assertEquals("raise --lock-lease so that it outlasts the longest migration, then run again",
                CommandLineHints.of(ErrorKind.LOCK_LOST.defaultHint()));
        assertEquals("another instance is migrating this namespace; wait for it, or raise --lock-timeout",
                CommandLineHints.of(ErrorKind.LOCK_TIMEOUT.defaultHint()));
        assertEquals("inspect the schema; if migration 3 (3_add_isbn) fully applied, run ratchet force 3; if not, undo"
                        + " its partial effect and run ratchet force 2 (with --tracker counter@schema_migrations)",
                CommandLineHints.of("inspect the schema; if migration 3 (3_add_isbn) fully applied, force version 3;"
                        + " if not, undo its partial effect and force version 2 (force with the tracker"
                        + " counter@schema_migrations)"));
        assertEquals("a hint with nothing to rewrite", CommandLineHints.of("a hint with nothing to rewrite"));
    }
}
