package dev.ratchet.adopt;

import dev.ratchet.ErrorKind;
import dev.ratchet.Migration;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Liquibase changelog in formatted SQL (first line {@code --liquibase formatted sql}), split
 * into one Ratchet migration per changeset, so that a project whose changelog holds several
 * changesets in one file can be adopted: {@link #migrations()} in changelog order, versioned
 * {@code 1, 2, 3 ...} and named after the changeset's id ({@code 3_create_person}), and
 * {@link #names()} mapping each changeset ({@code id::author}) to its migration for
 * {@link Adoption.Builder#map}.
 *
 * <p>A changeset's text is kept as written, its {@code --rollback} and {@code --comment} lines
 * included (they are SQL comments), after a first comment line naming the changeset; the lines
 * an {@code --ignoreLines} directive has Liquibase pass over become comments.
 * {@code runInTransaction:false} becomes Ratchet's {@code -- ratchet:no-transaction} directive.
 * Refused ({@link ErrorKind#CHANGELOG_UNSUPPORTED}), for all changesets at once: what Ratchet
 * would run differently without saying so: {@code context}, {@code contextFilter}, {@code labels}
 * and {@code dbms} (Ratchet runs every migration of a namespace), an {@code endDelimiter} other than
 * {@code ;}, and {@code runWith}. Left out of the migrations and listed ({@link #leftOut()}):
 * {@code ignore:true}, and {@code runAlways} or {@code runOnChange} changesets (Ratchet has no
 * repeatable migrations; their rows then match no migration, as Flyway's {@code R__} rows do).
 * Warned of ({@link #warnings()}): {@code splitStatements:false} (Ratchet splits at semicolons
 * outside quotes, dollar quotes and {@code BEGIN ... END} bodies), {@code failOnError:false},
 * preconditions (not evaluated) and attributes it does not know.
 */
public final class LiquibaseChangelog {
    private static final Pattern HEADER = Pattern.compile("--\\s*liquibase\\s+formatted\\s+sql\\b.*",
            Pattern.CASE_INSENSITIVE);
    /**
     * {@code --changeset author:id attributes}: author and id may be double-quoted, and an author
     * unquoted runs to the first colon, spaces and all, as in Liquibase ({@code carol smith:seed}).
     */
    private static final Pattern CHANGESET = Pattern.compile(
            "--\\s*changeset\\s+(\"[^\"]*\"|[^:]+):\\s*(\"[^\"]*\"|\\S+)(.*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Za-z]+):(\"[^\"]*\"|\\S*)");
    private static final Pattern PRECONDITION = Pattern.compile("--\\s*precondition", Pattern.CASE_INSENSITIVE);
    /** The first lines of a migration this class writes: the directive of a non-transactional one, the changeset's name. */
    private static final String NO_TRANSACTION = "-- ratchet:no-transaction\n";
    private static final Pattern RATCHET_LINES = Pattern.compile(
            "(?:-- ratchet:no-transaction\\r?\\n)?-- Liquibase changeset [^\\r\\n]*\\([^\\r\\n]*, line [0-9]+\\)\\r?\\n");
    /** {@code --ignoreLines:start}, {@code :end} or {@code :N}: lines Liquibase neither runs nor hashes. */
    private static final Pattern IGNORE_LINES = Pattern.compile("--\\s*ignoreLines:(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Set<String> REFUSED = Set.of("context", "contextfilter", "labels", "dbms", "runwith");
    private static final Set<String> KNOWN = Set.of("runintransaction", "splitstatements", "enddelimiter",
            "failonerror", "ignore", "runalways", "runonchange", "stripcomments", "logicalfilepath",
            "rollbacksplitstatements", "rollbackenddelimiter", "created", "objectquotingstrategy", "runorder");

    /**
     * One changeset.
     *
     * @param author     its author
     * @param id         its id
     * @param attributes its attributes, by name in lower case, values without quotes
     * @param text       its text: the lines after its {@code --changeset} line up to the next one
     * @param line       the line of its {@code --changeset} line, from 1
     */
    public record Changeset(String author, String id, Map<String, String> attributes, String text, int line) {
        /** Defensive copy. */
        public Changeset {
            attributes = Map.copyOf(attributes);
        }

        /** Liquibase's identity of it without the file: {@code id::author}, as {@link Adoption.Builder#map} takes it. */
        public String identity() {
            return id + "::" + author;
        }

        private boolean is(String attribute) {
            return "true".equalsIgnoreCase(attributes.get(attribute));
        }
    }

    private final Path file;
    private final List<Changeset> changesets;
    private final List<Migration> migrations = new ArrayList<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();
    private final Map<String, String> leftOut = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private LiquibaseChangelog(Path file, List<Changeset> changesets) {
        this.file = file;
        this.changesets = List.copyOf(changesets);
        List<String> refused = new ArrayList<>();
        int version = 0;
        for (Changeset c : changesets) {
            String which = "changeset " + c.author() + ":" + c.id() + " (line " + c.line() + ")";
            for (Map.Entry<String, String> a : c.attributes().entrySet()) {
                String name = a.getKey();
                if (REFUSED.contains(name)) {
                    refused.add(which + ": " + name + ":" + a.getValue());
                } else if (name.equals("enddelimiter") && !a.getValue().equals(";")) {
                    refused.add(which + ": endDelimiter:" + a.getValue());
                } else if (!KNOWN.contains(name)) {
                    warnings.add(which + ": attribute " + name + " is not known to Ratchet and has no effect");
                }
            }
            if (c.is("ignore")) {
                leftOut.put(which, "ignore:true");
                continue;
            }
            if (c.is("runalways") || c.is("runonchange")) {
                leftOut.put(which, (c.is("runalways") ? "runAlways" : "runOnChange")
                        + ": Ratchet has no repeatable migrations");
                continue;
            }
            if ("false".equalsIgnoreCase(c.attributes().get("splitstatements"))) {
                warnings.add(which + ": splitStatements:false: Ratchet splits it at semicolons outside quotes, dollar"
                        + " quotes and BEGIN ... END bodies; check that this is where its statements end");
            }
            if ("false".equalsIgnoreCase(c.attributes().get("failonerror"))) {
                warnings.add(which + ": failOnError:false: under Ratchet a failing statement fails the migration");
            }
            if (PRECONDITION.matcher(c.text()).find()) {
                warnings.add(which + ": its preconditions are kept as comments and not evaluated");
            }
            version++;
            String slug = ForeignHistory.normalize(c.id());
            if (slug.isEmpty() || slug.chars().allMatch(Character::isDigit)) {
                slug = "changeset" + (slug.isEmpty() ? "" : "_" + slug);
            }
            String migrationName = version + "_" + slug;
            StringBuilder text = new StringBuilder();
            boolean transactional = !"false".equalsIgnoreCase(c.attributes().get("runintransaction"));
            if (!transactional) {
                text.append(NO_TRANSACTION);
            }
            text.append("-- Liquibase changeset ").append(c.author()).append(':').append(c.id()).append(" (")
                    .append(file.getFileName()).append(", line ").append(c.line()).append(")\n")
                    .append(withIgnoredLinesCommented(c.text()));
            names.put(c.identity(), migrationName);
            texts.put(migrationName, text.toString());
            migrations.add(Migration.builder(migrationName).version(Version.of(version)).sql(text.toString())
                    .transactional(transactional).origin(file + " line " + c.line()).build());
        }
        if (!refused.isEmpty()) {
            throw RatchetException.of(ErrorKind.CHANGELOG_UNSUPPORTED, "The Liquibase changelog " + file + " has "
                            + refused.size() + " changeset attribute(s) Ratchet would not honour: "
                            + String.join("; ", refused) + ".")
                    .with("changelog", file.toString()).with("unsupported", List.copyOf(refused)).build();
        }
    }

    /**
     * Reads a formatted SQL changelog.
     *
     * @throws RatchetException {@link ErrorKind#SOURCE_UNREADABLE} when it cannot be read or is not
     *                          formatted SQL; {@link ErrorKind#CHANGELOG_UNSUPPORTED} (see above);
     *                          {@link ErrorKind#DUPLICATE_NAME} for two changesets of one identity
     */
    public static LiquibaseChangelog parse(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "The Liquibase changelog " + file
                    + " cannot be read as UTF-8 text: " + e.getMessage() + ".").with("changelog", file.toString())
                    .cause(e).build();
        }
        if (content.startsWith("\uFEFF")) {
            content = content.substring(1);
        }
        String[] lines = content.split("\r?\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length || !HEADER.matcher(lines[first].strip()).matches()) {
            throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "The file " + file + " is not a Liquibase"
                            + " changelog in formatted SQL: its first line is not '--liquibase formatted sql'.")
                    .with("changelog", file.toString())
                    .hint("give the formatted SQL changelog; an XML, YAML or JSON changelog's SQL files, one"
                            + " changeset each, are adopted with --migrations instead").build();
        }
        List<Changeset> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        String author = null;
        String id = null;
        Map<String, String> attributes = null;
        int at = 0;
        StringBuilder text = new StringBuilder();
        for (int i = first + 1; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i] : null;
            Matcher m = line == null ? null : CHANGESET.matcher(line.strip());
            if (line == null || m.matches()) {
                if (id != null) {
                    out.add(new Changeset(author, id, attributes, text.toString().strip() + "\n", at));
                }
                if (line == null) {
                    break;
                }
                author = unquote(m.group(1));
                id = unquote(m.group(2));
                at = i + 1;
                Integer before = seen.putIfAbsent(id + "::" + author, at);
                if (before != null) {
                    throw RatchetException.of(ErrorKind.DUPLICATE_NAME, "The Liquibase changelog " + file
                                    + " has changeset " + author + ":" + id + " twice, at lines " + before + " and "
                                    + at + ".").with("changelog", file.toString()).build();
                }
                attributes = new LinkedHashMap<>();
                Matcher a = ATTRIBUTE.matcher(m.group(3));
                while (a.find()) {
                    attributes.put(a.group(1).toLowerCase(Locale.ROOT), unquote(a.group(2)));
                }
                text.setLength(0);
            } else if (id != null) {
                text.append(line).append('\n');
            } else if (!line.isBlank() && !line.strip().startsWith("--")) {
                throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "The Liquibase changelog " + file
                                + " has SQL before its first --changeset line (line " + (i + 1) + ").")
                        .with("changelog", file.toString()).build();
            }
        }
        if (out.isEmpty()) {
            throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "The Liquibase changelog " + file
                    + " has no --changeset line.").with("changelog", file.toString()).build();
        }
        return new LiquibaseChangelog(file, out);
    }

    /**
     * {@code text} with the lines an {@code --ignoreLines} directive has Liquibase pass over made
     * comments, so that Ratchet does not run them either (SQL*Plus commands, say).
     */
    static String withIgnoredLinesCommented(String text) {
        String[] lines = text.split("\n", -1);
        boolean[] ignored = ignored(lines);
        for (int i = 0; i < lines.length; i++) {
            if (ignored[i] && !IGNORE_LINES.matcher(lines[i]).matches()) {
                lines[i] = "-- " + lines[i];
            }
        }
        return String.join("\n", lines);
    }

    /**
     * For each of {@code lines}, whether Liquibase passes over it: an {@code --ignoreLines}
     * directive, and the lines it covers (up to {@code --ignoreLines:end}, or the number it gives).
     */
    static boolean[] ignored(String[] lines) {
        boolean[] out = new boolean[lines.length];
        for (int i = 0; i < lines.length; i++) {
            Matcher ignore = IGNORE_LINES.matcher(lines[i]);
            if (!ignore.matches()) {
                continue;
            }
            out[i] = true;
            boolean block = ignore.group(1).equalsIgnoreCase("start");
            long count = block ? Long.MAX_VALUE : ignore.group(1).chars().allMatch(Character::isDigit)
                    ? new java.math.BigInteger(ignore.group(1)).min(java.math.BigInteger.valueOf(lines.length)).longValue()
                    : 0;
            for (; count > 0 && i + 1 < lines.length; count--) {
                Matcher end = IGNORE_LINES.matcher(lines[++i]);
                out[i] = true;
                if (block && end.matches() && end.group(1).equalsIgnoreCase("end")) {
                    break;
                }
            }
        }
        return out;
    }

    /** Whether {@code text} is a migration this class wrote: a changeset, after a line naming it. */
    static boolean isSplit(String text) {
        return !withoutRatchetLines(text).equals(text);
    }

    /** {@code text} without the first lines this class writes before a changeset's text, if it has them. */
    static String withoutRatchetLines(String text) {
        Matcher first = RATCHET_LINES.matcher(text);
        return first.lookingAt() ? text.substring(first.end()) : text;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** The changelog file. */
    public Path file() {
        return file;
    }

    /** Every changeset, in changelog order. */
    public List<Changeset> changesets() {
        return changesets;
    }

    /** The migrations, one per changeset not left out, in changelog order, versioned from 1. */
    public List<Migration> migrations() {
        return List.copyOf(migrations);
    }

    /** Each changeset's identity without the file ({@code id::author}) mapped to its migration's name. */
    public Map<String, String> names() {
        return java.util.Collections.unmodifiableMap(names);
    }

    /** The changesets left out ({@code changeset author:id (line N)}), each with the reason. */
    public Map<String, String> leftOut() {
        return java.util.Collections.unmodifiableMap(leftOut);
    }

    /** What the split does not carry over exactly, a sentence each. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Writes each migration to {@code dir} as {@code NAME.sql} (creating the directory), and
     * returns the files. A file that is there with the same text is left as it is, so that a run
     * interrupted after writing can be repeated; one with other text, and any other {@code .sql}
     * file in the directory (its version could be one of these), are refused before anything is
     * written ({@link ErrorKind#SOURCE_UNREADABLE}).
     */
    public List<Path> write(Path dir) {
        List<Path> files = new ArrayList<>();
        try {
            if (Files.isDirectory(dir)) {
                try (java.util.stream.Stream<Path> there = Files.list(dir)) {
                    List<String> others = there.map(f -> f.getFileName().toString())
                            .filter(f -> f.endsWith(".sql") && !texts.containsKey(f.substring(0, f.length() - 4)))
                            .sorted().toList();
                    if (!others.isEmpty()) {
                        throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "The directory " + dir + " holds "
                                        + others.size() + " other migration file(s) (" + String.join(", ", others)
                                        + "), whose versions could be those of " + file + "'s changesets; nothing"
                                        + " was written.").with("directory", dir.toString())
                                .hint("split into an empty directory, or one holding only this changelog's files")
                                .build();
                    }
                }
            }
            Map<Path, String> missing = new LinkedHashMap<>();
            for (Map.Entry<String, String> t : texts.entrySet()) {
                Path f = dir.resolve(t.getKey() + ".sql");
                files.add(f);
                if (!Files.exists(f)) {
                    missing.put(f, t.getValue());
                } else if (!Files.readString(f, StandardCharsets.UTF_8).equals(t.getValue())) {
                    throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "The file " + f + " is there already"
                                    + " with other text than changeset " + t.getKey() + " of " + file
                                    + " would be written into it; nothing was written.")
                            .with("file", f.toString())
                            .hint("split into an empty directory, or move that file away").build();
                }
            }
            Files.createDirectories(dir);
            for (Map.Entry<Path, String> m : missing.entrySet()) {
                Files.writeString(m.getKey(), m.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "The migrations of " + file
                    + " cannot be written to " + dir + ": " + e.getMessage() + ".").cause(e).build();
        }
        return List.copyOf(files);
    }
}
