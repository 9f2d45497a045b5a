package dev.ratchet.cli;

import dev.ratchet.ChecksumVerification;
import dev.ratchet.ConnectionSource;
import dev.ratchet.LockStrategy;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.Trackers;
import dev.ratchet.spi.Tracker;
import picocli.CommandLine.Option;

import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line's options, in groups: each command mixes in the groups it uses, so that no
 * command accepts an option it would ignore ({@code checksums} takes no {@code --url},
 * {@code convert} no {@code --tracker}).
 */
final class Options {
    private Options() {
    }

    /** Output format. */
    enum Format { TEXT, JSON }

    /** {@code --format}: every command. */
    static final class Output {
        @Option(names = "--format", defaultValue = "TEXT", description = "text or json (default: text).")
        Format format;

        boolean json() {
            return format == Format.JSON;
        }
    }

    /** {@code --migrations} and {@code --namespace}: every command. */
    static final class Sources {
        @Option(names = "--migrations", paramLabel = "DIR",
                description = "Migration files of the namespace '" + Ratchet.DEFAULT_NAMESPACE + "'.")
        Path migrations;

        @Option(names = "--namespace", paramLabel = "NAME=DIR", description = "Migration files of another namespace;"
                + " repeatable. Namespaces migrate in the order given, after --migrations.")
        List<String> namespaces = new ArrayList<>();

        /**
         * The directories given, by namespace; none is a usage error when required, and so is a
         * namespace given twice (each has one directory: a second would silently replace the first).
         */
        Map<String, Path> directories(boolean required) {
            Map<String, Path> out = new LinkedHashMap<>();
            Map<String, String> givenAs = new LinkedHashMap<>();
            if (migrations != null) {
                if (migrations.toString().isEmpty()) {
                    // Path.of("") is the working directory: an unset variable would migrate its .sql files
                    throw new IllegalArgumentException("--migrations is empty (an unset variable?): give the"
                            + " directory, '.' for the working directory");
                }
                out.put(Ratchet.DEFAULT_NAMESPACE, migrations);
                givenAs.put(Ratchet.DEFAULT_NAMESPACE, "--migrations " + migrations);
            }
            for (String given : namespaces) {
                int eq = given.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("--namespace takes NAME=DIR, got '" + given + "'");
                }
                String name = given.substring(0, eq);
                String earlier = givenAs.putIfAbsent(name, "--namespace " + given);
                if (earlier != null) {
                    throw new IllegalArgumentException("namespace '" + name + "' is given twice (" + earlier
                            + " and --namespace " + given + "): each namespace has one directory");
                }
                if (eq == given.length() - 1) {
                    throw new IllegalArgumentException("--namespace " + given + " names no directory (an unset"
                            + " variable?): give NAME=DIR, DIR '.' for the working directory");
                }
                out.put(name, Path.of(given.substring(eq + 1)));
            }
            if (required && out.isEmpty()) {
                throw new IllegalArgumentException("no migrations: give --migrations DIR and/or --namespace NAME=DIR");
            }
            return out;
        }

