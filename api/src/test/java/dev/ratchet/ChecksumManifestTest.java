package dev.ratchet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checksum manifest: written from a directory, it lets a jar's migrations give their
 * checksums without being read, and never makes a checksum wrong that reading would get right,
 * except where its documentation says (an entry whose CRC-32 and size did not change).
 */
class ChecksumManifestTest {
    @TempDir
    Path dir;

    private Path migrations() throws Exception {
        Path m = Files.createDirectories(dir.resolve("classes/db/migrations"));
        Files.writeString(m.resolve("V1__one.sql"), "CREATE TABLE one (id int);\r\n");
        Files.writeString(m.resolve("V2__zwei_ü.sql"), "CREATE TABLE zwei (name text DEFAULT 'ü');\n");
        Files.createDirectories(m.resolve("later"));
        Files.writeString(m.resolve("later/3_three.up.sql"), "CREATE TABLE three (id int);\n");
        Files.writeString(m.resolve("later/3_three.down.sql"), "DROP TABLE three;\n");
        Files.writeString(m.resolve("notes.txt"), "not a migration");
        for (int i = 4; i <= 40; i++) {
            Files.writeString(m.resolve("V" + i + "__t" + i + ".sql"), "CREATE TABLE t" + i + " (id int);\n");
        }
        return m;
    }

