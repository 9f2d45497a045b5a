package dev.ratchet.adopt;

import dev.ratchet.Cutover;
import dev.ratchet.CutoverResult;
import dev.ratchet.ErrorKind;
import dev.ratchet.RatchetException;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.ratchet.adopt.AdoptSupport.code;
import static dev.ratchet.adopt.AdoptSupport.exec;
import static dev.ratchet.adopt.AdoptSupport.migrate;
import static dev.ratchet.adopt.AdoptSupport.tableExists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * goose, dbmate/Rails, Prisma, Django and golang-migrate tables written exactly as those tools
 * write them (their DDL and row conventions, from their documentation and source), adopted.
 */
@Timeout(120)
class DocumentedTablesAdoptionTest {

    private static boolean pg(TestDatabase db) {
        return db.kind() == DatabaseKind.POSTGRESQL;
    }

    private static void files(Path dir, String... names) throws Exception {
        for (String n : names) {
            Files.writeString(dir.resolve(n + ".sql"), "SELECT 1;");
        }
    }

    /** Prisma Migrate's layout: a folder per migration, holding its migration.sql. */
    private static void prismaFiles(Path dir, String... names) throws Exception {
        for (String n : names) {
            Files.createDirectories(dir.resolve(n));
            Files.writeString(dir.resolve(n).resolve("migration.sql"), "SELECT 1;");
        }
        Files.writeString(dir.resolve("migration_lock.toml"), "provider = \"postgresql\"\n");
    }

    private static List<String> rows(AdoptionResult r, int namespace) {
        return r.moves().moves().get(namespace).rows().stream().map(e -> e.name().orElseThrow()).toList();
    }

    private static Adoption.Builder adoption(TestDatabase db, ForeignTool tool) {
        return Adoption.builder().dataSource(db.dataSource()).from(tool).to(AppliedSetTracker.builder().build());
    }

    // ------------------------------------------------------------------ goose

