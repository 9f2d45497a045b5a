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
    /** The same parts as longs when every part fits one (nearly always): the fast comparisons. */
    private final long[] small;
    private final int hash;
    private String text;

    private Version(List<BigInteger> parts) {
        this.parts = List.copyOf(parts);
        long[] longs = new long[this.parts.size()];
        for (int i = 0; i < longs.length; i++) {
            BigInteger p = this.parts.get(i);
            if (p.bitLength() >= Long.SIZE) {
                longs = null;
                break;
            }
            longs[i] = p.longValue();
        }
        this.small = longs;
        this.hash = this.parts.hashCode();
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
        List<BigInteger> parts = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '.' || text.charAt(i) == '_') {
                if (i == start) {
                    throw new IllegalArgumentException("malformed version '" + text
                            + "': empty part; expected digits separated by dots, such as 1.2.10");
                }
                // Up to 18 digits always fit a long, which parses far faster than a BigInteger.
                parts.add(i - start <= 18 ? BigInteger.valueOf(Long.parseLong(text, start, i, 10))
                        : new BigInteger(text.substring(start, i)));
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
        if (small != null && other.small != null) {
            int n = Math.max(small.length, other.small.length);
            for (int i = 0; i < n; i++) {
                int c = Long.compare(i < small.length ? small[i] : 0, i < other.small.length ? other.small[i] : 0);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
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
        if (!(o instanceof Version v) || hash != v.hash) {
            return false;
        }
        return small != null && v.small != null ? java.util.Arrays.equals(small, v.small) : parts.equals(v.parts);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The canonical text, for example {@code 1.2.10}. */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            StringBuilder sb = new StringBuilder();
            for (BigInteger p : parts) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(p);
            }
            t = sb.toString();
            text = t;
        }
        return t;
    }
}
