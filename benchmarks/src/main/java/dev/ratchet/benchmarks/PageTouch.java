package dev.ratchet.benchmarks;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the first touch of a memory page costs this machine, in microseconds: the kernel maps and
 * zeroes the page (and a virtual machine's host may have to back it first). {@code scripts/bench.sh}
 * prints it in RESULTS.md's header, because a boot that allocates fresh memory, in the JVM or in
 * the database server's backend, pays it per page: well under a microsecond on most hardware, about
 * 12 µs on the virtual machine these benchmarks were first run on.
 *
 * <p>Each round allocates a direct buffer of 64 MB (the JDK zeroes it, touching every page for the
 * first time), then writes it whole again (the same writes, with every page already mapped); the
 * difference, per page, is the first touch. The median of five rounds is printed.
 */
public final class PageTouch {
    private static final int PAGE = 4096;
    private static final int PAGES = 16_384;

    private PageTouch() {
    }

    /** Microseconds per first touch of a page, the median of {@code rounds} rounds. */
    static double microsPerPage(int rounds) {
        double[] each = new double[rounds];
        byte[] zeros = new byte[1 << 20];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            ByteBuffer fresh = ByteBuffer.allocateDirect(PAGES * PAGE);
            long first = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            fresh.clear();
            while (fresh.hasRemaining()) {
                fresh.put(zeros);
            }
            long again = System.nanoTime() - t1;
            each[r] = Math.max(0, first - again) / 1e3 / PAGES;
        }
        Arrays.sort(each);
        return each[rounds / 2];
    }

    public static void main(String[] args) {
        microsPerPage(1); // the code compiled and the JDK's buffer classes loaded before the measured rounds
        System.out.printf(java.util.Locale.ROOT, "%.1f%n", microsPerPage(5));
    }
}
