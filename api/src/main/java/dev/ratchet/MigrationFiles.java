package dev.ratchet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File-name rules and readers, shared by the sources of {@link MigrationSource}. Not API: a
 * package-private class, not a member of the public interface.
 */
final class MigrationFiles {
    /**
     * The file-name patterns, compiled the first time a name needs one: {@link #simpleSplit}
     * reads the common shapes without them, so a boot whose names are all common compiles none.
     */
    private static final class Patterns {
        static final Pattern FLYWAY = Pattern.compile("V([0-9][0-9._]*?)__(.+)\\.sql");
        static final Pattern UP = Pattern.compile("([0-9][0-9.]*)_(.+)\\.up\\.sql");
        static final Pattern DOWN = Pattern.compile("([0-9][0-9.]*)_(.+)\\.down\\.sql");
        static final Pattern PLAIN = Pattern.compile("([0-9][0-9.]*)_(.+)\\.sql");
        /** Only to name it in the refusal. */
        static final Pattern FLYWAY_UNDO = Pattern.compile("U[0-9][0-9._]*__.+\\.(?i:sql)");
        /** Nearly Flyway's form: a V of either case, a version (maybe none), underscores, a name (maybe none). */
        static final Pattern NEAR_FLYWAY = Pattern.compile("([vV])([0-9][0-9.]*?|)(_+)(.*)\\.sql");

        private Patterns() {
        }
    }

    private MigrationFiles() {
    }

    /**
     * Parses a file name into a migration without its body, or returns null for a file that
     * is not a migration ({@code .down.sql}, not {@code .sql}).
     */
    static Migration.Builder parse(String fileName, String origin) {
        if (!isSql(fileName)) {
            return null;
        }
        return parseSql(fileName, origin);
    }

    /**
     * {@link #parse} of a name already known to end in {@code .sql} (any case); {@code origin} a
     * String or a {@link ScriptFiles.ListedFile}, made text only for an error or when the
     * migration is asked for it.
     */
    private static Migration.Builder parseSql(String fileName, Object origin) {
        return parseSql(fileName, origin, false);
    }

    /** {@code ofFolder}: {@code fileName} is a Prisma migration's folder name with {@code .sql} appended. */
    private static Migration.Builder parseSql(String fileName, Object origin, boolean ofFolder) {
        if (isDown(fileName) || fileName.startsWith(".#")) {
            // .#<name>: the lock Emacs keeps (a dangling link) beside a file open with changes
            return null;
        }
        if (fileName.equals(PRISMA_FILE)) {
            // Prisma Migrate's layout: <version>_<name>/migration.sql, named by its folder
            String folder = folderOf(origin);
            if (folder == null || folder.endsWith(".sql") || simpleSplit(folder + ".sql") < 0
                    && !Patterns.PLAIN.matcher(folder + ".sql").matches()) {
                throw malformed(origin, "a " + PRISMA_FILE + " takes its name from its folder, as Prisma Migrate lays"
                        + " them out (<version>_<name>/" + PRISMA_FILE + "), and '" + folder + "' is not <version>_<name>");
            }
            return parseSql(folder + ".sql", origin, true);
        }
        String versionText;
        String description;
        int descriptionStart;
        int split = simpleSplit(fileName);
        if (split > 0) {
            // The common shapes, without a regular expression (what the patterns would match).
            boolean flyway = fileName.charAt(0) == 'V';
            versionText = fileName.substring(flyway ? 1 : 0, split);
            descriptionStart = split + (flyway ? 2 : 1);
            description = fileName.substring(descriptionStart, fileName.length() - 4);
        } else {
            // Each pattern has a fixed start or end, so one regular expression runs per file.
            Matcher m = (fileName.startsWith("V") ? Patterns.FLYWAY
                    : fileName.endsWith(".up.sql") ? Patterns.UP : Patterns.PLAIN).matcher(fileName);
            if (!m.matches() && m.pattern() == Patterns.UP) {
                m = Patterns.PLAIN.matcher(fileName);
            }
            if (!m.matches()) {
                throw notAMigrationName(fileName, origin);
            }
            versionText = m.group(1);
            description = m.group(2);
            descriptionStart = m.start(2);
        }
        if (description.isBlank()) {
            throw notAMigrationName(fileName, origin);
        }
        if (space(description.charAt(0)) || space(description.charAt(description.length() - 1))) {
            throw spaceAtAnEnd(fileName, descriptionStart, description, origin, ofFolder);
        }
        Version version;
        try {
            version = Version.parse(versionText);
        } catch (IllegalArgumentException e) {
            throw malformed(origin, e.getMessage());
        }
        // A builder of the final length: the name is built once per file on every boot.
        String versionName = version.toString();
        Migration.Builder m = Migration.builder(new StringBuilder(versionName.length() + 1 + description.length())
                        .append(versionName).append('_').append(description).toString())
                .version(version)
                .description(description);
        return origin instanceof ScriptFiles.ListedFile file ? m.origin(file) : m.origin((String) origin);
    }

