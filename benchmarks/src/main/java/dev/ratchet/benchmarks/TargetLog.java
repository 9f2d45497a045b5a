package dev.ratchet.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The targets' verdicts of every full {@code scripts/bench.sh} run, one line per run and target, in
 * {@code benchmarks/runs.tsv}; and the README's table of where the targets stand over the latest
 * runs, written from it. One run's verdict moves with the hour on a shared machine; the pattern
 * over runs is what says whether a target is met.
 *
 * <p>The file is tab-separated, with a header line: {@code run} (UTC, {@code yyyy-MM-dd HH:mm}, when
 * the run started; for the runs logged from git history, the time {@code benchmarks/HISTORY.md}
 * names the run by), {@code commit} (the code it measured; a trailing {@code +} when the work tree
 * had changes), {@code target} (as RESULTS.md's "Targets" table words it), {@code measured} (the
 * leading figure of that table's cell, with its unit when it has one) and {@code met}
 * ({@code yes} or {@code no}). Lines are only ever added, or replaced by a later write of the same
 * run.
 *
 * <p>Usage: {@code TargetLog --readme README.md benchmarks/runs.tsv} rewrites the README's table
 * from the log; {@code TargetLog --add RUN COMMIT benchmarks/RESULTS.md benchmarks/runs.tsv} adds
 * a RESULTS.md's targets as run RUN (how the runs before the log existed were entered, from the
 * RESULTS.md of each in git).
 */
public final class TargetLog {
    /** The README's table starts after this line and ends before {@link #README_END}. */
    static final String README_START = "<!-- targets-over-runs:start: written by scripts/bench.sh from"
            + " benchmarks/runs.tsv; do not edit -->";
    static final String README_END = "<!-- targets-over-runs:end -->";
    /** How many of the latest runs the README's table counts. */
    static final int RUNS = 12;
    static final String HEADER = "run\tcommit\ttarget\tmeasured\tmet";

