package dev.ratchet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A file's checksum is computed from its bytes, without decoding them: it must always equal the
 * documented definition, SHA-256 of the strictly decoded text without a leading byte order mark
 * and with CRLF and lone CR turned into LF, and bytes that are not UTF-8 must be refused exactly
 * when strict decoding refuses them.
 */
class ChecksumProperties {

    /** The definition, on text. */
    private static String reference(String text) throws Exception {
        String normalized = (text.startsWith("\uFEFF") ? text.substring(1) : text)
                .replace("\r\n", "\n").replace('\r', '\n');
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(normalized.getBytes(StandardCharsets.UTF_8)));
    }

    private static String strictDecode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    @Provide
    Arbitrary<String> scripts() {
        Arbitrary<String> piece = Arbitraries.of("SELECT 1;", "\r\n", "\r", "\n", "\r\r\n", "\n\r", "\uFEFF", "é",
                "日本", "\uD83D\uDE00", " ", "--", "-- ratchet:no-transaction");
        return piece.list().ofMaxSize(12).map(p -> String.join("", p));
    }

    @Property(tries = 2000)
    void textsHashAsTheirNormalizedText(@ForAll("scripts") String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ScriptFiles.Content c = ScriptFiles.contentOf(bytes, "f.sql", MessageDigest.getInstance("SHA-256"));
        assertEquals(reference(text), c.checksum());
        assertEquals(text, c.text());
        assertEquals(reference(text), ScriptFiles.checksum(text));
    }

    @Property(tries = 3000)
    void anyBytesAreHashedAsDecodedOrRefused(@ForAll byte[] bytes) throws Exception {
        String decoded;
        try {
            decoded = strictDecode(bytes);
        } catch (CharacterCodingException notUtf8) {
            RatchetException e = assertThrows(RatchetException.class,
                    () -> ScriptFiles.contentOf(bytes, "f.sql", MessageDigest.getInstance("SHA-256")));
            assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind());
            return;
        }
        ScriptFiles.Content c = ScriptFiles.contentOf(bytes, "f.sql", MessageDigest.getInstance("SHA-256"));
        assertEquals(reference(decoded), c.checksum());
        assertEquals(decoded, c.text());
    }

    /** The checksum recorded while the mark was hashed: of the mark and the normalized text, with it or not. */
    @Property(tries = 1000)
    void theChecksumThatHashedTheMarkIsTheSameWithTheMarkOrWithout(@ForAll("scripts") String text) throws Exception {
        String withoutMark = text.startsWith("\uFEFF") ? text.substring(1) : text;
        net.jqwik.api.Assume.that(!withoutMark.startsWith("\uFEFF")); // a second mark is text: hashed
        String old = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("\uFEFF" + withoutMark)
                .replace("\r\n", "\n").replace('\r', '\n').getBytes(StandardCharsets.UTF_8)));
        assertEquals(old, ScriptFiles.checksumWithByteOrderMark(withoutMark));
        assertEquals(old, ScriptFiles.checksumWithByteOrderMark("\uFEFF" + withoutMark));
        assertEquals(ScriptFiles.checksum(withoutMark), ScriptFiles.checksum("\uFEFF" + withoutMark));
    }

    @Example
    void anInlineScriptAndTheSameFileHaveOneChecksum() {
        String text = "CREATE TABLE a (id int);\r\nINSERT INTO a VALUES (1);\r";
        Migration inline = Migration.builder("1_a").sql(text).build();
        assertEquals(ScriptFiles.contentOf(text.getBytes(StandardCharsets.UTF_8), "a", sha()).checksum(),
                inline.checksum().orElseThrow());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
