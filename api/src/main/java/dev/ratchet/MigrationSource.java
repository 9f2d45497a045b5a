package dev.ratchet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads versioned SQL migrations from a filesystem directory or a classpath location.
 *
 * <p>Accepted file names (the name of the migration is {@code <canonical version>_<description>},
 * so it survives a change of naming convention):
 * <ul>
 *   <li>{@code V<version>__<description>.sql} (Flyway style; {@code V1_2__x.sql} is version 1.2)</li>
 *   <li>{@code <version>_<description>.up.sql} (golang-migrate / dbmate style; {@code .down.sql} is ignored)</li>
 *   <li>{@code <version>_<description>.sql}</li>
 * </ul>
 * Any other {@code .sql} file fails loading with {@link ErrorKind#MALFORMED_MIGRATION_NAME}
 * naming the file: a migration is never skipped silently. Files not ending in {@code .sql}
 * are ignored. Subdirectories are searched too. Two files with one version fail with
 * {@link ErrorKind#VERSION_COLLISION} naming both.
 *
 * <pre>{@code
 * List<Migration> fromDisk = MigrationSource.directory(Path.of("db/migrations")).load();
 * List<Migration> fromJar  = MigrationSource.classpath("db/migrations").load();
 * }</pre>
 */
public interface MigrationSource {

    /**
     * The migrations, sorted by version.
     *
     * @throws RatchetException on a malformed name, a collision or an unreadable source
     */
    List<Migration> load();

    /** A filesystem directory. */
    static MigrationSource directory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return () -> FileNames.sorted(FileNames.loadDirectory(directory, directory.toString()));
    }

    /** A classpath location such as {@code db/migrations}, read with the context class loader. */
    static MigrationSource classpath(String location) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return classpath(location, loader != null ? loader : MigrationSource.class.getClassLoader());
    }

    /**
     * A classpath location read with the given class loader; every match on the classpath
     * counts. In a jar the location is found through its directory entry, which Maven and
     * Gradle write; a jar built without directory entries is not seen (load it with
     * {@link #directory(Path)} from an unpacked copy instead).
     */
    static MigrationSource classpath(String location, ClassLoader loader) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(loader, "loader");
        String prefix = location.replaceAll("^/+", "").replaceAll("/+$", "");
        return () -> {
            List<Migration> all = new ArrayList<>();
            try {
                Enumeration<URL> urls = loader.getResources(prefix);
                if (!urls.hasMoreElements()) {
                    throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE,
                            "No classpath location '" + prefix + "' was found.").with("location", prefix).build();
                }
                while (urls.hasMoreElements()) {
                    URL url = urls.nextElement();
                    if ("file".equals(url.getProtocol())) {
                        all.addAll(FileNames.loadDirectory(Paths.get(url.toURI()), "classpath:" + prefix));
                    } else if ("jar".equals(url.getProtocol())) {
                        all.addAll(FileNames.loadJar(url, prefix));
                    } else {
                        throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "Classpath location '" + prefix
                                + "' is served by unsupported protocol '" + url.getProtocol() + "'.").build();
                    }
                }
            } catch (IOException | URISyntaxException e) {
                throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "Cannot read classpath location '"
                        + prefix + "': " + e.getMessage()).with("location", prefix).cause(e).build();
            }
            return FileNames.sorted(all);
        };
    }

    /** File-name rules and readers, shared by both sources. Not API. */
    final class FileNames {
        private static final Pattern FLYWAY = Pattern.compile("V([0-9][0-9._]*?)__(.+)\\.sql");
        private static final Pattern UP = Pattern.compile("([0-9][0-9.]*)_(.+)\\.up\\.sql");
        private static final Pattern DOWN = Pattern.compile("([0-9][0-9.]*)_(.+)\\.down\\.sql");
        private static final Pattern PLAIN = Pattern.compile("([0-9][0-9.]*)_(.+)\\.sql");

        private FileNames() {
        }

        /**
         * Parses a file name into a migration, or returns null for a file that is not a
         * migration ({@code .down.sql}, not {@code .sql}).
         */
        static Migration parse(String fileName, String origin, String script) {
            if (!fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".sql")) {
                return null;
            }
            if (DOWN.matcher(fileName).matches()) {
                return null;
            }
            Matcher m = FLYWAY.matcher(fileName);
            if (!m.matches()) {
                m = UP.matcher(fileName);
            }
            if (!m.matches()) {
                m = PLAIN.matcher(fileName);
            }
            if (!m.matches() || m.group(2).isBlank()) {
                throw malformed(origin, "it does not match V<version>__<name>.sql, <version>_<name>.up.sql"
                        + " or <version>_<name>.sql");
            }
            Version version;
            try {
                version = Version.parse(m.group(1));
            } catch (IllegalArgumentException e) {
                throw malformed(origin, e.getMessage());
            }
            String description = m.group(2);
            return Migration.builder(version + "_" + description)
                    .version(version)
                    .description(description)
                    .sql(script)
                    .origin(origin)
                    .build();
        }

        private static RatchetException malformed(String origin, String why) {
            return RatchetException.of(ErrorKind.MALFORMED_MIGRATION_NAME,
                    "Migration file '" + origin + "' has a name Ratchet cannot read: " + why + ".")
                    .with("file", origin).build();
        }

        static List<Migration> loadDirectory(Path directory, String label) {
            if (!Files.isDirectory(directory)) {
                throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE,
                        "Migrations directory '" + label + "' does not exist or is not a directory.")
                        .with("location", label).build();
            }
            List<Migration> out = new ArrayList<>();
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    String fileName = file.getFileName().toString();
                    if (!fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".sql")) {
                        continue;
                    }
                    String script = decode(Files.readAllBytes(file), file.toString());
                    Migration m = parse(fileName, file.toString(), script);
                    if (m != null) {
                        out.add(m);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE,
                        "Cannot read migrations directory '" + label + "': " + e.getMessage())
                        .with("location", label).cause(e).build();
            }
            return out;
        }

        static List<Migration> loadJar(URL url, String prefix) throws IOException {
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            connection.setUseCaches(false);
            List<Migration> out = new ArrayList<>();
            try (JarFile jar = connection.getJarFile()) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    String path = entry.getName();
                    if (entry.isDirectory() || !path.startsWith(prefix + "/")) {
                        continue;
                    }
                    String fileName = path.substring(path.lastIndexOf('/') + 1);
                    if (!fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".sql")) {
                        continue;
                    }
                    String origin = "classpath:" + path;
                    try (InputStream in = jar.getInputStream(entry)) {
                        Migration m = parse(fileName, origin, decode(in.readAllBytes(), origin));
                        if (m != null) {
                            out.add(m);
                        }
                    }
                }
            }
            return out;
        }

        private static String decode(byte[] bytes, String origin) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE,
                        "Migration file '" + origin + "' is not valid UTF-8.").with("file", origin).cause(e).build();
            }
        }

        static List<Migration> sorted(List<Migration> migrations) {
            List<Migration> copy = new ArrayList<>(migrations);
            // Version collisions and duplicate names are reported here, naming both files.
            Namespace.checkUnique("The migration source", null, copy);
            copy.sort(Comparator.comparing(m -> m.version().orElseThrow()));
            return List.copyOf(copy);
        }
    }
}
