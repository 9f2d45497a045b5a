package dev.ratchet.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A diagnostic, not a benchmark: the up-to-date boots of one tool in this JVM (as the JMH
 * benchmark runs them: 5 warm-up, then 10), printing the median wall time and the median CPU
 * time of the booting thread. CPU time hardly moves when the machine is busy with something
 * else, so it tells whether a change to the boot path helps even on a loaded machine.
 * Arguments: tool (a {@link Tool} name), N, and optionally the number of measured boots.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.ratchet.benchmarks.BootProfile RATCHET_COUNTER 5000
 * }</pre>
 */
public final class BootProfile {
    private BootProfile() {
    }

    public static void main(String[] args) {
        Tool tool = Tool.valueOf(args[0]);
        int n = Integer.parseInt(args[1]);
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Workload w = Workload.create(n);
             BenchDatabase db = BenchDatabase.prepared("postgresql", "applied " + tool + " " + n,
                     fresh -> tool.migrate(fresh, w))) {
            double[] wall = new double[measured];
            double[] cpu = new double[measured];
            for (int i = -5; i < measured; i++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                tool.migrate(db, w);
                if (i >= 0) {
                    wall[i] = (System.nanoTime() - t0) / 1e6;
                    cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                }
            }
            Arrays.sort(wall);
            Arrays.sort(cpu);
            System.out.printf("%s N=%d: wall median %.1f ms (min %.1f), booting thread CPU median %.1f ms (min %.1f)%n",
                    tool, n, wall[measured / 2], wall[0], cpu[measured / 2], cpu[0]);
        }
    }
}
