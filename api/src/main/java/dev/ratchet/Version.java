package dev.ratchet;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

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
    /** The parts when every one fits a long (nearly always), canonical: no trailing zero part. */
    private final long[] small;
    /** The parts when one does not fit a long; else built on demand by {@link #parts()}. */
    private List<BigInteger> big;
    private final int hash;
    private String text;

    private Version(long[] small) {
        this.small = small;
        this.hash = Arrays.hashCode(small);
    }

    private Version(List<BigInteger> parts) {
        this.small = null;
        this.big = List.copyOf(parts);
        this.hash = big.hashCode();
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
        int count = 1;
        // Canonical text (dots only, no leading zeros, no trailing zero part) is kept as toString().
        boolean canonical = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' || c == '_') {
                count++;
                canonical &= c == '.';
            } else if (c < '0' || c > '9') {
                throw new IllegalArgumentException("malformed version '" + text
                        + "': only digits and dots are allowed, such as 1.2.10");
            }
        }
        long[] parts = new long[count];
        BigInteger[] huge = null;
        int start = 0;
        int k = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '.' || text.charAt(i) == '_') {
                if (i == start) {
                    throw new IllegalArgumentException("malformed version '" + text
                            + "': empty part; expected digits separated by dots, such as 1.2.10");
                }
                int from = start;
                while (from < i - 1 && text.charAt(from) == '0') {
                    from++; // leading zeros carry no meaning
                }
                canonical &= from == start;
                if (i - from <= 18) { // up to 18 digits always fit a long
                    parts[k] = Long.parseLong(text, from, i, 10);
                } else {
                    BigInteger b = new BigInteger(text.substring(from, i));
                    if (b.bitLength() < Long.SIZE) {
                        parts[k] = b.longValue();
                    } else {
                        if (huge == null) {
                            huge = new BigInteger[count];
                        }
                        huge[k] = b;
                    }
                }
                k++;
                start = i + 1;
            }
        }
        if (huge == null) {
            Version v = new Version(trim(parts));
            if (canonical && v.small.length == count) {
                v.text = text;
            }
            return v;
        }
        List<BigInteger> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(huge[i] != null ? huge[i] : BigInteger.valueOf(parts[i]));
        }
        int end = list.size();
        while (end > 1 && list.get(end - 1).signum() == 0) {
            end--;
        }
        return new Version(list.subList(0, end));
    }

    /** A one-part version. */
    public static Version of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a version is non-negative, got " + value);
        }
        return new Version(new long[] {value});
    }

    private static long[] trim(long[] parts) {
        int end = parts.length;
        while (end > 1 && parts[end - 1] == 0) {
            end--;
        }
        return end == parts.length ? parts : Arrays.copyOf(parts, end);
    }

    /** The numeric parts, canonical (no trailing zero parts). */
    public List<BigInteger> parts() {
        List<BigInteger> b = big;
        if (b == null) {
            BigInteger[] out = new BigInteger[small.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = BigInteger.valueOf(small[i]);
            }
            b = List.of(out);
            big = b;
        }
        return b;
    }

    /**
     * The version as one {@code long}, when it has a single part that fits one (what a counter
     * can store); empty otherwise.
     *
     * <pre>{@code
     * Version.parse("42").asLong()     // OptionalLong[42]
     * Version.parse("1.2").asLong()    // empty
     * }</pre>
     */
    public OptionalLong asLong() {
        return small != null && small.length == 1 ? OptionalLong.of(small[0]) : OptionalLong.empty();
    }

    @Override
    public int compareTo(Version other) {
        if (small != null && other.small != null) {
            long[] a = small;
            long[] b = other.small;
            int n = Math.max(a.length, b.length);
            for (int i = 0; i < n; i++) {
                int c = Long.compare(i < a.length ? a[i] : 0, i < b.length ? b[i] : 0);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
        List<BigInteger> a = parts();
        List<BigInteger> b = other.parts();
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = (i < a.size() ? a.get(i) : BigInteger.ZERO).compareTo(i < b.size() ? b.get(i) : BigInteger.ZERO);
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
        // Canonical forms: a version whose parts all fit a long is never held as BigIntegers.
        if (small != null || v.small != null) {
            return small != null && v.small != null && Arrays.equals(small, v.small);
        }
        return big.equals(v.big);
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
            if (small != null && small.length == 1) {
                t = Long.toString(small[0]);
            } else {
                StringBuilder sb = new StringBuilder();
                for (BigInteger p : parts()) {
                    if (sb.length() > 0) {
                        sb.append('.');
                    }
                    sb.append(p);
                }
                t = sb.toString();
            }
            text = t;
        }
        return t;
    }
}
