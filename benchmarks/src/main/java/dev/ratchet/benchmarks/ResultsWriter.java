package dev.ratchet.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns JMH's JSON results (and the round-trip counts) into {@code benchmarks/RESULTS.md}:
 * medians with min–max and the ratio of each tool to the plain-JDBC floor, then the targets.
 * Usage: {@code ResultsWriter OUT.md ROUNDTRIPS.txt HEADER.txt RESULT.json...}.
 */
public final class ResultsWriter {
    private ResultsWriter() {
    }

    /**
     * One measured configuration. {@code rounds} holds one time per JMH result merged into it (the
     * median of that result's measured iterations: a fresh apply's one, a boot's ten), in the
     * order the results were given, when there were several (the tools took turns, one process per
     * tool and round: see {@code scripts/bench.sh}); empty for a single JMH trial.
     * {@code perRound} is how many measured iterations a round had (the most of any round).
     */
    record Row(String benchmark, String db, int n, String tool, double median, double min, double max,
               List<Double> rounds, int perRound) {
    }

    private static final String READ_FILES = "READ_FILES";
    private static final String READ_SOURCE = "READ_SOURCE";
    private static final String STATEMENTS_ALONE = "STATEMENTS_ALONE";

    /** Writes the report. */
    public static void main(String[] arguments) throws Exception {
        // --readme FILE: also rewrite the README's quoted excerpt (between the markers below).
        // --log FILE RUN COMMIT: also add this run's targets to the run log (TargetLog) as run RUN
        // of COMMIT, and, with --readme, rewrite the README's table of the targets over runs.
        Path readme = null;
        Path log = null;
        String run = null;
        String commit = null;
        String[] args = arguments;
        while (args.length > 0 && args[0].startsWith("--")) {
            if (args[0].equals("--readme") && args.length > 1) {
                readme = Path.of(args[1]);
                args = Arrays.copyOfRange(args, 2, args.length);
            } else if (args[0].equals("--log") && args.length > 3) {
                log = Path.of(args[1]);
                run = args[2];
                commit = args[3];
                args = Arrays.copyOfRange(args, 4, args.length);
            } else {
                throw new IllegalArgumentException("unknown option or missing value: " + args[0]);
            }
        }
        Path out = Path.of(args[0]);
        String roundTrips = Files.exists(Path.of(args[1])) ? Files.readString(Path.of(args[1])) : "";
        String header = Files.readString(Path.of(args[2]));
        List<Row> rows = rows(Arrays.asList(args).subList(3, args.length).stream().map(Path::of).toList());
        StringBuilder md = new StringBuilder(header).append('\n');
        Map<String, String> tables = new java.util.HashMap<>();
        Map<String, String> titles = Map.of(
                "upToDateBoot", "Up-to-date boot (a fresh runner, nothing pending)",
                "firstBoot", "First boot in a new JVM (the same boot, as an application's first: one per JVM)",
                "freshApply", "Fresh apply of N trivial migrations",
                "status", "Status with N applied",
                "cutover", "Cutover of an N-row history (applied-set to identity)");
        for (String benchmark : List.of("upToDateBoot", "firstBoot", "freshApply", "status", "cutover")) {
            Map<String, List<Row>> groups = new TreeMap<>();
            rows.stream().filter(r -> r.benchmark().equals(benchmark))
                    .forEach(r -> groups.computeIfAbsent(r.db() + "|" + String.format("%06d", r.n()), k -> new ArrayList<>()).add(r));
            if (groups.isEmpty()) {
                continue;
            }
            md.append("\n## ").append(titles.get(benchmark)).append("\n");
            for (List<Row> group : groups.values()) {
                Row first = group.get(0);
                double floor = group.stream().filter(r -> r.tool().equals("FLOOR")).mapToDouble(Row::median).findFirst()
                        .orElse(Double.NaN);
                StringBuilder table = new StringBuilder("| tool | median ms | min–max ms | × floor |\n|---|---:|---:|---:|\n");
                group.sort(java.util.Comparator.comparingDouble(Row::median));
                for (Row r : group) {
                    table.append("| ").append(label(r.tool())).append(" | ").append(fmt(r.median())).append(" | ")
                            .append(fmt(r.min())).append("–").append(fmt(r.max())).append(" | ")
                            .append(Double.isNaN(floor) ? "" : String.format("%.2f", r.median() / floor)).append(" |\n");
                }
                md.append("\n**").append(first.db()).append(", N = ").append(first.n()).append("**\n\n").append(table);
                tables.put(benchmark + " " + first.db() + " " + first.n(), table.toString());
            }
        }
        Map<String, java.util.SortedMap<Integer, Integer>> counted = statementCounts(roundTrips);
        if (!counted.isEmpty()) {
            java.util.SortedSet<Integer> sizes = new java.util.TreeSet<>();
            counted.values().forEach(c -> sizes.addAll(c.keySet()));
            StringBuilder table = new StringBuilder("| tool |");
            sizes.forEach(n -> table.append(" N = ").append(n).append(" |"));
            table.append("\n|---|").append("---:|".repeat(sizes.size())).append('\n');
            counted.forEach((tool, c) -> {
                table.append("| ").append(label(tool)).append(" |");
                sizes.forEach(n -> table.append(' ').append(c.containsKey(n) ? String.valueOf(c.get(n)) : "").append(" |"));
                table.append('\n');
            });
            md.append("\n## Statements per up-to-date boot (PostgreSQL statement log)\n\n").append(table);
            tables.put("statements", table.toString());
        }
        String targets = targetTable(rows) + statementTarget(counted) + durationTarget(header);
        md.append("\n## Targets\n\n").append(targets).append(gap(rows, counted)).append(applyGap(rows)).append(rounds(rows));
        // The run's entries are made before anything is written: a Targets table the log cannot
        // take stops the run's writing here, with RESULTS.md and the README as they were.
        List<TargetLog.Entry> logged = log == null ? null
                : TargetLog.add(TargetLog.read(log), TargetLog.fromResults(run, commit, md.toString()));
        Files.writeString(out, md);
        if (logged != null) {
            TargetLog.write(log, logged);
        }
        if (readme != null) {
            tables.put("targets", targets);
            writeReadme(readme, tables, header);
            if (logged != null) {
                TargetLog.writeReadme(readme, logged);
            }
        }
    }