    /** A jar of everything under {@code classes}, with the directory entries build tools write. */
    private Path jar(String name) throws Exception {
        Path classes = dir.resolve("classes");
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> all = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) all.sorted()::iterator) {
                if (p.equals(classes)) {
                    continue;
                }
                String entry = classes.relativize(p).toString().replace('\\', '/');
                if (Files.isDirectory(p)) {
                    out.putNextEntry(new JarEntry(entry + "/"));
                } else {
                    out.putNextEntry(new JarEntry(entry));
                    out.write(Files.readAllBytes(p));
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    private static <T> T fromJar(Path jar, Function<List<Migration>, T> use) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            return use.apply(MigrationSource.classpath("db/migrations", loader).load());
        }
    }

    private static List<String> checksums(List<Migration> migrations) {
        return migrations.stream().map(m -> m.checksum().orElseThrow()).toList();
    }

    @Test
    void aJarWithAManifestGivesEveryChecksumReadingWouldGiveWithoutReadingAFile() throws Exception {
        Path m = migrations();
        Path manifest = ChecksumManifest.write(m);
        assertEquals(m.resolve(ChecksumManifest.FILE_NAME), manifest);
        List<String> lines = Files.readAllLines(manifest);
        assertEquals(ChecksumManifest.HEADER, lines.get(0));
        assertEquals(40, lines.size() - 1, "one line per migration file; no down file, no other file");
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("\tlater/3_three.up.sql")), String.join("\n", lines));

        List<String> byReading = checksums(MigrationSource.directory(m).load());
        Path jar = jar("app.jar");
        List<Boolean> read = fromJar(jar, loaded -> {
            assertEquals(byReading, checksums(loaded));
            loaded.forEach(Migration::prefetch); // what a runner whose tracker verifies checksums does
            return loaded.stream().map(Migration::fileRequested).toList();
        });
        assertFalse(read.contains(true), "no entry is read for its checksum: " + read);

        // The text is read when asked for: the migration's own and, in the same opening of the
        // jar, the later ones (what is pending is most often the newest), never the earlier.
        fromJar(jar, loaded -> {
            assertEquals("CREATE TABLE t30 (id int);\n", loaded.get(29).script().orElseThrow());
            for (int i = 0; i < loaded.size(); i++) {
                assertEquals(i >= 29, loaded.get(i).fileRequested(), "migration " + loaded.get(i));
            }
            assertEquals("CREATE TABLE zwei (name text DEFAULT 'ü');\n", loaded.get(1).script().orElseThrow());
            assertEquals(byReading, checksums(loaded));
            assertTrue(loaded.get(0).transactional());
            return null;
        });
    }

    @Test
    void theSameFilesGiveTheSameManifestByteForByte() throws Exception {
        Path m = migrations();
        byte[] first = Files.readAllBytes(ChecksumManifest.write(m));
        byte[] second = Files.readAllBytes(ChecksumManifest.write(m));
        assertArrayEquals(first, second);
        try (Stream<Path> left = Files.list(m)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
                    "no temporary file is left");
        }
    }

    @Test
    void aFileEditedAfterTheManifestWasWrittenIsReadAndHashedNotTakenFromTheManifest() throws Exception {
        Path m = migrations();
        ChecksumManifest.write(m);
        Files.writeString(m.resolve("V2__zwei_ü.sql"), "CREATE TABLE zwei (name text DEFAULT 'ü', edited int);\n");
        Files.writeString(m.resolve("V41__new.sql"), "CREATE TABLE t41 (id int);\n"); // no line at all
        List<String> byReading = checksums(MigrationSource.directory(m).load());
        fromJar(jar("stale.jar"), loaded -> {
            assertEquals(byReading, checksums(loaded), "a stale manifest costs reading, never a wrong checksum");
            return null;
        });
    }

    @Test
    void aManifestThatLiesFailsWhenTheTextIsReadNamingTheFile() throws Exception {
        Path m = migrations();
        Path manifest = ChecksumManifest.write(m);
        String forged = "0".repeat(64);
        List<String> lines = Files.readAllLines(manifest).stream()
                .map(l -> l.endsWith("\tV5__t5.sql") ? forged + l.substring(64) : l).toList();
        Files.write(manifest, lines);
        fromJar(jar("forged.jar"), loaded -> {
            Migration five = loaded.get(4);
            // Documented: a lie with the entry's own CRC-32 and size is believed for the checksum ...
            assertEquals(forged, five.checksum().orElseThrow());
            // ... and caught once the text is read, as it is before the migration is applied.
            RatchetException e = assertThrows(RatchetException.class, five::script);
            assertEquals(ErrorKind.CHECKSUM_MANIFEST_INVALID, e.kind());
            assertTrue(e.getMessage().contains("classpath:db/migrations/V5__t5.sql"), e.getMessage());
            assertThrows(RatchetException.class, five::script, "every time");
            assertEquals("CREATE TABLE t6 (id int);\n", loaded.get(5).script().orElseThrow(),
                    "the other entries read in the same opening are unaffected");
            return null;
        });
    }

    /** A manifest line up to its size's end: the checksum, the CRC-32 and the tabs ($1), then the size ($2). */
    private static final String SIZE = "^([0-9a-f]{64}\t[0-9a-f]{8}\t)([0-9]+)\t";

    @Test
    void aManifestThatIsNotOneFailsTheLoadNamingItsLine() throws Exception {
        Path m = migrations();
        Path manifest = ChecksumManifest.write(m);
        List<String> good = Files.readAllLines(manifest);
        List<List<String>> bad = List.of(
                List.of("# some other manifest", good.get(1)),
                List.of(good.get(0), good.get(1), "not a line"),
                List.of(good.get(0), good.get(1), good.get(2).replace('\t', ' ')),
                List.of(good.get(0), good.get(1), good.get(1)),
                List.of(good.get(0), good.get(1), good.get(2).replaceFirst(SIZE, "$1" + "0$2\t")),
                List.of(good.get(0), good.get(1), good.get(2).toUpperCase(java.util.Locale.ROOT)),
                List.of(good.get(0), good.get(1), ""),
                // a short line before good ones: what follows its line break is not read as its
                List.of(good.get(0), "not a line", good.get(1), good.get(2)),
                List.of(good.get(0), good.get(1), good.get(2).substring(0, good.get(2).lastIndexOf('\t'))),
                List.of(good.get(0), good.get(1), good.get(2).substring(0, good.get(2).lastIndexOf('\t') + 1)),
                List.of(good.get(0), good.get(1), good.get(2).replaceFirst(SIZE, "$1\t")),
                List.of(good.get(0), good.get(1), good.get(2).replaceFirst(SIZE, "$1" + "1234567890123456789\t")),
                List.of(good.get(0), good.get(1), good.get(2).replaceFirst(SIZE, "$1$2x\t")),
                List.of(good.get(0), good.get(1), good.get(2).substring(0, 70) + "\n" + good.get(2).substring(70)));
        int[] badLine = {1, 3, 3, 3, 3, 3, 3, 2, 3, 3, 3, 3, 3, 3};
        for (int i = 0; i < bad.size(); i++) {
            Files.write(manifest, bad.get(i));
            Path jar = jar("bad" + i + ".jar");
            RatchetException e = assertThrows(RatchetException.class, () -> fromJar(jar, loaded -> loaded));
            assertEquals(ErrorKind.CHECKSUM_MANIFEST_INVALID, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("classpath:db/migrations/" + ChecksumManifest.FILE_NAME)
                    && e.getMessage().contains("line " + badLine[i]), e.getMessage());
        }
        // Lines are parsed sixteen a call: a bad line past the first sixteen is named by its number too.
        assertTrue(good.size() > 36, "a manifest of more lines than a call takes: " + good.size());
        for (int number : new int[] {17, 18, 19, 35, good.size()}) {
            List<String> lines = new java.util.ArrayList<>(good);
            lines.set(number - 1, "not a line");
            Files.write(manifest, lines);
            Path jar = jar("bad-line-" + number + ".jar");
            RatchetException e = assertThrows(RatchetException.class, () -> fromJar(jar, loaded -> loaded));
            assertEquals(ErrorKind.CHECKSUM_MANIFEST_INVALID, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("line " + number + ":") || e.getMessage().contains("line " + number + " "),
                    number + ": " + e.getMessage());
        }
        List<String> repeated = new java.util.ArrayList<>(good);
        repeated.add(good.get(3));
        Files.write(manifest, repeated);
        Path repeatedJar = jar("repeated.jar");
        RatchetException twice = assertThrows(RatchetException.class, () -> fromJar(repeatedJar, loaded -> loaded));
        assertTrue(twice.getMessage().contains("line " + repeated.size()) && twice.getMessage().contains("second time"),
                twice.getMessage());

        Files.write(manifest, new byte[] {'#', ' ', (byte) 0xff, '\n'});
        Path jar = jar("binary.jar");
        RatchetException e = assertThrows(RatchetException.class, () -> fromJar(jar, loaded -> loaded));
        assertEquals(ErrorKind.CHECKSUM_MANIFEST_INVALID, e.kind(), e.getMessage());

        byte[] line = (good.get(1).substring(0, good.get(1).lastIndexOf('\t') + 1) + "x.sql").getBytes(StandardCharsets.UTF_8);
        line[line.length - 5] = (byte) 0xff; // the path's first byte: not UTF-8
        Files.write(manifest, (good.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
        Files.write(manifest, line, java.nio.file.StandardOpenOption.APPEND);
        Path notUtf8 = jar("not-utf8.jar");
        e = assertThrows(RatchetException.class, () -> fromJar(notUtf8, loaded -> loaded));
        assertEquals(ErrorKind.CHECKSUM_MANIFEST_INVALID, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("UTF-8"), e.getMessage());

        // The last line needs no line end, and a manifest with no line at all is a manifest.
        Files.writeString(manifest, String.join("\n", good));
        List<String> byReading = checksums(MigrationSource.directory(m).load());
        Path noFinalNewline = jar("no-final-newline.jar");
        assertEquals(byReading, fromJar(noFinalNewline, ChecksumManifestTest::checksums));
        Files.writeString(manifest, ChecksumManifest.HEADER + "\n");
        Path empty = jar("empty.jar");
        assertEquals(byReading, fromJar(empty, ChecksumManifestTest::checksums));
    }

    @Test
    void aManifestIsReadWholeWhateverSizeItsStreamWasSaidToHave() throws Exception {
        Path manifest = ChecksumManifest.write(migrations());
        byte[] bytes = Files.readAllBytes(manifest);
        var whole = ChecksumManifest.read(new java.io.ByteArrayInputStream(bytes), "m");
        assertEquals(40, whole.size(), "a line per migration file");
        for (long size : new long[] {bytes.length, -1, 0, 1, bytes.length - 1, bytes.length + 1, 10L * bytes.length,
                Integer.MAX_VALUE - 9L, 1L << 40, Long.MAX_VALUE}) {
            assertEquals(whole, ChecksumManifest.read(new java.io.ByteArrayInputStream(bytes), size, "m"),
                    "said to be " + size + " bytes long");
        }
    }

    /** A jar's record of its manifest's size is not proof of it: a claimed 2 GiB is not allocated. */
    @Test
    void aManifestSaidToBeHugeIsNotAllocatedAtThatSize() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported()
                && threads.isThreadAllocatedMemoryEnabled(), "this JVM does not count a thread's allocations");
        byte[] bytes = Files.readAllBytes(ChecksumManifest.write(migrations()));
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        ChecksumManifest.read(new java.io.ByteArrayInputStream(bytes), Integer.MAX_VALUE - 9L, "m");
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 64L << 20, allocated + " bytes allocated to read a manifest of " + bytes.length);
    }

    @Test
    void aDirectorySourceIgnoresTheManifest() throws Exception {
        Path m = migrations();
        List<String> byReading = checksums(MigrationSource.directory(m).load());
        Path manifest = ChecksumManifest.write(m);
        List<String> forged = Files.readAllLines(manifest).stream()
                .map(l -> l.startsWith("#") ? l : "0".repeat(64) + l.substring(64)).toList();
        Files.write(manifest, forged);
        assertEquals(byReading, checksums(MigrationSource.directory(m).load()));
    }

    @Test
    void theMainClassWritesEveryDirectoryItIsGivenAndThrowsWhatWritingThrows() throws Exception {
        Path m = migrations();
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("1_first.sql"), "SELECT 1;\n");
        ChecksumManifest.main(new String[] {m.toString(), other.toString()});
        assertEquals(41, Files.readAllLines(m.resolve(ChecksumManifest.FILE_NAME)).size());
        List<String> lines = Files.readAllLines(other.resolve(ChecksumManifest.FILE_NAME));
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(ChecksumManifest.HEADER, lines.get(0));
        assertTrue(lines.get(1).endsWith("\t10\t1_first.sql"), lines.get(1)); // "SELECT 1;\n" is 10 bytes
        assertThrows(IllegalArgumentException.class, () -> ChecksumManifest.main(new String[0]));
        RatchetException e = assertThrows(RatchetException.class,
                () -> ChecksumManifest.main(new String[] {dir.resolve("missing").toString()}));
        assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind());
    }

    @Test
    void writingRefusesWhatLoadingWouldRefuseAndWritesNothing() throws Exception {
        Path m = migrations();
        Files.writeString(m.resolve("V7_oops.sql"), "SELECT 1;");
        RatchetException e = assertThrows(RatchetException.class, () -> ChecksumManifest.write(m));
        assertEquals(ErrorKind.MALFORMED_MIGRATION_NAME, e.kind());
        Files.delete(m.resolve("V7_oops.sql"));
        Files.write(m.resolve("V99__latin1.sql"), "SELECT 'caf\u00e9';".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(RatchetException.class, () -> ChecksumManifest.write(m));
        assertEquals(ErrorKind.SOURCE_UNREADABLE, e.kind());
        assertFalse(Files.exists(m.resolve(ChecksumManifest.FILE_NAME)));
        assertNotEquals(0, Files.size(m.resolve("V99__latin1.sql")));
    }
}
