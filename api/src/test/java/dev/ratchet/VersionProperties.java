package dev.ratchet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Version comparison is a total order consistent with equals, and numeric part by part. */
class VersionProperties {

    @Provide
    Arbitrary<Version> versions() {
        Arbitrary<String> part = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 12).map(String::valueOf),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25));
        return part.list().ofMinSize(1).ofMaxSize(4).map(parts -> Version.parse(String.join(".", parts)));
    }

    @Property
    void antisymmetric(@ForAll("versions") Version a, @ForAll("versions") Version b) {
        assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)));
    }

    @Property
    void transitive(@ForAll("versions") Version a, @ForAll("versions") Version b, @ForAll("versions") Version c) {
        if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) {
            assertTrue(a.compareTo(c) <= 0, a + " <= " + b + " <= " + c);
        }
    }

    @Property
    void consistentWithEquals(@ForAll("versions") Version a, @ForAll("versions") Version b) {
        assertEquals(a.compareTo(b) == 0, a.equals(b));
        if (a.equals(b)) {
            assertEquals(a.hashCode(), b.hashCode());
        }
    }

    @Property
    void canonicalTextRoundTrips(@ForAll("versions") Version v) {
        assertEquals(v, Version.parse(v.toString()));
        assertEquals(v.toString(), Version.parse(v.toString()).toString());
    }

    @Property
    void agreesWithBigIntegerOnSinglePartVersions(@ForAll("versions") Version a, @ForAll("versions") Version b) {
        if (a.parts().size() == 1 && b.parts().size() == 1) {
            assertEquals(Integer.signum(a.parts().get(0).compareTo(b.parts().get(0))), Integer.signum(a.compareTo(b)));
        }
    }

    @Example
    void numericPartByPart() {
        assertTrue(Version.parse("1.2.10").compareTo(Version.parse("1.2.9")) > 0);
        assertTrue(Version.parse("10").compareTo(Version.parse("9")) > 0);
        assertTrue(Version.parse("1.10").compareTo(Version.parse("1.9.99")) > 0);
        assertEquals(Version.parse("1"), Version.parse("1.0.0"));
        assertEquals("3", Version.parse("0003").toString());
        assertEquals("1.2", Version.parse("1_2").toString());
    }

    @Example
    void longVersionsAreNotParsedIntoALong() {
        Version v = Version.parse("20191100000001000000");
        assertEquals(List.of(new BigInteger("20191100000001000000")), v.parts());
        assertTrue(v.compareTo(Version.parse("9223372036854775807")) > 0);
    }

    @Example
    void malformedVersionsAreRefused() {
        for (String bad : List.of("", "1..2", ".1", "1.", "v1", "1.a", "-1", "1 2")) {
            assertThrows(IllegalArgumentException.class, () -> Version.parse(bad), bad);
        }
    }
}
