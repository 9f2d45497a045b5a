package dev.ratchet.cli;

import dev.ratchet.ConnectionSource;
import dev.ratchet.LockStrategy;
import dev.ratchet.Migration;
import dev.ratchet.MigrationListener;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.TransactionMode;
import dev.ratchet.spi.Tracker;
import picocli.CommandLine.Option;

import java.io.Console;
import java.io.PrintWriter;
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

/** Options shared by every command. */
final class Options {
    /** Output format. */
    enum Format { TEXT, JSON }

    @Option(names = "--url", defaultValue = RatchetCommand.DEFAULT_URL, paramLabel = "JDBC_URL",
            description = "Database (default: ${DEFAULT-VALUE}, a SQLite file in the working directory).")
    String url;

    @Option(names = "--user", description = "Database user. The password comes from the RATCHET_PASSWORD"
            + " environment variable, or is asked for when the server wants one and a terminal is attached.")
    String user;

    @Option(names = "--format", defaultValue = "TEXT", description = "text or json (default: text).")
    Format format;

    @Option(names = "--migrations", paramLabel = "DIR",
            description = "Migration files of the namespace '" + Ratchet.DEFAULT_NAMESPACE + "'.")
    Path migrations;

    @Option(names = "--namespace", paramLabel = "NAME=DIR", description = "Migration files of another namespace;"
            + " repeatable. Namespaces migrate in the order given, after --migrations.")
    Map<String, Path> namespaces = new LinkedHashMap<>();

    @Option(names = "--tracker", defaultValue = "applied-set", paramLabel = "TRACKER",
            description = "Tracker (default: ${DEFAULT-VALUE}): " + TrackerSpec.SYNTAX + ".")
    String tracker;

    @Option(names = "--transaction-mode", paramLabel = "MODE",
            description = "PER_MIGRATION or CHAIN (default: the tracker's; CHAIN for identity).")
    TransactionMode transactionMode;

    @Option(names = "--lock-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "How long to wait for another runner's lock (default: ${DEFAULT-VALUE}).")
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

    boolean json() {
        return format == Format.JSON;
    }

    String maskedUrl() {
        return ConnectionSource.maskUrl(url);
    }

    /** The namespaces named by --migrations and --namespace; none is a usage error when required. */
    List<Namespace> namespaces(boolean required) {
        List<Namespace> out = new ArrayList<>();
        if (migrations != null) {
            out.add(Namespace.of(Ratchet.DEFAULT_NAMESPACE, MigrationSource.directory(migrations).load()));
        }
        for (Map.Entry<String, Path> e : namespaces.entrySet()) {
            out.add(Namespace.of(e.getKey(), MigrationSource.directory(e.getValue()).load()));
        }
        if (required && out.isEmpty()) {
            throw new IllegalArgumentException("no migrations: give --migrations DIR and/or --namespace NAME=DIR");
        }
        return out;
    }

    Duration lockTimeout() {
        return Duration.ofSeconds(Math.max(1, lockTimeoutSeconds));
    }

    Duration lockLease() {
        if (lockLeaseSeconds < 1) {
            throw new IllegalArgumentException("--lock-lease must be at least 1 second, got " + lockLeaseSeconds);
        }
        return Duration.ofSeconds(lockLeaseSeconds);
    }

    /** Whether this command may create the SQLite file that {@code --url} names (migrate, baseline). */
    boolean mayCreateDatabase;

    /**
     * The SQLite file that {@code --url} names, when it does not exist; empty for another
     * database, an in-memory one, or a file that exists.
     */
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

    Tracker tracker() {
        return TrackerSpec.parse(tracker);
    }

    Ratchet.Builder ratchet(PrintWriter out, List<Namespace> namespaces) {
        Ratchet.Builder b = Ratchet.builder()
                .connections(connections())
                .tracker(tracker())
                .lockTimeout(lockTimeout())
                .lockLease(lockLease())
                .lockStrategy(lockStrategy);
        if (transactionMode != null) {
            b.transactionMode(transactionMode);
        }
        for (Namespace ns : namespaces) {
            b.namespace(ns);
        }
        if (json()) {
            b.listener(new MigrationListener() {
            });
        } else {
            b.listener(new MigrationListener() {
                @Override
                public void afterMigration(String ns, Migration m, Duration d) {
                    out.printf("  applied %s/%s (%d ms)%n", ns, m.name(), d.toMillis());
                    out.flush();
                }

                @Override
                public void warning(String ns, String message) {
                    out.printf("  warning [%s]: %s%n", ns, message);
                    out.flush();
                }
            });
        }
        return b;
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
