package dev.ratchet.cli;

import dev.ratchet.AppliedMigration;
import dev.ratchet.Cutover;
import dev.ratchet.CutoverResult;
import dev.ratchet.MigrateResult;
import dev.ratchet.Namespace;
import dev.ratchet.NamespaceStatus;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.Survey;
import dev.ratchet.Version;
import dev.ratchet.VerifyResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** The subcommands. Each builds a {@link Report}; text goes out as it happens, JSON at the end. */
final class Commands {
    private Commands() {
    }

    /** Runs a command body with the shared error handling and output. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        Options options;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out;

        @Override
        public final Integer call() {
            out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Report report = new Report(spec.name(), options.maskedUrl());
            try {
                report.exitCode(run(report));
            } catch (RatchetException e) {
                report.error(e, RatchetCommand.exitCode(e));
                if (!options.json()) {
                    err.println("ratchet: " + e.getMessage());
                }
            }
            if (options.json()) {
                out.println(report.json());
            }
            out.flush();
            return report.exitCode();
        }

        /** The command; returns its exit code. */
        abstract int run(Report report);

        void text(String format, Object... args) {
            if (!options.json()) {
                out.printf(format + "%n", args);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows applied, pending and unverifiable migrations per namespace, and any problem."
                    + " Read-only: takes no lock, creates nothing.",
            footerHeading = "%nExample:%n", footer = "  ratchet status --migrations examples/quickstart --format json")
    static final class Status extends Base {
        @Override
        int run(Report report) {
            text("Status of %s", options.maskedUrl());
            int code = 0;
            List<Map<String, Object>> namespaces = new ArrayList<>();
            for (NamespaceStatus s : options.ratchet(out, options.namespaces(true)).build().status()) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("namespace", s.namespace());
                n.put("tracker", s.tracker());
                n.put("trackerInstalled", s.trackerInstalled());
                n.put("facts", new TreeMap<>(s.facts()));
                n.put("applied", Report.entries(s.applied()));
                n.put("pending", Report.names(s.pending()));
                n.put("unverifiable", Report.names(s.unverifiable()));
                n.put("warnings", s.warnings());
                n.put("problem", s.problem().map(Report::error).orElse(null));
                namespaces.add(n);
                text("namespace %s (tracker %s, table %s)", s.namespace(), s.tracker(),
                        s.trackerInstalled() ? "present" : "not created yet");
                if (!s.facts().isEmpty()) {
                    text("  tracker facts: %s", new TreeMap<>(s.facts()));
                }
                text("  applied: %d", s.applied().size());
                s.applied().forEach(e -> text("    %s%s", e.name().orElse(e.version().map(Object::toString).orElse("?")),
                        e.checksum().isEmpty() ? " (checksum unknown)" : ""));
                if (!s.unverifiable().isEmpty()) {
                    text("  unverifiable by this tracker: %d", s.unverifiable().size());
                    s.unverifiable().forEach(m -> text("    %s", m.name()));
                }
                text("  pending: %d", s.pending().size());
                s.pending().forEach(m -> text("    %s", m.name()));
                s.warnings().forEach(w -> text("  warning: %s", w));
                if (s.problem().isPresent()) {
                    text("  problem: %s", s.problem().get().getMessage());
                    code = Math.max(code, RatchetCommand.exitCode(s.problem().get()));
                }
            }
            report.put("namespaces", namespaces);
            return code;
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Shows what migrate would run now. Takes no lock and writes nothing.",
            footerHeading = "%nExample:%n", footer = "  ratchet plan --migrations db/migrations --tracker identity")
    static final class Plan extends Base {
        @Override
        int run(Report report) {
            List<Map<String, Object>> namespaces = new ArrayList<>();
            for (dev.ratchet.Plan p : options.ratchet(out, options.namespaces(true)).build().plan()) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("namespace", p.namespace().name());
                n.put("pending", Report.names(p.pending()));
                n.put("unverifiable", Report.names(p.unverifiable()));
                n.put("warnings", p.warnings());
                namespaces.add(n);
                text("namespace %s: %d pending", p.namespace().name(), p.pending().size());
                p.pending().forEach(m -> text("  %s", m.name()));
                p.warnings().forEach(w -> text("  warning: %s", w));
            }
            report.put("namespaces", namespaces);
            return 0;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Applies every pending migration of every namespace, under each namespace's lock.",
            footerHeading = "%nExamples:%n", footer = {"  ratchet migrate --migrations examples/quickstart",
            "  ratchet migrate --url jdbc:postgresql://db/app --user app --migrations db/migrations"
                    + " --tracker applied-set --bootstrap-from counter"})
    static final class Migrate extends Base {
        @Option(names = "--bootstrap-from", paramLabel = "TRACKER",
                description = "When the tracker is empty and this one holds history, move it over first.")
        String bootstrapFrom;

        @Override
        int run(Report report) {
            text("Migrating %s", options.maskedUrl());
            Ratchet.Builder b = options.ratchet(out, options.namespaces(true));
            if (bootstrapFrom != null) {
                b.bootstrapFrom(TrackerSpec.parse(bootstrapFrom));
            }
            MigrateResult result = b.build().migrate();
            List<Map<String, Object>> applied = new ArrayList<>();
            long total = 0;
            for (AppliedMigration a : result.applied()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("namespace", a.namespace());
                m.put("name", a.name());
                m.put("version", a.version().map(Object::toString).orElse(null));
                m.put("durationMs", a.duration().toMillis());
                applied.add(m);
                total += a.duration().toMillis();
            }
            report.put("applied", applied).put("warnings", result.warnings());
            text("%d migration(s) applied (%d ms); the database is up to date.", applied.size(), total);
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "The dry-run gate: runs every pending migration inside a transaction, then rolls back."
                    + " Exits 1 when a migration fails; the database is left as it was.",
            footerHeading = "%nExample:%n", footer = "  ratchet verify --url jdbc:postgresql://ci-db/app --migrations db/migrations")
    static final class Verify extends Base {
        @Override
        int run(Report report) {
            VerifyResult r = options.ratchet(out, options.namespaces(true)).build().verify();
            report.put("verified", r.verified()).put("notVerified", r.notVerified());
            r.verified().forEach(v -> text("  ok %s", v));
            r.notVerified().forEach(v -> text("  not verified: %s", v));
            if (r.failure().isPresent()) {
                RatchetException e = r.failure().get();
                report.put("failure", Report.error(e));
                text("  FAILED: %s", e.getMessage());
                return RatchetCommand.exitCode(e);
            }
            text("%d migration(s) verified and rolled back%s.", r.verified().size(),
                    r.notVerified().isEmpty() ? "" : "; " + r.notVerified().size() + " could not be verified");
            return 0;
        }
    }

    @Command(name = "baseline", mixinStandardHelpOptions = true,
            description = "Records migrations as applied without running them (identity tracker), for a schema"
                    + " created some other way. Refuses names not in code, out of order, or a namespace with rows.",
            footerHeading = "%nExample:%n",
            footer = "  ratchet baseline --tracker identity --migrations db/migrations --names 1_init,2_users")
    static final class Baseline extends Base {
        @Option(names = "--names", required = true, split = ",", paramLabel = "NAME",
                description = "The migration names to record, in code order, comma-separated.")
        List<String> names;

        @Option(names = "--of", paramLabel = "NAMESPACE", description = "The namespace (when several are given).")
        String of;

        @Override
        int run(Report report) {
            List<Namespace> namespaces = options.namespaces(true);
            String ns = Options.pick(of, namespaces);
            options.ratchet(out, namespaces).build().baseline(ns, names);
            report.put("namespace", ns).put("recorded", names);
            text("Baseline of namespace %s: %d migration(s) recorded as applied.", ns, names.size());
            return 0;
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = "Moves history from one tracker to another without running anything: lossless or"
                    + " refused, atomic, idempotent (a second run writes nothing).",
            footerHeading = "%nExample:%n",
            footer = {"  ratchet convert --from counter --to applied-set --migrations db/migrations --dry-run",
                    "  ratchet convert --from counter --to applied-set --migrations db/migrations --retire-source"})
    static final class Convert extends Base {
        @Option(names = "--from", required = true, paramLabel = "TRACKER", description = "The tracker holding the history.")
        String from;

        @Option(names = "--to", required = true, paramLabel = "TRACKER", description = "The tracker to move it to.")
        String to;

        @Option(names = "--retire-source", arity = "0..1", fallbackValue = "RENAME", paramLabel = "RENAME|DROP",
                description = "Retire the source table afterwards: rename it to <table>_retired (the default) or drop it.")
        Cutover.Retire retire;

        @Option(names = "--dry-run", description = "Print the rows it would write; change nothing.")
        boolean dryRun;

        @Override
        int run(Report report) {
            Cutover.Builder b = Cutover.builder().connections(options.connections())
                    .from(TrackerSpec.parse(from)).to(TrackerSpec.parse(to)).lockTimeout(options.lockTimeout())
                    .retire(retire == null ? Cutover.Retire.KEEP : retire);
            options.namespaces(true).forEach(b::namespace);
            Cutover cutover = b.build();
            CutoverResult r = dryRun ? cutover.dryRun() : cutover.run();
            List<Map<String, Object>> moves = new ArrayList<>();
            for (CutoverResult.NamespaceMove m : r.moves()) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("namespace", m.namespace());
                n.put("status", m.status().name());
                n.put("rows", Report.entries(m.rows()));
                moves.add(n);
                text("namespace %s: %s%s", m.namespace(), m.status(),
                        m.rows().isEmpty() ? "" : " (" + m.rows().size() + " rows)");
                m.rows().forEach(e -> text("  %s%s", e.name().orElse("?"),
                        e.checksum().map(c -> "").orElse(" (checksum unknown)")));
            }
            report.put("dryRun", r.dryRun()).put("moves", moves).put("retiredAs", r.retiredAs().orElse(null));
            r.retiredAs().ifPresent(t -> text("source table retired: %s", t));
            return 0;
        }
    }

    @Command(name = "force", mixinStandardHelpOptions = true,
            description = "Operator repair for the counter tracker: marks the namespace applied up to VERSION and"
                    + " clean, running nothing (like golang-migrate's force). Check the schema first.",
            footerHeading = "%nExample:%n", footer = "  ratchet force 41 --tracker counter --migrations db/migrations")
    static final class Force extends Base {
        @Parameters(index = "0", paramLabel = "VERSION", description = "The version to record as the last applied.")
        String version;

        @Option(names = "--of", paramLabel = "NAMESPACE", description = "The namespace (when several are given).")
        String of;

        @Override
        int run(Report report) {
            Version v;
            try {
                v = Version.parse(version);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("VERSION: " + e.getMessage());
            }
            List<Namespace> namespaces = options.namespaces(true);
            String ns = Options.pick(of, namespaces);
            options.ratchet(out, namespaces).build().force(ns, v);
            report.put("namespace", ns).put("version", v.toString());
            text("Namespace %s forced to version %s (clean).", ns, v);
            return 0;
        }
    }

    @Command(name = "trackers", mixinStandardHelpOptions = true,
            description = "Lists the installed trackers and what each finds in the database. Read-only.",
            footerHeading = "%nExample:%n", footer = "  ratchet trackers --url jdbc:postgresql://db/app --migrations db/migrations")
    static final class Trackers extends Base {
        @Override
        int run(Report report) {
            List<Namespace> namespaces = options.namespaces(false);
            List<Map<String, Object>> found = new ArrayList<>();
            for (Survey.Finding f : Survey.run(options.connections(), namespaces)) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("tracker", f.tracker());
                n.put("table", f.table());
                n.put("state", f.state().name());
                Map<String, Object> histories = new TreeMap<>();
                f.histories().forEach((ns, h) -> {
                    Map<String, Object> hm = new LinkedHashMap<>();
                    hm.put("entries", Report.entries(h.entries()));
                    hm.put("facts", new TreeMap<>(h.facts()));
                    histories.put(ns, hm);
                });
                n.put("histories", histories);
                n.put("problem", f.problem().map(Report::error).orElse(null));
                found.add(n);
                text("%-12s %-45s %s", f.tracker(), f.table(), f.state()
                        + f.problem().map(p -> " (" + p.kind() + ")").orElse(""));
                f.histories().forEach((ns, h) -> text("    namespace %s: %s", ns, h.entries().isEmpty() && h.facts().isEmpty()
                        ? "no history" : h.entries().size() + " entries " + new TreeMap<>(h.facts())));
            }
            report.put("trackers", found);
            return 0;
        }
    }

}