    private static void gooseTable(TestDatabase db) throws Exception {
        exec(db, pg(db)
                ? "CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL,"
                        + " is_applied boolean NOT NULL, tstamp timestamp NULL default now(), PRIMARY KEY(id))"
                : "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL,"
                        + " is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')))");
        String t = pg(db) ? "true" : "1";
        String f = pg(db) ? "false" : "0";
        // goose's own first row (version 0), then up 1, 2, 3, down 3.
        exec(db, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, " + t + "), (1, " + t + "), (2, " + t
                + "), (3, " + t + "), (3, " + f + ")");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void gooseTheLatestRowOfEachVersionDecides(DatabaseKind kind, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            gooseTable(db);
            files(dir, "00001_create_users", "00002_add_email", "00003_add_index");

            AdoptionResult r = adoption(db, ForeignTool.GOOSE).namespace(code("app", dir)).build().run();

            assertEquals(List.of("1_create_users", "2_add_email"), rows(r, 0), "3 was rolled back");
            assertTrue(r.leftOut().stream().anyMatch(l -> l.identity().equals("3")
                    && l.reason().contains("rolled back")), r.leftOut().toString());
            assertEquals(List.of("3_add_index"), migrate(db, AppliedSetTracker.builder().build(), code("app", dir)));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void gooseAVersionTheCodeLacksIsRefused(DatabaseKind kind, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            gooseTable(db);
            files(dir, "00001_create_users");

            RatchetException e = assertThrows(RatchetException.class,
                    () -> adoption(db, ForeignTool.GOOSE).namespace(code("app", dir)).build().run());

            assertEquals(ErrorKind.FOREIGN_ENTRY_UNMATCHED, e.kind());
            assertEquals(List.of("2"), e.context().get("unmatched"));
            assertFalse(tableExists(db, "ratchet_applied_migrations"));
        }
    }

    // ------------------------------------------------------------------ dbmate / Rails

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void dbmateAndRailsASetOfVersions(DatabaseKind kind, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            exec(db, pg(db) ? "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)"
                            : "CREATE TABLE \"schema_migrations\" (version varchar(128) primary key)",
                    "INSERT INTO schema_migrations (version) VALUES ('20240102000000'), ('20240101000000')");
            files(dir, "20240101000000_create_users", "20240102000000_add_email", "20240103000000_add_index");

            // Ratchet's counter uses schema_migrations by default; here it takes another name.
            AdoptionResult r = Adoption.builder().dataSource(db.dataSource()).from(ForeignTool.RAILS)
                    .to(CounterTracker.builder().table("ratchet_version").build()).namespace(code("app", dir))
                    .build().run();

            assertEquals(List.of("20240101000000_create_users", "20240102000000_add_email"), rows(r, 0));
            assertEquals(List.of("20240103000000_add_index"),
                    migrate(db, CounterTracker.builder().table("ratchet_version").build(), code("app", dir)));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void dbmateAValueThatIsNotAVersionOrAnUnknownVersionIsRefused(DatabaseKind kind, @TempDir Path dir)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            exec(db, "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)",
                    "INSERT INTO schema_migrations (version) VALUES ('20240101000000'), ('2024-01-02')");
            files(dir, "20240101000000_create_users");
            RatchetException unsupported = assertThrows(RatchetException.class,
                    () -> adoption(db, ForeignTool.DBMATE).namespace(code("app", dir)).build().run());
            assertEquals(ErrorKind.FOREIGN_ENTRY_UNSUPPORTED, unsupported.kind());

            exec(db, "UPDATE schema_migrations SET version = '20240109000000' WHERE version = '2024-01-02'");
            RatchetException unmatched = assertThrows(RatchetException.class,
                    () -> adoption(db, ForeignTool.DBMATE).namespace(code("app", dir)).build().run());
            assertEquals(ErrorKind.FOREIGN_ENTRY_UNMATCHED, unmatched.kind());
            assertEquals(List.of("20240109000000"), unmatched.context().get("unmatched"));
        }
    }

    // ------------------------------------------------------------------ Prisma

    private static void prismaTable(TestDatabase db) throws Exception {
        exec(db, pg(db)
                ? "CREATE TABLE \"_prisma_migrations\" (\"id\" VARCHAR(36) PRIMARY KEY NOT NULL,"
                        + " \"checksum\" VARCHAR(64) NOT NULL, \"finished_at\" TIMESTAMPTZ,"
                        + " \"migration_name\" VARCHAR(255) NOT NULL, \"logs\" TEXT, \"rolled_back_at\" TIMESTAMPTZ,"
                        + " \"started_at\" TIMESTAMPTZ NOT NULL DEFAULT now(),"
                        + " \"applied_steps_count\" INTEGER NOT NULL DEFAULT 0)"
                : "CREATE TABLE \"_prisma_migrations\" (\"id\" TEXT PRIMARY KEY NOT NULL, \"checksum\" TEXT NOT NULL,"
                        + " \"finished_at\" DATETIME, \"migration_name\" TEXT NOT NULL, \"logs\" TEXT,"
                        + " \"rolled_back_at\" DATETIME, \"started_at\" DATETIME NOT NULL DEFAULT current_timestamp,"
                        + " \"applied_steps_count\" INTEGER UNSIGNED NOT NULL DEFAULT 0)");
    }

    private static void prismaRow(TestDatabase db, String id, String name, boolean finished, String logs,
                                  boolean rolledBack, int minute) throws Exception {
        prismaRow(db, id, name, finished, logs, rolledBack, minute, "c0ffee");
    }

