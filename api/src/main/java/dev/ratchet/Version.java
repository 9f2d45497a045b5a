package dev.ratchet;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A migration version: a dotted sequence of unbounded non-negative integers, compared
 * numerically part by part ({@code 1.2.10 > 1.2.9}, {@code 20191100000001000000} is fine).
 *
 * <p>Trailing zero parts carry no meaning: {@code 1.0} and {@code 1} are the same version,
 * and the canonical form ({@link #toString()}) drops them and any leading zeros
 * ({@code 0003} is {@code 3}). Two migration files whose versions differ only in such
 * zeros therefore collide, as they should.
 *
 * <pre>{@code
 * Version.parse("1.2.10").compareTo(Version.parse("1.2.9")) > 0   // true
 * Version.parse("0003").toString()                                // "3"
 * }</pre>
 */
public final class Version implements Comparable<Version> {
    private final List<BigInteger> parts;

    private Version(List<BigInteger> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses a dotted version. An underscore is accepted as a separator too
     * ({@code V1_2__x.sql} is Flyway's spelling of {@code 1.2}).
     *
     * @throws IllegalArgumentException when the text is not digits separated by dots
     */
    public static Version parse(String text) {
        Objects.requireNonNull(text, "version text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty version; expected digits such as 7 or 1.2.10");
        }
        List<BigInteger> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '.' || text.charAt(i) == '_') {
                if (i == start) {
                    throw new IllegalArgumentException("malformed version '" + text
                            + "': empty part; expected digits separated by dots, such as 1.2.10");
                }
                parts.add(new BigInteger(text.substring(start, i)));
                start = i + 1;
            } else if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw new IllegalArgumentException("malformed version '" + text
                        + "': only digits and dots are allowed, such as 1.2.10");
            }
        }
        return new Version(trim(parts));
    }

    /** A one-part version. */
    public static Version of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a version is non-negative, got " + value);
        }
        return new Version(List.of(BigInteger.valueOf(value)));
    }

    private static List<BigInteger> trim(List<BigInteger> parts) {
        int end = parts.size();
        while (end > 1 && parts.get(end - 1).signum() == 0) {
            end--;
        }
        return parts.subList(0, end);
    }

    /** The numeric parts, canonical (no trailing zero parts). */
    public List<BigInteger> parts() {
        return parts;
    }

    @Override
    public int compareTo(Version other) {
        int n = Math.max(parts.size(), other.parts.size());
        for (int i = 0; i < n; i++) {
            BigInteger a = i < parts.size() ? parts.get(i) : BigInteger.ZERO;
            BigInteger b = i < other.parts.size() ? other.parts.get(i) : BigInteger.ZERO;
            int c = a.compareTo(b);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && parts.equals(v.parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }

    /** The canonical text, for example {@code 1.2.10}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (BigInteger p : parts) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(p);
        }
        return sb.toString();
    }
}
