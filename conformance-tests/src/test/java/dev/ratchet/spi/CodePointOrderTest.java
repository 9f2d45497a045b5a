package dev.ratchet.spi;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The order {@link ExpectedRows} gives text keys where the database compares rows in key order:
 * code-point order, which is the byte order of UTF-8 (SQLite's BINARY collation), not
 * {@link String#compareTo}'s UTF-16 order.
 */
class CodePointOrderTest {

    @Provide
    Arbitrary<String> texts() {
        // Few distinct chars, so that strings share prefixes; surrogate pairs and chars on both
        // sides of the surrogates' range.
        Arbitrary<String> piece = Arbitraries.of("a", "b", "9", "\u00e9", "\ud7ff", "\ue000", "\uff21", "\uffff",
                "\ud83d\ude00", "\ud800\udc00", "\udbff\udfff");
        return piece.list().ofMaxSize(5).map(p -> String.join("", p));
    }

    @Property(tries = 2000)
    void ordersAsUtf8BytesDo(@ForAll("texts") String a, @ForAll("texts") String b) {
        int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, Integer.signum(ExpectedRows.compareCodePoints(a, b)), a + " / " + b);
    }
}
