package dev.ratchet;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * Loads versioned SQL migrations from a filesystem directory or a classpath location.
 *
 * <p>Accepted file names (the name of the migration is {@code <canonical version>_<description>},
 * so it survives a change of naming convention):
 * <ul>
 *   <li>{@code V<version>__<description>.sql} (Flyway style; {@code V1_2__x.sql} is version 1.2)</li>
 *   <li>{@code <version>_<description>.up.sql} (golang-migrate / dbmate style; {@code .down.sql} is ignored)</li>
 *   <li>{@code <version>_<description>.sql}</li>
 *   <li>{@code <version>_<description>/migration.sql} (Prisma Migrate's folders: named by the folder)</li>
 * </ul>
 * Any other {@code .sql} file fails loading with {@link ErrorKind#MALFORMED_MIGRATION_NAME}
 * naming the file: a migration is never skipped silently. Files not ending in {@code .sql}
 * are ignored. Subdirectories are searched too, but not hidden ones (a name that starts with
 * a dot): a Kubernetes ConfigMap or Secret mounted as the directory holds each file twice, as a
 * link in the directory and in its {@code ..<timestamp>} directory (which {@code ..data} links
 * to). Two files with one version fail with {@link ErrorKind#VERSION_COLLISION} naming both.
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
     * <p>A directory source decides names, versions and collisions here and reads the files'
     * contents only when they are needed: a runner whose tracker verifies checksums reads them in
     * the background while it connects to the database, and any runner reads the bodies it is
     * about to apply before it applies the first. A file that cannot be read, or is not UTF-8,
     * fails with {@link ErrorKind#SOURCE_UNREADABLE} when its script or checksum is first asked
     * for (an applied migration's body is not needed by a tracker that keeps no checksums).
     *
     * @throws RatchetException on a malformed name, a collision or an unreadable location
     */
    List<Migration> load();

    /**
     * A filesystem directory, with its subdirectories and the directories it links to (listed
     * under the link's name), except hidden ones (a name starting with a dot). A link whose
     * target is missing, or that leads back to a directory holding it, fails {@link #load} with
     * {@link ErrorKind#SOURCE_UNREADABLE}.
     */
    static MigrationSource directory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return () -> MigrationFiles.sorted(MigrationFiles.loadDirectory(directory, directory.toString()));
    }

    /** A classpath location such as {@code db/migrations}, read with the context class loader. */
    static MigrationSource classpath(String location) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return classpath(location, loader != null ? loader : MigrationSource.class.getClassLoader());
    }

    /**
     * A classpath location read with the given class loader; every match on the classpath
     * counts. In a jar the location is found through its directory entry, which Maven and
     * Gradle write. A jar built without directory entries ({@code zip -D}, some build tools)
     * hides its directories from the class loader: when no location is found, one whose
     * {@linkplain ChecksumManifest checksum manifest} is found is read instead (the manifest is a
     * file, so it is found); without one the location is not seen (load it with
     * {@link #directory(Path)} from an unpacked copy instead, or build the jar with directory
     * entries). In a run-time image built by jlink, which has no directory entries either, the
     * location is read from the application's modules.
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
                    urls = throughManifests(loader, prefix);
                }
                if (!urls.hasMoreElements()) {
                    List<Migration> inModules = MigrationFiles.loadModules(loader, prefix);
                    if (inModules != null) {
                        return MigrationFiles.sorted(inModules);
                    }
                    throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE,
                            "No classpath location '" + prefix + "' was found.").with("location", prefix)
                            .hint("check that the location is on the class path, written as '" + prefix
                                    + "' (no classpath: prefix); a jar built without directory entries (zip -D, some"
                                    + " build tools) hides it from the class loader: build the jar with them, or put"
                                    + " the checksum manifest (ratchet checksums) in the location, through which it"
                                    + " is found, or load an unpacked copy with MigrationSource.directory(...)")
                            .build();
                }
                while (urls.hasMoreElements()) {
                    URL url = urls.nextElement();
                    if ("file".equals(url.getProtocol())) {
                        all.addAll(MigrationFiles.loadDirectory(Paths.get(url.toURI()), "classpath:" + prefix));
                    } else if ("jar".equals(url.getProtocol())) {
                        all.addAll(MigrationFiles.loadJar(url, prefix));
                    } else {
                        throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "Classpath location '" + prefix
                                + "' is served by unsupported protocol '" + url.getProtocol() + "'.").build();
                    }
                }
            } catch (IOException | URISyntaxException e) {
                throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "Cannot read classpath location '"
                        + prefix + "': " + e.getMessage()).with("location", prefix).cause(e).build();
            }
            return MigrationFiles.sorted(all);
        };
    }

    /**
     * The jar locations {@code prefix} whose checksum manifest {@code loader} finds: a jar without
     * directory entries hides the location itself, not the manifest file in it.
     */
    private static Enumeration<URL> throughManifests(ClassLoader loader, String prefix) throws IOException {
        String file = "/" + ChecksumManifest.FILE_NAME;
        List<URL> found = new ArrayList<>();
        for (URL manifest : java.util.Collections.list(loader.getResources(prefix + file))) {
            String url = manifest.toString();
            int root = url.lastIndexOf("!/");
            if ("jar".equals(manifest.getProtocol()) && root > 0) {
                found.add(new URL(url.substring(0, root + 2))); // the jar itself: it has no entry for the location
            }
        }
        return java.util.Collections.enumeration(found);
    }
}