    /**
     * The rows of JMH's JSON result files. Results of one configuration found in several files
     * (or several times in one) are merged into one row: their times are pooled, and each
     * result's median is kept, in order, as one of the row's rounds.
     */
    static List<Row> rows(List<Path> files) throws IOException {
        record Key(String table, String db, int n, String tool) {
        }
        Map<Key, List<List<Double>>> results = new java.util.LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (Path file : files) {
            for (JsonNode r : json.readTree(file.toFile())) {
                String benchmark = r.get("benchmark").asText().replaceAll(".*\\.", "");
                JsonNode params = r.get("params");
                List<Double> raw = new ArrayList<>();
                r.at("/primaryMetric/rawData").forEach(fork -> fork.forEach(v -> raw.add(v.asDouble())));
                String tool = params.has("tool") ? params.get("tool").asText()
                        : benchmark.equals("readFiles") ? READ_FILES
                        : benchmark.equals("readSource") ? READ_SOURCE
                        : benchmark.equals("statementsAlone") ? STATEMENTS_ALONE : "RATCHET_CUTOVER";
                // The baselines are shown in the tables of what they are a baseline for.
                String table = benchmark.equals("readFiles") || benchmark.equals("readSource") ? "upToDateBoot"
                        : benchmark.equals("statementsAlone") ? "freshApply" : benchmark;
                results.computeIfAbsent(new Key(table, params.get("db").asText(), params.get("n").asInt(), tool),
                        k -> new ArrayList<>()).add(raw);
            }
        }
        List<Row> rows = new ArrayList<>();
        results.forEach((key, raws) -> {
            double[] values = raws.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).sorted().toArray();
            List<Double> rounds = raws.size() > 1
                    ? raws.stream().map(r -> median(r.stream().mapToDouble(Double::doubleValue).sorted().toArray()))
                    .toList() : List.of();
            rows.add(new Row(key.table(), key.db(), key.n(), key.tool(), median(values), values[0],
                    values[values.length - 1], rounds, raws.stream().mapToInt(List::size).max().orElse(0)));
        });
        return rows;
    }

    /**
     * The tables measured in rounds: each tool's time in every round, in order, and the median of
     * its per-round ratio to the floor's time of the same round.
     */
    static String rounds(List<Row> rows) {
        StringBuilder g = new StringBuilder();
        Map<String, List<Row>> groups = new TreeMap<>();
        rows.stream().filter(r -> !r.rounds().isEmpty()).forEach(r -> groups.computeIfAbsent(r.benchmark() + "|"
                + r.db() + "|" + String.format("%06d", r.n()), k -> new ArrayList<>()).add(r));
        for (List<Row> group : groups.values()) {
            Row first = group.stream().max(java.util.Comparator.comparingInt(r -> r.rounds().size())).orElseThrow();
            List<Double> floor = group.stream().filter(r -> r.tool().equals("FLOOR")).map(Row::rounds).findFirst()
                    .orElse(List.of());
            boolean boot = first.benchmark().equals("upToDateBoot");
            g.append("\n## ").append(boot ? "Up-to-date boot" : first.benchmark().equals("freshApply") ? "Fresh apply"
                            : first.benchmark())
                    .append(", ").append(first.db()).append(", N = ").append(first.n())
                    .append(": the tools taking turns\n\nThis table's figures come from ").append(first.rounds().size())
                    .append(boot ? " rounds. In each round every tool below booted in a JMH process of its own (a new"
                            + " JVM, 5 untimed boots, then " + first.perRound() + " measured; the round's time is the"
                            + " median of the " + first.perRound() + ")"
                            : " rounds. In each round every tool below applied in a JMH process of its own (a new"
                            + " JVM, its untimed applies, then " + (first.perRound() == 1 ? "one measured apply in a"
                            + " new database" : first.perRound() + " measured applies, each in a new database")
                            + (first.db().equals("postgresql") ? " after a server CHECKPOINT" : "")
                            + (first.perRound() == 1 ? ")" : "; the round's time is the median of the "
                            + first.perRound() + ")"))
                    .append("; a tool with fewer times took part in the first rounds only, and one that took"
                            + " part in the first round alone is in the main table only. The order rotated from"
                            + " round to round, so that a slow minute of this shared machine falls on every tool"
                            + " rather than on one tool's block of iterations. Times in ms, round by round; the main"
                            + " table above pools every measured iteration of the rounds; \"paired\" is the"
                            + " median over the rounds of the tool's time divided by the floor's time in the same"
                            + " round.\n\n| tool | rounds (ms) | paired × floor |\n|---|---|---:|\n");
            group.sort(java.util.Comparator.comparingDouble(Row::median));
            for (Row r : group) {
                String paired = "";
                if (!floor.isEmpty()) {
                    double[] ratios = new double[Math.min(floor.size(), r.rounds().size())];
                    for (int i = 0; i < ratios.length; i++) {
                        ratios[i] = r.rounds().get(i) / floor.get(i);
                    }
                    Arrays.sort(ratios);
                    paired = String.format("%.2f", median(ratios));
                }
                g.append("| ").append(label(r.tool())).append(" | ")
                        .append(String.join(", ", r.rounds().stream().map(ResultsWriter::fmt).toList())).append(" | ")
                        .append(paired).append(" |\n");
            }
        }
        return g.toString();
    }

    /** The README's excerpt starts after this line and ends before {@link #README_END}. */
    static final String README_START = "<!-- bench-results:start: written by scripts/bench.sh from the tables of"
            + " benchmarks/RESULTS.md; do not edit -->";
    static final String README_END = "<!-- bench-results:end -->";

    /** Replaces the README's excerpt with this run's main tables (the whole run is in RESULTS.md). */
    private static void writeReadme(Path readme, Map<String, String> tables, String header) throws IOException {
        String text = Files.readString(readme);
        int start = text.indexOf(README_START);
        int end = text.indexOf(README_END);
        if (start < 0 || end < start) {
            throw new IllegalStateException(readme + " has no " + README_START + " ... " + README_END + " block");
        }
        String date = header.replaceAll("(?s).*Written by `scripts/bench.sh` on ([0-9-]+).*", "$1");
        StringBuilder x = new StringBuilder(README_START).append("\n\nFrom the run of ").append(date)
                .append(" (medians; × floor is the ratio to the plain-JDBC floor in the same table).\n");
        String[][] quoted = {
                {"upToDateBoot postgresql 5000", "Up-to-date boot, PostgreSQL, N = 5000"},
                {"upToDateBoot sqlite 1000", "Up-to-date boot, SQLite, N = 1000"},
                {"firstBoot postgresql 5000", "First boot in a new JVM, PostgreSQL, N = 5000"},
                {"freshApply postgresql 5000", "Fresh apply, PostgreSQL, N = 5000"},
                {"statements", "Statements per up-to-date boot, counted in the PostgreSQL statement log"},
                {"targets", "Targets"}};
        for (String[] q : quoted) {
            if (tables.containsKey(q[0])) {
                x.append("\n").append(q[1]).append(":\n\n").append(tables.get(q[0]));
            }
        }
        Files.writeString(readme, text.substring(0, start) + x + "\n" + text.substring(end));
    }

    static String targetTable(List<Row> rows) {
        StringBuilder t = new StringBuilder("| target | measured | met |\n|---|---|---|\n");
        for (String db : List.of("postgresql", "sqlite")) {
            int big = db.equals("postgresql") ? 5000 : 1000;
            int mid = db.equals("postgresql") ? 1000 : 100;
            for (String tracker : List.of("RATCHET_APPLIED_SET", "RATCHET_APPLIED_SET_JAR", "RATCHET_IDENTITY",
                    "RATCHET_COUNTER", "RATCHET_APPLIED_SET_UNVERIFIED")) {
                ratio(t, rows, "upToDateBoot", db, big, tracker, "FLOOR", 1.5,
                        "up-to-date boot, " + db + ", N = " + big + ", " + label(tracker) + " ≤ 1.5 × floor");
            }
            ratio(t, rows, "freshApply", db, big, "RATCHET_APPLIED_SET", "FLOOR", 1.15,
                    "fresh apply, " + db + ", N = " + big + ", per-migration ≤ 1.15 × floor");
            ratio(t, rows, "freshApply", db, big, "RATCHET_APPLIED_SET_CHAIN", "FLOOR", 1.0,
                    "fresh apply, " + db + ", N = " + big + ", chain < per-migration floor");
            find(rows, "freshApply", db, big, "RATCHET_APPLIED_SET").ifPresent(b -> find(rows, "freshApply", db, mid,
                    "RATCHET_APPLIED_SET").ifPresent(m -> {
                double growth = b.median() / m.median();
                double limit = 5.5 * big / (mid * 5.0);
                // The floor's own growth beside it: the database's work per migration grows with
                // its catalog, for every tool, and more in some runs than in others.
                Optional<Row> fb = find(rows, "freshApply", db, big, "FLOOR");
                Optional<Row> fm = find(rows, "freshApply", db, mid, "FLOOR");
                String floor = fb.isPresent() && fm.isPresent()
                        ? String.format(" (floor %.2f)", fb.get().median() / fm.get().median()) : "";
                // Measured in rounds, each tool's two sizes back to back: the growth round by round too.
                String paired = pairedGrowth(b, m).map(g -> String.format("; round by round %.2f", g)
                        + (fb.isPresent() && fm.isPresent() ? pairedGrowth(fb.get(), fm.get())
                        .map(f -> String.format(" (floor %.2f)", f)).orElse("") : "")).orElse("");
                t.append("| fresh apply, ").append(db).append(", time(").append(big).append(") / time(").append(mid)
                        .append(") ≤ ").append(String.format("%.1f", limit)).append(" (linear) | ")
                        .append(judged(growth, limit)).append(floor).append(paired).append(" | ")
                        .append(growth <= limit ? "yes" : "no").append(" |\n");
            }));
        }
        find(rows, "cutover", "postgresql", 5000, "RATCHET_CUTOVER").ifPresent(c -> t.append("| cutover of 5,000 rows, postgresql, < 1 s | ")
                .append(fmt(c.median())).append(" ms | ").append(c.median() < 1000 ? "yes" : "no").append(" |\n"));
        return t.toString();
    }

    /**
     * The median over the rounds of {@code big}'s time divided by {@code mid}'s in the same round,
     * when both were measured in the same rounds (two or more); empty otherwise.
     */
    static Optional<Double> pairedGrowth(Row big, Row mid) {
        int n = big.rounds().size();
        if (n < 2 || mid.rounds().size() != n) {
            return Optional.empty();
        }
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            ratios[i] = big.rounds().get(i) / mid.rounds().get(i);
        }
        Arrays.sort(ratios);
        return Optional.of(median(ratios));
    }

    /**
     * The statement log's counts, per tool and N ({@code TOOL@N=count} lines, as {@link RoundTrips}
     * writes them; a {@code TOOL=count} line, as runs before 2026-12-04's last wrote, counted
     * N = 5000 alone).
     */
    static Map<String, java.util.SortedMap<Integer, Integer>> statementCounts(String roundTrips) {
        Map<String, java.util.SortedMap<Integer, Integer>> counts = new java.util.LinkedHashMap<>();
        for (String line : roundTrips.strip().split("\n")) {
            String[] kv = line.split("=");
            if (kv.length == 2) {
                String[] toolAt = kv[0].strip().split("@");
                int n = toolAt.length == 2 ? Integer.parseInt(toolAt[1]) : 5000;
                counts.computeIfAbsent(toolAt[0], t -> new TreeMap<>()).put(n, Integer.parseInt(kv[1].strip()));
            }
        }
        return counts;
    }

    private static final java.util.regex.Pattern TOOK =
            java.util.regex.Pattern.compile("This run of `scripts/bench.sh` took (\\d+) minutes");

    /**
     * The target on the run itself: {@code scripts/bench.sh} end to end in at most 30 minutes,
     * building included, as the header's whole minutes (rounded up) say. Empty for a quick or
     * subset run, whose time says nothing about a full run's, and for a header without the time.
     */
    static String durationTarget(String header) {
        java.util.regex.Matcher took = TOOK.matcher(header);
        if (!took.find() || header.contains("(quick run") || header.contains("(BENCH_ONLY)")) {
            return "";
        }
        int minutes = Integer.parseInt(took.group(1));
        return "| " + DURATION_TARGET + " | " + minutes + " min | " + (minutes <= 30 ? "yes" : "no") + " |\n";
    }

    /** The duration target's text in the Targets table. */
    static final String DURATION_TARGET = "scripts/bench.sh end to end, building included, ≤ 30 min";

    /** The sizes in words: "N = 5000", "N = 1000 and 5000", "N = 100, 1000 and 5000". */
    private static String sizes(java.util.Collection<Integer> sizes) {
        List<String> n = sizes.stream().map(String::valueOf).toList();
        return "N = " + (n.size() == 1 ? n.get(0)
                : String.join(", ", n.subList(0, n.size() - 1)) + " and " + n.get(n.size() - 1));
    }

    /**
     * The statements per up-to-date boot, as counted in this run: Ratchet's (one figure when every
     * tracker sends as many) against the floor's; empty when they were not counted.
     */
    static String statementsPerBoot(Map<String, java.util.SortedMap<Integer, Integer>> counts) {
        java.util.SortedSet<Integer> ratchet = new java.util.TreeSet<>();
        java.util.SortedSet<Integer> sizes = new java.util.TreeSet<>();
        boolean constant = true;
        for (var e : counts.entrySet()) {
            if (e.getKey().startsWith("RATCHET")) {
                ratchet.addAll(e.getValue().values());
                sizes.addAll(e.getValue().keySet());
                constant &= new java.util.HashSet<>(e.getValue().values()).size() == 1;
            }
        }
        var floorCounts = counts.get("FLOOR");
        if (ratchet.isEmpty() || floorCounts == null) {
            return "";
        }
        java.util.SortedSet<Integer> floor = new java.util.TreeSet<>(floorCounts.values());
        String each = ratchet.size() == 1 ? String.valueOf(ratchet.first()) : ratchet.first() + " to " + ratchet.last();
        String where = sizes.size() > 1 && constant ? "whatever N (counted at " + sizes(sizes) + ")" : "at " + sizes(sizes);
        return " (" + each + " per boot " + where + ", against the floor's "
                + (floor.size() == 1 ? floor.first() : floor.first() + " to " + floor.last()) + ")";
    }

    /**
     * The target on statements: every Ratchet tracker's up-to-date boot sends at most 5, and as
     * many at every N counted. Empty when the statements were not counted.
     */
    static String statementTarget(Map<String, java.util.SortedMap<Integer, Integer>> counts) {
        java.util.SortedSet<Integer> sizes = new java.util.TreeSet<>();
        int most = 0;
        List<String> growing = new ArrayList<>();
        for (var e : counts.entrySet()) {
            if (e.getKey().startsWith("RATCHET")) {
                sizes.addAll(e.getValue().keySet());
                most = Math.max(most, e.getValue().values().stream().mapToInt(Integer::intValue).max().orElse(0));
                if (new java.util.HashSet<>(e.getValue().values()).size() > 1) {
                    List<String> each = new ArrayList<>();
                    e.getValue().forEach((n, c) -> each.add(c + " at N = " + n));
                    growing.add(label(e.getKey()) + ": " + String.join(", ", each));
                }
            }
        }
        if (sizes.isEmpty()) {
            return "";
        }
        boolean met = most <= 5 && growing.isEmpty();
        return "| statements per up-to-date boot, postgresql, every ratchet tracker, ≤ 5"
                + (sizes.size() > 1 ? " and the same at " + sizes(sizes) : " at " + sizes(sizes)) + " | " + most
                + (growing.isEmpty() ? "" : " (" + String.join("; ", growing) + ")") + " | " + (met ? "yes" : "no")
                + " |\n";
    }

    /**
     * What the up-to-date boot's remaining gap to the floor is made of, with this run's figures and
     * the statements per boot that the statement log counted.
     */
    static String gap(List<Row> rows, Map<String, java.util.SortedMap<Integer, Integer>> statementCounts) {
        StringBuilder g = new StringBuilder("\n## What the up-to-date boot's gap to the floor is made of\n\n");
        g.append("The floor lists the migration files' names and never opens them. A tracker that verifies checksums"
                + " (applied-set, and identity, which warns on drift) must read and hash every file on every boot:"
                + " that is the whole point of the check, and Flyway does it too. Two baselines measure that work"
                + " without any database, in a JVM as young as the boots' (5 warm-up, 10 measured iterations):"
                + " \"reading the N files alone\" (one thread, open-read-close each) and \"ratchet's source alone\""
                + " (Ratchet listing the directory, then reading and hashing every file on its background readers"
                + " and the calling thread, as a runner does).\n\n");
        for (String db : List.of("postgresql", "sqlite")) {
            int big = db.equals("postgresql") ? 5000 : 1000;
            var read = find(rows, "upToDateBoot", db, big, READ_FILES);
            var source = find(rows, "upToDateBoot", db, big, READ_SOURCE);
            var floor = find(rows, "upToDateBoot", db, big, "FLOOR");
            var applied = find(rows, "upToDateBoot", db, big, "RATCHET_APPLIED_SET");
            var counter = find(rows, "upToDateBoot", db, big, "RATCHET_COUNTER");
            var unverified = find(rows, "upToDateBoot", db, big, "RATCHET_APPLIED_SET_UNVERIFIED");
            if (read.isPresent() && source.isPresent() && floor.isPresent() && applied.isPresent()
                    && counter.isPresent()) {
                double f = floor.get().median();
                g.append("- ").append(db).append(", N = ").append(big).append(": the floor's whole boot takes ")
                        .append(fmt(f)).append(" ms. Reading the files alone takes ").append(fmt(read.get().median()))
                        .append(" ms on one thread (").append(String.format("%.2f", read.get().median() / f))
                        .append(" × the floor); Ratchet's source alone, on every core, ")
                        .append(fmt(source.get().median())).append(" ms (")
                        .append(String.format("%.2f", source.get().median() / f)).append(" ×). The counter tracker,"
                                + " which keeps no checksums and opens no file when nothing is pending, boots in ")
                        .append(fmt(counter.get().median())).append(" ms (")
                        .append(String.format("%.2f", counter.get().median() / f)).append(" ×); the applied-set"
                                + " tracker in ").append(fmt(applied.get().median())).append(" ms (")
                        .append(String.format("%.2f", applied.get().median() / f)).append(" ×), against ")
                        .append(fmt(counter.get().median() + source.get().median()))
                        .append(" ms for the counter's boot and the source's reading one after the other.");
                unverified.ifPresent(u -> {
                    double rest = u.median() - counter.get().median();
                    g.append(" The same tracker with checksum verification off (checksums recorded, not compared:"
                                    + " its boot reads no file) boots in ").append(fmt(u.median())).append(" ms (")
                            .append(String.format("%.2f", u.median() / f)).append(" ×): of the applied-set tracker's ")
                            .append(fmt(applied.get().median() - counter.get().median()))
                            .append(" ms over the counter, ").append(fmt(applied.get().median() - u.median()))
                            .append(" ms are the reading and hashing of the files and ")
                            .append(rest > 0 ? fmt(rest) + " ms" : "nothing measurable (" + fmt(rest) + " ms)")
                            .append(" its proof that the table holds exactly the code (one query and one row whatever N:"
                                    + " the database condenses its N rows into one value, where the counter reads one"
                                    + " row and the floor N rows of one column).");
                });
                find(rows, "upToDateBoot", db, big, "RATCHET_APPLIED_SET_JAR").ifPresent(j -> g.append(
                        " From a jar with a checksum manifest, the same tracker, checksums compared, boots in ")
                        .append(fmt(j.median())).append(" ms (").append(String.format("%.2f", j.median() / f))
                        .append(" ×): the build hashed the files, and the boot reads the manifest and compares each"
                                + " entry's CRC-32 and size, which the jar's directory records, with its line."));
                g.append("\n");
            }
        }
        g.append("\nSo what separates a checksum-verifying tracker from the counter is the reading of the"
                + " files; the number of statements is not it" + statementsPerBoot(statementCounts) + ". On SQLite the"
                + " floor's whole boot is a few milliseconds (no server, no connection set-up), so Ratchet's fixed"
                + " per-boot work and its per-file work in a young JVM (names, versions, migrations, plan) weigh"
                + " more there, even for the counter. On this 2-core machine the boot"
                + " is CPU-bound: the readers, the booting thread, the JIT compiler threads of a young JVM and the"
                + " PostgreSQL backend share two cores, so the reading overlaps with the database work only in part."
                + " For a checksum tracker to stay within 1.5 × the floor, reading and hashing N files would have to"
                + " cost less than half of the floor's whole boot; the baselines above show it costs about as much"
                + " as that boot, or more; the applied-set row with verification off shows the same tracker without"
                + " that reading. A checksum manifest (`ratchet checksums`, or `ChecksumManifest.write`, at build"
                + " time) moves the reading to the build for migrations shipped in a jar: that row shows a"
                + " verifying boot without it; a directory of files has no such record to trust, and is read."
                + " Fresh memory is a further part of the gap on this machine, where the first touch"
                + " of a page costs what the header says. Every boot's connection starts a new PostgreSQL backend,"
                + " which touches fresh memory too. The proof query sums a 64-bit hash of each row, with no sort and"
                + " no text of all rows, and its backend touches little more than the counter's: measured with"
                + " `BootProfile` on 2026-12-03 (PostgreSQL N = 5000), a boot's backend touched 885 pages for the"
                + " floor's boot, 991 for the counter's, 1,013 for the applied-set tracker's without verification"
                + " and 1,150 for its boot from a jar (its start included); on 2026-12-04, after the tracker"
                + " table's description changed from one join of three catalogs to two short statements, 808, 935,"
                + " 953 and 943 (1,030, 1,009 and 999 for the three Ratchet boots just before it; the floor's"
                + " unchanged). Until late on 2026-12-03 the proof hashed"
                + " the rows' text in version order, and the sort and the text made the backend touch 380 to 635"
                + " pages more than the counter's, 4 to 8 ms of each boot at 10 to 12 µs a page (HISTORY.md,"
                + " the log of the project's performance work, has the server times of both queries)."
                + " `dev.ratchet.benchmarks.BootProfile` (in the benchmarks jar) prints, per boot for one tool,"
                + " the CPU time of every thread, the booting thread's wait for a CPU and its page faults, and the"
                + " page faults of the boot's server backend, for looking into this on another machine.\n");
        return g.toString();
    }

    /** What a fresh apply's time is made of, with this run's figures. */
    private static String applyGap(List<Row> rows) {
        StringBuilder g = new StringBuilder("\n## What a fresh apply's time is made of\n\n");
        g.append("A baseline runs the workload's statements alone, in one transaction, with no tracker at all: what"
                + " the database itself spends on the N schema changes, which every tool pays. On PostgreSQL it sends"
                + " each migration's two statements together, as one JDBC batch (one round trip), as Ratchet sends"
                + " a body there; on SQLite, where there are no round trips, one at a time.\n\n");
        boolean any = false;
        for (String db : List.of("postgresql", "sqlite")) {
            int big = db.equals("postgresql") ? 5000 : 1000;
            var alone = find(rows, "freshApply", db, big, STATEMENTS_ALONE);
            var floor = find(rows, "freshApply", db, big, "FLOOR");
            var perMigration = find(rows, "freshApply", db, big, "RATCHET_APPLIED_SET");
            var chain = find(rows, "freshApply", db, big, "RATCHET_APPLIED_SET_CHAIN");
            if (alone.isEmpty() || floor.isEmpty() || perMigration.isEmpty() || chain.isEmpty()) {
                continue;
            }
            any = true;
            double f = floor.get().median();
            g.append("- ").append(db).append(", N = ").append(big).append(": the statements alone take ")
                    .append(fmt(alone.get().median())).append(" ms (")
                    .append(String.format("%.2f", alone.get().median() / f)).append(" × the floor's ").append(fmt(f))
                    .append(" ms); the floor adds one tracker insert and one commit per migration. The applied-set"
                            + " tracker, per migration, sends ")
                    .append(db.equals("postgresql") ? "the floor's statements (BEGIN, the body, one tracker insert,"
                            + " COMMIT), the body's two as one batch: three round trips per migration where the floor"
                            + " makes four," : "the floor's statements, and at most once a second the renewal of its"
                            + " lease (one UPDATE in that migration's transaction)")
                    .append(" and takes ").append(fmt(perMigration.get().median())).append(" ms (")
                    .append(String.format("%.2f", perMigration.get().median() / f)).append(" ×); in chain mode (one"
                            + " transaction: the bodies, then the N tracker rows in one batch) ")
                    .append(fmt(chain.get().median())).append(" ms (")
                    .append(String.format("%.2f", chain.get().median() / f)).append(" ×).\n");
        }
        if (!any) {
            return "";
        }
        g.append("\nThe statements alone bound every tool from below. On PostgreSQL a commit costs little here"
                + " (synchronous_commit = off, for every tool), so a chain saves at most what separates the floor"
                + " from the statements alone: per migration, a commit, a tracker insert's round trip and, as both"
                + " send a body as one batch, the round trip of the body's second statement; on a disk"
                + " the server also syncs each new table's primary-key index file"
                + " before its CREATE TABLE returns, in a chain or not, which is why these databases live on tmpfs"
                + " when bench.sh can arrange it (see the header). On SQLite a commit also writes, syncs and deletes"
                + " the rollback journal, which a chain does once. Between tools that send the same statements, a"
                + " difference of a few percent is within the spread of one tool's own iterations (the min–max"
                + " columns): the database server shares this machine's two cores (with CPU time taken by the"
                + " host from minute to minute) and its WAL disk. Where a table was measured in rounds (below),"
                + " the tools took turns, and each tool's paired ratio compares it with the floor of the same"
                + " round.\n");
        return g.toString();
    }

    private static void ratio(StringBuilder t, List<Row> rows, String benchmark, String db, int n, String tool,
                              String base, double limit, String text) {
        var a = find(rows, benchmark, db, n, tool);
        var b = find(rows, benchmark, db, n, base);
        if (a.isPresent() && b.isPresent()) {
            double r = a.get().median() / b.get().median();
            t.append("| ").append(text).append(" | ").append(judged(r, limit)).append(" × | ")
                    .append(r <= limit ? "yes" : "no").append(" |\n");
        }
    }

    /**
     * {@code value} with two decimals, or with as many more as it takes (up to six) for the text
     * not to read as the limit itself when the value is on one side of it: a ratio of 1.503
     * against a limit of 1.5 reads 1.503, so that the table does not say "1.50 ×, no".
     */
    static String judged(double value, double limit) {
        String limitText = String.format("%.2f", limit);
        String text = String.format("%.2f", value);
        for (int digits = 3; text.equals(limitText) && value != limit && digits <= 6; digits++) {
            text = String.format("%." + digits + "f", value);
            limitText = String.format("%." + digits + "f", limit);
        }
        return text;
    }

    private static java.util.Optional<Row> find(List<Row> rows, String benchmark, String db, int n, String tool) {
        return rows.stream().filter(r -> r.benchmark().equals(benchmark) && r.db().equals(db) && r.n() == n
                && r.tool().equals(tool)).findFirst();
    }

    /** The median of sorted values. */
    static double median(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static String fmt(double ms) {
        return ms >= 100 ? String.format("%.0f", ms) : String.format("%.1f", ms);
    }

    private static String label(String tool) {
        return Arrays.stream(Tool.values()).filter(t -> t.name().equals(tool)).map(t -> t.label).findFirst()
                .orElse(tool.equals("RATCHET_CUTOVER") ? "ratchet cutover"
                        : tool.equals(READ_FILES) ? "reading the N files alone (no database)"
                        : tool.equals(READ_SOURCE) ? "ratchet's source alone: list, read and hash the N files on"
                                + " the readers (no database)"
                        : tool.equals(STATEMENTS_ALONE) ? "the workload's statements alone, one transaction, no tracker"
                        : tool);
    }
}
