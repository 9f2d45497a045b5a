package dev.ratchet.cli;

import dev.ratchet.AppliedEntry;
import dev.ratchet.AppliedMigration;
import dev.ratchet.ConnectionSource;
import dev.ratchet.ErrorKind;
import dev.ratchet.MigrateResult;
import dev.ratchet.Migration;
import dev.ratchet.MigrationListener;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.NamespaceStatus;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.TransactionMode;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code ratchet} command line: a thin layer over the API for operators and scripts.
 *
 * <pre>{@code
 * ratchet migrate --url jdbc:postgresql://db/app --user app --migrations db/migrations
 * ratchet status  --migrations db/migrations          # SQLite file ./ratchet.db by default
 * }</pre>
 *
 * Exit codes: 0 success; 1 a migration failed; 2 usage error; 3 the tracker refused (or the
 * migration files are malformed); 4 lock timeout or lost lock; 5 connection or database
 * error; 6 bad configuration or unsupported database.
 */
@Command(name = "ratchet", mixinStandardHelpOptions = true, version = "ratchet 0.1.0",
        description = "Tracks which schema migrations a database has applied, and applies the rest.",
        subcommands = {RatchetCommand.Migrate.class, RatchetCommand.Status.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a migration failed", "2:usage error",
                "3:refused by the tracker, or malformed migration files", "4:lock timeout or lost lock",
                "5:connection or database error", "6:bad configuration or unsupported database"})
public final class RatchetCommand implements Runnable {
    /** The SQLite file used when no {@code --url} is given. */
    public static final String DEFAULT_URL = "jdbc:sqlite:ratchet.db";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: migrate or status");
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line in-process; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new RatchetCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof RatchetException re) {
                commandLine.getErr().println("ratchet: " + re.getMessage());
                return exitCode(re.kind());
            }
            throw e;
        });
        return cl.execute(args);
    }

    /** The exit code for an error kind. */
    public static int exitCode(ErrorKind kind) {
        return switch (kind.family()) {
            case MIGRATION -> 1;
            case SOURCE, REFUSED -> 3;
            case LOCK -> 4;
            case CONNECTION -> 5;
            case CONFIGURATION -> 6;
        };
    }

    /** Options every command shares. */
    static final class Connection {
        @Option(names = "--url", defaultValue = DEFAULT_URL,
                description = "JDBC URL (default: ${DEFAULT-VALUE}, a SQLite file in the working directory).")
        String url;

        @Option(names = "--user", description = "Database user. The password comes from RATCHET_PASSWORD.")
        String user;

        @Option(names = "--migrations", required = true, paramLabel = "DIR",
                description = "Directory of migration files (V1__x.sql, 1_x.up.sql, 1_x.sql).")
        Path migrations;

        @Option(names = "--namespace", defaultValue = Ratchet.DEFAULT_NAMESPACE,
                description = "Namespace of these migrations (default: ${DEFAULT-VALUE}).")
        String namespace;

        @Option(names = "--table", defaultValue = AppliedSetTracker.DEFAULT_TABLE,
                description = "Tracker table (default: ${DEFAULT-VALUE}).")
        String table;

        @Option(names = "--transaction-mode", defaultValue = "PER_MIGRATION",
                description = "PER_MIGRATION or CHAIN (default: ${DEFAULT-VALUE}).")
        TransactionMode transactionMode;

        @Option(names = "--lock-timeout", defaultValue = "120", paramLabel = "SECONDS",
                description = "How long to wait for another runner's lock (default: ${DEFAULT-VALUE}).")
        long lockTimeoutSeconds;

        Ratchet ratchet(PrintWriter out, boolean progress) {
            List<Migration> loaded = MigrationSource.directory(migrations).load();
            Ratchet.Builder b = Ratchet.builder()
                    .connections(ConnectionSource.url(url, user, System.getenv("RATCHET_PASSWORD")))
                    .tracker(AppliedSetTracker.builder().table(table).build())
                    .namespace(Namespace.of(namespace, loaded))
                    .transactionMode(transactionMode)
                    .lockTimeout(Duration.ofSeconds(Math.max(1, lockTimeoutSeconds)));
            if (progress) {
                b.listener(new MigrationListener() {
                    @Override
                    public void afterMigration(String ns, Migration m, Duration d) {
                        out.printf("  applied %s/%s (%d ms)%n", ns, m.name(), d.toMillis());
                        out.flush();
                    }

                    @Override
                    public void warning(String ns, String message) {
                        out.printf("  warning [%s]: %s%n", ns, message);
                    }
                });
            } else {
                b.listener(new MigrationListener() {
                });
            }
            return b.build();
        }

        String maskedUrl() {
            return ConnectionSource.maskUrl(url);
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Applies every pending migration.",
            footerHeading = "%nExample:%n",
            footer = "  ratchet migrate --migrations examples/quickstart")
    static final class Migrate implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Migrating %s%n", connection.maskedUrl());
            MigrateResult result = connection.ratchet(out, true).migrate();
            long total = result.applied().stream().map(AppliedMigration::duration).mapToLong(Duration::toMillis).sum();
            out.printf("%d migration(s) applied (%d ms); the database is up to date.%n", result.applied().size(), total);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows applied and pending migrations. Read-only.",
            footerHeading = "%nExample:%n",
            footer = "  ratchet status --migrations examples/quickstart")
    static final class Status implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Status of %s%n", connection.maskedUrl());
            int code = 0;
            for (NamespaceStatus s : connection.ratchet(out, false).status()) {
                out.printf("namespace %s (tracker %s, table %s)%n", s.namespace(), s.tracker(),
                        s.trackerInstalled() ? "present" : "not created yet");
                out.printf("  applied: %d%n", s.applied().size());
                for (AppliedEntry e : s.applied()) {
                    out.printf("    %s%s%n", e.name().orElse(e.version().map(Object::toString).orElse("?")),
                            e.checksum().isEmpty() ? " (checksum unknown)" : "");
                }
                if (!s.facts().isEmpty()) {
                    out.printf("  tracker facts: %s%n", new java.util.TreeMap<>(s.facts()));
                }
                if (!s.unverifiable().isEmpty()) {
                    out.printf("  unverifiable by this tracker: %d%n", s.unverifiable().size());
                    for (Migration m : s.unverifiable()) {
                        out.printf("    %s%n", m.name());
                    }
                }
                out.printf("  pending: %d%n", s.pending().size());
                for (Migration m : s.pending()) {
                    out.printf("    %s%n", m.name());
                }
                for (String w : s.warnings()) {
                    out.printf("  warning: %s%n", w);
                }
                if (s.problem().isPresent()) {
                    out.printf("  problem: %s%n", s.problem().get().getMessage());
                    code = Math.max(code, exitCode(s.problem().get().kind()));
                }
            }
            return code;
        }
    }

}
