package dev.ratchet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A checksum manifest: the checksum of every migration file of a location, written at build
 * time, so that an application booting from a jar does not read and hash every file to learn
 * what its tracker compares with the database.
 *
 * <p>The manifest is the file {@value #FILE_NAME} at the root of the migrations location. It is
 * read by {@link MigrationSource#classpath(String)} for locations inside jars only: each line
 * records a file's path, its checksum, and the CRC-32 and size of its bytes, and a jar records
 * the CRC-32 and size of every entry in its central directory, which is read anyway to open the
 * jar. An entry whose CRC-32 and size both match its line takes the manifest's checksum and is
 * read only if it is applied (when the checksum is computed again and a difference fails the
 * run with {@link ErrorKind#CHECKSUM_MANIFEST_INVALID}); an entry that does not match, or has no
 * line, is read and hashed as without a manifest. A stale manifest therefore costs time, never
 * a wrong answer; what it cannot catch is an entry edited so that both its CRC-32 and its size
 * stay the same (an accidental edit does that with a chance of one in four billion), or a
 * manifest edited by hand to lie: a manifest is for build tools to write.
 *
 * <p>A directory source, in a jar or not, never reads the manifest: a file's modification time
 * is no proof of its contents.
 *
 * <pre>{@code
 * // At build time, after resources are copied and before the jar is packaged:
 * ChecksumManifest.write(Path.of("target/classes/db/migrations"));
 * // or: ratchet checksums --migrations target/classes/db/migrations
 * }</pre>
 */
public final class ChecksumManifest {
    /** The manifest's file name, at the root of the migrations location. */
    public static final String FILE_NAME = "ratchet-checksums.txt";

    /** The first line of every manifest: its format and version. */
    static final String HEADER = "# ratchet checksum manifest 1";

    /** Where a line's size starts: after the checksum, a tab, the CRC-32 and a tab. */
    private static final int SIZE_START = 64 + 1 + 8 + 1;

    private ChecksumManifest() {
    }

    /**
     * What a manifest line vouches for: the checksum of a file whose bytes have this CRC-32 and
     * size.
     */
    record Vouch(String checksum, long crc32, long size) {
    }

    /**
     * Writes the manifest of the migrations under {@code directory} to
     * {@code directory/}{@value #FILE_NAME}, replacing one that is there. The same files always
     * give the same manifest, byte for byte (no date, paths in order), so it does not disturb a
     * reproducible build.
     *
     * @return the manifest's path
     * @throws RatchetException as {@link MigrationSource#directory(Path)} would fail on these
     *                          files (a malformed name, a collision, a file that is not UTF-8)
     */
    public static Path write(Path directory) {
        Objects.requireNonNull(directory, "directory");
        // Names and collisions as a directory source decides them (from the listing: no file is
        // read here); each file is read once below, where a file that is not UTF-8 is refused.
        MigrationSource.directory(directory).load();
        Map<String, String> lines = new TreeMap<>();
        CRC32 crc = new CRC32();
        var sha256 = ScriptFiles.newSha256();
        // Links to directories are followed, as a directory source follows them (it refused any
        // loop or dangling link above).
        try (Stream<Path> files = Files.walk(directory, FileVisitOption.FOLLOW_LINKS)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isDirectory(file) || MigrationFiles.parse(file.getFileName().toString(),
                        file.toString()) == null) {
                    continue;
                }
                String path = directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0 || MigrationFiles.inHiddenDirectory(path)) {
                    continue; // not a migration name either: parse refuses line breaks; not searched
                }
                byte[] bytes = Files.readAllBytes(file);
                crc.reset();
                crc.update(bytes);
                String checksum = ScriptFiles.contentOf(bytes, file.toString(), sha256).checksum();
                lines.put(path, checksum + "\t" + java.util.HexFormat.of().toHexDigits((int) crc.getValue()) + "\t" + bytes.length
                        + "\t" + path);
            }
            StringBuilder text = new StringBuilder(HEADER).append('\n');
            lines.values().forEach(l -> text.append(l).append('\n'));
            Path target = directory.resolve(FILE_NAME);
            Path temporary = Files.createTempFile(directory, FILE_NAME, ".tmp");
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            return target;
        } catch (IOException e) {
            throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "Cannot write the checksum manifest of '"
                    + directory + "': " + e.getMessage()).with("location", directory.toString()).cause(e).build();
        }
    }

    /**
     * Writes the manifest of each directory given, for build tools that run a main class (Maven's
     * {@code exec-maven-plugin} goal {@code java}, Gradle's {@code JavaExec}): prints each path
     * written; a failure is thrown, as {@link #write} throws it, and fails the build.
     *
     * @throws IllegalArgumentException when no directory is given
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: java dev.ratchet.ChecksumManifest DIRECTORY...");
        }
        for (String directory : args) {
            System.out.println("ratchet: wrote " + write(Path.of(directory)));
        }
    }

    /**
     * Parses a manifest: path under the location to what its line vouches for.
     *
     * @throws RatchetException of kind {@link ErrorKind#CHECKSUM_MANIFEST_INVALID} naming the
     *                          manifest and the line, for anything but a manifest as
     *                          {@link #write} writes it
     */
    static Map<String, Vouch> read(InputStream in, String origin) throws IOException {
        return read(in, -1, origin);
    }

    /**
     * {@link #read(InputStream, String)} of a manifest whose size in bytes is known (a jar entry's,
     * -1 when unknown): read into one array of that size, not in chunks copied together at the
     * end. A stream longer or shorter than the size is read as it is; a size over 16 MiB is not
     * taken on trust.
     */
    static Map<String, Vouch> read(InputStream in, long size, String origin) throws IOException {
        // Parsed from the bytes: a manifest has a line per migration, and a boot reads it in a
        // young JVM, where a reader, a decoder and a regular expression per line cost milliseconds.
        byte[] b = bytes(in, size);
        int eol = lineEnd(b, 0);
        if (eol != HEADER.length() || !new String(b, 0, eol, StandardCharsets.ISO_8859_1).equals(HEADER)) {
            throw invalid(origin, 1, "its first line is not '" + HEADER + "'");
        }
        Map<String, Vouch> out = new HashMap<>(Math.max(16, b.length / 50));
        int number = 1;
        for (int pos = eol + 1; pos < b.length; pos = eol + 1) {
            eol = lines(b, pos, origin, number, out);
            number += MigrationFiles.CHUNK;
        }
        return out;
    }

    /**
     * {@link #line} for the {@link MigrationFiles#CHUNK} lines from {@code pos} (fewer at the end),
     * the first of them line {@code number + 1}; where the last ends.
     */
    private static int lines(byte[] b, int pos, String origin, int number, Map<String, Vouch> out) {
        int eol = pos - 1;
        for (int i = 1; i <= MigrationFiles.CHUNK && eol + 1 < b.length; i++) {
            eol = line(b, eol + 1, origin, number + i, out);
        }
        return eol;
    }

    /**
     * Puts the line starting at {@code pos}, line {@code number}, into {@code out}, and returns
     * where it ends. The body of {@link #read}'s loop, a method of its own: that loop runs once
     * per boot, in the interpreter for a young JVM's first boots, while this method is compiled
     * during the first.
     */
    private static int line(byte[] b, int pos, String origin, int number, Map<String, Vouch> out) {
        int sizeStart = pos + SIZE_START;
        int sizeEnd = sizeStart;
        while (sizeEnd < b.length && b[sizeEnd] != '\t' && b[sizeEnd] != '\n') {
            sizeEnd++;
        }
        // Before the size, a line break is not a hex digit or a tab: such a line is refused below.
        int eol = sizeEnd < b.length && b[sizeEnd] == '\t' ? lineEnd(b, sizeEnd + 1) : -1;
        long crc = eol <= sizeEnd + 1 ? -1 : crc32(b, pos);
        long size = crc < 0 ? -1 : size(b, sizeStart, sizeEnd);
        if (size < 0) {
            throw invalid(origin, number, "it is not <sha-256>TAB<crc-32>TAB<size>TAB<path>");
        }
        String path = path(b, sizeEnd + 1, eol, origin, number);
        Vouch previous = out.put(path, new Vouch(new String(b, pos, 64, StandardCharsets.ISO_8859_1), crc, size));
        if (previous != null) {
            throw invalid(origin, number, "it names '" + path + "' a second time");
        }
        return eol;
    }

    /**
     * The largest size taken on trust for one array: a jar's record of an entry's size is not
     * proof of it, and a corrupt or hostile jar must not make a boot allocate gigabytes before
     * reading a byte. Larger manifests (about 170,000 migrations) are read in chunks.
     */
    private static final long TRUSTED_SIZE = 16 << 20;

    private static byte[] bytes(InputStream in, long size) throws IOException {
        if (size < 0 || size > TRUSTED_SIZE) {
            return in.readAllBytes();
        }
        byte[] b = new byte[(int) size];
        int n = in.readNBytes(b, 0, b.length);
        if (n < b.length) {
            return java.util.Arrays.copyOf(b, n);
        }
        byte[] more = in.readAllBytes();
        if (more.length == 0) {
            return b;
        }
        byte[] all = java.util.Arrays.copyOf(b, b.length + more.length);
        System.arraycopy(more, 0, all, b.length, more.length);
        return all;
    }

    private static int lineEnd(byte[] b, int from) {
        int i = from;
        while (i < b.length && b[i] != '\n') {
            i++;
        }
        return i;
    }

    /** Each byte's value as a lower-case hex digit; -1 for any other byte. */
    private static final byte[] HEX = new byte[256];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
        }
    }

    /**
     * The CRC-32 of the line at {@code pos}, whose size starts at {@link #SIZE_START}, when it
     * starts {@code <64 lower-case hex>TAB<8 lower-case hex>TAB}; -1 when it does not (the line
     * holds at least that many bytes).
     */
    private static long crc32(byte[] b, int pos) {
        if (b[pos + 64] != '\t' || b[pos + SIZE_START - 1] != '\t') {
            return -1;
        }
        int bad = 0; // negative once a byte is not a hex digit
        for (int i = pos; i < pos + 64; i++) {
            bad |= HEX[b[i] & 0xff];
        }
        long crc = 0;
        for (int i = pos + 65; i < pos + SIZE_START - 1; i++) {
            int digit = HEX[b[i] & 0xff];
            bad |= digit;
            crc = crc << 4 | digit;
        }
        return bad < 0 ? -1 : crc;
    }

    /** The size from {@code from} to {@code to}: a whole number of 1 to 18 digits without a leading zero; -1 otherwise. */
    private static long size(byte[] b, int from, int to) {
        int digits = to - from;
        if (digits < 1 || digits > 18 || digits > 1 && b[from] == '0') {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            n = n * 10 + digit;
        }
        return n;
    }

    /** A line's path: strict UTF-8, like the file names it stands for. */
    private static String path(byte[] b, int from, int to, String origin, int number) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                try {
                    return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b, from, to - from))
                            .toString();
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw invalid(origin, number, "its path is not UTF-8");
                }
            }
        }
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    static RatchetException invalid(String origin, int line, String why) {
        return RatchetException.of(ErrorKind.CHECKSUM_MANIFEST_INVALID, "Checksum manifest '" + origin
                        + "' cannot be read at line " + line + ": " + why + ".")
                .with("file", origin).with("line", line).build();
    }
}
