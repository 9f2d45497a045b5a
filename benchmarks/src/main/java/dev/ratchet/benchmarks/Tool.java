package dev.ratchet.benchmarks;

import dev.ratchet.ChecksumVerification;
import dev.ratchet.Cutover;
import dev.ratchet.MigrationListener;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.TransactionMode;
import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import dev.ratchet.tracker.identity.IdentityTracker;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.StatusCommandStep;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** A migration tool under benchmark: apply pending migrations, and report status. */
enum Tool {
    /** Ratchet, applied-set tracker, one transaction per migration. */
    RATCHET_APPLIED_SET("ratchet applied-set", () -> AppliedSetTracker.builder().build(), TransactionMode.PER_MIGRATION),
    /** Ratchet, applied-set tracker, the whole pending chain in one transaction. */
    RATCHET_APPLIED_SET_CHAIN("ratchet applied-set (chain)", () -> AppliedSetTracker.builder().build(),
            TransactionMode.CHAIN),
    /**
     * Ratchet, applied-set tracker with {@link ChecksumVerification#OFF}: checksums recorded, not
     * compared, so an up-to-date boot reads no file (what a checksum costs a boot, by difference).
     */
    RATCHET_APPLIED_SET_UNVERIFIED("ratchet applied-set, checksums not verified", () -> AppliedSetTracker.builder()
            .checksumVerification(ChecksumVerification.OFF).build(), TransactionMode.PER_MIGRATION),
    /**
     * Ratchet, applied-set tracker, the migrations in a jar with a checksum manifest (what an
     * application that packages its migrations boots from): checksums compared, no file read
     * when nothing is pending.
     */
    RATCHET_APPLIED_SET_JAR("ratchet applied-set, from a jar with a checksum manifest",
            () -> AppliedSetTracker.builder().build(), TransactionMode.PER_MIGRATION, true),
    /** Ratchet, counter tracker (golang-migrate layout). */
    RATCHET_COUNTER("ratchet counter", () -> CounterTracker.builder().build(), TransactionMode.PER_MIGRATION),
    /** Ratchet, identity tracker, chain mode (its default). */
    RATCHET_IDENTITY("ratchet identity (chain)", () -> IdentityTracker.builder().build(), TransactionMode.CHAIN),
    /** Flyway. */
    FLYWAY("flyway") {
        private Flyway flyway(BenchDatabase db, Workload w) {
            return Flyway.configure().dataSource(db.dataSource).locations("filesystem:" + w.sqlDirectory())
                    .load();
        }

        @Override
        void migrate(BenchDatabase db, Workload w) {
            flyway(db, w).migrate();
        }

        @Override
        void status(BenchDatabase db, Workload w) {
            flyway(db, w).info().pending();
        }
    },
    /** Liquibase, formatted SQL changelog. */
    LIQUIBASE("liquibase") {
        @Override
        void migrate(BenchDatabase db, Workload w) {
            liquibase(db, w, UpdateCommandStep.COMMAND_NAME);
        }

        @Override
        void status(BenchDatabase db, Workload w) {
            liquibase(db, w, StatusCommandStep.COMMAND_NAME);
        }
    },
    /**
     * The floor: plain JDBC, each body plus one tracker insert in one transaction per migration;
     * an up-to-date boot is one SELECT of the tracker rows and an in-memory comparison.
     */
    FLOOR("plain JDBC floor") {
        @Override
        void migrate(BenchDatabase db, Workload w) {
            try (Connection c = db.dataSource.getConnection()) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE IF NOT EXISTS floor_tracker (version bigint PRIMARY KEY, name text NOT NULL,"
                            + " applied_at text NOT NULL)");
                }
                List<Path> files = pending(w, applied(c));
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO floor_tracker (version, name, applied_at) VALUES (?, ?, ?)");
                     Statement body = c.createStatement()) {
                    for (Path f : files) {
                        long version = version(f);
                        execute(body, f);
                        insert.setLong(1, version);
                        insert.setString(2, f.getFileName().toString());
                        insert.setString(3, java.time.Instant.now().toString());
                        insert.executeUpdate();
                        c.commit();
                    }
                }
                c.setAutoCommit(true);
            } catch (SQLException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void status(BenchDatabase db, Workload w) {
            migrate(db, w);
        }
    };

    final String label;
    private final Supplier<Tracker> tracker;
    private final TransactionMode mode;
    private final boolean fromJar;

    Tool(String label) {
        this(label, null, null);
    }

    /** A Ratchet configuration: a new tracker instance and runner for every operation. */
    Tool(String label, Supplier<Tracker> tracker, TransactionMode mode) {
        this(label, tracker, mode, false);
    }

    /** A Ratchet configuration reading the workload's directory, or its jar ({@link Workload#jar()}). */
    Tool(String label, Supplier<Tracker> tracker, TransactionMode mode, boolean fromJar) {
        this.label = label;
        this.tracker = tracker;
        this.mode = mode;
        this.fromJar = fromJar;
    }

    /** Applies every pending migration of {@code w}; with nothing pending, this is an up-to-date boot. */
    void migrate(BenchDatabase db, Workload w) {
        ratchet(db, w, tracker.get(), mode, fromJar).migrate();
    }

    /** Reports applied and pending migrations, writing nothing. */
    void status(BenchDatabase db, Workload w) {
        ratchet(db, w, tracker.get(), mode, fromJar).status();
    }

    static Ratchet ratchet(BenchDatabase db, Workload w, Tracker tracker, TransactionMode mode) {
        return ratchet(db, w, tracker, mode, false);
    }

    /**
     * A runner as an application builds one on boot; from a jar, with a class loader of its own
     * (a new process would have one), closed once the migrations are loaded.
     */
    static Ratchet ratchet(BenchDatabase db, Workload w, Tracker tracker, TransactionMode mode, boolean fromJar) {
        List<dev.ratchet.Migration> migrations;
        if (fromJar) {
            try (URLClassLoader loader = new URLClassLoader(new URL[] {w.jar().toUri().toURL()}, null)) {
                migrations = MigrationSource.classpath("db/migrations", loader).load();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            migrations = MigrationSource.directory(w.sqlDirectory()).load();
        }
        return Ratchet.builder().dataSource(db.dataSource).tracker(tracker).transactionMode(mode)
                .namespace(Namespace.of(Ratchet.DEFAULT_NAMESPACE, migrations))
                .ignoreOtherTrackers().listener(new MigrationListener() {
                }).build();
    }

    /** Moves an applied-set history of {@code w} to the identity tracker. */
    static void cutover(BenchDatabase db, Workload w) {
        Cutover.builder().dataSource(db.dataSource).from(AppliedSetTracker.builder().build())
                .to(IdentityTracker.builder().build())
                .namespace(Namespace.of(Ratchet.DEFAULT_NAMESPACE, MigrationSource.directory(w.sqlDirectory()).load()))
                .retire(Cutover.Retire.DROP).build().run();
    }

    static void liquibase(BenchDatabase db, Workload w, String[] command) {
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
        // Liquibase logs every changeset through java.util.logging at INFO; printing that would
        // be measured too. The other tools log nothing here either (SLF4J goes to slf4j-nop).
        java.util.logging.Logger.getLogger("liquibase").setLevel(java.util.logging.Level.WARNING);
        try (Connection c = db.dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(w.liquibaseDirectory()),
                    Scope.Attr.ui.name(), new LoggerUIService()), () -> new CommandScope(command)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                    .addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG, "changelog.sql")
                    .setOutput(OutputStream.nullOutputStream())
                    .execute());
        } catch (Exception e) {
            throw new IllegalStateException("liquibase " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The workload's statements alone, in one transaction, with no tracker at all: the database
     * server's own cost of the schema changes, which every tool pays. A baseline for fresh apply,
     * not a tool (it cannot tell what is applied).
     */
    static void statementsAlone(BenchDatabase db, Workload w) {
        boolean postgres = db.kind.equals("postgresql");
        try (Connection c = db.dataSource.getConnection(); Statement body = c.createStatement()) {
            c.setAutoCommit(false);
            for (Path f : pending(w, Set.of())) {
                // On PostgreSQL each body as one batch, as Ratchet sends it: the baseline must stay
                // below every tool.
                run(body, f, postgres);
            }
            c.commit();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a workload file's statements (split at semicolons: the workload has no other kind). */
    private static void execute(Statement body, Path file) throws SQLException, IOException {
        run(body, file, false);
    }

    /** Runs a workload file's statements one at a time, or sends them together as one batch. */
    private static void run(Statement body, Path file, boolean together) throws SQLException, IOException {
        for (String statement : Files.readString(file).split(";")) {
            if (statement.isBlank()) {
                continue;
            }
            if (together) {
                body.addBatch(statement);
            } else {
                body.execute(statement);
            }
        }
        if (together) {
            body.executeBatch();
        }
    }

    private static Set<Long> applied(Connection c) throws SQLException {
        Set<Long> applied = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT version FROM floor_tracker")) {
            while (rs.next()) {
                applied.add(rs.getLong(1));
            }
        }
        return applied;
    }

    /**
     * The workload's files whose version is not in {@code applied}, in version order. Each name is
     * parsed once, while listing, and only the pending files are sorted: with nothing pending (an
     * up-to-date boot) the comparison is one set lookup per file. A floor that sorted every file by
     * a comparator parsing both names (as this one once did) spent most of its boot on that sort.
     * The names come from {@code File.list()}, one native call, as Ratchet's directory source
     * lists them, and a path is made for a pending file only: a {@link DirectoryStream} makes a
     * path per entry in Java code, which costs a young JVM several times as much.
     */
    static List<Path> pending(Workload w, Set<Long> applied) throws IOException {
        Path directory = w.sqlDirectory();
        String[] names = directory.toFile().list();
        if (names == null) {
            throw new IOException("cannot list " + directory);
        }
        List<Pending> pending = new ArrayList<>();
        for (String name : names) {
            long version = version(name);
            if (!applied.contains(version)) {
                pending.add(new Pending(version, directory.resolve(name)));
            }
        }
        pending.sort(Comparator.comparingLong(Pending::version));
        List<Path> out = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            out.add(p.file());
        }
        return out;
    }

    private record Pending(long version, Path file) {
    }

    private static long version(Path f) {
        return version(f.getFileName().toString());
    }

    private static long version(String name) {
        return Long.parseLong(name.substring(1, name.indexOf("__")));
    }
}
