package dev.ratchet.internal;

import dev.ratchet.spi.ExpectedRows;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The sum, as PostgreSQL's {@code sum(bigint)} gives it, of each row's chained hash of its
 * fields, computed in Java: for fields f1 .. fn, {@code hashtextextended(fn COLLATE "C", ...
 * hashtextextended(f1 COLLATE "C", 0))}, each field's hash the seed of the next one's. A
 * condensation of rows that needs no sort and no text of all rows, or of a whole row, on the
 * server (see {@link PostgresDialect#condense}).
 *
 * <p>{@code hashtextextended} under a deterministic collation hashes the text's bytes in the
 * database's encoding with {@code hash_bytes_extended} (Bob Jenkins' lookup3, as PostgreSQL's
 * {@code src/common/hashfn.c} has it since PostgreSQL 11; hash partitioning relies on it staying
 * the same). This class encodes each text in UTF-8 and hashes it as a little-endian server does.
 * A database in another encoding, or a big-endian server, gives other sums for texts beyond
 * ASCII, or for all texts: the proof then proves nothing and the boot reads its history, which
 * costs time and never a wrong answer.
 */
final class PgTextHashes {
    private byte[] buffer = new byte[256];

    private PgTextHashes() {
    }

    /**
     * The decimal text of the sum of the rows' chained hashes, each row given as its fields, each
     * followed by {@link ExpectedRows#SEPARATOR}; empty when a field holds a lone surrogate (no
     * PostgreSQL text can hold it, and UTF-8 cannot say it).
     */
    static Optional<String> sum(List<String> rowTexts) {
        PgTextHashes h = new PgTextHashes();
        for (int i = 0, n = rowTexts.size(); i < n; i += CHUNK) {
            if (!h.add(rowTexts, i, Math.min(n, i + CHUNK))) {
                return Optional.empty();
            }
        }
        return Optional.of(BigInteger.valueOf(h.high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(h.low)))
                .toString());
    }

    /**
     * How many rows one call of {@link #add} takes: the loop over a boot's rows runs once per boot,
     * in the interpreter for a JVM's first dozen boots, while a method called 300 times a boot at
     * N = 5000 is compiled during the first (see {@code MigrationFiles.CHUNK}).
     */
    private static final int CHUNK = 16;

    /** The sum so far, as two 64-bit halves. */
    private long low;
    private long high;

    /** Adds the hashes of {@code rowTexts[from .. to)} to the sum; false for a lone surrogate. */
    private boolean add(List<String> rowTexts, int from, int to) {
        for (int i = from; i < to; i++) {
            String row = rowTexts.get(i);
            long v = 0;
            for (int start = 0, end; start < row.length(); start = end + 1) {
                end = row.indexOf(ExpectedRows.SEPARATOR, start);
                if (end < 0) {
                    end = row.length(); // a last field without its separator
                }
                int length = encode(row, start, end);
                if (length < 0) {
                    return false;
                }
                v = hashBytesExtended(buffer, length, v);
            }
            long s = low + v;
            high += (v >> 63) + (Long.compareUnsigned(s, low) < 0 ? 1 : 0);
            low = s;
        }
        return true;
    }

    /**
     * {@code s} from {@code from} to {@code to} (exclusive) in UTF-8 into the buffer; its length in
     * bytes, or -1 for a lone surrogate.
     */
    private int encode(String s, int from, int to) {
        int n = to - from;
        if (buffer.length < 3 * n) {
            buffer = new byte[Math.max(3 * n, 2 * buffer.length)];
        }
        byte[] b = buffer;
        int p = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xc0 | c >> 6);
                b[p++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == to || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return -1;
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xf0 | cp >> 18);
                b[p++] = (byte) (0x80 | cp >> 12 & 0x3f);
                b[p++] = (byte) (0x80 | cp >> 6 & 0x3f);
                b[p++] = (byte) (0x80 | cp & 0x3f);
            } else {
                b[p++] = (byte) (0xe0 | c >> 12);
                b[p++] = (byte) (0x80 | c >> 6 & 0x3f);
                b[p++] = (byte) (0x80 | c & 0x3f);
            }
        }
        return p;
    }

    private static int word(byte[] k, int i) {
        return k[i] & 0xff | (k[i + 1] & 0xff) << 8 | (k[i + 2] & 0xff) << 16 | (k[i + 3] & 0xff) << 24;
    }

    /** PostgreSQL's {@code hash_bytes_extended(k, length, seed)} on a little-endian server. */
    static long hashBytesExtended(byte[] k, int length, long seed) {
        int a = 0x9e3779b9 + length + 3923095;
        int b = a;
        int c = a;
        if (seed != 0) { // the seed as padding after the key, mixed in first
            a += (int) (seed >>> 32);
            b += (int) seed;
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
        }
        int i = 0;
        int len = length;
        while (len >= 12) {
            a += word(k, i);
            b += word(k, i + 4);
            c += word(k, i + 8);
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            i += 12;
            len -= 12;
        }
        // The last 0 to 11 bytes; the lowest byte of c stays free (the length went in above).
        if (len >= 9) {
            c += tail(k, i + 8, len - 8) << 8;
        }
        if (len >= 5) {
            b += tail(k, i + 4, Math.min(len - 4, 4));
        }
        if (len >= 1) {
            a += tail(k, i, Math.min(len, 4));
        }
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return (long) b << 32 | c & 0xffffffffL;
    }

    /** {@code count} (1 to 4) bytes from {@code i}, the first the lowest. */
    private static int tail(byte[] k, int i, int count) {
        int v = 0;
        for (int j = count - 1; j >= 0; j--) {
            v = v << 8 | k[i + j] & 0xff;
        }
        return v;
    }
}