    private static void prismaRow(TestDatabase db, String id, String name, boolean finished, String logs,
                                  boolean rolledBack, int minute, String checksum) throws Exception {
        // Prisma writes times as timestamptz on PostgreSQL and as epoch milliseconds on SQLite.
        String at = pg(db) ? "TIMESTAMPTZ '2024-01-01 10:" + minute + ":00+00'" : String.valueOf(1704103200000L + minute * 60000L);
        exec(db, "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at,"
                + " started_at, applied_steps_count) VALUES ('" + id + "', '" + checksum + "', " + (finished ? at : "NULL")
                + ", '" + name + "', " + (logs == null ? "NULL" : "'" + logs + "'") + ", "
                + (rolledBack ? at : "NULL") + ", " + at + ", " + (finished ? 1 : 0) + ")");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void prismaFinishedRowsAreAppliedRolledBackOnesLeftOut(DatabaseKind kind, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            prismaTable(db);
            // Prisma's checksum is the SHA-256 of migration.sql as Prisma read it: here on a machine
            // whose checkout had LF line ends, while this checkout has CR LF.
            String init = "CREATE TABLE prisma_init (id int);\nINSERT INTO prisma_init VALUES (1);\n";
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(init.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            prismaRow(db, "a", "20240101000000_init", true, null, false, 10, sha);
            prismaRow(db, "b", "20240102000000_add_books", false, "syntax error", true, 11); // failed, resolved
            prismaRow(db, "c", "20240102000000_add_books", true, null, false, 12);            // then applied
            prismaFiles(dir, "20240101000000_init", "20240102000000_add_books", "20240103000000_add_isbn");
            Files.writeString(dir.resolve("20240101000000_init/migration.sql"), init.replace("\n", "\r\n"));

            AdoptionResult r = adoption(db, ForeignTool.PRISMA).namespace(code("app", dir)).build().run();

            assertEquals(List.of("20240101000000_init", "20240102000000_add_books"), rows(r, 0));
            assertEquals(code("app", dir).migrations().get(0).checksum(),
                    r.moves().moves().get(0).rows().get(0).checksum(), "Prisma's checksum proves the file: carried");
            assertEquals(java.util.Optional.empty(), r.moves().moves().get(0).rows().get(1).checksum(),
                    "a checksum of another text proves nothing");
            assertEquals(1, r.warnings().size(), r.warnings().toString());
            assertTrue(r.warnings().get(0).startsWith("app: 20240102000000_add_books ("), r.warnings().get(0));
            assertTrue(r.moves().moves().get(0).rows().get(0).appliedAt().isPresent(), "finished_at is carried");
            assertTrue(r.leftOut().stream().anyMatch(l -> l.reason().contains("rolled back")), r.leftOut().toString());
            assertEquals(List.of("20240103000000_add_isbn"),
                    migrate(db, AppliedSetTracker.builder().build(), code("app", dir)));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void prismaAnUnfinishedOrFailedRowRefusesAdoption(DatabaseKind kind, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            prismaTable(db);
            prismaRow(db, "a", "20240101000000_init", true, null, false, 10);
            prismaRow(db, "b", "20240102000000_add_books", false, null, false, 11);
            files(dir, "20240101000000_init", "20240102000000_add_books");

            RatchetException unfinished = assertThrows(RatchetException.class,
                    () -> adoption(db, ForeignTool.PRISMA).namespace(code("app", dir)).build().run());
            assertEquals(ErrorKind.FOREIGN_MIGRATION_UNFINISHED, unfinished.kind());
            assertTrue(unfinished.getMessage().contains("20240102000000_add_books"), unfinished.getMessage());

            exec(db, "UPDATE _prisma_migrations SET logs = 'ERROR: relation \"books\" already exists' WHERE id = 'b'");
            RatchetException failed = assertThrows(RatchetException.class, () -> adoption(db, ForeignTool.PRISMA)
                    .namespace(code("app", dir)).allowUnmatched().build().run());
            assertEquals(ErrorKind.FOREIGN_MIGRATION_FAILED, failed.kind(), "no allowance covers a failed row");
            assertFalse(tableExists(db, "ratchet_applied_migrations"));
        }
    }

    // ------------------------------------------------------------------ Django

    private static void djangoTable(TestDatabase db) throws Exception {
        exec(db, pg(db)
                ? "CREATE TABLE \"django_migrations\" (\"id\" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS"
                        + " IDENTITY, \"app\" varchar(255) NOT NULL, \"name\" varchar(255) NOT NULL,"
                        + " \"applied\" timestamp with time zone NOT NULL)"
                : "CREATE TABLE \"django_migrations\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT,"
                        + " \"app\" varchar(255) NOT NULL, \"name\" varchar(255) NOT NULL, \"applied\" datetime NOT NULL)");
        String now = pg(db) ? "now()" : "'2024-01-01 10:00:00.123456'";
        exec(db, "INSERT INTO django_migrations (app, name, applied) VALUES ('books', '0001_initial', " + now + "),"
                + " ('authors', '0001_initial', " + now + "), ('books', '0002_add_isbn', " + now + ")");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void djangoOneNamespacePerAppAndRetiringNeedsEveryApp(DatabaseKind kind, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            djangoTable(db);
            Path books = Files.createDirectories(dir.resolve("books"));
            Path authors = Files.createDirectories(dir.resolve("authors"));
            files(books, "0001_initial", "0002_add_isbn", "0003_add_price");
            files(authors, "0001_initial");

            RatchetException partial = assertThrows(RatchetException.class, () -> adoption(db, ForeignTool.DJANGO)
                    .namespace(code("books", books)).retireSource(Cutover.Retire.RENAME).build().run());
            assertEquals(ErrorKind.CUTOVER_WOULD_LOSE_HISTORY, partial.kind(), "authors' history is still there");
            assertFalse(tableExists(db, "ratchet_applied_migrations"), "rolled back as a whole");

            AdoptionResult r = adoption(db, ForeignTool.DJANGO).namespace(code("books", books))
                    .namespace(code("authors", authors)).retireSource(Cutover.Retire.RENAME).build().run();

            assertEquals(List.of("1_initial", "2_add_isbn"), rows(r, 0));
            assertEquals(List.of("1_initial"), rows(r, 1));
            assertTrue(tableExists(db, "django_migrations_retired"));
            assertEquals(List.of("3_add_price"), migrate(db, AppliedSetTracker.builder().build(), code("books", books)));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void djangoAMigrationTheCodeLacksIsRefused(DatabaseKind kind, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            djangoTable(db);
            files(dir, "0001_initial", "0002_add_title");

            RatchetException e = assertThrows(RatchetException.class,
                    () -> adoption(db, ForeignTool.DJANGO).namespace(code("books", dir)).build().run());

            assertEquals(ErrorKind.FOREIGN_ENTRY_UNMATCHED, e.kind());
            assertEquals(List.of("books.0002_add_isbn"), e.context().get("unmatched"), "same version, other name");
        }
    }

    // ------------------------------------------------------------------ golang-migrate

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void golangMigrateIsTheCounterLayoutAndADirtyOneRefuses(DatabaseKind kind, @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            exec(db, "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)",
                    "INSERT INTO schema_migrations (version, dirty) VALUES (2, " + (pg(db) ? "true" : "1") + ")");
            files(dir, "1_create_users.up", "2_add_email.up", "3_add_index.up");

            RatchetException dirty = assertThrows(RatchetException.class,
                    () -> adoption(db, ForeignTool.GOLANG_MIGRATE).namespace(code("app", dir)).build().run());
            assertEquals(ErrorKind.DIRTY, dirty.kind());

            exec(db, "UPDATE schema_migrations SET dirty = " + (pg(db) ? "false" : "0"));
            AdoptionResult r = adoption(db, ForeignTool.GOLANG_MIGRATE).namespace(code("app", dir)).build().run();
            assertEquals(CutoverResult.Status.MOVED, r.moves().moves().get(0).status());
            assertEquals(List.of("1_create_users", "2_add_email"), rows(r, 0));
        }
    }
}
