package dev.ratchet;

import dev.ratchet.TrackerSubjects.Subject;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.Tracker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static dev.ratchet.TrackerSubjects.APPLIED_SET;
import static dev.ratchet.TrackerSubjects.IDENTITY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A UTF-8 byte order mark at the start of a migration file is not part of its checksum: an
 * editor that adds or drops it (Windows editors write one; many others drop it) changes no
 * statement, and must not stop the next boot with drift. A row recorded while the checksum still
 * hashed the mark is not drift either, with or without the mark in the file now, nor is a jar's
 * manifest written then. A real edit still is drift.
 */
@Timeout(120)
class ByteOrderMarkTest {
    private static final String MARK = "\uFEFF";
    private static final String A = "CREATE TABLE bom_a (id int);\nINSERT INTO bom_a VALUES (1);\n";
    private static final String B = "CREATE TABLE bom_b (id int);\n";

    static Stream<Arguments> subjects() {
        return TrackerSubjects.onEveryDatabase(APPLIED_SET, IDENTITY);
    }

    /** SHA-256 hex of the text's UTF-8 bytes, as they are. */
    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path dir, String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static MigrateResult migrate(TestDatabase db, Tracker tracker, Path dir) {
        return Ratchet.builder().dataSource(db.dataSource()).tracker(tracker)
                .namespace(Namespace.of("app", MigrationSource.directory(dir).load())).build().migrate();
    }

    private static String recordedChecksum(TestDatabase db, Tracker tracker, String name) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT checksum FROM " + tracker.table() + " WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), name + " has a row");
                return rs.getString(1);
            }
        }
    }

    private static void setChecksum(TestDatabase db, Tracker tracker, String name, String checksum) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("UPDATE " + tracker.table() + " SET checksum = ? WHERE name = ?")) {
            ps.setString(1, checksum);
            ps.setString(2, name);
            assertEquals(1, ps.executeUpdate());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void addingOrDroppingTheMarkIsNoDriftNorIsARowThatHashedIt(DatabaseKind kind, Subject s, @TempDir Path dir)
            throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            write(dir, "1_a.sql", MARK + A);
            write(dir, "2_b.sql", B);
            assertEquals(2, migrate(db, s.tracker().get(), dir).applied().size());
            Tracker tracker = s.tracker().get();
            assertEquals(sha256(A), recordedChecksum(db, tracker, "1_a"), "the mark is not hashed");

            // An editor drops the mark of one file and adds one to the other.
            write(dir, "1_a.sql", A);
            write(dir, "2_b.sql", MARK + B);
            MigrateResult flipped = migrate(db, s.tracker().get(), dir);
            assertEquals(List.of(), flipped.applied());
            assertEquals(List.of(), flipped.warnings(), "no drift reported");

            // Rows written while the checksum hashed the mark: either file, with the mark or without.
            setChecksum(db, tracker, "1_a", sha256(MARK + A));
            setChecksum(db, tracker, "2_b", sha256(MARK + B));
            for (boolean mark : List.of(true, false)) {
                write(dir, "1_a.sql", (mark ? MARK : "") + A);
                write(dir, "2_b.sql", (mark ? MARK : "") + B);
                MigrateResult old = migrate(db, s.tracker().get(), dir);
                assertEquals(List.of(), old.warnings(), "mark " + mark + ": no drift reported");
                assertTrue(Ratchet.builder().dataSource(db.dataSource()).tracker(s.tracker().get())
                        .namespace(Namespace.of("app", MigrationSource.directory(dir).load())).build()
                        .status().get(0).isUpToDate(), "mark " + mark + ": status sees it up to date");
            }

            // An edit is still drift: a failure (applied-set's default) or a warning (identity's).
            write(dir, "1_a.sql", MARK + A + "-- edited\n");
            try {
                MigrateResult edited = migrate(db, s.tracker().get(), dir);
                assertTrue(edited.warnings().stream().anyMatch(w -> w.contains("1_a")), edited.warnings().toString());
            } catch (RatchetException e) {
                assertEquals(ErrorKind.CHECKSUM_DRIFT, e.kind(), e.getMessage());
            }
        }
    }

    /**
     * A jar of the file {@code V1__a.sql}, {@link #A} with the mark, and a manifest that gives
     * {@code checksum} for it (after checking that a manifest written now leaves the mark out).
     */
    private static Path jarWhoseManifestSays(Path dir, String checksum) throws Exception {
        Path m = Files.createDirectories(dir.resolve("classes/db/migrations"));
        write(m, "V1__a.sql", MARK + A);
        ChecksumManifest.write(m);
        Path manifest = m.resolve(ChecksumManifest.FILE_NAME);
        List<String> lines = Files.readAllLines(manifest);
        String written = lines.stream().filter(l -> l.endsWith("\tV1__a.sql")).findFirst().orElseThrow();
        assertEquals(sha256(A), written.substring(0, 64), "a manifest written now leaves the mark out");
        Files.write(manifest, lines.stream().map(l -> l.equals(written) ? checksum + l.substring(64) : l).toList());
        return ChecksumManifestBootTest.jar(dir, "app.jar");
    }

    private static MigrateResult migrateJar(TestDatabase db, Tracker tracker, Path jar) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<Migration> code = MigrationSource.classpath("db/migrations", loader).load();
            return Ratchet.builder().dataSource(db.dataSource()).tracker(tracker)
                    .namespace(Namespace.of("app", code)).build().migrate();
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void aJarManifestThatHashedTheMarkStillVouches(DatabaseKind kind, Subject s, @TempDir Path dir) throws Exception {
        Path jar = jarWhoseManifestSays(dir, sha256(MARK + A)); // as a manifest was written before
        try (TestDatabase db = TestDatabases.open(kind)) {
            MigrateResult first = migrateJar(db, s.tracker().get(), jar);
            assertEquals(List.of("1_a"), first.applied().stream().map(AppliedMigration::name).toList());

            // The files themselves, without the mark now: the same migration, nothing to do.
            Path files = Files.createDirectories(dir.resolve("files"));
            write(files, "V1__a.sql", A);
            assertEquals(List.of(), migrate(db, s.tracker().get(), files).warnings());
        }
    }

    /** A manifest whose line lies outright is still refused when the file is applied. */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("subjects")
    void aManifestLineOfAnotherTextIsStillRefused(DatabaseKind kind, Subject s, @TempDir Path dir) throws Exception {
        Path jar = jarWhoseManifestSays(dir, sha256(MARK + B));
        try (TestDatabase db = TestDatabases.open(kind)) {
            RatchetException e = assertThrows(RatchetException.class, () -> migrateJar(db, s.tracker().get(), jar));
            assertEquals(ErrorKind.CHECKSUM_MANIFEST_INVALID, e.kind(), e.getMessage());
        }
    }
}
