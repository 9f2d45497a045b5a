package dev.ratchet.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ratchet.ErrorKind;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.TransactionMode;
import dev.ratchet.Version;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pooled connections come back from a run as they went in: search_path, role, auto-commit,
 * isolation, timeouts and the other session settings, after runs whose migrations change all of
 * them (SET ROLE, SET search_path, SET SESSION CHARACTERISTICS, SET statement_timeout), whether the
 * run succeeds or fails, with a pool of 1 and of 4. Within a run, each migration starts from the
 * settings the run started with, as it would in a run of its own.
 */
@Timeout(300)
class SessionHygieneTest {

    private static String settings(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('search_path'),"
                + " current_user, current_setting('role'), current_setting('default_transaction_isolation'),"
                + " current_setting('statement_timeout'), current_setting('lock_timeout'),"
                + " current_setting('DateStyle')")) {
            rs.next();
            return "search_path=" + rs.getString(1) + " user=" + rs.getString(2) + " role=" + rs.getString(3)
                    + " isolation=" + rs.getString(4) + " jdbcIsolation=" + c.getTransactionIsolation()
                    + " autoCommit=" + c.getAutoCommit() + " statement_timeout=" + rs.getString(5)
                    + " lock_timeout=" + rs.getString(6) + " DateStyle=" + rs.getString(7);
        }
    }

    /** A pool of {@code size} connections of {@code source}, all opened at once. */
    private static HikariDataSource pool(javax.sql.DataSource source, int size) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(source);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }

    /** The settings of every connection of the pool, borrowed all at once. */
    private static List<String> all(HikariDataSource pool, int size) throws Exception {
        List<Connection> held = new ArrayList<>();
        List<String> out = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                Connection c = pool.getConnection();
                held.add(c);
                out.add(settings(c));
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        out.sort(null);
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void pooledConnectionsComeBackAsTheyWent(int size) throws Exception {
        String role = "rt_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            Chaos.exec(db, "CREATE ROLE " + role + " SUPERUSER"); // the tracker writes after SET ROLE still work
            try (HikariDataSource pool = pool(db.dataSource(), size)) {
                List<String> before = all(pool, size);
                List<Migration> changing = new ArrayList<>(List.of(
                        Migration.builder("1_role").version(Version.of(1)).sql("SET ROLE " + role).build(),
                        Migration.builder("2_path").version(Version.of(2)).sql("SET search_path TO pg_catalog").build(),
                        Migration.builder("3_isolation").version(Version.of(3))
                                .sql("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE").build(),
                        // Common at the top of a PostgreSQL migration; an application's queries must not
                        // inherit them from the pool.
                        Migration.builder("4_timeouts").version(Version.of(4))
                                .sql("SET statement_timeout = '1234s';\nSET lock_timeout = '4321ms';").build(),
                        Migration.builder("5_java").version(Version.of(5)).body(c -> {
                            try (Statement st = c.createStatement()) {
                                st.execute("SET DateStyle = 'ISO, DMY'");
                            }
                        }).build(),
                        Migration.builder("6_authorization").version(Version.of(6))
                                .sql("SET SESSION AUTHORIZATION " + role).build()));
                for (int run = 0; run < 3; run++) {
                    // The same migrations under three namespaces on purpose (they change settings
                    // only): without ignoreOtherTrackers() the second would be refused as the first's
                    // history under another name (HISTORY_UNDER_ANOTHER_NAMESPACE).
                    Ratchet.builder().dataSource(pool).tracker(AppliedSetTracker.builder().build()).ignoreOtherTrackers()
                            .namespace(Namespace.of("app" + run, changing)).build().migrate();
                    assertEquals(before, all(pool, size), "after a successful run that changed settings");
                }
                List<Migration> failing = new ArrayList<>(changing);
                failing.add(Migration.builder("7_fails").version(Version.of(7))
                        .sql("SET statement_timeout = '99s';\nSELECT * FROM missing").build());
                RatchetException failed = assertThrows(RatchetException.class, () -> Ratchet.builder().dataSource(pool)
                        .tracker(AppliedSetTracker.builder().build()).ignoreOtherTrackers()
                        .namespace(Namespace.of("failing", failing)).build().migrate());
                assertEquals(ErrorKind.MIGRATION_FAILED, failed.kind(), failed.getMessage());
                assertEquals(before, all(pool, size), "after a failed run");
                Chaos.record("session hygiene (search_path, role, isolation, timeouts, auto-commit)", "postgresql",
                        "runs, pool of " + size, 4, 0);
            } finally {
                Chaos.exec(db, "DROP OWNED BY " + role, "DROP ROLE " + role);
            }
        }
    }

    /**
     * A migration's {@code SET search_path}, {@code SET ROLE} or {@code SET statement_timeout}
     * does not reach the migrations after it, nor the tracker's writes: each migration runs as it
     * would in a run of its own, so where its tables land does not depend on which migrations
     * happened to run in the same boot. In both transaction modes, for a script and for Java code,
     * with and without a target schema.
     */
    @ParameterizedTest
    @EnumSource(TransactionMode.class)
    void aMigrationsSettingsDoNotReachTheMigrationsAfterIt(TransactionMode mode) throws Exception {
        String role = "rt_limited_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        for (boolean targetSchema : new boolean[] {false, true}) {
            try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
                String elsewhere = db.schema() + "_elsewhere";
                String target = db.schema() + "_target";
                Chaos.exec(db, "CREATE ROLE " + role); // no privilege on any of the test's schemas
                try {
                    List<Migration> code = List.of(
                            Migration.builder("1_settings").version(Version.of(1)).sql("CREATE SCHEMA " + elsewhere
                                    + ";\nSET search_path TO " + elsewhere + ";\nSET statement_timeout = '50ms';\n"
                                    + "SET ROLE " + role + ";\n").build(),
                            // SET LOCAL would otherwise reach the later migrations of a chain transaction.
                            Migration.builder("2_after").version(Version.of(2)).sql("SELECT pg_sleep(0.2);\n"
                                    + "CREATE TABLE lands_here (id int);\nSET LOCAL statement_timeout = '50ms';\n").build(),
                            Migration.builder("3_java").version(Version.of(3)).body(c -> {
                                try (Statement st = c.createStatement()) {
                                    st.execute("SELECT pg_sleep(0.2)");
                                    st.execute("SET search_path TO " + elsewhere);
                                    st.execute("SET SESSION AUTHORIZATION " + role); // the test's user is a superuser
                                }
                            }).build(),
                            Migration.builder("4_last").version(Version.of(4))
                                    .sql("CREATE TABLE also_here (id int);\n").build());
                    Namespace ns = targetSchema ? Namespace.of("app", code).withSchema(target) : Namespace.of("app", code);
                    Ratchet.builder().dataSource(db.dataSource()).tracker(AppliedSetTracker.builder().build())
                            .transactionMode(mode).namespace(ns).build().migrate();

                    String expected = targetSchema ? target : db.schema();
                    assertEquals(List.of(expected + ".also_here", expected + ".lands_here"),
                            tables(db, expected, elsewhere), mode + (targetSchema ? ", target schema" : ""));
                } finally {
                    Chaos.exec(db, "DROP SCHEMA IF EXISTS " + elsewhere + " CASCADE",
                            "DROP SCHEMA IF EXISTS " + target + " CASCADE", "DROP ROLE " + role);
                }
            }
        }
    }

    /**
     * Placeholder settings (a dotted name of the application's, such as the tenant a row-level
     * security policy reads) that a script sets or resets reach neither the migrations after it
     * nor the pool: {@code pg_settings} does not list them, so those a script or a Java body's SQL
     * names are read before it runs. One the session had keeps its value; one it did not have comes
     * back empty, as after {@code RESET ALL}.
     */
    @ParameterizedTest
    @EnumSource(TransactionMode.class)
    void placeholderSettingsAScriptSetsAreNotLeftBehind(TransactionMode mode) throws Exception {
        String seen = "SELECT coalesce(current_setting('myapp.tenant', true), '<none>') AS tenant,"
                + " current_setting('myapp.region') AS region, coalesce(current_setting('other.flag', true), '<none>')"
                + " AS flag";
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            try (HikariDataSource pool = pool(db.dataSource(), 1)) {
                try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                    st.execute("SET myapp.region = 'eu'"); // the application's own, before the run
                }
                List<Migration> code = List.of(
                        Migration.builder("1_sets").version(Version.of(1)).sql("SET myapp.tenant = '42';\n"
                                + "SET SESSION \"MyApp\".region TO 'us';\n"
                                + "SELECT pg_catalog.set_config('other.flag', 'on', false);\n"
                                + "CREATE TABLE seen_1 AS " + seen + ";\n").build(),
                        Migration.builder("2_after").version(Version.of(2)).sql("CREATE TABLE seen_2 AS " + seen + ";\n")
                                .build(),
                        Migration.builder("3_do").version(Version.of(3)).sql("DO $$ BEGIN PERFORM set_config("
                                + "'myapp.tenant', '7', false); END $$;\nRESET myapp.region;\n").build(),
                        Migration.builder("4_after").version(Version.of(4)).sql("CREATE TABLE seen_4 AS " + seen + ";\n")
                                .build(),
                        Migration.builder("5_java").version(Version.of(5)).body(c -> {
                            try (Statement st = c.createStatement()) {
                                st.execute("SET myapp.tenant = '9'");
                            }
                            try (java.sql.PreparedStatement ps = c.prepareStatement(
                                    "SELECT set_config('other.flag', ?, false)")) {
                                ps.setString(1, "java");
                                ps.executeQuery().close();
                            }
                        }).build(),
                        Migration.builder("6_after").version(Version.of(6)).sql("CREATE TABLE seen_6 AS " + seen + ";\n")
                                .build());
                Ratchet.builder().dataSource(pool).tracker(AppliedSetTracker.builder().build()).transactionMode(mode)
                        .namespace(Namespace.of("app", code)).build().migrate();

                assertEquals("42|us|on", row(db, "SELECT tenant || '|' || region || '|' || flag FROM seen_1"), mode + "");
                assertEquals("|eu|", row(db, "SELECT tenant || '|' || region || '|' || flag FROM seen_2"),
                        mode + ": the first migration's settings did not reach the second");
                assertEquals("|eu|", row(db, "SELECT tenant || '|' || region || '|' || flag FROM seen_4"),
                        mode + ": a DO block's set_config and a RESET were put back");
                assertEquals("|eu|", row(db, "SELECT tenant || '|' || region || '|' || flag FROM seen_6"),
                        mode + ": a Java body's SET and prepared set_config were put back");
                try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery(seen)) {
                    rs.next();
                    assertEquals("|eu|", rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3),
                            mode + ": the pooled connection came back with the application's own");
                }
            }
        }
    }

    private static String row(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    /**
     * SQLite: pragmas a non-transactional migration sets for its connection (foreign keys off for a
     * table rebuild, synchronous off for a bulk load, recursive triggers) reach neither the
     * migrations after it nor the pool: the next migration's orphan row is refused by the foreign
     * keys the connection came with, and the pooled connection comes back with them on.
     */
    @ParameterizedTest
    @EnumSource(TransactionMode.class)
    void sqlitePragmasAMigrationSetsDoNotOutliveIt(TransactionMode mode) throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            org.sqlite.SQLiteDataSource enforcing = new org.sqlite.SQLiteDataSource();
            enforcing.setUrl(db.url());
            enforcing.setEnforceForeignKeys(true);
            try (HikariDataSource pool = pool(enforcing, 1)) {
                String pragmas = "SELECT (SELECT foreign_keys FROM pragma_foreign_keys),"
                        + " (SELECT synchronous FROM pragma_synchronous),"
                        + " (SELECT recursive_triggers FROM pragma_recursive_triggers)";
                List<String> before = dev.ratchet.Fixtures.rows(pool, pragmas);
                assertEquals(List.of("1|2|0"), before, "foreign keys on, synchronous FULL, no recursive triggers");
                List<Migration> code = List.of(
                        Migration.builder("1_schema").version(Version.of(1)).sql("CREATE TABLE parent (id INTEGER PRIMARY"
                                + " KEY);\nCREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES"
                                + " parent(id));\nINSERT INTO parent VALUES (1);").build(),
                        Migration.builder("2_loosen").version(Version.of(2)).sql(Migration.NO_TRANSACTION_DIRECTIVE
                                + "\nPRAGMA foreign_keys = OFF;\nPRAGMA synchronous = OFF;\n"
                                + "PRAGMA recursive_triggers = ON;\n").build(),
                        Migration.builder("3_orphan").version(Version.of(3))
                                .sql("INSERT INTO child VALUES (1, 999);").build());
                RatchetException e = assertThrows(RatchetException.class, () -> Ratchet.builder().dataSource(pool)
                        .tracker(AppliedSetTracker.builder().build()).transactionMode(mode)
                        .namespace(Namespace.of("app", code)).build().migrate());
                assertEquals("3_orphan", e.context().get("migration"), e.getMessage());
                assertTrue(e.getMessage().contains("FOREIGN KEY constraint failed"), e.getMessage());
                assertEquals(before, dev.ratchet.Fixtures.rows(pool, pragmas), "the pooled connection came back as it went");
            }
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> kindsAndModes() {
        return java.util.Arrays.stream(DatabaseKind.values()).flatMap(k -> java.util.Arrays.stream(TransactionMode.values())
                .map(m -> org.junit.jupiter.params.provider.Arguments.of(k, m)));
    }

    /**
     * A temporary table outlives the transaction that created it, in the session: the temporary
     * tables, views, sequences, (SQLite) triggers and (PostgreSQL) prepared statements a migration
     * creates are dropped after it, so
     * two migrations that each create a table {@code staging} run in one boot as in two, and the
     * pooled connection comes back with only the temporary table the application had made.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @org.junit.jupiter.params.provider.MethodSource("kindsAndModes")
    void temporaryObjectsAMigrationCreatesDoNotOutliveIt(DatabaseKind kind, TransactionMode mode) throws Exception {
        boolean pg = kind == DatabaseKind.POSTGRESQL;
        String temporary = pg ? "SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema()"
                + " AND relkind IN ('r', 'v', 'S') UNION ALL SELECT name FROM pg_prepared_statements WHERE from_sql"
                : "SELECT name FROM temp.sqlite_master WHERE type IN ('table',"
                + " 'view', 'trigger')";
        try (TestDatabase db = TestDatabases.open(kind)) {
            try (HikariDataSource pool = pool(db.dataSource(), 1)) {
                try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                    st.executeUpdate("CREATE TEMP TABLE app_scratch (id int)");
                }
                List<String> javaSql = new ArrayList<>(List.of("CREATE TEMP TABLE java_staging (id int)",
                        "CREATE TEMP VIEW java_view AS SELECT id FROM java_staging"));
                javaSql.add(pg ? "CREATE TEMP SEQUENCE java_sequence" : "CREATE TEMP TRIGGER java_trigger AFTER INSERT"
                        + " ON a BEGIN INSERT INTO b VALUES (99); END");
                List<Migration> code = List.of(
                        Migration.builder("1_a").version(Version.of(1)).sql("CREATE TABLE a (id int);\n"
                                + "CREATE TEMP TABLE staging AS SELECT 1 AS id;\nINSERT INTO a SELECT id FROM staging;").build(),
                        Migration.builder("2_b").version(Version.of(2)).sql("CREATE TABLE b (id int);\n"
                                + "CREATE TEMPORARY TABLE staging AS SELECT 2 AS id;\nINSERT INTO b SELECT id FROM staging;")
                                .build(),
                        Migration.builder("3_java").version(Version.of(3)).body(c -> {
                            try (Statement st = c.createStatement()) {
                                for (String sql : javaSql) {
                                    st.executeUpdate(sql);
                                }
                            }
                        }).build(),
                        Migration.builder("4_c").version(Version.of(4)).sql("CREATE TEMP TABLE staging (id int);\n"
                                + "INSERT INTO staging VALUES (3);\nCREATE TABLE c AS SELECT id FROM staging;\n"
                                + "CREATE TEMP VIEW java_view AS SELECT id FROM c;").build(),
                        // PostgreSQL's PREPARE lasts the session too: the second would find the first's.
                        Migration.builder("5_prepare").version(Version.of(5)).sql(pg
                                ? "PREPARE add_to_b (int) AS INSERT INTO b VALUES ($1);" : "SELECT 1;").build(),
                        Migration.builder("6_prepare_again").version(Version.of(6)).sql(pg
                                ? "PREPARE add_to_b (int) AS INSERT INTO b VALUES ($1);" : "SELECT 1;").build());
                Ratchet.builder().dataSource(pool).tracker(AppliedSetTracker.builder().build()).transactionMode(mode)
                        .namespace(Namespace.of("app", code)).build().migrate();
                assertEquals(List.of("app_scratch"), dev.ratchet.Fixtures.rows(pool, temporary),
                        "the pooled connection keeps the application's temporary table, and only it");
                try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO a VALUES (5)"); // no temporary trigger fires
                }
                assertEquals(List.of("1", "5"), dev.ratchet.Fixtures.rows(pool, "SELECT id FROM a"));
                assertEquals(List.of("2"), dev.ratchet.Fixtures.rows(pool, "SELECT id FROM b"), "each its own staging");
                assertEquals(List.of("3"), dev.ratchet.Fixtures.rows(pool, "SELECT id FROM c"));
            }
        }
    }

    /**
     * SQLite: a database a migration outside a transaction ATTACHes lasts as long as the
     * connection; it is detached after the migration, so the next one can attach it under the same
     * name, and the pooled connection comes back with the databases it had.
     */
    @org.junit.jupiter.api.Test
    void aDatabaseASqliteMigrationAttachesDoesNotOutliveIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            String archive = dir.resolve("archive.db").toString().replace("'", "''");
            try (HikariDataSource pool = pool(db.dataSource(), 1)) {
                // temp: SQLite makes it on first use
                String databases = "SELECT name FROM pragma_database_list WHERE name <> 'temp'";
                List<String> before = dev.ratchet.Fixtures.rows(pool, databases);
                String attach = Migration.NO_TRANSACTION_DIRECTIVE + "\nATTACH DATABASE '" + archive + "' AS archive;\n";
                List<Migration> code = List.of(
                        Migration.builder("1_archive").version(Version.of(1)).sql(attach + "CREATE TABLE archive.old"
                                + " (id int);\nINSERT INTO archive.old VALUES (1);\nCREATE TABLE copied AS SELECT id FROM"
                                + " archive.old;").build(),
                        Migration.builder("2_again").version(Version.of(2)).sql(attach
                                + "INSERT INTO copied SELECT id + 1 FROM archive.old;").build());
                Ratchet.builder().dataSource(pool).tracker(AppliedSetTracker.builder().build())
                        .namespace(Namespace.of("app", code)).build().migrate();
                assertEquals(List.of("1", "2"), dev.ratchet.Fixtures.rows(pool, "SELECT id FROM copied"));
                assertEquals(before, dev.ratchet.Fixtures.rows(pool, databases), "the pooled connection came back as it went");
            }
        }
    }

    /**
     * Behind a transaction-pooling PgBouncer the run's end may reach another server session than
     * its bodies ran on: what that session holds (another client's temporary table) is not the
     * bodies' to drop. Simulated with a connection that moves to a second server session after the
     * migration committed.
     */
    @org.junit.jupiter.api.Test
    void onAnotherServerSessionTheRunsEndDropsNothing() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL);
             Connection first = db.connect(); Connection second = db.connect()) {
            try (Statement st = second.createStatement()) {
                st.execute("CREATE TEMP TABLE someone_elses (id int)");
            }
            java.util.concurrent.atomic.AtomicReference<Connection> current =
                    new java.util.concurrent.atomic.AtomicReference<>(first);
            Connection moving = (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> method.getName().equals("close") ? null
                            : onTheCurrent(current.get(), method, args));
            dev.ratchet.ConnectionSource source = new dev.ratchet.ConnectionSource() {
                @Override
                public Connection open() {
                    return moving;
                }

                @Override
                public String describe() {
                    return db.url();
                }
            };
            Ratchet.builder().connections(source).tracker(AppliedSetTracker.builder().build())
                    .lockStrategy(dev.ratchet.LockStrategy.LEASE)
                    .listener(new dev.ratchet.MigrationListener() {
                        @Override
                        public void afterMigration(String namespace, Migration migration, java.time.Duration d) {
                            current.set(second);
                        }
                    })
                    .namespace(Namespace.of("app", List.of(Migration.builder("1_staging").version(Version.of(1))
                            .sql("CREATE TEMP TABLE staging (id int);").build()))).build().migrate();
            String temporary = "SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r'";
            assertEquals(List.of(), rows(first, temporary), "the body's own, dropped where it ran");
            assertEquals(List.of("someone_elses"), rows(second, temporary), "the other session's, kept");
        }
    }

    private static Object onTheCurrent(Connection c, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(c, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static List<String> rows(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * PostgreSQL: a session advisory lock a migration takes and keeps ({@code pg_advisory_lock}
     * without its unlock, however often taken, either key form, shared or not) is released at the
     * run's end, so the pooled connection does not hold it for the application; a lock the
     * connection held before the run stays.
     */
    @org.junit.jupiter.api.Test
    void advisoryLocksMigrationsKeepAreReleasedAtTheRunsEnd() throws Exception {
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            try (HikariDataSource pool = pool(db.dataSource(), 1)) {
                try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                    st.execute("SELECT pg_advisory_lock(777)"); // the application's, on the pooled connection
                }
                List<Migration> code = List.of(
                        Migration.builder("1_lock").version(Version.of(1)).sql("SELECT pg_advisory_lock(4242);").build(),
                        Migration.builder("2_more").version(Version.of(2)).sql("SELECT pg_advisory_lock(4242);\n"
                                + "SELECT pg_advisory_lock(1, 2);\nSELECT pg_advisory_lock_shared(99);\n"
                                + "SELECT pg_advisory_xact_lock(5);").build());
                Ratchet.builder().dataSource(pool).tracker(AppliedSetTracker.builder().build())
                        .namespace(Namespace.of("app", code)).build().migrate();
                try (Connection other = db.connect(); Statement st = other.createStatement();
                     ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(4242), pg_try_advisory_lock(1, 2),"
                             + " pg_try_advisory_lock(99), pg_try_advisory_lock(5), pg_try_advisory_lock(777)")) {
                    rs.next();
                    assertEquals(List.of(true, true, true, true, false), List.of(rs.getBoolean(1), rs.getBoolean(2),
                            rs.getBoolean(3), rs.getBoolean(4), rs.getBoolean(5)),
                            "the migrations' locks are free, the application's is still held");
                }
            }
        }
    }

    /** The tables of these schemas, as schema.table, sorted. */
    private static List<String> tables(TestDatabase db, String... schemas) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables"
                        + " WHERE table_schema = ANY (?) AND table_name NOT LIKE 'ratchet%' ORDER BY 1")) {
            ps.setArray(1, c.createArrayOf("text", schemas));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