    /**
     * For {@code V<version>__<description>.sql} and {@code <version>_<description>.sql} names
     * with nothing special (no {@code .up.sql}/{@code .down.sql} ending, an exact lower-case
     * {@code .sql}, a non-empty description), the index where the version ends; otherwise -1,
     * and the regular expressions decide. The version scan is the patterns' own: Flyway's
     * ends at the first {@code __} after [0-9._] characters, the plain one at the first
     * character outside [0-9.], which must be {@code _}.
     */
    static int simpleSplit(String fileName) {
        int end = fileName.length() - 4;
        if (end < 3 || !fileName.startsWith(".sql", end) || fileName.endsWith(".up.sql")
                || fileName.endsWith(".down.sql")) {
            return -1;
        }
        for (int i = 0; i < end; i++) {
            char c = fileName.charAt(i);
            if (c < ' ' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return -1; // line terminators: what the patterns' '.' does not match
            }
        }
        if (fileName.charAt(0) == 'V') {
            if (!digit(fileName.charAt(1))) {
                return -1;
            }
            for (int i = 2; i + 1 < end; i++) {
                char c = fileName.charAt(i);
                if (c == '_' && fileName.charAt(i + 1) == '_') {
                    return i + 2 < end ? i : -1;
                }
                if (!digit(c) && c != '.' && c != '_') {
                    return -1;
                }
            }
            return -1;
        }
        if (!digit(fileName.charAt(0))) {
            return -1;
        }
        int i = 1;
        while (i < end && (digit(fileName.charAt(i)) || fileName.charAt(i) == '.')) {
            i++;
        }
        return i + 1 < end && fileName.charAt(i) == '_' ? i : -1;
    }

    /** The one file of a Prisma Migrate migration, in a folder named {@code <version>_<name>}. */
    private static final String PRISMA_FILE = "migration.sql";

