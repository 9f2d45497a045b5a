package dev.ratchet.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Map;

/**
 * A diagnostic, not a benchmark: the up-to-date boots of one tool in this JVM (as the JMH
 * benchmark runs them: 5 warm-up, then 10), printing the median wall time and the median CPU
 * time of the booting thread and of the whole process (every thread: background readers, JIT,
 * GC; the database server's own work is not in it). CPU time hardly moves when the machine is busy with something
 * else, so it tells whether a change to the boot path helps even on a loaded machine.
 * Arguments: tool (a {@link Tool} name), N, and optionally the number of measured boots and the
 * database ({@code postgresql}, the default, or {@code sqlite}).
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.ratchet.benchmarks.BootProfile RATCHET_COUNTER 5000
 * }</pre>
 */
public final class BootProfile {
    private BootProfile() {
    }

    /**
     * Run time of every thread of this process so far, in nanoseconds, summed by thread kind
     * (the name without its number), from {@code /proc/self/task/<tid>/schedstat} (Linux): JIT
     * compiler and GC threads are not visible to {@link ThreadMXBean}. Empty elsewhere.
     */
    static Map<String, Long> threadCpu() {
        Map<String, Long> out = new java.util.TreeMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return out;
        }
        for (java.io.File task : tasks) {
            try {
                String name = java.nio.file.Files.readString(task.toPath().resolve("comm")).strip()
                        .replaceAll("[#0-9-]+$", "").strip();
                String stat = java.nio.file.Files.readString(task.toPath().resolve("schedstat")).strip();
                out.merge(name, Long.parseLong(stat.substring(0, stat.indexOf(' '))), Long::sum);
            } catch (java.io.IOException | RuntimeException gone) {
                // the thread ended meanwhile
            }
        }
        return out;
    }

    public static void main(String[] args) {
        Tool tool = Tool.valueOf(args[0]);
        int n = Integer.parseInt(args[1]);
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String kind = args.length > 3 ? args[3] : "postgresql";
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Workload w = Workload.create(n);
             BenchDatabase db = BenchDatabase.applied(kind, tool, n, w)) {
            double[] wall = new double[measured];
            double[] cpu = new double[measured];
            double[] process = new double[measured];
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            java.util.Map<String, Long> before = Map.of();
            for (int i = -5; i < measured; i++) {
                if (i == 0) {
                    before = threadCpu();
                }
                long p0 = os.getProcessCpuTime();
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                tool.migrate(db, w);
                if (i >= 0) {
                    wall[i] = (System.nanoTime() - t0) / 1e6;
                    cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                    process[i] = (os.getProcessCpuTime() - p0) / 1e6;
                }
            }
            java.util.Map<String, Long> after = threadCpu();
            Arrays.sort(wall);
            Arrays.sort(cpu);
            Arrays.sort(process);
            System.out.printf("%s N=%d: wall median %.1f ms (min %.1f), booting thread CPU median %.1f ms (min %.1f),"
                            + " process CPU median %.1f ms%n",
                    tool, n, wall[measured / 2], wall[0], cpu[measured / 2], cpu[0], process[measured / 2]);
            java.util.Map<String, Long> start = before;
            StringBuilder perThread = new StringBuilder("  CPU per boot by thread:");
            after.forEach((name, ns) -> {
                double ms = (ns - start.getOrDefault(name, 0L)) / 1e6 / measured;
                if (ms >= 0.1) {
                    perThread.append(String.format(" %s %.1f ms;", name, ms));
                }
            });
            System.out.println(perThread);
        }
    }
}
