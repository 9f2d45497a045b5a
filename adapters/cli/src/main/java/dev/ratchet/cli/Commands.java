package dev.ratchet.cli;

import dev.ratchet.AppliedMigration;
import dev.ratchet.ChecksumManifest;
import dev.ratchet.Cutover;
import dev.ratchet.CutoverResult;
import dev.ratchet.History;
import dev.ratchet.MigrateResult;
import dev.ratchet.Migration;
import dev.ratchet.MigrationListener;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.NamespaceStatus;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.Survey;
import dev.ratchet.TransactionMode;
import dev.ratchet.Version;
import dev.ratchet.VerifyResult;
import dev.ratchet.adopt.Adoption;
import dev.ratchet.adopt.AdoptionResult;
import dev.ratchet.adopt.ForeignTool;
import dev.ratchet.adopt.LeftOut;
import dev.ratchet.adopt.LiquibaseChangelog;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** The subcommands. Each builds a {@link Report}; text goes out as it happens, JSON at the end. */
final class Commands {
    private Commands() {
    }

    /** Runs a command body with the shared error handling and output. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        Options.Output output;

        @Mixin
        Options.Sources sources;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out;

        @Override
        public final Integer call() {
            out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Options.Database database = database();
            Report report = new Report(spec.name(), database == null ? null : database.maskedUrl());
            if (database != null) {
                database.mayCreateDatabase = createsDatabase();
            }
            try {
                if (database != null && database.inMemorySqlite()) {
                    report.put("inMemoryDatabase", true);
                    note = "note: " + database.maskedUrl() + " is an in-memory SQLite database, empty when the command"
                            + " starts and gone when it ends: name a file (jdbc:sqlite:app.db) to keep what a command"
                            + " writes";
                }
                if (database != null && !database.mayCreateDatabase) {
                    database.missingSqliteFile().ifPresent(file -> {
                        report.put("missingDatabaseFile", file.toString());
                        // Printed with the command's first line: a usage error found while
                        // running is about the command line, and needs no note about the file.
                        note = String.format("note: %s does not exist; read as an empty database, and not created"
                                + " (migrate creates it)", file);
                    });
                }
                report.exitCode(run(report));
                flushNote();
            } catch (RatchetException e) {
                report.error(e, RatchetCommand.exitCode(e));
                if (!output.json()) {
                    flushNote();
                    out.flush();
                    err.println("ratchet: " + CommandLineHints.message(e));
                }
            } catch (IllegalArgumentException e) {
                // A usage error found while running (an unknown tracker, no migrations given): in
                // JSON too, so that a script reading standard output gets an object saying so.
                report.usageError(e.getMessage());
                err.println("ratchet: " + e.getMessage());
            }
            if (output.json()) {
                out.println(report.json());
            }
            out.flush();
            return report.exitCode();
        }

        /** The command; returns its exit code. */
        abstract int run(Report report);

        /** The database the command opens ({@code --url}, {@code --user}); null when it opens none. */
        Options.Database database() {
            return null;
        }

        /**
         * Whether the command may create the SQLite file {@code --url} names: only those that write
         * (the others read a missing file as an empty database and leave it missing).
         */
        boolean createsDatabase() {
            return false;
        }

        /** The note {@link #call} prints before the command's first line of text, if any. */
        private String note;

        void text(String format, Object... args) {
            if (!output.json()) {
                flushNote();
                out.printf(format + "%n", args);
            }
        }

        /** Prints the pending note, once, in text mode. */
        void flushNote() {
            if (note != null && !output.json()) {
                out.println(note);
            }
            note = null;
        }

