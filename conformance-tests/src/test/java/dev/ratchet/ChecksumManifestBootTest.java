package dev.ratchet;

import dev.ratchet.TrackerSubjects.Subject;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.Tracker;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static dev.ratchet.TrackerSubjects.APPLIED_SET;
import static dev.ratchet.TrackerSubjects.IDENTITY;
import static dev.ratchet.TrackerSubjects.COUNTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Booting from a jar with a checksum manifest ({@link ChecksumManifest}), on each database and
 * tracker: an up-to-date boot reads no migration file, a boot with work to do reads the files
 * it applies, and what is recorded is what a directory of the same files gives, so that the
 * manifest changes the cost of a boot and nothing else: an edit is still drift, and a manifest
 * that lies about a pending file stops the run before anything is applied.
 */
class ChecksumManifestBootTest {
    static Stream<Arguments> subjects() {
        return TrackerSubjects.onEveryDatabase(APPLIED_SET, IDENTITY, COUNTER);
    }

    /** The migrations 1..n (the one at {@code edited} with another body) under {@code classes/db/migrations}. */
    private static Path code(Path dir, int n, int edited) throws Exception {
        Path m = Files.createDirectories(dir.resolve("classes/db/migrations"));
        try (Stream<Path> old = Files.list(m)) {
            for (Path p : (Iterable<Path>) old::iterator) {
                Files.delete(p);
            }
        }
        for (int i = 1; i <= n; i++) {
            Files.writeString(m.resolve("V" + i + "__m" + i + ".sql"), "CREATE TABLE mf_" + i + " (id int"
                    + (i == edited ? ", edited int" : "") + ");\nINSERT INTO mf_" + i + " VALUES (" + i + ");\n");
        }
        ChecksumManifest.write(m);
        return m;
    }

    /** A jar of {@code classes}, as a build packages it. */
    static Path jar(Path dir, String name) throws Exception {
        Path classes = dir.resolve("classes");
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> all = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) all.sorted()::iterator) {
                if (!p.equals(classes)) {
                    String entry = classes.relativize(p).toString().replace('\\', '/');
                    out.putNextEntry(new JarEntry(Files.isDirectory(p) ? entry + "/" : entry));
                    if (!Files.isDirectory(p)) {
                        out.write(Files.readAllBytes(p));
                    }
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    /** A migrate's result, and the jar's migrations it ran with (to ask which were read). */
    record Booted(List<Migration> code, MigrateResult result) {
    }

    private static Booted boot(TestDatabase db, Tracker tracker, Path jar) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<Migration> code = MigrationSource.classpath("db/migrations", loader).load();
            return new Booted(code, Ratchet.builder().dataSource(db.dataSource()).tracker(tracker)
                    .namespace(Namespace.of("app", code)).build().migrate());
        }
    }

    private static List<Migration> migrate(TestDatabase db, Tracker tracker, Path jar) throws Exception {
        return boot(db, tracker, jar).code();
    }

    private static List<String> read(List<Migration> code) {
        return code.stream().filter(Migration::fileRequested).map(Migration::name).toList();
    }

    private static boolean tableExists(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.connect(); ResultSet rs = c.getMetaData().getTables(null, db.schema(), table, null)) {
            return rs.next();
        }
    }

    private static int rowsOf(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void aBootFromTheJarReadsOnlyWhatItAppliesAndRecordsWhatTheFilesSay(DatabaseKind kind, Subject s,
                                                                       @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            code(dir, 8, 0);
            List<Migration> first = migrate(db, s.tracker().get(), jar(dir, "v1.jar"));
            assertEquals(first.stream().map(Migration::name).toList(), read(first),
                    "a fresh database applies, so reads, every file");
            assertEquals(1, rowsOf(db, "mf_8"));

            List<Migration> boot = migrate(db, s.tracker().get(), jar(dir, "v1-again.jar"));
            assertEquals(List.of(), read(boot), "an up-to-date boot reads no file");

            code(dir, 11, 0);
            List<Migration> upgrade = migrate(db, s.tracker().get(), jar(dir, "v2.jar"));
            assertEquals(List.of("9_m9", "10_m10", "11_m11"), read(upgrade), "the boot reads what it applies");
            assertEquals(1, rowsOf(db, "mf_11"));

            // What the jar recorded is what the files themselves give: a directory of them agrees.
            Ratchet fromFiles = Ratchet.builder().dataSource(db.dataSource()).tracker(s.tracker().get())
                    .namespace(Namespace.of("app", MigrationSource.directory(dir.resolve("classes/db/migrations"))
                            .load())).build();
            assertTrue(fromFiles.status().get(0).isUpToDate());
            VerifyResult verified = fromFiles.verify();
            assertTrue(verified.ok(), "no checksum differs between the manifest and the files: " + verified);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void anEditedAppliedFileIsDriftWithTheManifestAsWithout(DatabaseKind kind, Subject s, @TempDir Path dir)
            throws Exception {
        Tracker probe = s.tracker().get();
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.capabilities().contains(
                dev.ratchet.spi.Capability.CHECKSUM_DRIFT_DETECTION), s + " keeps no checksums");
        try (TestDatabase db = TestDatabases.open(kind)) {
            code(dir, 5, 0);
            migrate(db, s.tracker().get(), jar(dir, "v1.jar"));
            code(dir, 6, 3); // the manifest is written again, from the edited file
            Path edited = jar(dir, "edited.jar");
            // Drift fails the run (applied-set's default) or is a warning (identity's).
            try {
                MigrateResult r = boot(db, s.tracker().get(), edited).result();
                assertTrue(r.warnings().stream().anyMatch(w -> w.contains("3_m3")), "drift warned: " + r.warnings());
            } catch (RatchetException e) {
                assertEquals(ErrorKind.CHECKSUM_DRIFT, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("3_m3"), e.getMessage());
                assertFalse(tableExists(db, "mf_6"), "nothing applied");
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void aManifestThatLiesAboutAPendingFileStopsTheRunBeforeAnythingIsApplied(DatabaseKind kind, Subject s,
                                                                            @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            code(dir, 3, 0);
            migrate(db, s.tracker().get(), jar(dir, "v1.jar"));
            Path m = code(dir, 6, 0);
            Path manifest = m.resolve(ChecksumManifest.FILE_NAME);
            Files.write(manifest, Files.readAllLines(manifest).stream()
                    .map(l -> l.endsWith("\tV5__m5.sql") ? "f".repeat(64) + l.substring(64) : l).toList());
            Path forged = jar(dir, "forged.jar");
            RatchetException e = assertThrows(RatchetException.class, () -> migrate(db, s.tracker().get(), forged));
            assertEquals(ErrorKind.CHECKSUM_MANIFEST_INVALID, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("V5__m5.sql"), e.getMessage());
            assertFalse(tableExists(db, "mf_4"), "not even the pending migrations before the bad one are applied");
        }
    }
}
