package dev.ratchet;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AppliedEntry#drift}: the one rule by which a tracker tells an edited applied migration. */
class AppliedEntryTest {
    private final Migration code = Migration.builder("1_users").version(Version.of(1))
            .sql("CREATE TABLE users (id int);").build();
    private final String sum = code.checksum().orElseThrow();

    @Test
    void theSameDigestIsNoDriftInEitherCase() {
        assertEquals(Optional.empty(), AppliedEntry.of(code).drift(code));
        assertEquals(Optional.empty(), AppliedEntry.of(code).withChecksum(Optional.of(sum.toUpperCase(Locale.ROOT)))
                .drift(code));
    }

    @Test
    void anUnknownChecksumOnEitherSideIsNoDrift() {
        assertEquals(Optional.empty(), AppliedEntry.of(code).withChecksum(Optional.empty()).drift(code));
        Migration callback = Migration.builder("1_users").version(Version.of(1)).body(c -> { }).build();
        assertEquals(Optional.empty(), callback.checksum(), "a Java callback has no text to hash");
        assertEquals(Optional.empty(), AppliedEntry.of(code).drift(callback));
    }

    @Test
    void anotherDigestIsDriftNamingTheRecordedAbbreviatedAndTheCodesInFull() {
        AppliedEntry ran = AppliedEntry.of(code).withChecksum(Optional.of("ab".repeat(32)));
        assertEquals(Optional.of("recorded abababababab..., code " + sum), ran.drift(code));
        // A checksum another tool wrote may be short: it is shown whole.
        assertEquals(Optional.of("recorded 1234, code " + sum),
                AppliedEntry.of(code).withChecksum(Optional.of("1234")).drift(code));
    }

    @Test
    void aChecksumThatHashedTheByteOrderMarkIsNoDriftButAnotherTextsIs() throws Exception {
        String text = "CREATE TABLE users (id int);";
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        String hashedWithMark = java.util.HexFormat.of().formatHex(
                sha.digest(("\uFEFF" + text).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        for (String file : List.of(text, "\uFEFF" + text)) {
            Migration m = Migration.builder("1_users").version(Version.of(1)).sql(file).build();
            assertEquals(sum, m.checksum().orElseThrow(), "the mark is not hashed");
            assertEquals(Optional.empty(), AppliedEntry.of(m).withChecksum(Optional.of(hashedWithMark)).drift(m));
        }
        Migration edited = Migration.builder("1_users").version(Version.of(1)).sql(text + " -- edited").build();
        assertTrue(AppliedEntry.of(code).withChecksum(Optional.of(hashedWithMark)).drift(edited).isPresent());
    }
}
