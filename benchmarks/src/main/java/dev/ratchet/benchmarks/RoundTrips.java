package dev.ratchet.benchmarks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts, from the server side, the statements each tool sends for one up-to-date boot: the
 * boot runs as a role whose {@code log_statement} is {@code all}, and the lines that role adds
 * to the PostgreSQL log are counted. Usage: {@code RoundTrips LOGFILE N[,N...] OUTFILE}: every tool
 * is counted at each N, so that a count that grows with the history shows. The databases are the
 * up-to-date boot benchmark's prepared ones ({@code scripts/bench.sh} drops them afterwards).
 */
public final class RoundTrips {
    private static final String ROLE = "ratchet_roundtrips";

    private RoundTrips() {
    }

    /** The tools counted: every up-to-date boot the benchmarks time. */
    static final Tool[] TOOLS = {Tool.RATCHET_APPLIED_SET, Tool.RATCHET_APPLIED_SET_JAR, Tool.RATCHET_COUNTER,
        Tool.RATCHET_IDENTITY, Tool.RATCHET_APPLIED_SET_UNVERIFIED, Tool.FLYWAY, Tool.LIQUIBASE, Tool.FLOOR};

    /** Writes {@code TOOL@N=count} lines to OUTFILE. */
    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        int[] sizes = java.util.Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        String server = BenchDatabase.server();
        BenchDatabase.exec(server, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE
                + "') THEN CREATE ROLE " + ROLE + " LOGIN SUPERUSER; END IF; END $$");
        BenchDatabase.exec(server, "ALTER ROLE " + ROLE + " SET log_statement = 'all'");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int n : sizes) {
            try (Workload w = Workload.create(n)) {
                for (Tool tool : TOOLS) {
                    // The up-to-date boot benchmark's database when bench.sh ran it (applying N
                    // again would cost minutes, Flyway's most), otherwise prepared here the same way.
                    try (BenchDatabase db = BenchDatabase.applied("postgresql", tool, n, w)) {
                        String url = db.url.replaceAll("user=[^&]*", "user=" + ROLE);
                        BenchDatabase asRole = BenchDatabase.attach(db, url);
                        long before = Files.size(log);
                        tool.migrate(asRole, w);
                        Thread.sleep(300); // let the server flush its log
                        counts.put(tool.name() + "@" + n, count(log, before));
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        counts.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        Files.writeString(Path.of(args[2]), out);
        System.out.print(out);
    }

    private static int count(Path log, long from) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(from);
            byte[] bytes = new byte[(int) (f.length() - from)];
            f.readFully(bytes);
            int count = 0;
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (line.contains(ROLE + "@") && (line.contains("LOG:  statement:") || line.contains("LOG:  execute"))) {
                    count++;
                }
            }
            return count;
        }
    }
}
