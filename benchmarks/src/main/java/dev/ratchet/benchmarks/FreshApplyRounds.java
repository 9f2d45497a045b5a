package dev.ratchet.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A diagnostic, not a benchmark: fresh applies of several tools taking turns in one JVM, round
 * after round, each in a new database after a server checkpoint, printing each tool's median and
 * its ratio to the floor's. The JMH benchmark runs each tool in its own process, one block of
 * iterations after another, so a slow minute of the machine (its disk, a neighbour's load) falls
 * on one tool; taking turns spreads it over all of them, at the price of sharing one JVM.
 * Arguments: N, rounds, tools (comma-separated {@link Tool} names, FLOOR among them), and
 * optionally the database ({@code postgresql}, the default, or {@code sqlite}). The databases
 * live where {@link BenchDatabase} puts them (RATCHET_BENCH_TABLESPACE, RATCHET_BENCH_SQLITE_DIR).
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.ratchet.benchmarks.FreshApplyRounds 5000 5 FLOOR,RATCHET_APPLIED_SET
 * }</pre>
 */
public final class FreshApplyRounds {
    private FreshApplyRounds() {
    }

    /** Each tool's apply times in milliseconds, in round order; one untimed round first. */
    static Map<Tool, List<Double>> run(int n, int rounds, List<Tool> tools, String kind) {
        Map<Tool, List<Double>> times = new LinkedHashMap<>();
        tools.forEach(t -> times.put(t, new ArrayList<>()));
        try (Workload w = Workload.create(n)) {
            for (int round = -1; round < rounds; round++) {
                for (Tool tool : tools) {
                    try (BenchDatabase db = BenchDatabase.create(kind)) {
                        db.checkpoint();
                        long t0 = System.nanoTime();
                        tool.migrate(db, w);
                        if (round >= 0) {
                            times.get(tool).add((System.nanoTime() - t0) / 1e6);
                        }
                    }
                }
            }
        }
        return times;
    }

    static double median(List<Double> values) {
        return ResultsWriter.median(values.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<Tool> tools = new ArrayList<>();
        for (String name : args[2].split(",")) {
            tools.add(Tool.valueOf(name.strip()));
        }
        String kind = args.length > 3 ? args[3] : "postgresql";
        Map<Tool, List<Double>> times = run(n, rounds, tools, kind);
        Double floor = times.containsKey(Tool.FLOOR) ? median(times.get(Tool.FLOOR)) : null;
        times.forEach((tool, ms) -> System.out.printf("%s, %s, N=%d: median %.0f ms%s; rounds %s%n", tool.label, kind, n,
                median(ms), floor == null ? "" : String.format(" (%.2f x floor)", median(ms) / floor),
                ms.stream().map(v -> String.format("%.0f", v)).toList()));
    }
}