    /** The name of the folder holding a file (a listed file, a jar entry's or a path's text). */
    private static String folderOf(Object origin) {
        if (origin instanceof ScriptFiles.ListedFile file) {
            Path parent = file.path().getParent();
            return parent == null || parent.getFileName() == null ? null : parent.getFileName().toString();
        }
        String path = origin.toString().replace('\\', '/');
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            return null;
        }
        int before = path.lastIndexOf('/', slash - 1);
        String folder = path.substring(before + 1, slash);
        return folder.startsWith("classpath:") ? folder.substring("classpath:".length()) : folder;
    }

    /** A space of any kind, a tab or a line break: what a listing shows as nothing. */
    private static boolean space(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /**
     * The refusal of a name that starts or ends with a space ({@code V5__add_index .sql}): the
     * migration would be named with a space a listing, a log or a status line does not show, and
     * renaming the file later would rename the migration. The hint gives the name without it.
     */
    private static RatchetException spaceAtAnEnd(String fileName, int descriptionStart, String description,
            Object origin, boolean ofFolder) {
        int from = 0;
        int to = description.length();
        while (from < to && space(description.charAt(from))) {
            from++;
        }
        while (to > from && space(description.charAt(to - 1))) {
            to--;
        }
        String fixed = fileName.substring(0, descriptionStart) + description.substring(from, to)
                + fileName.substring(descriptionStart + description.length());
        String renamed = ofFolder ? "its folder to '" + fixed.substring(0, fixed.length() - 4) + "'"
                : "it to '" + fixed + "'";
        return refused(origin, "has a name Ratchet cannot read: its name " + (from > 0 ? "starts" : "ends")
                + " with a space, which a listing does not show", from == to ? null : "rename " + renamed);
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static RatchetException notAMigrationName(String fileName, Object origin) {
        String shapes = "V<version>__<name>.sql, <version>_<name>.up.sql or <version>_<name>.sql";
        if (fileName.startsWith("R__")) {
            return refused(origin, "is a Flyway repeatable migration (R__): Ratchet runs each migration once, by"
                    + " version, and has no repeatable kind", "move it out of the migrations directory, and make each"
                    + " change of what it creates a versioned migration of its own (its current text, CREATE OR"
                    + " REPLACE, as the next V<version>__<name>.sql where the database does not have it yet)");
        }
        if (Patterns.FLYWAY_UNDO.matcher(fileName).matches()) {
            return refused(origin, "is a Flyway undo migration (U<version>__): Ratchet runs no undo migrations",
                    "move it out of the migrations directory, or name it <version>_<name>.down.sql, which Ratchet"
                            + " passes over");
        }
        if (!fileName.endsWith(".sql")) {
            return refused(origin, "has a name Ratchet cannot read: its extension is not the lower-case .sql of "
                    + shapes, "rename it with a lower-case .sql, or move it out of the migrations directory");
        }
        Matcher near = Patterns.NEAR_FLYWAY.matcher(fileName);
        if (near.matches()) {
            String version = near.group(2);
            String name = near.group(4);
            String why = version.isEmpty() ? "it has no version after the V"
                    : name.isEmpty() ? "it has no name after its version"
                    : near.group(1).equals("v") ? "Flyway's prefix is an upper-case V"
                    : near.group(3).length() == 1 ? "a V and its version take two underscores before the name"
                    : null;
            if (why != null) {
                String fixed = version.isEmpty() || name.isEmpty() ? null : "V" + version + "__" + name + ".sql";
                return refused(origin, "has a name Ratchet cannot read: " + why + " (the forms are " + shapes + ")",
                        fixed == null ? "rename the file to one of those forms, or move it out of the migrations"
                                + " directory" : "rename it to " + fixed);
            }
        }
        return malformed(origin, "it does not match " + shapes);
    }

    /** A golang-migrate / dbmate down migration, which Ratchet ignores. */
    private static boolean isDown(String fileName) {
        return fileName.endsWith(".down.sql") && Patterns.DOWN.matcher(fileName).matches();
    }

    private static boolean isSql(String fileName) {
        return fileName.regionMatches(true, fileName.length() - 4, ".sql", 0, 4);
    }

    private static RatchetException malformed(Object origin, String why) {
        return refused(origin, "has a name Ratchet cannot read: " + why, null);
    }

    /** "Migration file 'origin' {@code what}.", with {@code hint}, or the kind's when null. */
    private static RatchetException refused(Object origin, String what, String hint) {
        RatchetException.Builder b = RatchetException.of(ErrorKind.MALFORMED_MIGRATION_NAME,
                "Migration file '" + origin + "' " + what + ".").with("file", origin.toString());
        return (hint == null ? b : b.hint(hint)).build();
    }

    /**
     * Names, versions and collisions are decided here, from the directory listing; the files'
     * contents are read later, by {@link ScriptFiles}.
     */
    static List<Migration> loadDirectory(Path directory, String label) {
        if (!Files.isDirectory(directory)) {
            throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE,
                    "Migrations directory '" + label + "' does not exist or is not a directory.")
                    .with("location", label).build();
        }
        List<ScriptFiles.ListedFile> files = new ArrayList<>();
        try {
            listSqlFiles(directory, files, new Links(directory));
        } catch (IOException | UncheckedIOException e) {
            throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE,
                    "Cannot read migrations directory '" + label + "': " + (e instanceof AccessDeniedException denied
                            ? "permission denied for '" + denied.getFile() + "'" : e.getMessage()))
                    .with("location", label).cause(e).build();
        }
        List<Migration> out = new ArrayList<>(files.size());
        ScriptFiles.Group contents = new ScriptFiles.Group();
        boolean wellFormed = true;
        for (int i = 0, n = files.size(); i < n && wellFormed; i += CHUNK) {
            wellFormed = fileMigrations(files, i, Math.min(n, i + CHUNK), contents, out);
        }
        if (wellFormed) {
            return out;
        }
        // The listing is in no particular order: report the first bad name by path.
        Path firstMalformed = null;
        RatchetException malformed = null;
        for (int i = 0; i < files.size(); i++) {
            ScriptFiles.ListedFile file = files.get(i);
            try {
                fileMigration(file, contents); // the contents are never read: this load fails
            } catch (RatchetException e) {
                if (firstMalformed == null || file.path().compareTo(firstMalformed) < 0) {
                    firstMalformed = file.path();
                    malformed = e;
                }
            }
        }
        if (malformed == null) {
            throw new IllegalStateException("a file failed, then no file failed: " + label);
        }
        throw malformed;
    }

    /**
     * Adds the migrations of {@code files[from]} to {@code files[to - 1]} to {@code out}; false,
     * at the first file whose name is malformed, for the caller to find the first such file by
     * path. See {@link #CHUNK}.
     */
    private static boolean fileMigrations(List<ScriptFiles.ListedFile> files, int from, int to,
                                          ScriptFiles.Group contents, List<Migration> out) {
        for (int i = from; i < to; i++) {
            Migration m;
            try {
                m = fileMigration(files.get(i), contents);
            } catch (RatchetException e) {
                return false;
            }
            if (m != null) {
                out.add(m);
            }
        }
        return true;
    }

    /**
     * Sorts by version when every version is one part small enough to share a long with the
     * migration's index (the common case: {@code V1__}, {@code 20240101120000_}), or one part and
     * distinct and dense, of any size. Returns {@link #SORTED_DISTINCT} when it sorted and found no
     * two versions equal, {@link #SORTED} when it sorted (equal versions stay neighbours, in
     * listing order), and {@link #NOT_SORTED}, leaving the array alone, otherwise.
     *
     * <p>Versions that are distinct and dense (numbered 1, 2, 3 ..., gaps allowed, as most
     * projects number them) are put in place by their version, with no sort: one pass over the
     * migrations and one over a slot per version. Any others are packed with their index into
     * longs that sort as primitives, without comparing objects. A sort of the migrations was most
     * of the C2 compiler's work in a JVM's sixth to fifteenth up-to-date boots at N = 5000 (the
     * JDK's sort of a {@code long[]}: about 85 of the 246 ms its compile tasks took,
     * {@code -XX:+LogCompilation}, 2026-12-04), CPU that a boot on two cores waits for.
     */
    static int sortBySingleLongVersion(Migration[] migrations) {
        int n = migrations.length;
        long[] versions = new long[n];
        long[] range = {Long.MAX_VALUE, -1}; // min, max
        for (int i = 0; i < n; i += CHUNK) {
            if (!singleLongs(migrations, i, Math.min(n, i + CHUNK), versions, range)) {
                return NOT_SORTED;
            }
        }
        long min = range[0];
        long max = range[1];
        if (n == 0 || max - min < 4L * n && placedByVersion(migrations, versions, min, max)) {
            return SORTED_DISTINCT;
        }
        int indexBits = Math.max(1, Integer.SIZE - Integer.numberOfLeadingZeros(n));
        if (max >= 1L << (Long.SIZE - 1 - indexBits)) {
            return NOT_SORTED;
        }
        long[] packed = versions;
        for (int i = 0; i < n; i++) {
            packed[i] = versions[i] << indexBits | i;
        }
        Arrays.sort(packed);
        Migration[] original = migrations.clone();
        long mask = (1L << indexBits) - 1;
        for (int i = 0; i < n; i++) {
            migrations[i] = original[(int) (packed[i] & mask)];
        }
        return SORTED;
    }

    /** What {@link #sortBySingleLongVersion} did. */
    static final int NOT_SORTED = -1;
    static final int SORTED = 0;
    static final int SORTED_DISTINCT = 1;

    /**
     * Puts the migrations in version order through a slot per version from {@code min} to
     * {@code max}; false, leaving {@code migrations} alone, when two share a version.
     */
    private static boolean placedByVersion(Migration[] migrations, long[] versions, long min, long max) {
        Migration[] slots = new Migration[(int) (max - min + 1)];
        int n = migrations.length;
        for (int i = 0; i < n; i += CHUNK) {
            if (!placed(migrations, versions, min, i, Math.min(n, i + CHUNK), slots)) {
                return false;
            }
        }
        int k = 0;
        for (int i = 0; i < slots.length; i += CHUNK) {
            k = gathered(slots, i, Math.min(slots.length, i + CHUNK), migrations, k);
        }
        return true;
    }

    /**
     * {@code versions[from .. to)} as {@link #singleLong} gives them, widening {@code range} (min,
     * max); false at the first that is not one part. See {@link #CHUNK}.
     */
    private static boolean singleLongs(Migration[] migrations, int from, int to, long[] versions, long[] range) {
        long min = range[0];
        long max = range[1];
        for (int i = from; i < to; i++) {
            long v = singleLong(migrations[i]);
            if (v < 0) {
                return false;
            }
            versions[i] = v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        range[0] = min;
        range[1] = max;
        return true;
    }

    /** Puts {@code migrations[from .. to)} in their slots; false when a slot is taken. See {@link #CHUNK}. */
    private static boolean placed(Migration[] migrations, long[] versions, long min, int from, int to,
                                  Migration[] slots) {
        for (int i = from; i < to; i++) {
            int slot = (int) (versions[i] - min);
            if (slots[slot] != null) {
                return false;
            }
            slots[slot] = migrations[i];
        }
        return true;
    }

    /** Copies the taken slots of {@code slots[from .. to)} to {@code out} from {@code k}; the next k. See {@link #CHUNK}. */
    private static int gathered(Migration[] slots, int from, int to, Migration[] out, int k) {
        for (int i = from; i < to; i++) {
            if (slots[i] != null) {
                out[k++] = slots[i];
            }
        }
        return k;
    }

    /**
     * How many elements a per-migration loop on the boot's path hands to one call of a method of
     * its own. A loop that runs once per boot stays in the interpreter for a JVM's first dozen
     * boots: the JIT compiles a method once it has been called about a hundred times, and a loop
     * in place (on-stack replacement) only after some 60,000 iterations in all. Its body in a
     * method of its own (see {@link #fileMigration}) is compiled early, but the loop around it,
     * with its call into compiled code at every element, is not. A method called for every 16
     * elements is called 300 times a boot at N = 5000, so it is compiled during the first boot and
     * the loop around it runs 300 times instead of 5,000. async-profiler, unverified applied-set
     * boots at PostgreSQL N = 5000 in a JVM's sixth to fifteenth boots: the interpreted frames of
     * such loops took about a fifth of the booting thread's samples (2026-12-04).
     */
    static final int CHUNK = 16;

    /**
     * {@code m}'s version as a long when it is one part, else -1. The body of
     * {@link #sortBySingleLongVersion}'s loop, a method of its own for the reason given at
     * {@link #fileMigration}.
     */
    private static long singleLong(Migration m) {
        java.util.OptionalLong v = m.versionOrNull().asLong();
        return v.isPresent() ? v.getAsLong() : -1;
    }

    /**
     * The migration of one listed file, its contents to be read with {@code contents}; null
     * for a file that is no migration. A method of its own, not the listing loop's body: that
     * loop runs once per boot, so a JVM compiles it late, while this method is compiled after
     * the first few hundred files.
     */
    private static Migration fileMigration(ScriptFiles.ListedFile file, ScriptFiles.Group contents) {
        Migration.Builder m = parseSql(file.name(), file);
        return m == null ? null : m.sql(contents.add(file)).build();
    }

    /**
     * Every file under {@code directory} whose name ends in {@code .sql}. Only other entries cost
     * a file-type lookup (to descend into subdirectories, and into linked directories: see
     * {@link Links}); a directory named {@code *.sql} fails when it is read.
     *
     * <p>On the default file system the names come from {@link java.io.File#list()}, one native
     * call for the whole directory, and no path is made for a file until it is read or named in
     * a message. A {@link DirectoryStream} makes a path per entry, in Java code: listing 5,000
     * files that way took about 26 ms in a new JVM, against 3 ms for {@code File.list()}. A name
     * the platform's file-name encoding cannot decode (it holds U+FFFD) could not be resolved
     * back to its file, so such a directory is listed with a {@link DirectoryStream}, whose paths
     * keep the names' bytes; so is a directory {@code File.list()} cannot read, to report why.
     */
    private static void listSqlFiles(Path directory, List<ScriptFiles.ListedFile> out, Links links)
            throws IOException {
        String[] names = directory.getFileSystem() == FileSystems.getDefault() ? directory.toFile().list() : null;
        if (names != null) {
            int start = out.size();
            boolean decoded = true;
            for (int i = 0; i < names.length && decoded; i += CHUNK) {
                decoded = listed(directory, names, i, Math.min(names.length, i + CHUNK), out, links);
            }
            if (decoded) {
                return;
            }
            out.subList(start, out.size()).clear();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                add(ScriptFiles.ListedFile.at(entry, entry.getFileName().toString()), out, links);
            }
        }
    }

    /** {@link #listed(Path, String, List)} for {@code names[from]} to {@code names[to - 1]}: see {@link #CHUNK}. */
    private static boolean listed(Path directory, String[] names, int from, int to, List<ScriptFiles.ListedFile> out,
            Links links) throws IOException {
        for (int i = from; i < to; i++) {
            if (!listed(directory, names[i], out, links)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds {@code name} of {@code directory} (see {@link #add}); false, adding nothing, when the
     * name holds U+FFFD (see {@link #listSqlFiles}). A method of its own, called once per entry,
     * so that the JIT compiles it during an application's first boot: the loop that calls it runs
     * in the interpreter for the first boots.
     */
    private static boolean listed(Path directory, String name, List<ScriptFiles.ListedFile> out, Links links)
            throws IOException {
        if (name.indexOf('\uFFFD') >= 0) {
            return false;
        }
        add(ScriptFiles.ListedFile.in(directory, name), out, links);
        return true;
    }

    /**
     * Adds {@code file} when it names an SQL file, or lists it when it is a subdirectory, or a
     * link to one ({@link Links}), that is not hidden ({@link #hidden}).
     */
    private static void add(ScriptFiles.ListedFile file, List<ScriptFiles.ListedFile> out, Links links)
            throws IOException {
        if (isSql(file.name())) {
            out.add(file);
        } else if (!hidden(file.name())) {
            Path path = file.path();
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                listSqlFiles(path, out, links);
            } else if (Files.isSymbolicLink(path)) {
                links.follow(path, out);
            }
        }
    }

    /**
     * How a listing treats symbolic links that are not named {@code .sql} (a link named so is a
     * migration file, read through the link). A link to a directory is listed as a subdirectory,
     * under the link's own path: a directory of migrations shared by several services may be
     * linked into each one's location, and leaving it out would skip its migrations silently. So
     * a link whose target is missing is refused (it may have led to migrations: a volume that is
     * not mounted), as is a link that leads back to a directory the listing is in (a loop, which
     * would list the same files without end). Hidden links ({@code ..data} of a ConfigMap) are
     * never looked at. A link to a file not named {@code .sql} is passed over, as that file is.
     */
    private static final class Links {
        private final Path root;
        /** The real paths of the directories entered through links, innermost first, above the root's. */
        private final ArrayDeque<Path> entered = new ArrayDeque<>();

        Links(Path root) {
            this.root = root;
        }

        void follow(Path link, List<ScriptFiles.ListedFile> out) throws IOException {
            Path target;
            try {
                target = link.toRealPath();
            } catch (NoSuchFileException e) {
                throw refused(link, "is a link to '" + Files.readSymbolicLink(link) + "', which does not exist:"
                        + " it may have led to migrations, and a migration is never skipped silently",
                        "restore what it points to (a volume that is not mounted?), or remove the link");
            } catch (FileSystemException e) {
                throw refused(link, "is a link that cannot be followed (" + e.getReason() + ")",
                        "make it point to a directory or remove it");
            }
            if (!Files.isDirectory(target)) {
                return;
            }
            if (entered.isEmpty()) {
                entered.push(root.toRealPath());
            }
            if (link.getParent().toRealPath().startsWith(target) || entered.contains(target)) {
                throw refused(link, "is a link to '" + target + "', which holds the link itself: following it"
                        + " would list the same migrations again without end",
                        "remove the link, or point it at a directory outside the migrations location;"
                                + " Ratchet lists a linked directory as a subdirectory");
            }
            entered.push(target);
            try {
                listSqlFiles(link, out, this);
            } finally {
                entered.pop();
            }
        }

        private static RatchetException refused(Path link, String what, String hint) {
            return RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "'" + link + "' in the migrations location "
                    + what + ".").hint(hint).with("file", link.toString()).build();
        }
    }

    /**
     * Whether a directory of a migrations location is hidden, and not searched: its name starts
     * with a dot. A Kubernetes ConfigMap mounted as the location holds every file a second time in
     * {@code ..<timestamp>/} (the links {@code ..data} and {@code x.sql} lead there). A hidden
     * {@code .sql} file is still refused for its name, as any other: it is in plain sight.
     */
    static boolean hidden(String name) {
        return !name.isEmpty() && name.charAt(0) == '.';
    }

    /** Whether a file's path under a location, {@code /}-separated, passes through a hidden directory. */
    static boolean inHiddenDirectory(String relative) {
        int slash = relative.lastIndexOf('/');
        if (slash < 0) {
            return false;
        }
        for (String directory : relative.substring(0, slash).split("/")) {
            if (hidden(directory)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The migrations under {@code prefix} in the application modules {@code loader} sees (those
     * defined to it or to a class loader it delegates to, not the JDK's), read through each
     * module's {@link java.lang.module.ModuleReader}; null when no such module has a file there.
     * For a run-time image built by jlink, which keeps no directory entries for the class loader to
     * find a location by; each file is read (a checksum manifest is not consulted).
     */
    static List<Migration> loadModules(ClassLoader loader, String prefix) throws IOException {
        String under = prefix + "/";
        List<Migration> out = null;
        ModuleLayer layer = ModuleLayer.boot();
        for (java.lang.module.ResolvedModule module : layer.configuration().modules()) {
            ClassLoader definer = layer.findLoader(module.name());
            if (definer == null || definer == ClassLoader.getPlatformClassLoader() || !delegatesTo(loader, definer)
                    || module.name().startsWith("java.") || module.name().startsWith("jdk.")) {
                // the JDK's (some of its tools' modules are defined to the application class loader)
                continue;
            }
            try (java.lang.module.ModuleReader reader = module.reference().open()) {
                List<String> names = reader.list().filter(n -> n.startsWith(under) && !n.endsWith("/")
                        && !inHiddenDirectory(n.substring(under.length()))).toList();
                for (String path : names) {
                    out = out == null ? new ArrayList<>() : out;
                    String origin = "classpath:".concat(path);
                    Migration.Builder m = parse(path.substring(path.lastIndexOf('/') + 1), origin);
                    if (m == null) {
                        continue;
                    }
                    java.util.Optional<InputStream> opened = reader.open(path);
                    if (opened.isEmpty()) {
                        continue;
                    }
                    try (InputStream in = opened.get()) {
                        out.add(m.sql(ScriptFiles.decode(in.readAllBytes(), origin)).build());
                    }
                }
            }
        }
        return out;
    }

    /** Whether {@code loader} is {@code definer} or delegates to it. */
    private static boolean delegatesTo(ClassLoader loader, ClassLoader definer) {
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l == definer) {
                return true;
            }
        }
        return false;
    }

    static List<Migration> loadJar(URL url, String prefix) throws IOException {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        List<Migration> out = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            java.util.Map<String, ChecksumManifest.Vouch> manifest = null;
            JarScripts.Group vouched = null;
            JarEntry manifestEntry = jar.getJarEntry(prefix + "/" + ChecksumManifest.FILE_NAME);
            if (manifestEntry != null && !manifestEntry.isDirectory()) {
                try (InputStream in = jar.getInputStream(manifestEntry)) {
                    manifest = ChecksumManifest.read(in, manifestEntry.getSize(), "classpath:" + manifestEntry.getName());
                }
                vouched = new JarScripts.Group(url);
            }
            String under = prefix + "/";
            Enumeration<JarEntry> entries = jar.entries();
            while (jarMigrations(jar, entries, under, manifest, vouched, out)) {
                // CHUNK entries a call
            }
        }
        return out;
    }

    /**
     * Adds the migrations of the next {@link #CHUNK} entries of {@code entries} to {@code out};
     * false once there are none left.
     */
    private static boolean jarMigrations(JarFile jar, Enumeration<JarEntry> entries, String under,
                                         java.util.Map<String, ChecksumManifest.Vouch> manifest,
                                         JarScripts.Group vouched, List<Migration> out) throws IOException {
        for (int i = 0; i < CHUNK; i++) {
            if (!entries.hasMoreElements()) {
                return false;
            }
            Migration m = jarMigration(jar, entries.nextElement(), under, manifest, vouched);
            if (m != null) {
                out.add(m);
            }
        }
        return true;
    }

    /**
     * The migration of one jar entry under {@code under}, or null for any other entry: its
     * contents vouched for by the manifest's line when the jar's record of the entry matches it,
     * read from the jar otherwise. The body of {@link #loadJar}'s loop, a method of its own for
     * the reason given at {@link #fileMigration}; {@code String.concat}, not {@code +}, for the
     * reason given at {@link #parseSql}.
     */
    private static Migration jarMigration(JarFile jar, JarEntry entry, String under,
                                          java.util.Map<String, ChecksumManifest.Vouch> manifest,
                                          JarScripts.Group vouched) throws IOException {
        String path = entry.getName();
        if (entry.isDirectory() || !path.startsWith(under) || inHiddenDirectory(path.substring(under.length()))) {
            return null;
        }
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        if (!isSql(fileName)) {
            return null;
        }
        String origin = "classpath:".concat(path);
        Migration.Builder m = parse(fileName, origin);
        if (m == null) {
            return null;
        }
        ChecksumManifest.Vouch vouch = manifest == null ? null : manifest.get(path.substring(under.length()));
        if (vouch != null && vouch.crc32() == entry.getCrc() && vouch.size() == entry.getSize()) {
            // The jar's own record of the entry's bytes matches the manifest's line.
            return m.sql(vouched.add(path, origin, m.versionOrNull(), vouch)).build();
        }
        try (InputStream in = jar.getInputStream(entry)) {
            return m.sql(ScriptFiles.decode(in.readAllBytes(), origin)).build();
        }
    }

    static List<Migration> sorted(List<Migration> migrations) {
        Migration[] byVersion = migrations.toArray(new Migration[0]);
        int sorted = sortBySingleLongVersion(byVersion);
        if (sorted == NOT_SORTED) {
            Arrays.sort(byVersion, (a, b) -> a.versionOrNull().compareTo(b.versionOrNull()));
        }
        // A file's name starts with its canonical version, so only equal versions can collide:
        // they are neighbours now. Every collision is reported, naming every file of the version.
        // Versions put in place one per slot are known to be distinct.
        List<String> collisions = new ArrayList<>();
        for (int i = sorted == SORTED_DISTINCT ? byVersion.length : 1; i < byVersion.length; i++) {
            if (sameVersion(byVersion[i - 1], byVersion[i])) {
                int first = i - 1;
                while (i + 1 < byVersion.length && sameVersion(byVersion[i], byVersion[i + 1])) {
                    i++;
                }
                List<String> origins = new ArrayList<>();
                for (int k = first; k <= i; k++) {
                    origins.add(byVersion[k].origin());
                }
                collisions.add(byVersion[i].version().orElseThrow() + " ("
                        + String.join(", ", origins.subList(0, origins.size() - 1)) + " and "
                        + origins.get(origins.size() - 1) + ")");
            }
        }
        if (!collisions.isEmpty()) {
            int shown = Math.min(collisions.size(), 10);
            throw RatchetException.of(ErrorKind.VERSION_COLLISION, "The migration source has more than one"
                            + " migration at version " + String.join(", ", collisions.subList(0, shown))
                            + (shown < collisions.size() ? ", and at " + (collisions.size() - shown) + " more versions"
                            + " (the exception's context lists them all)" : "") + ".")
                    .with("namespace", null).with("collisions", List.copyOf(collisions)).build();
        }
        return new SortedByVersion(byVersion);
    }

    private static boolean sameVersion(Migration a, Migration b) {
        return a.versionOrNull().equals(b.versionOrNull());
    }

    /**
     * What {@link #sorted} returns: migrations in strictly increasing version order, each named
     * {@code <canonical version>_<description>}, so that no two share a version or a name
     * ({@link Namespace} does not check such a list again). Immutable.
     */
    static final class SortedByVersion extends java.util.AbstractList<Migration> implements java.util.RandomAccess {
        private final Migration[] migrations;
        private final int from;
        private final int to;

        private SortedByVersion(Migration[] migrations) {
            this(migrations, 0, migrations.length);
        }

        private SortedByVersion(Migration[] migrations, int from, int to) {
            this.migrations = migrations;
            this.from = from;
            this.to = to;
        }

        /**
         * This list itself when it is one: it is immutable. Not {@link List#copyOf}, which copies
         * it through {@code AbstractCollection}'s element-by-element {@code toArray} and checks
         * every element for null again: a cost per migration a young JVM pays in the interpreter.
         */
        static List<Migration> copyOf(List<Migration> list) {
            return list instanceof SortedByVersion ? list : List.copyOf(list);
        }

        @Override
        public Migration get(int index) {
            java.util.Objects.checkIndex(index, to - from);
            return migrations[from + index];
        }

        @Override
        public int size() {
            return to - from;
        }

        /** A view, in version order like this list, and as immutable. */
        @Override
        public List<Migration> subList(int fromIndex, int toIndex) {
            java.util.Objects.checkFromToIndex(fromIndex, toIndex, to - from);
            return new SortedByVersion(migrations, from + fromIndex, from + toIndex);
        }

        @Override
        public Object[] toArray() {
            return Arrays.copyOfRange(migrations, from, to, Object[].class);
        }
    }
}