        /** The namespaces named by --migrations and --namespace; none is a usage error when required. */
        List<Namespace> namespaces(boolean required) {
            List<Namespace> out = new ArrayList<>();
            directories(required).forEach((name, dir) -> out.add(Namespace.of(name, MigrationSource.directory(dir).load())));
            return out;
        }
    }

    /** {@code --tracker}: the commands that run a tracker (not {@code convert}, {@code adopt}, {@code trackers}). */
    static final class TrackerChoice {
        @Option(names = "--tracker", defaultValue = "applied-set", paramLabel = "TRACKER",
                description = "Tracker (default: ${DEFAULT-VALUE}): " + TrackerSpec.SYNTAX + ".")
        String tracker;
        private Tracker parsed;
        private String parsedFrom;

        /** The tracker, parsed once per value: a command asks for it more than once (its default mode, then the run). */
        Tracker tracker() {
            if (parsed == null || !tracker.equals(parsedFrom)) {
                parsed = TrackerSpec.parse(tracker);
                parsedFrom = tracker;
            }
            return parsed;
        }
    }

    /** {@code --checksum-verification}: the commands that compare checksums (status, plan, migrate, verify). */
    static final class Verifying {
        @Option(names = "--checksum-verification", paramLabel = "MODE",
                description = "FAIL, WARN or OFF: what a checksum that differs from the code's does (default: the"
                        + " tracker's; FAIL for applied-set, WARN for identity). OFF compares none, and a boot reads"
                        + " only the files of pending migrations. Not for a counter, which keeps no checksums.")
        ChecksumVerification verification;

        Tracker applyTo(Tracker tracker) {
            return verification == null ? tracker : Trackers.withChecksumVerification(tracker, verification);
        }
    }

    /** {@code --lock-timeout}, {@code --lock-lease}, {@code --lock-strategy}: the commands that lock. */
    static final class Locking {
        @Option(names = "--lock-timeout", defaultValue = "120", paramLabel = "SECONDS",
                description = "How long to wait for another runner's lock, at least 1 (default: ${DEFAULT-VALUE}).")
        long lockTimeoutSeconds;

        @Option(names = "--lock-lease", defaultValue = "60", paramLabel = "SECONDS",
                description = "How long a lease lock (SQLite, or --lock-strategy LEASE) outlives its last"
                        + " renewal; longer than the longest migration that runs outside a transaction"
                        + " (default: ${DEFAULT-VALUE}).")
        long lockLeaseSeconds;

        @Option(names = "--lock-strategy", defaultValue = "AUTO", paramLabel = "STRATEGY",
                description = "AUTO, ADVISORY or LEASE: how runners exclude each other; LEASE behind a"
                        + " transaction-pooling PgBouncer (default: ${DEFAULT-VALUE}, which probes).")
        LockStrategy lockStrategy;

        Duration lockTimeout() {
            return timeout(lockTimeoutSeconds);
        }

        Duration lockLease() {
            if (lockLeaseSeconds < 1) {
                throw new IllegalArgumentException("--lock-lease must be at least 1 second, got " + lockLeaseSeconds);
            }
            return Duration.ofSeconds(lockLeaseSeconds);
        }

        Ratchet.Builder applyTo(Ratchet.Builder b) {
            return b.lockTimeout(lockTimeout()).lockLease(lockLease()).lockStrategy(lockStrategy);
        }
    }

    /**
     * {@code --lock-timeout} of the commands that read under no lock ({@code status},
     * {@code plan}): how long a read waits while a writer holds a SQLite database.
     */
    static final class Waiting {
        @Option(names = "--lock-timeout", defaultValue = "120", paramLabel = "SECONDS",
                description = "How long to wait while another runner holds a SQLite database; this command takes"
                        + " no lock of its own; at least 1 (default: ${DEFAULT-VALUE}).")
        long lockTimeoutSeconds;

        Ratchet.Builder applyTo(Ratchet.Builder b) {
            return b.lockTimeout(timeout(lockTimeoutSeconds));
        }
    }

    static Duration timeout(long seconds) {
        if (seconds < 1) {
            // Zero is refused rather than read as "do not wait" or "wait forever": tools disagree on
            // which it means (PostgreSQL's lock_timeout 0 waits forever), and a guess either way
            // surprises someone.
            throw new IllegalArgumentException("--lock-timeout must be at least 1 second, got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /** {@code --url} and {@code --user}: every command that opens the database. */
    static final class Database {
        // The environment's values, not shown as defaults in the help: a URL may hold a password.
        @Option(names = "--url", defaultValue = "${env:RATCHET_URL:-" + RatchetCommand.DEFAULT_URL + "}",
                paramLabel = "JDBC_URL", description = "Database (default: the RATCHET_URL environment variable, which"
                + " keeps a URL with credentials out of the process list, else " + RatchetCommand.DEFAULT_URL
                + ", a SQLite file in the working directory).")
        String url;

        @Option(names = "--user", defaultValue = "${env:RATCHET_USER}", description = "Database user (default: the"
                + " RATCHET_USER environment variable). The password comes from the RATCHET_PASSWORD"
                + " environment variable, or is asked for when the server wants one and a terminal is attached.")
        String user;

        /** Whether this command may create the SQLite file that {@code --url} names (migrate, baseline). */
        boolean mayCreateDatabase;

        String maskedUrl() {
            return ConnectionSource.maskUrl(url);
        }
        /**
         * The SQLite file that {@code --url} names, when it does not exist; empty for another
         * database, an in-memory one, or a file that exists.
         */
        /**
         * Whether {@code --url} names an in-memory SQLite database ({@code jdbc:sqlite:},
         * {@code :memory:}, {@code mode=memory}): empty when the command starts, gone when it ends.
         */
        boolean inMemorySqlite() {
            String prefix = "jdbc:sqlite:";
            if (!url.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return false;
            }
            String file = url.substring(prefix.length());
            int query = file.indexOf('?');
            String path = query < 0 ? file : file.substring(0, query);
            path = path.startsWith("file:") ? path.substring("file:".length()) : path;
            return path.isEmpty() || path.contains(":memory:") || (query >= 0 && file.substring(query).contains("mode=memory"));
        }

        Optional<Path> missingSqliteFile() {
            String prefix = "jdbc:sqlite:";
            if (!url.regionMatches(true, 0, prefix, 0, prefix.length()) || url.contains("mode=memory")) {
                return Optional.empty();
            }
            String file = url.substring(prefix.length());
            int query = file.indexOf('?');
            file = query < 0 ? file : file.substring(0, query);
            file = file.startsWith("file:") ? file.substring("file:".length()) : file;
            if (file.isEmpty() || file.contains(":memory:")) {
                return Optional.empty();
            }
            Path path = Path.of(file);
            return Files.exists(path) ? Optional.empty() : Optional.of(path);
        }

        /**
         * Connections for {@code --url}: the password from RATCHET_PASSWORD; else, when the server
         * rejects the login (SQLSTATE class 28) and a terminal is attached, asked for once. A command
         * that does not create databases reads a SQLite file that does not exist as an empty
         * database (in memory), where the driver would create the file.
         */
        ConnectionSource connections() {
            if (!mayCreateDatabase && missingSqliteFile().isPresent()) {
                return new ConnectionSource() {
                    @Override
                    public Connection open() throws SQLException {
                        return DriverManager.getConnection("jdbc:sqlite::memory:");
                    }

                    @Override
                    public String describe() {
                        return maskedUrl();
                    }
                };
            }
            String password = System.getenv("RATCHET_PASSWORD");
            ConnectionSource direct = ConnectionSource.url(url, user, password);
            Console console = System.console();
            if (password != null || console == null) {
                return direct;
            }
            return new ConnectionSource() {
                private ConnectionSource withPassword;

                @Override
                public synchronized Connection open() throws SQLException {
                    if (withPassword != null) {
                        return withPassword.open();
                    }
                    try {
                        return direct.open();
                    } catch (SQLException e) {
                        if (e.getSQLState() == null || !e.getSQLState().startsWith("28")) {
                            throw e;
                        }
                        char[] typed = console.readPassword("Password for %s: ", maskedUrl());
                        withPassword = ConnectionSource.url(url, user, typed == null ? "" : new String(typed));
                        return withPassword.open();
                    }
                }

                @Override
                public String describe() {
                    return maskedUrl();
                }
            };
        }
    }

    /** {@code --progress-every}: how often {@code migrate} and {@code verify} say that a long migration still runs. */
    static final class Progress {
        @Option(names = "--progress-every", defaultValue = "60", paramLabel = "SECONDS",
                description = "While a migration runs longer, print every SECONDS that it still runs (on standard"
                        + " error with --format json), so that a CI job that stops a silent step sees output; 0: never"
                        + " (default: ${DEFAULT-VALUE}).")
        long seconds;

        Duration every() {
            if (seconds < 0) {
                throw new IllegalArgumentException("--progress-every must be 0 (never) or more seconds, got " + seconds);
            }
            return Duration.ofSeconds(seconds);
        }
    }

    /** {@code --target}: where {@code migrate}, {@code verify} and {@code plan} stop ({@link Namespace#through}). */
    static final class Target {
        @Option(names = "--target", paramLabel = "NAME|VERSION",
                description = "Stop after this migration, named or by its version: the later ones stay pending"
                        + " (like Flyway's target). For one namespace at a time.")
        String target;

        /** The namespaces, the one given with its target when {@code --target} is; a usage error otherwise. */
        List<Namespace> applyTo(List<Namespace> namespaces) {
            if (target == null) {
                return namespaces;
            }
            if (namespaces.size() != 1) {
                throw new IllegalArgumentException("--target " + target + " is for one namespace, and "
                        + namespaces.size() + " are given: run the command once per namespace");
            }
            try {
                return List.of(namespaces.get(0).through(target));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--target " + target + ": " + e.getMessage(), e);
            }
        }
    }

    /** The one namespace an operation targets: --of, or the only one configured. */
    static String pick(String of, List<Namespace> namespaces) {
        if (of != null) {
            return of;
        }
        if (namespaces.size() == 1) {
            return namespaces.get(0).name();
        }
        throw new IllegalArgumentException("several namespaces are configured: say which with --of NAME");
    }
}
