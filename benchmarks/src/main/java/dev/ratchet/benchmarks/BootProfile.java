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
 * else, so it tells whether a change to the boot path helps even on a loaded machine. It also
 * prints what the rest of a boot's wall time is made of: how long the booting thread waited for a
 * CPU, how many pages it touched for the first time (page faults, each costing what
 * {@link PageTouch} measures), and, with a PostgreSQL server on this machine, the page faults of
 * the boot's server backend.
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

    /**
     * How long the calling thread has waited on a run queue so far (ready to run, no CPU free for
     * it), in nanoseconds, from {@code /proc/thread-self/schedstat} (Linux); 0 elsewhere. A boot's
     * wall time is its thread's CPU time, this wait, and the time it blocks (on the database
     * server, on a file).
     */
    static long runQueueWait() {
        try {
            String[] stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/schedstat"))
                    .strip().split(" ");
            return Long.parseLong(stat[1]);
        } catch (java.io.IOException | RuntimeException unavailable) {
            return 0;
        }
    }

    /**
     * The calling thread's minor page faults so far, from {@code /proc/thread-self/stat} (Linux;
     * 0 elsewhere): each is a page the kernel had to map (zeroed memory, or memory reclaimed since
     * its last use) before the thread could touch it.
     */
    static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
            // after the command name, which is in parentheses and may hold spaces: state is field 3, minflt field 10
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[7]);
        } catch (java.io.IOException | RuntimeException unavailable) {
            return 0;
        }
    }

    /**
     * The process id of the PostgreSQL server's postmaster, from its {@code postmaster.pid}, when
     * the server runs on this machine and that file is readable; null otherwise.
     */
    static String postmasterPid(BenchDatabase db) {
        if (!db.kind.equals("postgresql")) {
            return null;
        }
        try (java.sql.Connection c = db.dataSource.getConnection();
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SHOW data_directory")) {
            rs.next();
            java.nio.file.Path pidFile = java.nio.file.Path.of(rs.getString(1), "postmaster.pid");
            String pid = java.nio.file.Files.readAllLines(pidFile).get(0).strip();
            return postmasterFaults(pid) >= 0 ? pid : null;
        } catch (java.sql.SQLException | java.io.IOException | RuntimeException unavailable) {
            return null;
        }
    }

    /**
     * The minor page faults of the postmaster's children that have ended so far (its
     * {@code cminflt}), or -1. A boot's connection has a backend process of its own, which ends
     * when the boot closes the connection: the difference across a boot is that backend's faults,
     * its start included.
     */
    private static long postmasterFaults(String pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
            // after the command name: cminflt is field 11
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[8]);
        } catch (java.io.IOException | RuntimeException unavailable) {
            return -1;
        }
    }

    /** The postmaster's count once the boot's backend has ended (it is waited for up to a second). */
    private static long endedBackendFaults(String postmaster, long before) {
        long now = postmasterFaults(postmaster);
        for (int waited = 0; now == before && waited < 1000; waited += 5) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = postmasterFaults(postmaster);
        }
        return now;
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
            double[] waiting = new double[measured];
            double[] faults = new double[measured];
            double[] serverFaults = new double[measured];
            String postmaster = postmasterPid(db);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            java.util.Map<String, Long> before = Map.of();
            for (int i = -5; i < measured; i++) {
                if (i == 0) {
                    before = threadCpu();
                }
                long p0 = os.getProcessCpuTime();
                long q0 = runQueueWait();
                long f0 = minorFaults();
                long s0 = postmaster == null ? 0 : postmasterFaults(postmaster);
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                tool.migrate(db, w);
                if (i >= 0) {
                    wall[i] = (System.nanoTime() - t0) / 1e6;
                    cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                    process[i] = (os.getProcessCpuTime() - p0) / 1e6;
                    waiting[i] = (runQueueWait() - q0) / 1e6;
                    faults[i] = minorFaults() - f0;
                }
                if (postmaster != null) {
                    long ended = endedBackendFaults(postmaster, s0);
                    if (i >= 0) {
                        serverFaults[i] = ended - s0;
                    }
                }
            }
            java.util.Map<String, Long> after = threadCpu();
            double[] cpuByBoot = cpu.clone();
            Arrays.sort(wall);
            Arrays.sort(cpu);
            Arrays.sort(process);
            Arrays.sort(waiting);
            Arrays.sort(faults);
            System.out.printf("%s N=%d: wall median %.1f ms (min %.1f), booting thread CPU median %.1f ms (min %.1f),"
                            + " booting thread waiting for a CPU median %.1f ms, its page faults median %.0f"
                            + " (min %.0f, max %.0f), process CPU median %.1f ms%n",
                    tool, n, wall[measured / 2], wall[0], cpu[measured / 2], cpu[0], waiting[measured / 2],
                    faults[measured / 2], faults[0], faults[measured - 1], process[measured / 2]);
            StringBuilder each = new StringBuilder("  booting thread CPU ms, boot by boot:");
            for (double c : cpuByBoot) {
                each.append(String.format(" %.1f", c));
            }
            System.out.println(each);
            if (postmaster != null) {
                Arrays.sort(serverFaults);
                System.out.printf("  the boot's server backend: page faults median %.0f (min %.0f, max %.0f)%n",
                        serverFaults[measured / 2], serverFaults[0], serverFaults[measured - 1]);
            }
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
