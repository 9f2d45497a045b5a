package dev.ratchet.cli;

import dev.ratchet.ErrorKind;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code ratchet} command line: a thin layer over the API for operators and conversion
 * scripts. Every command prints human text, or with {@code --format json} one JSON object
 * (see {@link Report}); exit codes are stable and documented in {@code --help}.
 *
 * <pre>{@code
 * ratchet migrate --url jdbc:postgresql://db/app --user app --migrations db/migrations
 * ratchet status  --migrations db/migrations --format json   # SQLite file ./ratchet.db by default
 * ratchet convert --from counter --to applied-set --migrations db/migrations --retire-source
 * }</pre>
 */
@Command(name = "ratchet", mixinStandardHelpOptions = true, version = "ratchet 0.1.0",
        description = "Tracks which schema migrations a database has applied, applies the rest, and moves"
                + " history between tracking strategies.",
        subcommands = {Commands.Status.class, Commands.Plan.class, Commands.Migrate.class, Commands.Verify.class,
                Commands.Baseline.class, Commands.Convert.class, Commands.Adopt.class, Commands.Force.class, Commands.Trackers.class,
                Commands.Checksums.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:a migration failed (MIGRATION family)",
                "2:usage error",
                "3:refused by the tracker, or malformed migration files (REFUSED and SOURCE families)",
                "4:lock timeout, lost lock or concurrent apply (LOCK family)",
                "5:connection or database error (CONNECTION family)",
                "6:bad configuration or unsupported database (CONFIGURATION family)",
                "7:status --check: migrations are pending",
                "130, 143:stopped by SIGINT or SIGTERM: the running migration was cancelled and rolled back, the lock released"})
public final class RatchetCommand implements Runnable {
    /** The exit code of {@code status --check} when migrations are pending. */
    static final int PENDING = 7;

    /** The SQLite file used when no {@code --url} is given. */
    public static final String DEFAULT_URL = "jdbc:sqlite:ratchet.db";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: status, plan, migrate, verify, baseline, convert, adopt, force, trackers or checksums");
    }

    /** How long SIGINT or SIGTERM waits for a cancelled run to roll back and release its lock. */
    static final Duration STOP_WAIT = Duration.ofSeconds(20);

    /** The run in progress (migrate, verify), which SIGINT and SIGTERM cancel. */
    private static final AtomicReference<Ratchet> RUNNING = new AtomicReference<>();

    /** Counted down once the command has said how it ended: the JVM then may halt. */
    private static final CountDownLatch SAID = new CountDownLatch(1);

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(RatchetCommand::stop, "ratchet-stop"));
        int code;
        try {
            code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        } finally {
            SAID.countDown();
        }
        System.exit(code);
    }

    /** Runs {@code run} on {@code ratchet}, cancelled if the process is asked to stop (SIGINT, SIGTERM) meanwhile. */
    static <T> T stoppable(Ratchet ratchet, java.util.function.Supplier<T> run) {
        RUNNING.set(ratchet);
        try {
            return run.get();
        } finally {
            RUNNING.set(null);
        }
    }

    /**
     * On SIGINT or SIGTERM (a shutdown hook): cancels the run in progress, so that the database is
     * not left running a migration statement, holding the lock (PostgreSQL's advisory lock lives
     * as long as the server session, which outlives a killed client until its statement ends;
     * SQLite's lease until it expires), and waits for the command to say how it ended.
     */
    private static void stop() {
        Ratchet running = RUNNING.get();
        if (running == null) {
            return;
        }
        PrintWriter err = new PrintWriter(System.err, true);
        err.println("ratchet: stopping: the running migration is cancelled and rolled back, and the lock released");
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        if (!running.cancel(STOP_WAIT)) {
            err.println("ratchet: the run did not end within " + STOP_WAIT.toSeconds() + " s; exiting without it");
            return;
        }
        try {
            SAID.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the command line in-process; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new RatchetCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.IParameterExceptionHandler standard = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((e, arguments) -> {
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
                elsewhere(unmatched).forEach(line -> e.getCommandLine().getErr().println("ratchet: " + line));
            }
            if (asksForJson(arguments)) {
                PrintWriter json = e.getCommandLine().getOut();
                json.println(new Report(e.getCommandLine().getCommandName(), null).usageError(e.getMessage()).json());
                json.flush();
            }
            return standard.handleParseException(e, arguments);
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("ratchet: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    /**
     * Whether the arguments ask for JSON output ({@code --format json} or {@code --format=json}),
     * read from the raw arguments: a command line that did not parse has no parsed options.
     */
    static boolean asksForJson(String[] arguments) {
        for (int i = 0; i < arguments.length; i++) {
            if (arguments[i].equalsIgnoreCase("--format=json")
                    || arguments[i].equals("--format") && i + 1 < arguments.length && arguments[i + 1].equalsIgnoreCase("json")) {
                return true;
            }
        }
        return false;
    }

    /**
     * For each option a command was given but does not take, which commands do take it: every
     * command accepts only the options it uses ({@code checksums} opens no database, {@code convert}
     * names its trackers with {@code --from} and {@code --to}), so a script that passes an option to
     * the wrong command learns so instead of having it ignored.
     */
    static List<String> elsewhere(CommandLine.UnmatchedArgumentException e) {
        CommandLine command = e.getCommandLine();
        CommandLine root = command;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        List<String> lines = new ArrayList<>();
        for (String argument : e.getUnmatched()) {
            String option = argument.startsWith("--") ? argument.split("=", 2)[0] : null;
            if (option == null || command == root) {
                continue;
            }
            List<String> takers = new ArrayList<>();
            root.getSubcommands().forEach((name, sub) -> {
                if (sub.getCommandSpec().findOption(option) != null) {
                    takers.add(name);
                }
            });
            if (!takers.isEmpty()) {
                boolean moves = option.equals("--tracker") && command.getCommandSpec().findOption("--to") != null;
                lines.add(command.getCommandName() + " takes no " + option
                        + (moves ? ": it names the trackers with --from and --to" : "") + " ("
                        + String.join(", ", takers) + (takers.size() == 1 ? " takes it)" : " do)"));
            }
        }
        return lines;
    }

    /** The exit code for an error kind: one per family. */
    public static int exitCode(ErrorKind kind) {
        return switch (kind.family()) {
            case MIGRATION -> 1;
            case SOURCE, REFUSED -> 3;
            case LOCK -> 4;
            case CONNECTION -> 5;
            case CONFIGURATION -> 6;
        };
    }

    static int exitCode(RatchetException e) {
        return exitCode(e.kind());
    }
}
