package dev.ratchet.micronaut;

import dev.ratchet.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SettingHintsTest {
    /** A method call ({@code name(}) or a Java constant ({@code LockStrategy.AUTO}). */
    private static final Pattern API = Pattern.compile("\\b[a-z]+[A-Z]\\w*\\(|\\b[a-z]+\\(\\)|\\b[A-Z][a-z]+[A-Z]\\w*\\.[A-Z]");

    private final UnaryOperator<String> inventory = SettingHints.of("inventory");

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void noDefaultHintNamesAnApiCallInAnApplicationsSettings(ErrorKind kind) {
        String hint = inventory.apply(kind.defaultHint());
        assertFalse(API.matcher(hint).find(), kind + ": " + hint);
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
        assertEquals("a hint with nothing to rewrite", inventory.apply("a hint with nothing to rewrite"));
        assertEquals("set ratchet.datasources.a$b\\c.ignore-other-trackers: true",
                SettingHints.of("a$b\\c").apply("call ignoreOtherTrackers()"), "a name is text, not a regex replacement");
    }
}
