package dev.ratchet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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

    @Provide
    Arbitrary<String> spellings() {
        Arbitrary<String> part = Arbitraries.oneOf(Arbitraries.of("0", "00", "1", "01", "007", "10", "9223372036854775807",
                "9223372036854775808", "000000000000000000000000123"), Arbitraries.strings().numeric().ofMinLength(1)
                .ofMaxLength(22));
        Arbitrary<String> separator = Arbitraries.of(".", "_");
        return Combinators.combine(part.list().ofMinSize(1).ofMaxSize(4), separator.list().ofSize(3))
                .as((parts, seps) -> {
                    StringBuilder sb = new StringBuilder(parts.get(0));
                    for (int i = 1; i < parts.size(); i++) {
                        sb.append(seps.get(i - 1)).append(parts.get(i));
                    }
                    return sb.toString();
                });
    }

    /** However a version is spelled (leading zeros, '_', trailing zero parts), its text is canonical. */
    @Property(tries = 2000)
    void theTextIsCanonicalWhateverTheSpelling(@ForAll("spellings") String spelling) {
        List<BigInteger> parts = new java.util.ArrayList<>();
        for (String p : spelling.split("[._]")) {
            parts.add(new BigInteger(p));
        }
        while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
            parts.remove(parts.size() - 1);
        }
        String canonical = String.join(".", parts.stream().map(BigInteger::toString).toList());
        assertEquals(canonical, Version.parse(spelling).toString(), spelling);
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

    /** Parts near and beyond a long's range, with leading zeros: the two representations meet here. */
    @Provide
    Arbitrary<String> edgyTexts() {
        Arbitrary<String> part = Arbitraries.oneOf(
                Arbitraries.of("0", "00", "9223372036854775807", "9223372036854775808", "09223372036854775807",
                        "18446744073709551616", "000000000000000000001", "999999999999999999", "1000000000000000000"),
                Arbitraries.strings().numeric().ofMinLength(17).ofMaxLength(21),
                Arbitraries.integers().between(0, 3).map(String::valueOf));
        return part.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join(".", parts));
    }

    private static int referenceCompare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            BigInteger p = i < x.length ? new BigInteger(x[i]) : BigInteger.ZERO;
            BigInteger q = i < y.length ? new BigInteger(y[i]) : BigInteger.ZERO;
            if (p.compareTo(q) != 0) {
                return Integer.signum(p.compareTo(q));
            }
        }
        return 0;
    }

    @Property
    void agreesWithBigIntegerArithmeticAcrossTheLongBoundary(@ForAll("edgyTexts") String a, @ForAll("edgyTexts") String b) {
        Version va = Version.parse(a);
        Version vb = Version.parse(b);
        int expected = referenceCompare(a, b);
        assertEquals(expected, Integer.signum(va.compareTo(vb)), a + " vs " + b);
        assertEquals(expected == 0, va.equals(vb));
        if (expected == 0) {
            assertEquals(va.hashCode(), vb.hashCode());
            assertEquals(va.toString(), vb.toString());
        }
        assertEquals(va, Version.parse(va.toString()));
        BigInteger single = new BigInteger(a.split("\\.")[0]);
        boolean oneLong = referenceCompare(a, single.toString()) == 0 && single.bitLength() < Long.SIZE;
        assertEquals(oneLong ? java.util.OptionalLong.of(single.longValue()) : java.util.OptionalLong.empty(),
                va.asLong(), a);
    }

    @Example
    void bothRepresentationsOfOneVersionAreEqual() {
        Version plain = Version.parse("9223372036854775807");
        Version padded = Version.parse("0009223372036854775807");
        assertEquals(plain, padded);
        assertEquals(plain.hashCode(), padded.hashCode());
        assertEquals(java.util.OptionalLong.of(Long.MAX_VALUE), padded.asLong());
        assertEquals(java.util.OptionalLong.empty(), Version.parse("9223372036854775808").asLong());
        assertEquals(java.util.OptionalLong.empty(), Version.parse("1.2").asLong());
        assertEquals(java.util.OptionalLong.of(1), Version.parse("1.0").asLong());
    }
}