    private static final Pattern RUN = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}");
    private static final Pattern FIGURE = Pattern.compile("^(\\d+(?:\\.\\d+)?)( ×| ms| min)?");

    private TargetLog() {
    }

    /** One target's verdict in one run. */
    record Entry(String run, String commit, String target, String measured, boolean met) {
        Entry {
            if (!RUN.matcher(run).matches()) {
                throw new IllegalArgumentException("a run is named by its UTC time, yyyy-MM-dd HH:mm; got '" + run + "'");
            }
            for (String field : List.of(commit, target, measured)) {
                if (field.isBlank() || field.contains("\t") || field.contains("\n")) {
                    throw new IllegalArgumentException("a run log field must be one non-blank line without tabs; got '"
                            + field + "'");
                }
            }
        }

        double value() {
            Matcher m = FIGURE.matcher(measured);
            if (!m.find()) {
                throw new IllegalStateException("no figure in '" + measured + "'");
            }
            return Double.parseDouble(m.group(1));
        }

        String unit() {
            Matcher m = FIGURE.matcher(measured);
            return m.find() && m.group(2) != null ? m.group(2) : "";
        }

        String line() {
            return String.join("\t", run, commit, target, measured, met ? "yes" : "no");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--readme")) {
            writeReadme(Path.of(args[1]), read(Path.of(args[2])));
        } else if (args.length == 5 && args[0].equals("--add")) {
            Path log = Path.of(args[4]);
            write(log, add(read(log), fromResults(args[1], args[2], Files.readString(Path.of(args[3])))));
        } else {
            throw new IllegalArgumentException("usage: TargetLog --readme README.md RUNS.tsv"
                    + " | TargetLog --add 'yyyy-MM-dd HH:mm' COMMIT RESULTS.md RUNS.tsv");
        }
    }

    /**
     * The rows of a RESULTS.md's "Targets" table ({@code | target | measured | met |}) as one run's
     * entries, in the table's order.
     */
    static List<Entry> fromResults(String run, String commit, String results) {
        List<Entry> entries = new ArrayList<>();
        boolean inTargets = false;
        for (String line : results.split("\n")) {
            if (line.startsWith("## ")) {
                inTargets = line.equals("## Targets");
            } else if (inTargets && line.startsWith("| ") && !line.startsWith("| target |")) {
                entries.add(row(run, commit, line));
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no Targets table with rows to log");
        }
        // Runs from before the Targets table had the run's own duration: the row from the header.
        String duration = ResultsWriter.durationTarget(results);
        if (!duration.isEmpty() && entries.stream().noneMatch(e -> e.target().equals(ResultsWriter.DURATION_TARGET))) {
            entries.add(row(run, commit, duration.strip()));
        }
        return entries;
    }

    /** One row of a Targets table ({@code | target | measured | met |}) as run {@code run}'s entry. */
    private static Entry row(String run, String commit, String line) {
        String[] cells = line.split("\\|");
        if (cells.length < 4) {
            throw new IllegalArgumentException("a Targets row has three cells: " + line);
        }
        Matcher figure = FIGURE.matcher(cells[2].strip());
        if (!figure.find()) {
            throw new IllegalArgumentException("a Targets row's measured cell starts with a figure: " + line);
        }
        String met = cells[3].strip();
        if (!met.equals("yes") && !met.equals("no")) {
            throw new IllegalArgumentException("a Targets row's last cell is yes or no: " + line);
        }
        return new Entry(run, commit, cells[1].strip(), figure.group(), met.equals("yes"));
    }

    /** The log's entries, in its order; none when the file does not exist. */
    static List<Entry> read(Path log) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(log)) {
            return entries;
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalStateException(log + " does not start with the header line '" + HEADER.replace("\t", "\\t")
                    + "'");
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            if (f.length != 5 || !(f[4].equals("yes") || f[4].equals("no"))) {
                throw new IllegalStateException(log + ", line " + (i + 1) + ": expected five tab-separated fields"
                        + " ending in yes or no: " + lines.get(i));
            }
            try {
                entries.add(new Entry(f[0], f[1], f[2], f[3], f[4].equals("yes")));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(log + ", line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return entries;
    }

    /** The log with {@code run}'s entries in place of any earlier ones of the same run, runs in order. */
    static List<Entry> add(List<Entry> log, List<Entry> run) {
        Set<String> replaced = new LinkedHashSet<>();
        run.forEach(e -> replaced.add(e.run()));
        List<Entry> out = new ArrayList<>(log.stream().filter(e -> !replaced.contains(e.run())).toList());
        out.addAll(run);
        out.sort(java.util.Comparator.comparing(Entry::run)); // stable: a run's rows keep their order
        return out;
    }

    static void write(Path log, List<Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        entries.forEach(e -> text.append(e.line()).append('\n'));
        Files.writeString(log, text, StandardCharsets.UTF_8);
    }

    /**
     * Where the targets stand over the latest {@link #RUNS} runs: per target, the latest run's
     * figure, the range over the runs that measured it and how many of them met it. Targets come in
     * the latest run's order, then any that only earlier runs measured.
     */
    static String summary(List<Entry> log) {
        List<String> runs = log.stream().map(Entry::run).distinct().sorted().toList();
        if (runs.isEmpty()) {
            return "No full run is logged yet.\n";
        }
        List<String> counted = runs.subList(Math.max(0, runs.size() - RUNS), runs.size());
        Map<String, List<Entry>> byTarget = new LinkedHashMap<>();
        String latest = counted.get(counted.size() - 1);
        log.stream().filter(e -> e.run().equals(latest)).forEach(e -> byTarget.put(e.target(), new ArrayList<>()));
        log.stream().filter(e -> counted.contains(e.run()))
                .forEach(e -> byTarget.computeIfAbsent(e.target(), t -> new ArrayList<>()).add(e));
        StringBuilder t = new StringBuilder("Over the ").append(counted.size() == 1 ? "one full run" : "last "
                        + counted.size() + " full runs").append(" (").append(counted.get(0))
                .append(counted.size() == 1 ? "" : " to " + latest).append(" UTC):\n\n")
                .append("| target | latest run | lowest–highest | met |\n|---|---|---|---|\n");
        byTarget.forEach((target, entries) -> {
            Entry last = entries.get(entries.size() - 1);
            double low = entries.stream().mapToDouble(Entry::value).min().orElseThrow();
            double high = entries.stream().mapToDouble(Entry::value).max().orElseThrow();
            long met = entries.stream().filter(Entry::met).count();
            t.append("| ").append(target).append(" | ")
                    .append(last.run().equals(latest) ? last.measured() + (last.met() ? "" : ", missed") : "not measured")
                    .append(" | ").append(range(low, high, last)).append(" | ")
                    .append(met == entries.size() && met > 1 ? "all " + met : met == 0 ? "none of " + entries.size()
                            : met + " of " + entries.size()).append(" |\n");
        });
        return t.toString();
    }

    private static String range(double low, double high, Entry like) {
        int decimals = like.measured().contains(".") ? like.measured().replaceAll("^\\d+\\.(\\d+).*", "$1").length() : 0;
        String f = "%." + decimals + "f";
        String lowText = String.format(Locale.ROOT, f, low);
        String highText = String.format(Locale.ROOT, f, high);
        return (lowText.equals(highText) ? lowText : lowText + "–" + highText) + like.unit();
    }

    /** Rewrites the README's table (between the markers) from the log. */
    static void writeReadme(Path readme, List<Entry> log) throws IOException {
        String text = Files.readString(readme);
        int start = text.indexOf(README_START);
        int end = text.indexOf(README_END);
        if (start < 0 || end < start) {
            throw new IllegalStateException(readme + " has no " + README_START + " ... " + README_END + " block");
        }
        Files.writeString(readme, text.substring(0, start) + README_START + "\n\n" + summary(log) + "\n"
                + text.substring(end));
    }
}
