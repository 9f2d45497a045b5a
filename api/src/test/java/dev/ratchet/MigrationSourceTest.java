package dev.ratchet;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.net.URL;
import java.net.URLClassLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationSourceTest {
    @TempDir
    Path dir;

    private void write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private List<Migration> load() {
        return MigrationSource.directory(dir).load();
    }

    @Test
    void acceptsTheThreeNamingStylesAndNamesByCanonicalVersion() throws Exception {
        write("V0003__add_users.sql", "CREATE TABLE users (id int);");
        write("1_init.up.sql", "CREATE TABLE a (id int);");
        write("1_init.down.sql", "DROP TABLE a;");
        write("2_more.sql", "CREATE TABLE b (id int);");
        write("V1_10__dotted.sql", "SELECT 1;");
        write("nested/20191100000001000000_late.up.sql", "SELECT 2;");
        write("README.md", "not a migration");

        List<Migration> loaded = load();

        assertEquals(List.of("1_init", "1.10_dotted", "2_more", "3_add_users", "20191100000001000000_late"),
                loaded.stream().map(Migration::name).toList());
        assertEquals("add_users", loaded.get(3).description());
        assertTrue(loaded.get(3).origin().endsWith("V0003__add_users.sql"));
    }

    @Test
    void aLoadedListAndItsSubListsAreImmutableViewsInVersionOrderThatAPlanKeeps() throws Exception {
        for (int v = 1; v <= 6; v++) {
            write(v + "_m.sql", "SELECT " + v + ";");
        }
        List<Migration> loaded = load();
        List<Migration> middle = loaded.subList(1, 4);

        assertEquals(List.of("2_m", "3_m", "4_m"), middle.stream().map(Migration::name).toList());
        assertEquals(List.of("3_m"), middle.subList(1, 2).stream().map(Migration::name).toList());
        assertEquals(3, middle.toArray().length);
        assertEquals(middle.get(2), middle.toArray()[2]);
        assertThrows(IndexOutOfBoundsException.class, () -> middle.get(3));
        assertThrows(IndexOutOfBoundsException.class, () -> middle.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> middle.subList(2, 4));
        assertThrows(UnsupportedOperationException.class, () -> middle.set(0, loaded.get(0)));
        assertThrows(UnsupportedOperationException.class, () -> loaded.remove(0));
        assertEquals(6, loaded.size());

        Plan plan = new Plan(Namespace.of("app", loaded), loaded.subList(4, 6), middle, List.of());
        assertEquals(middle, plan.unverifiable());
        assertEquals(List.of("5_m", "6_m"), plan.pending().stream().map(Migration::name).toList());
        // Any other list is still copied.
        List<Migration> mutable = new java.util.ArrayList<>(loaded);
        Plan copied = new Plan(Namespace.of("app", loaded), mutable, List.of(), List.of());
        mutable.clear();
        assertEquals(6, copied.pending().size());
    }

    @Test
    void aSqlFileWithAnUnreadableNameFailsNamingIt() throws Exception {
        write("1_ok.sql", "SELECT 1;");
        for (String bad : List.of("add_users.sql", "V2_missing_separator.sql", "R__repeatable.sql", "V3__.sql",
                "1..2_x.sql")) {
            Path file = dir.resolve(bad);
            Files.writeString(file, "SELECT 1;");
            RatchetException e = assertThrows(RatchetException.class, this::load, bad);
            assertEquals(ErrorKind.MALFORMED_MIGRATION_NAME, e.kind(), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
            Files.delete(file);
        }
    }

    /** Flyway's repeatable and undo migrations, and an upper-case extension, are named as what they are. */
    @Test
    void flywaysOtherKindsAndAnUpperCaseExtensionAreRefusedSayingWhatTheyAre() throws Exception {
        write("V1__ok.sql", "SELECT 1;");
        Map<String, List<String>> expected = Map.of(
                "R__views.sql", List.of("is a Flyway repeatable migration (R__)", "make each change of what it creates"
                        + " a versioned migration of its own"),
                "U2__drop_users.sql", List.of("is a Flyway undo migration (U<version>__)", "name it"
                        + " <version>_<name>.down.sql, which Ratchet passes over"),
                "V2__users.SQL", List.of("has a name Ratchet cannot read: its extension is not the lower-case .sql",
                        "rename it with a lower-case .sql"),
                "U_not_undo.sql", List.of("has a name Ratchet cannot read: it does not match V<version>__<name>.sql",
                        "rename the file to"));
        assertEachRefusedSaying(expected, "");
        Files.writeString(dir.resolve("2_drop_users.down.sql"), "SELECT 1;");
        assertEquals(1, load().size(), "the renamed undo migration is passed over");
    }

    /** A name nearly in Flyway's form says what is off in it and, where it can, the name it means. */
    @Test
    void aNameNearlyInFlywaysFormSaysWhatIsOffAndTheNameItMeans() throws Exception {
        write("V1__ok.sql", "SELECT 1;");
        Map<String, List<String>> expected = Map.of(
                "V2_users.sql", List.of("a V and its version take two underscores before the name",
                        "rename it to V2__users.sql"),
                "V2.1_users.sql", List.of("a V and its version take two underscores", "rename it to V2.1__users.sql"),
                "v2__users.sql", List.of("Flyway's prefix is an upper-case V", "rename it to V2__users.sql"),
                "v2_users.sql", List.of("Flyway's prefix is an upper-case V", "rename it to V2__users.sql"),
                "V2__.sql", List.of("it has no name after its version", "rename the file to one of those forms"),
                "V__users.sql", List.of("it has no version after the V", "rename the file to one of those forms"),
                "V2x__users.sql", List.of("it does not match V<version>__<name>.sql", "rename the file to"));
        assertEachRefusedSaying(expected, "has a name Ratchet cannot read: ");
        assertEquals(1, load().size());
    }

    /**
     * A name that starts or ends with a space (a tab, a no-break space) is refused, naming the file
     * without it: the migration would be named with a space no listing or status line shows, and
     * trimming the file's name later would rename the migration. A space inside a name is kept.
     */
    @Test
    void aNameStartingOrEndingWithASpaceIsRefusedWithTheNameWithoutIt() throws Exception {
        write("V1__ok.sql", "SELECT 1;");
        Map<String, List<String>> expected = Map.of(
                "V2__users .sql", List.of("its name ends with a space, which a listing does not show",
                        "rename it to 'V2__users.sql'"),
                "V2.1__ users.sql", List.of("its name starts with a space", "rename it to 'V2.1__users.sql'"),
                "2_users\t.up.sql", List.of("its name ends with a space", "rename it to '2_users.up.sql'"),
                "2_users\u00a0.sql", List.of("its name ends with a space", "rename it to '2_users.sql'"),
                "3_  add email  .sql", List.of("its name starts with a space", "rename it to '3_add email.sql'"));
        assertEachRefusedSaying(expected, "has a name Ratchet cannot read: ");
        write("2_add email.sql", "SELECT 2;");
        assertEquals(List.of("1_ok", "2_add email"), load().stream().map(Migration::name).toList());

        Path prisma = dir.resolve("prisma");
        write("prisma/20240101120000_init /migration.sql", "SELECT 1;");
        RatchetException e = assertThrows(RatchetException.class, () -> MigrationSource.directory(prisma).load());
        assertEquals(ErrorKind.MALFORMED_MIGRATION_NAME, e.kind());
        assertTrue(e.getMessage().contains("its name ends with a space"), e.getMessage());
        assertEquals("rename its folder to '20240101120000_init'", e.hint());
    }

    /**
     * Each file of {@code expected}, alone beside the good ones, is refused with a message saying
     * {@code said} and then its first text right after the file's name, and a hint holding its second.
     */
    private void assertEachRefusedSaying(Map<String, List<String>> expected, String said) throws Exception {
        for (Map.Entry<String, List<String>> bad : expected.entrySet()) {
            Path file = dir.resolve(bad.getKey());
            Files.writeString(file, "SELECT 1;");
            RatchetException e = assertThrows(RatchetException.class, this::load, bad.getKey());
            assertEquals(ErrorKind.MALFORMED_MIGRATION_NAME, e.kind(), bad.getKey());
            assertTrue(e.getMessage().contains("'" + file + "' " + said + bad.getValue().get(0)), e.getMessage());
            assertTrue(e.hint().contains(bad.getValue().get(1)), bad.getKey() + ": " + e.hint());
            assertEquals(file.toString(), e.context().get("file"));
            Files.delete(file);
        }
    }

    /**
     * Among many files (taken sixteen a call, in the listing's order), the malformed name reported
     * is the first by path, wherever the listing puts it; a collision among many dense versions,
     * which are otherwise put in place without a sort, is found too.
     */
    @Test
    void amongManyFilesTheFirstMalformedNameByPathIsReportedAndACollisionIsFound() throws Exception {
        for (int i = 1; i <= 60; i++) {
            write("V" + i + "__m" + i + ".sql", "SELECT " + i + ";");
        }
        write("zz_not_a_migration.sql", "SELECT 0;");
        write("V9_missing_separator.sql", "SELECT 0;");
        RatchetException e = assertThrows(RatchetException.class, this::load);
        assertEquals(ErrorKind.MALFORMED_MIGRATION_NAME, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("V9_missing_separator.sql"), e.getMessage());
        Files.delete(dir.resolve("V9_missing_separator.sql"));
        e = assertThrows(RatchetException.class, this::load);
        assertTrue(e.getMessage().contains("zz_not_a_migration.sql"), e.getMessage());
        Files.delete(dir.resolve("zz_not_a_migration.sql"));
        assertEquals(60, load().size());

        write("33_again.sql", "SELECT 33;");
        e = assertThrows(RatchetException.class, this::load);
        assertEquals(ErrorKind.VERSION_COLLISION, e.kind());
        assertTrue(e.getMessage().contains("V33__m33.sql") && e.getMessage().contains("33_again.sql"), e.getMessage());
    }

    @Test
    void twoFilesWithOneVersionFailNamingBoth() throws Exception {
        write("V3__add_users.sql", "SELECT 1;");
        write("3_add_accounts.up.sql", "SELECT 2;");

        RatchetException e = assertThrows(RatchetException.class, this::load);

        assertEquals(ErrorKind.VERSION_COLLISION, e.kind());
        assertTrue(e.getMessage().contains("V3__add_users.sql"), e.getMessage());
        assertTrue(e.getMessage().contains("3_add_accounts.up.sql"), e.getMessage());
    }

    @Test
    void threeFilesWithOneVersionAreNamedOnceAsAGroupAndManyCollisionsAreCounted() throws Exception {
        write("V3__a.sql", "SELECT 1;");
        write("3_b.up.sql", "SELECT 2;");
        write("V3.0__c.sql", "SELECT 3;");
        RatchetException e = assertThrows(RatchetException.class, this::load);
        assertEquals(ErrorKind.VERSION_COLLISION, e.kind());
        assertEquals(1, ((List<?>) e.context().get("collisions")).size(), e.getMessage());
        assertTrue(java.util.regex.Pattern.compile("more than one migration at version 3 \\(\\S+, \\S+ and \\S+\\)\\. ")
                .matcher(e.getMessage()).find(), e.getMessage());
        assertTrue(e.hint().startsWith("give all but one of the migrations at a version a new, unused version"), e.hint());
        for (String name : List.of("V3__a.sql", "3_b.up.sql", "V3.0__c.sql")) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }

        for (int v = 10; v < 22; v++) {
            write("V" + v + "__x.sql", "SELECT 1;");
            write(v + "_y.sql", "SELECT 2;");
        }
        e = assertThrows(RatchetException.class, this::load);
        assertEquals(13, ((List<?>) e.context().get("collisions")).size(), e.getMessage());
        assertTrue(e.getMessage().contains(", and at 3 more versions (the exception's context lists them all). "),
                e.getMessage());
    }

    @Test
    void codeMigrationsSharingAVersionAreNamedOnceAsAGroup() {
        List<Migration> code = List.of(Migration.builder("3_a").version(Version.of(3)).sql("SELECT 1;").build(),
                Migration.builder("1_x").version(Version.of(1)).sql("SELECT 1;").build(),
                Migration.builder("3_b").version(Version.of(3)).sql("SELECT 2;").build(),
                Migration.builder("3_c").version(Version.of(3)).sql("SELECT 3;").build());
        RatchetException e = assertThrows(RatchetException.class, () -> Namespace.of("app", code));
        assertEquals(ErrorKind.VERSION_COLLISION, e.kind());
        assertEquals(List.of("3 (script 3_a, script 3_b and script 3_c)"), e.context().get("collisions"), e.getMessage());
    }

    @Test
    void versionsThatDifferOnlyInZerosCollide() throws Exception {
        write("V1__a.sql", "SELECT 1;");
        write("V1.0__b.sql", "SELECT 2;");
        assertEquals(ErrorKind.VERSION_COLLISION, assertThrows(RatchetException.class, this::load).kind());
    }

    @Test
    void checksumIgnoresLineEndingsAndTheDirectiveMarksNonTransactional() throws Exception {
        write("1_a.sql", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n");
        write("2_b.sql", "CREATE TABLE a (id int);\r\nINSERT INTO a VALUES (1);\r\n");
        write("3_c.sql", "-- ratchet:no-transaction\nCREATE INDEX CONCURRENTLY i ON a (id);\n");

        List<Migration> loaded = load();

        assertEquals(loaded.get(0).checksum(), loaded.get(1).checksum());
        assertEquals(64, loaded.get(0).checksum().orElseThrow().length());
        assertTrue(loaded.get(0).transactional());
        assertFalse(loaded.get(2).transactional());
    }

    @Test
    void invalidUtf8IsReportedNotGuessed() throws Exception {
        Files.write(dir.resolve("1_bad.sql"), new byte[] {(byte) 0xC3, (byte) 0x28});
        write("2_good.sql", "SELECT 2;");
        List<Migration> loaded = load();
        // Contents are read when needed: the bad file fails when its body is used, every time.
        for (int attempt = 0; attempt < 2; attempt++) {
            RatchetException e = assertThrows(RatchetException.class, () -> loaded.get(0).checksum());
            assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind());
            assertTrue(e.getMessage().contains("1_bad.sql"));
            assertThrows(RatchetException.class, () -> loaded.get(0).script());
        }
        assertEquals("SELECT 2;", loaded.get(1).script().orElseThrow());
    }

    @Test
    void aFileInAnotherEncodingIsNamedWithItsLineAndByteAndHowToSaveIt() throws Exception {
        Files.write(dir.resolve("1_latin1.sql"), "-- caf\u00e9s\nCREATE TABLE caf\u00e9 (id int);\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Files.write(dir.resolve("2_utf16.sql"), "\uFEFFSELECT 1;".getBytes(StandardCharsets.UTF_16LE));
        write("3_utf8.sql", "-- caf\u00e9s\nCREATE TABLE caf\u00e9 (id int);\n");
        List<Migration> loaded = load();

        RatchetException latin1 = assertThrows(RatchetException.class, () -> loaded.get(0).script());
        assertEquals(ErrorKind.SOURCE_UNREADABLE, latin1.kind());
        assertTrue(latin1.getMessage().contains("1_latin1.sql' is not valid UTF-8: at line 1 (byte 7) comes 0xE9"),
                latin1.getMessage());
        assertEquals(1, latin1.context().get("line"));
        assertTrue(latin1.hint().startsWith("save the file as UTF-8"), latin1.hint());

        RatchetException utf16 = assertThrows(RatchetException.class, () -> loaded.get(1).script());
        assertTrue(utf16.getMessage().contains("2_utf16.sql' is not valid UTF-8: it starts with a UTF-16 byte order"
                + " mark"), utf16.getMessage());
        assertTrue(utf16.hint().startsWith("save the file as UTF-8"), utf16.hint());

        assertEquals("-- caf\u00e9s\nCREATE TABLE caf\u00e9 (id int);\n", loaded.get(2).script().orElseThrow(),
                "the same text saved as UTF-8 is read");
    }

    @Test
    void anEmacsLockFileIsPassedOverAndAnyOtherHiddenScriptIsRefused() throws Exception {
        write("V1__a.sql", "SELECT 1;");
        write("V2__b.sql", "SELECT 2;");
        // Emacs keeps this dangling link beside V2__b.sql while it has unsaved changes.
        Files.createSymbolicLink(dir.resolve(".#V2__b.sql"), Path.of("someone@host.1234:1700000000"));
        assertEquals(List.of("1_a", "2_b"), load().stream().map(Migration::name).toList());

        write(".V3__hidden.sql", "SELECT 3;");
        RatchetException e = assertThrows(RatchetException.class, this::load);
        assertEquals(ErrorKind.MALFORMED_MIGRATION_NAME, e.kind());
        assertTrue(e.getMessage().contains(".V3__hidden.sql"), e.getMessage());
    }

    @Test
    void aDirectoryNamedLikeAScriptFailsWhenRead() throws Exception {
        Files.createDirectories(dir.resolve("3_dir.sql"));
        List<Migration> loaded = load();
        RatchetException e = assertThrows(RatchetException.class, () -> loaded.get(0).transactional());
        assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind());
        assertTrue(e.getMessage().contains("3_dir.sql"), e.getMessage());
    }

    @Test
    void manyFilesReadInTheBackgroundKeepTheirOwnBodies() throws Exception {
        for (int i = 1; i <= 300; i++) {
            write("sub" + (i % 3) + "/V" + i + "__m" + i + ".sql", "SELECT " + i + ";");
        }
        List<Migration> loaded = load();
        assertEquals(300, loaded.size());
        loaded.subList(0, 150).forEach(Migration::prefetch); // half in the background, half on demand
        for (int i = 1; i <= 300; i++) {
            Migration m = loaded.get(i - 1);
            assertEquals(i + "_m" + i, m.name());
            assertEquals("SELECT " + i + ";", m.script().orElseThrow());
        }
    }

    @Test
    void aMissingDirectoryIsAnError() {
        RatchetException e = assertThrows(RatchetException.class,
                () -> MigrationSource.directory(dir.resolve("nope")).load());
        assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind());
    }

    @Test
    void classpathLocationsLoadFromDirectoriesAndJars() throws Exception {
        write("cp/db/migrations/V1__one.sql", "SELECT 1;");
        Path jar = dir.resolve("migrations.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // Build tools write directory entries; the class loader finds a location through them.
            out.putNextEntry(new JarEntry("db/"));
            out.closeEntry();
            out.putNextEntry(new JarEntry("db/migrations/"));
            out.closeEntry();
            out.putNextEntry(new JarEntry("db/migrations/V2__two.sql"));
            out.write("SELECT 2;".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new JarEntry("db/migrations/notes.txt"));
            out.write("ignored".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {
                dir.resolve("cp").toUri().toURL(), jar.toUri().toURL()}, null)) {
            List<Migration> loaded = MigrationSource.classpath("db/migrations", loader).load();
            assertEquals(List.of("1_one", "2_two"), loaded.stream().map(Migration::name).toList());
            assertEquals("classpath:db/migrations/V2__two.sql", loaded.get(1).origin());
        }
    }

    /**
     * A jar built without directory entries hides {@code db/migrations} from the class loader: the
     * error says so, and with the checksum manifest in the jar the location is found through it.
     */
    @Test
    void aJarWithoutDirectoryEntriesIsFoundThroughItsChecksumManifest() throws Exception {
        Path files = Files.createDirectories(dir.resolve("nodirs"));
        Files.writeString(files.resolve("V1__one.sql"), "SELECT 1;");
        Files.writeString(files.resolve("V2__two.sql"), "SELECT 2;");
        Path bare = dir.resolve("bare.jar");
        Path vouched = dir.resolve("vouched.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(bare))) {
            for (String name : List.of("V1__one.sql", "V2__two.sql")) {
                out.putNextEntry(new JarEntry("db/migrations/" + name));
                out.write(Files.readAllBytes(files.resolve(name)));
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {bare.toUri().toURL()}, null)) {
            assertNull(loader.getResource("db/migrations"), "the class loader does not see the location");
            RatchetException e = assertThrows(RatchetException.class,
                    () -> MigrationSource.classpath("db/migrations", loader).load());
            assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind());
            assertTrue(e.hint().contains("without directory entries"), e.hint());
        }

        ChecksumManifest.write(files);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(vouched))) {
            for (String name : List.of("V1__one.sql", "V2__two.sql", ChecksumManifest.FILE_NAME)) {
                out.putNextEntry(new JarEntry("db/migrations/" + name));
                out.write(Files.readAllBytes(files.resolve(name)));
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {vouched.toUri().toURL()}, null)) {
            List<Migration> loaded = MigrationSource.classpath("db/migrations", loader).load();
            assertEquals(List.of("1_one", "2_two"), loaded.stream().map(Migration::name).toList());
            assertEquals("classpath:db/migrations/V2__two.sql", loaded.get(1).origin());
            assertEquals(MigrationSource.directory(files).load().get(1).checksum(), loaded.get(1).checksum());
        }
    }

    /**
     * A Kubernetes ConfigMap mounted as the migrations directory: each file is a link into
     * {@code ..data}, itself a link to {@code ..<timestamp>/}, which holds the files. Hidden
     * directories are not searched, so each migration is found once, in a directory, a jar and
     * the checksum manifest.
     */
    @Test
    void hiddenDirectoriesAsAConfigMapMountHasThemAreNotSearched() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("mount"));
        Path data = Files.createDirectories(mount.resolve("..2026_12_05_09_00_00.123456789"));
        Files.writeString(data.resolve("1_a.sql"), "CREATE TABLE a (id int);");
        Files.writeString(data.resolve("2_b.sql"), "CREATE TABLE b (id int);");
        Files.createSymbolicLink(mount.resolve("..data"), mount.relativize(data));
        Files.createSymbolicLink(mount.resolve("1_a.sql"), Path.of("..data/1_a.sql"));
        Files.createSymbolicLink(mount.resolve("2_b.sql"), Path.of("..data/2_b.sql"));

        List<Migration> loaded = MigrationSource.directory(mount).load();
        assertEquals(List.of("1_a", "2_b"), loaded.stream().map(Migration::name).toList());
        assertEquals("CREATE TABLE b (id int);", loaded.get(1).script().orElseThrow(), "read through the links");
        assertTrue(loaded.get(0).origin().endsWith("mount/1_a.sql"), loaded.get(0).origin());

        Path manifest = ChecksumManifest.write(mount);
        assertEquals(List.of("1_a.sql", "2_b.sql"), Files.readAllLines(manifest).stream().skip(1)
                .map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList(), "the manifest lists each file once");

        Path jar = dir.resolve("hidden.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : List.of("db/", "db/migrations/", "db/migrations/.old/", "db/migrations/V1__one.sql",
                    "db/migrations/.old/V1__one.sql", "db/migrations/.old/deeper/V1__one.sql")) {
                out.putNextEntry(new JarEntry(entry));
                if (!entry.endsWith("/")) {
                    out.write("SELECT 1;".getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertEquals(List.of("1_one"), MigrationSource.classpath("db/migrations", loader).load().stream()
                    .map(Migration::name).toList());
        }
    }

    /**
     * Prisma Migrate's layout, which Ratchet adopts the history of: each migration is a folder
     * {@code <version>_<name>} holding a {@code migration.sql}, named by its folder (as Prisma's
     * {@code _prisma_migrations} names it), from a directory, a jar and the checksum manifest.
     */
    @Test
    void prismasFoldersNameTheirMigrationSqlFiles() throws Exception {
        write("prisma/migrations/20240101120000_init/migration.sql", "CREATE TABLE u (id int);");
        write("prisma/migrations/20240202120000_add_email/migration.sql", "ALTER TABLE u ADD COLUMN email text;");
        write("prisma/migrations/migration_lock.toml", "provider = \"postgresql\"");
        Path prisma = dir.resolve("prisma/migrations");
        List<Migration> loaded = MigrationSource.directory(prisma).load();
        assertEquals(List.of("20240101120000_init", "20240202120000_add_email"),
                loaded.stream().map(Migration::name).toList());
        assertEquals(Version.parse("20240202120000"), loaded.get(1).version().orElseThrow());
        assertEquals("ALTER TABLE u ADD COLUMN email text;", loaded.get(1).script().orElseThrow());
        ChecksumManifest.write(prisma);
        assertEquals(loaded.get(0).checksum(), MigrationSource.directory(prisma).load().get(0).checksum());

        Path jar = dir.resolve("prisma.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : List.of("db/", "db/20240101120000_init/")) {
                out.putNextEntry(new JarEntry(entry));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("db/20240101120000_init/migration.sql"));
            out.write("CREATE TABLE u (id int);".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<Migration> fromJar = MigrationSource.classpath("db", loader).load();
            assertEquals(List.of("20240101120000_init"), fromJar.stream().map(Migration::name).toList());
            assertEquals(loaded.get(0).checksum(), fromJar.get(0).checksum());
        }

        write("prisma/migrations/init/migration.sql", "SELECT 1;");
        RatchetException e = assertThrows(RatchetException.class, () -> MigrationSource.directory(prisma).load());
        assertEquals(ErrorKind.MALFORMED_MIGRATION_NAME, e.kind());
        assertTrue(e.getMessage().contains("a migration.sql takes its name from its folder, as Prisma Migrate lays them"
                + " out (<version>_<name>/migration.sql), and 'init' is not <version>_<name>"), e.getMessage());
    }

    @Test
    void aLinkToADirectoryIsListedAsASubdirectoryAndALinkToAFileIsAMigration() throws Exception {
        // Several services sharing a directory of migrations link it into each one's location.
        write("elsewhere/2_two.sql", "SELECT 2;");
        write("elsewhere/deeper/4_four.sql", "SELECT 4;");
        write("elsewhere/README.md", "not a migration");
        Path source = Files.createDirectories(dir.resolve("source"));
        Files.writeString(source.resolve("1_one.sql"), "SELECT 1;");
        Files.createSymbolicLink(source.resolve("shared"), dir.resolve("elsewhere"));
        Files.createSymbolicLink(source.resolve("notes.md"), dir.resolve("elsewhere/README.md"));
        Files.createSymbolicLink(source.resolve("3_three.sql"), dir.resolve("elsewhere/2_two.sql"));
        Files.createSymbolicLink(source.resolve(".hidden"), Path.of("/nonexistent/never/looked/at"));

        List<Migration> loaded = MigrationSource.directory(source).load();

        assertEquals(List.of("1_one", "2_two", "3_three", "4_four"), loaded.stream().map(Migration::name).toList());
        assertEquals("SELECT 2;", loaded.get(1).script().orElseThrow());
        assertTrue(loaded.get(1).origin().endsWith("source/shared/2_two.sql"), "named by the link's path: "
                + loaded.get(1).origin());
        assertEquals("SELECT 2;", loaded.get(2).script().orElseThrow());
        assertEquals("SELECT 4;", loaded.get(3).script().orElseThrow());

        Path manifest = ChecksumManifest.write(source);
        assertEquals(List.of("1_one.sql", "3_three.sql", "shared/2_two.sql", "shared/deeper/4_four.sql"),
                Files.readAllLines(manifest).stream().skip(1).map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList(),
                "the manifest lists the files a boot lists");
        List<Migration> vouched = MigrationSource.directory(source).load();
        assertEquals(loaded.get(3).checksum(), vouched.get(3).checksum());

        // The same directory linked twice is every version twice.
        Files.createSymbolicLink(source.resolve("again"), dir.resolve("elsewhere"));
        RatchetException twice = assertThrows(RatchetException.class, () -> MigrationSource.directory(source).load());
        assertEquals(ErrorKind.VERSION_COLLISION, twice.kind());
        assertTrue(twice.getMessage().contains("again/2_two.sql") && twice.getMessage().contains("shared/2_two.sql"),
                twice.getMessage());
    }

    @Test
    void aLinkThatLeadsBackIntoTheLocationIsRefusedNamingIt() throws Exception {
        write("1_one.sql", "SELECT 1;");
        write("sub/2_two.sql", "SELECT 2;");
        for (String[] link : new String[][] {{"up", ".."}, {"sub/self", "."}, {"sub/root", ".."}}) {
            Path at = dir.resolve(link[0]);
            Files.createSymbolicLink(at, Path.of(link[1]));
            RatchetException e = assertThrows(RatchetException.class, this::load, link[0]);
            assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("'" + at + "' in the migrations location is a link to '")
                    && e.getMessage().contains("which holds the link itself"), e.getMessage());
            assertTrue(e.hint().contains("remove the link"), e.hint());
            Files.delete(at);
        }
        // A loop through a second directory: only the real paths entered so far show it.
        Path outside = Files.createDirectories(dir.getParent().resolve(dir.getFileName() + "-outside"));
        try {
            Files.createSymbolicLink(outside.resolve("back"), dir);
            Files.createSymbolicLink(dir.resolve("out"), outside);
            RatchetException e = assertThrows(RatchetException.class, this::load);
            assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("out/back' in the migrations location is a link to '" + dir.toRealPath()
                    + "', which holds the link itself"), e.getMessage());
        } finally {
            Files.deleteIfExists(outside.resolve("back"));
            Files.deleteIfExists(outside);
        }
        Files.delete(dir.resolve("out"));
        assertEquals(List.of("1_one", "2_two"), load().stream().map(Migration::name).toList());
    }

    @Test
    void aDanglingLinkIsRefusedNamingWhereItPoints() throws Exception {
        write("1_one.sql", "SELECT 1;");
        Path shared = dir.resolve("shared");
        Files.createSymbolicLink(shared, Path.of("/mnt/not-mounted/migrations"));
        RatchetException e = assertThrows(RatchetException.class, this::load);
        assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind());
        assertEquals("'" + shared + "' in the migrations location is a link to '/mnt/not-mounted/migrations', which"
                + " does not exist: it may have led to migrations, and a migration is never skipped silently.",
                e.getMessage().substring(e.getMessage().indexOf(']') + 2, e.getMessage().indexOf(" Hint: ")));
        assertTrue(e.hint().startsWith("restore what it points to"), e.hint());
        Files.delete(shared);

        // A dangling link named as a migration is listed, and fails when it is read, saying why.
        Path two = dir.resolve("2_two.sql");
        Files.createSymbolicLink(two, Path.of("gone/2_two.sql"));
        List<Migration> loaded = load();
        assertEquals(List.of("1_one", "2_two"), loaded.stream().map(Migration::name).toList());
        RatchetException read = assertThrows(RatchetException.class, () -> loaded.get(1).script());
        assertEquals(ErrorKind.SOURCE_UNREADABLE, read.kind());
        assertTrue(read.getMessage().contains("Cannot read migration file '" + two
                + "': it is a link to 'gone/2_two.sql', which does not exist"), read.getMessage());
        assertTrue(read.hint().startsWith("restore what the link points to"), read.hint());
    }

    @Test
    void aNameThePlatformCannotDecodeIsListedByItsBytesAndRead() throws Exception {
        // A file name that is not valid in the platform's file-name encoding decodes with U+FFFD,
        // and that text does not resolve back to the file: the listing must keep the name's bytes.
        // Only a file system that stores names as bytes (Linux) can hold such a name.
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "names as bytes: Linux only");
        write("1_one.sql", "SELECT 1;");
        write("sub/3_three.sql", "SELECT 3;");
        Process p = new ProcessBuilder("sh", "-c", "printf 'SELECT 2;' > \"$(printf '2_bad\\377.sql')\"")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        List<Migration> loaded = load();

        assertEquals(3, loaded.size(), () -> loaded.stream().map(Migration::name).toList().toString());
        assertEquals("1_one", loaded.get(0).name());
        // U+FFFD under a UTF-8 or ASCII file-name encoding; a one-byte encoding such as Latin-1
        // decodes every byte, and then nothing needs the fallback.
        assertTrue(loaded.get(1).name().startsWith("2_bad"), loaded.get(1).name());
        assertEquals("SELECT 2;", loaded.get(1).script().orElseThrow());
        assertEquals(ScriptFiles.checksum("SELECT 2;"), loaded.get(1).checksum().orElseThrow());
        assertEquals("SELECT 3;", loaded.get(2).script().orElseThrow());
    }

    @Test
    void aDirectoryOfAnotherFileSystemLoadsAndReads() throws Exception {
        Path zip = dir.resolve("migrations.zip");
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            Files.createDirectories(fs.getPath("/db/nested"));
            Files.writeString(fs.getPath("/db/V1__one.sql"), "SELECT 1;");
            Files.writeString(fs.getPath("/db/nested/V2__two.sql"), "SELECT 2;");
        }
        try (FileSystem fs = FileSystems.newFileSystem(zip)) {
            List<Migration> loaded = MigrationSource.directory(fs.getPath("/db")).load();

            assertEquals(List.of("1_one", "2_two"), loaded.stream().map(Migration::name).toList());
            assertEquals("SELECT 2;", loaded.get(1).script().orElseThrow());
            assertEquals("/db/nested/V2__two.sql", loaded.get(1).origin());
        }
    }
}