        /** Reports and prints the rows a cutover (or an adoption) moved, per namespace. */
        void moves(Report report, CutoverResult r) {
            List<Map<String, Object>> moves = new ArrayList<>();
            for (CutoverResult.NamespaceMove m : r.moves()) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("namespace", m.namespace());
                n.put("status", m.status().name());
                n.put("rows", Report.entries(m.rows()));
                moves.add(n);
                text("namespace %s: %s%s", m.namespace(), m.status(),
                        m.status() == CutoverResult.Status.NOTHING_TO_MOVE
                                ? " (neither table holds history for it: check --url, the tables' schema and names)"
                                : m.rows().isEmpty() ? "" : " (" + m.rows().size() + (m.rows().size() == 1 ? " row)" : " rows)"));
                m.rows().forEach(e -> text("  %s%s", e.name().orElse("?"),
                        e.checksum().map(c -> "").orElse(" (checksum unknown)")));
            }
            report.put("dryRun", r.dryRun()).put("moves", moves).put("retiredAs", r.retiredAs().orElse(null));
            r.retiredAs().ifPresent(t -> text("source table retired: %s", t));
        }

    }

    /** A command that opens the database {@code --url} names. */
    abstract static class OnDatabase extends Base {
        @Mixin
        Options.Database db;

        @Override
        Options.Database database() {
            return db;
        }
    }

    /** A command that runs a tracker ({@code --tracker}) through {@link Ratchet}. */
    abstract static class WithTracker extends OnDatabase {
        @Mixin
        Options.TrackerChoice trackerChoice;

        /** The tracker {@code --tracker} names. */
        dev.ratchet.spi.Tracker tracker() {
            return trackerChoice.tracker();
        }

        /**
         * The migrations applied so far, as the report lists them: filled as each one commits, so that
         * a run that fails part way still says what it applied before the failure.
         */
        final List<Map<String, Object>> applied = new ArrayList<>();

        /**
         * Whether the text output names each migration as its body starts: where nothing commits
         * until every body has run (a chain; {@code verify}, which rolls back), so that a long run
         * says which migration it is in rather than nothing until its end.
         */
        boolean announceEachStart;

        /** How often a migration that runs longer is said to still run; zero: never. */
        Duration progressEvery = Duration.ZERO;
        private java.util.concurrent.ScheduledExecutorService ticker;
        private java.util.concurrent.ScheduledFuture<?> tick;
        /**
         * Counts the calls of {@link #progress}: a tick prints only while its own call is the last,
         * so that a tick already started when its migration ends cannot print after its
         * {@code applied} line (cancelling the tick does not stop one that has started).
         */
        private long ticks;

        /** From now on, every {@link #progressEvery}, says that {@code ns/m} still runs, until the next call or {@link #stopProgress}. */
        private synchronized void progress(String ns, Migration m) {
            long mine = ++ticks;
            if (tick != null) {
                tick.cancel(false);
                tick = null;
            }
            if (m == null || progressEvery.isZero()) {
                return;
            }
            if (ticker == null) {
                ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "ratchet-progress");
                    t.setDaemon(true);
                    return t;
                });
            }
            long started = System.nanoTime();
            PrintWriter to = output.json() ? spec.commandLine().getErr() : out;
            long every = progressEvery.toMillis();
            tick = ticker.scheduleAtFixedRate(() -> {
                synchronized (this) {
                    if (ticks != mine) {
                        return;
                    }
                    long s = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                    to.printf("  still running %s/%s (%s)%n", ns, m.name(),
                            s < 60 ? s + " s" : s / 60 + " min " + s % 60 + " s");
                    to.flush();
                }
            }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** Ends the progress lines for good: the run is over. */
        synchronized void stopProgress() {
            progress(null, null);
            if (ticker != null) {
                ticker.shutdownNow();
                ticker = null;
            }
        }

        /** A builder for {@code namespaces} on {@code --url} with {@link #tracker()}, printing progress as text. */
        Ratchet.Builder ratchet(List<Namespace> namespaces) {
            // SIGINT and SIGTERM cancel the run through the command line's own hook (RatchetCommand.stop)
            Ratchet.Builder b = Ratchet.builder().connections(db.connections()).tracker(tracker())
                    .cancelOnShutdown(Duration.ZERO);
            namespaces.forEach(b::namespace);
            return b.listener(new MigrationListener() {
                @Override
                public void beforeMigration(String ns, Migration m) {
                    progress(ns, m);
                    if (announceEachStart && !output.json()) {
                        flushNote();
                        out.printf("  running %s/%s%n", ns, m.name());
                        out.flush();
                    }
                }

                @Override
                public void afterMigration(String ns, Migration m, Duration d) {
                    progress(null, null);
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("namespace", ns);
                    a.put("name", m.name());
                    a.put("version", m.version().map(Object::toString).orElse(null));
                    a.put("durationMs", d.toMillis());
                    applied.add(a);
                    if (!output.json()) {
                        flushNote();
                        out.printf("  applied %s/%s (%d ms)%n", ns, m.name(), d.toMillis());
                        out.flush();
                    }
                }

                @Override
                public void migrationFailed(String ns, Migration m, RatchetException error) {
                    progress(null, null);
                }

                @Override
                public void warning(String ns, String message) {
                    if (!output.json()) {
                        flushNote();
                        out.printf("  warning [%s]: %s%n", ns, message);
                        out.flush();
                    }
                }
            });
        }
    }

    /** A command whose tracker compares checksums ({@code --checksum-verification}). */
    abstract static class Checking extends WithTracker {
        @Mixin
        Options.Verifying verifying;

        @Override
        dev.ratchet.spi.Tracker tracker() {
            return verifying.applyTo(super.tracker());
        }
    }

    /**
     * The options of the commands that plan from the recorded history ({@code status},
     * {@code plan}, {@code migrate}, {@code verify}): the other known trackers' tables (ignore
     * them, or move one's history first), and a database ahead of the code.
     */
    static final class OtherTrackers {
        @Option(names = "--ignore-other-trackers", description = "Do not look for a namespace's history elsewhere:"
                + " in the other known trackers' tables, in the tracker's table of another schema of the search path,"
                + " under another namespace, or in a tracker table of another name (the refusals"
                + " FOREIGN_HISTORY_FOUND, APPLIED_BY_ANOTHER_TRACKER, HISTORY_IN_ANOTHER_SCHEMA,"
                + " HISTORY_UNDER_ANOTHER_NAMESPACE and HISTORY_IN_ANOTHER_TABLE): only where such history belongs"
                + " to something else.")
        boolean ignore;

        @Option(names = "--bootstrap-from", paramLabel = "TRACKER",
                description = "When the tracker holds no history for a namespace and this one does, migrate moves it"
                        + " over first; status, plan and verify show what would run after that move, without it.")
        String bootstrapFrom;

        @Option(names = "--allow-newer-database", description = "Accept a database that a newer release migrated"
                + " further (an older release run on purpose, as in a rollback): its migrations after this code's last"
                + " are left as they are, with a warning, when this code has nothing to run.")
        boolean allowNewer;

        Ratchet.Builder applyTo(Ratchet.Builder b) {
            if (allowNewer) {
                b.allowNewerDatabase();
            }
            if (bootstrapFrom != null) {
                b.bootstrapFrom(TrackerSpec.parse(bootstrapFrom));
            }
            return ignore ? b.ignoreOtherTrackers() : b;
        }
    }

    /** The options of a history move, shared by {@code convert} and {@code adopt}. */
    static final class Move {
        @Option(names = "--to", required = true, paramLabel = "TRACKER", description = "Ratchet's tracker to move the history to.")
        String to;

        @Option(names = "--retire-source", arity = "0..1", fallbackValue = "RENAME", paramLabel = "RENAME|DROP",
                description = "Retire the source table afterwards: rename it to <table>_retired (the default) or drop it.")
        Cutover.Retire retire;

        @Option(names = "--dry-run", description = "Print the rows it would write (and what it leaves out); change nothing.")
        boolean dryRun;

        @Mixin
        Options.Locking locking;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows applied, pending and unverifiable migrations per namespace, and any problem."
                    + " Read-only: takes no lock, creates nothing.",
            footerHeading = "%nExample:%n", footer = "  ratchet status --migrations examples/quickstart --format json")
    static final class Status extends Checking {
        @Mixin
        OtherTrackers others;

        @Mixin
        Options.Waiting waiting;

        @Option(names = "--check", description = "Exit " + RatchetCommand.PENDING + " when a namespace has pending"
                + " migrations and no problem (a problem keeps its own exit code): a deploy gate that the database is"
                + " migrated, like Django's migrate --check.")
        boolean check;

        @Override
        int run(Report report) {
            Ratchet ratchet = others.applyTo(waiting.applyTo(ratchet(sources.namespaces(true)))).build();
            text("Status of %s", db.maskedUrl());
            int code = 0;
            int pending = 0;
            List<Map<String, Object>> namespaces = new ArrayList<>();
            for (NamespaceStatus s : ratchet.status()) {
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
                pending += s.pending().size();
                s.warnings().forEach(w -> text("  warning: %s", w));
                if (s.problem().isPresent()) {
                    text("  problem: %s", CommandLineHints.message(s.problem().get()));
                    code = Math.max(code, RatchetCommand.exitCode(s.problem().get()));
                }
            }
            report.put("namespaces", namespaces);
            if (check && code == 0 && pending > 0) {
                text("--check: %d pending migration(s); run migrate", pending);
                return RatchetCommand.PENDING;
            }
            return code;
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Shows what migrate would run now. Takes no lock and writes nothing.",
            footerHeading = "%nExample:%n", footer = "  ratchet plan --migrations db/migrations --tracker identity")
    static final class Plan extends Checking {
        @Mixin
        OtherTrackers others;

        @Mixin
        Options.Waiting waiting;

        @Mixin
        Options.Target target;

        @Override
        int run(Report report) {
            List<Map<String, Object>> namespaces = new ArrayList<>();
            for (dev.ratchet.Plan p : others.applyTo(waiting.applyTo(ratchet(target.applyTo(sources.namespaces(true)))))
                    .build().plan()) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("namespace", p.namespace().name());
                n.put("pending", Report.names(p.pending()));
                n.put("unverifiable", Report.names(p.unverifiable()));
                n.put("warnings", p.warnings());
                p.namespace().target().ifPresent(t -> n.put("target", t));
                namespaces.add(n);
                text("namespace %s: %d pending%s", p.namespace().name(), p.pending().size(),
                        p.namespace().target().map(t -> " up to the target " + t).orElse(""));
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
    static final class Migrate extends Checking {
        @Mixin
        OtherTrackers others;

        @Mixin
        Options.Locking locking;

        @Option(names = "--transaction-mode", paramLabel = "MODE",
                description = "PER_MIGRATION or CHAIN (default: the tracker's; CHAIN for identity).")
        TransactionMode transactionMode;

        @Mixin
        Options.Progress progress;

        @Mixin
        Options.Target target;

        @Override
        boolean createsDatabase() {
            return true;
        }

        @Override
        int run(Report report) {
            List<Namespace> namespaces = target.applyTo(sources.namespaces(true));
            announceEachStart = (transactionMode != null ? transactionMode : tracker().defaultTransactionMode())
                    == TransactionMode.CHAIN;
            progressEvery = progress.every();
            Ratchet.Builder b = others.applyTo(locking.applyTo(ratchet(namespaces)));
            if (transactionMode != null) {
                b.transactionMode(transactionMode);
            }
            Ratchet ratchet = b.build();
            text("Migrating %s", db.maskedUrl());
            report.put("applied", applied); // filled as migrations commit: kept when a later one fails
            MigrateResult result;
            try {
                result = RatchetCommand.stoppable(ratchet, ratchet::migrate);
            } finally {
                stopProgress();
            }
            long total = 0;
            for (AppliedMigration a : result.applied()) {
                total += a.duration().toMillis();
            }
            report.put("warnings", result.warnings());
            Optional<String> stop = namespaces.get(0).target();
            if (stop.isPresent()) {
                report.put("target", stop.get());
                text("%d migration(s) applied (%d ms); nothing after the target %s was run.", applied.size(), total,
                        stop.get());
            } else {
                text("%d migration(s) applied (%d ms); the database is up to date.", applied.size(), total);
            }
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "The dry-run gate: runs every pending migration inside a transaction, then rolls back."
                    + " Exits 1 when a migration fails; the database is left as it was.",
            footerHeading = "%nExample:%n", footer = "  ratchet verify --url jdbc:postgresql://ci-db/app --migrations db/migrations")
    static final class Verify extends Checking {
        @Mixin
        OtherTrackers others;

        @Mixin
        Options.Locking locking;

        @Mixin
        Options.Target target;

        @Mixin
        Options.Progress progress;

        @Override
        int run(Report report) {
            announceEachStart = true;
            progressEvery = progress.every();
            Ratchet ratchet = others.applyTo(locking.applyTo(ratchet(target.applyTo(sources.namespaces(true))))).build();
            text("Verifying %s (every migration run is rolled back)", db.maskedUrl());
            VerifyResult r;
            try {
                r = RatchetCommand.stoppable(ratchet, ratchet::verify);
            } finally {
                stopProgress();
            }
            report.put("verified", r.verified()).put("notVerified", r.notVerified()).put("warnings", r.warnings());
            r.verified().forEach(v -> text("  ok %s", v));
            r.notVerified().forEach(v -> text("  not verified: %s", v));
            if (r.failure().isPresent()) {
                RatchetException e = r.failure().get();
                report.put("failure", Report.error(e));
                text("  FAILED: %s", CommandLineHints.message(e));
                return RatchetCommand.exitCode(e);
            }
            text("%d migration(s) verified and rolled back%s.", r.verified().size(),
                    r.notVerified().isEmpty() ? "" : "; " + r.notVerified().size() + " could not be verified");
            return 0;
        }
    }

    @Command(name = "baseline", mixinStandardHelpOptions = true,
            description = "Records migrations as applied without running them (identity and applied-set trackers),"
                    + " for a schema created some other way. Refuses names not in code, out of order, or a namespace"
                    + " with rows.",
            footerHeading = "%nExamples:%n",
            footer = {"  ratchet baseline --tracker identity --migrations db/migrations --names 1_init,2_users",
                    "  ratchet baseline --migrations db/migrations --through 41_add_index"})
    static final class Baseline extends WithTracker {
        @Mixin
        Options.Locking locking;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        /** {@code --names} or {@code --through}: one of the two. */
        static final class Which {
            @Option(names = "--names", required = true, split = ",", paramLabel = "NAME",
                    description = "The migration names to record, in code order, comma-separated.")
            List<String> names;

            @Option(names = "--through", required = true, paramLabel = "NAME|VERSION",
                    description = "Record every migration of the code from the first up to and including this one,"
                            + " named or by its version (like Flyway's baseline version).")
            String through;
        }

        @Option(names = "--of", paramLabel = "NAMESPACE", description = "The namespace (when several are given).")
        String of;

        @Override
        boolean createsDatabase() {
            return true;
        }

        @Override
        int run(Report report) {
            List<Namespace> namespaces = sources.namespaces(true);
            String ns = Options.pick(of, namespaces);
            List<String> names = which.names != null ? which.names : through(which.through, namespaces.stream()
                    .filter(n -> n.name().equals(ns)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                            "--of " + ns + " names no namespace given with --migrations or --namespace")));
            locking.applyTo(ratchet(namespaces)).build().baseline(ns, names);
            report.put("namespace", ns).put("recorded", names);
            text("Baseline of namespace %s: %d migration(s) recorded as applied.", ns, names.size());
            return 0;
        }

        /** The code's names from the first through the migration named, or of that version. */
        static List<String> through(String last, Namespace ns) {
            try {
                return ns.through(last).upToTarget().stream().map(Migration::name).toList();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--through " + last + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = "Moves history from one tracker to another without running anything: lossless or"
                    + " refused, atomic, idempotent (a second run writes nothing).",
            footerHeading = "%nExample:%n",
            footer = {"  ratchet convert --from counter --to applied-set --migrations db/migrations --dry-run",
                    "  ratchet convert --from counter --to applied-set --migrations db/migrations --retire-source"})
    static final class Convert extends OnDatabase {
        @Option(names = "--from", required = true, paramLabel = "TRACKER", description = "The tracker holding the history.")
        String from;

        @Mixin
        Move move;

        @Override
        boolean createsDatabase() {
            return !move.dryRun;
        }

        @Override
        int run(Report report) {
            String to = move.to;
            Cutover.Retire retire = move.retire;
            boolean dryRun = move.dryRun;
            Cutover.Builder b = Cutover.builder().connections(db.connections())
                    .from(TrackerSpec.parse(from)).to(TrackerSpec.parse(to)).lockTimeout(move.locking.lockTimeout())
                    .lockLease(move.locking.lockLease()).lockStrategy(move.locking.lockStrategy)
                    .retire(retire == null ? Cutover.Retire.KEEP : retire);
            sources.namespaces(true).forEach(b::namespace);
            Cutover cutover = b.build();
            moves(report, dryRun ? cutover.dryRun() : cutover.run());
            return 0;
        }
    }

    @Command(name = "adopt", mixinStandardHelpOptions = true,
            description = "Adopts a database another migration tool manages: reads its history table, matches it to"
                    + " the migrations, and writes it into a Ratchet tracker, running nothing. Refuses failed,"
                    + " unfinished and unmatched entries; atomic and idempotent like convert. Stop the other tool first.",
            footerHeading = "%nTools and their tables:%n",
            footer = {"  flyway          flyway_schema_history       liquibase  databasechangelog",
                    "  golang-migrate  schema_migrations (dirty)   goose      goose_db_version",
                    "  dbmate, rails   schema_migrations           prisma     _prisma_migrations",
                    "  django          django_migrations (one --namespace per app)",
                    "%nExample:%n",
                    "  ratchet adopt --from flyway --to applied-set --migrations db/migrations --dry-run",
                    "  ratchet adopt --from django --to applied-set --namespace books=db/books --namespace authors=db/authors",
                    "  ratchet adopt --from liquibase --to applied-set --changelog db/changelog.sql --migrations db/migrations"})
    static final class Adopt extends OnDatabase {
        @Option(names = "--from", required = true, paramLabel = "TOOL",
                description = "The tool that manages the database: flyway, liquibase, golang-migrate, goose, dbmate,"
                        + " rails, prisma or django.")
        String from;

        @Mixin
        Move move;

        @Option(names = "--source-table", paramLabel = "[SCHEMA.]TABLE",
                description = "The tool's table, when not its default.")
        String sourceTable;

        @Option(names = "--allow-unmatched",
                description = "Leave out (and list) entries that match no migration instead of refusing.")
        boolean allowUnmatched;

        @Option(names = "--map", paramLabel = "ENTRY=NAME",
                description = "Map one of the tool's entries (as the refusal lists it) to a migration name; repeatable.")
        Map<String, String> names = new LinkedHashMap<>();

        @Option(names = "--changelog", paramLabel = "FILE",
                description = "Liquibase only: a changelog in formatted SQL, split into one migration per changeset"
                        + " (1_<id>.sql, 2_<id>.sql ...) written to the --migrations directory (not with --dry-run),"
                        + " each changeset mapped to its migration.")
        Path changelog;

        @Override
        boolean createsDatabase() {
            return !move.dryRun;
        }

        @Override
        int run(Report report) {
            ForeignTool tool;
            try {
                tool = ForeignTool.byName(from);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--from: " + e.getMessage());
            }
            Adoption.Builder b = Adoption.builder().connections(db.connections()).from(tool)
                    .to(TrackerSpec.parse(move.to)).lockTimeout(move.locking.lockTimeout())
                    .lockLease(move.locking.lockLease()).lockStrategy(move.locking.lockStrategy)
                    .retireSource(move.retire == null ? Cutover.Retire.KEEP : move.retire);
            if (sourceTable != null) {
                int dot = sourceTable.lastIndexOf('.');
                b.table(sourceTable.substring(dot + 1)).schema(dot < 0 ? null : sourceTable.substring(0, dot));
            }
            if (allowUnmatched) {
                b.allowUnmatched();
            }
            List<Map<String, Object>> leftOut = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            if (changelog != null) {
                split(tool, b, report, leftOut, warnings);
            } else {
                sources.namespaces(true).forEach(b::namespace);
            }
            names.forEach(b::map);
            Adoption adoption = b.build();
            AdoptionResult r = move.dryRun ? adoption.dryRun() : adoption.run();
            report.put("from", tool.cliName());
            moves(report, r.moves());
            for (LeftOut l : r.leftOut()) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("namespace", l.namespace());
                n.put("entry", l.identity());
                n.put("reason", l.reason());
                leftOut.add(n);
                text("left out of %s: %s (%s)", l.namespace(), l.identity(), l.reason());
            }
            warnings.addAll(r.warnings());
            report.put("leftOut", leftOut).put("warnings", warnings);
            warnings.forEach(w -> text("warning: %s", w));
            return 0;
        }

        /**
         * --changelog: splits it into the --migrations directory (written unless a dry run), maps
         * each changeset to its migration, and adds the namespaces.
         */
        private void split(ForeignTool tool, Adoption.Builder b, Report report, List<Map<String, Object>> leftOut,
                           List<String> warnings) {
            if (tool != ForeignTool.LIQUIBASE) {
                throw new IllegalArgumentException("--changelog is a Liquibase changelog: it takes --from liquibase");
            }
            if (sources.migrations == null) {
                throw new IllegalArgumentException("--changelog needs --migrations DIR: the directory its"
                        + " changesets are written to, one migration file each");
            }
            LiquibaseChangelog split = LiquibaseChangelog.parse(changelog);
            split.leftOut().forEach((changeset, reason) -> {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("namespace", Ratchet.DEFAULT_NAMESPACE);
                n.put("entry", changeset);
                n.put("reason", reason);
                leftOut.add(n);
                text("left out of %s: %s (%s)", changelog, changeset, reason);
            });
            split.warnings().forEach(w -> warnings.add(changelog + ": " + w));
            List<String> written = new ArrayList<>();
            if (move.dryRun) {
                split.migrations().forEach(m -> text("would write %s", sources.migrations.resolve(m.name() + ".sql")));
                b.namespace(Namespace.of(Ratchet.DEFAULT_NAMESPACE, split.migrations()));
                sources.directories(false).forEach((name, dir) -> {
                    if (!name.equals(Ratchet.DEFAULT_NAMESPACE)) {
                        b.namespace(Namespace.of(name, MigrationSource.directory(dir).load()));
                    }
                });
            } else {
                split.write(sources.migrations).forEach(f -> written.add(f.toString()));
                text("wrote %d migration(s) of %s to %s", written.size(), changelog, sources.migrations);
                sources.namespaces(true).forEach(b::namespace);
            }
            report.put("changelog", changelog.toString()).put("written", written);
            split.names().forEach(b::map);
        }
    }

    @Command(name = "force", mixinStandardHelpOptions = true,
            description = "Operator repair for the counter tracker: marks the namespace applied up to VERSION and"
                    + " clean, running nothing (like golang-migrate's force). Check the schema first.",
            footerHeading = "%nExample:%n", footer = "  ratchet force 41 --tracker counter --migrations db/migrations")
    static final class Force extends WithTracker {
        @Mixin
        Options.Locking locking;

        @Parameters(index = "0", paramLabel = "VERSION", description = "The version to record as the last applied.")
        String version;

        @Option(names = "--of", paramLabel = "NAMESPACE", description = "The namespace (when several are given).")
        String of;

        @Override
        boolean createsDatabase() {
            return true;
        }

        @Override
        int run(Report report) {
            Version v;
            try {
                v = Version.parse(version);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("VERSION: " + e.getMessage());
            }
            List<Namespace> namespaces = sources.namespaces(true);
            String ns = Options.pick(of, namespaces);
            locking.applyTo(ratchet(namespaces)).build().force(ns, v);
            report.put("namespace", ns).put("version", v.toString());
            text("Namespace %s forced to version %s (clean).", ns, v);
            return 0;
        }
    }

    @Command(name = "checksums", mixinStandardHelpOptions = true,
            description = "Writes the checksum manifest (" + ChecksumManifest.FILE_NAME + ") of the migrations"
                    + " of --migrations and of every --namespace into their directories, for a jar build: a boot"
                    + " from the jar then reads no migration file it does not apply. Run it on the copied resources"
                    + " before packaging. Reads no database.",
            footerHeading = "%nExample:%n", footer = "  ratchet checksums --migrations target/classes/db/migrations")
    static final class Checksums extends Base {
        @Override
        int run(Report report) {
            Map<String, Path> directories = sources.directories(true);
            Map<String, Object> written = new LinkedHashMap<>();
            directories.forEach((ns, dir) -> {
                Path manifest = ChecksumManifest.write(dir);
                written.put(ns, manifest.toString());
                text("namespace %s: wrote %s", ns, manifest);
            });
            report.put("manifests", written);
            return 0;
        }
    }

    @Command(name = "trackers", mixinStandardHelpOptions = true,
            description = "Lists the installed trackers and what each finds in the database. Read-only.",
            footerHeading = "%nExample:%n", footer = "  ratchet trackers --url jdbc:postgresql://db/app --migrations db/migrations")
    static final class Trackers extends OnDatabase {
        @Override
        int run(Report report) {
            List<Namespace> namespaces = sources.namespaces(false);
            List<Map<String, Object>> found = new ArrayList<>();
            for (Survey.Finding f : Survey.run(db.connections(), namespaces)) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("tracker", f.tracker());
                n.put("table", f.table());
                n.put("name", f.name());
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
                text("%-55s %s", f.name(), f.state()
                        + f.problem().map(p -> " (" + p.kind() + ")").orElse(""));
                f.histories().forEach((ns, h) -> text("    namespace %s: %s", ns, historyLine(h)));
            }
            report.put("trackers", found);
            return 0;
        }

        /** "3 entries", a counter's "{dirty=false, version=2}" alone (it lists no entries), or both. */
        static String historyLine(History h) {
            List<String> parts = new ArrayList<>();
            if (!h.entries().isEmpty()) {
                parts.add(h.entries().size() + (h.entries().size() == 1 ? " entry" : " entries"));
            }
            if (!h.facts().isEmpty()) {
                parts.add(new TreeMap<>(h.facts()).toString());
            }
            return parts.isEmpty() ? "no history" : String.join(" ", parts);
        }
    }

}
