package dev.ratchet;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One migration: its identity (a name unique in its namespace, an optional {@link Version},
 * a description), its body (an SQL script or a {@link MigrationBody}), a checksum, and
 * whether it may run inside a transaction.
 *
 * <p>The checksum of a script is the SHA-256 of its text with CRLF and lone CR normalized to
 * LF and a leading byte order mark left out, so a checkout on Windows, or an editor that adds or
 * drops the mark, does not look like an edit. A Java migration has a checksum
 * only when its author supplies one with {@link Builder#checksumOf(String)}: bytecode is not
 * a stable identity, so Ratchet never guesses one.
 *
 * <p>A script whose first line is {@code -- ratchet:no-transaction} runs outside any
 * transaction (needed for {@code CREATE INDEX CONCURRENTLY}).
 *
 * <pre>{@code
 * Migration m = Migration.builder("3_add_users")
 *         .version(Version.parse("3"))
 *         .sql("CREATE TABLE users (id int PRIMARY KEY);")
 *         .build();
 * }</pre>
 */
public final class Migration {
    /** The first-line directive that marks a script as non-transactional. */
    public static final String NO_TRANSACTION_DIRECTIVE = "-- ratchet:no-transaction";

    private final String name;
    private final Version version;
    private final Optional<Version> optionalVersion;
    private final String description;
    private final MigrationBody callback;
    /** What an inline script or a Java body decides; null for a file not decided yet. */
    private final Text known;
    /** The file behind a script, or null. */
    private final ScriptFiles.Script file;
    /** The override of the script's directive, or null. */
    private final Boolean transactionalOverride;
    /** A String, or a listed file whose path is the origin: made text when asked, which most never are. */
    private final Object origin;

    /** A script (or null for a Java body), its checksum and its transaction flag. */
    private record Text(String script, String checksum, boolean transactional) {
    }

    private Migration(Builder b) {
        this.name = b.name;
        this.version = b.version;
        this.optionalVersion = Optional.ofNullable(b.version);
        this.description = b.description == null ? b.name : b.description;
        this.callback = b.callback;
        this.transactionalOverride = b.transactional;
        if (b.script != null) {
            this.known = new Text(b.script, ScriptFiles.checksum(b.script),
                    b.transactional == null ? !hasNoTransactionDirective(b.script) : b.transactional);
        } else if (b.file != null) {
            this.known = null; // read by whichever thread gets to the file first
        } else {
            this.known = new Text(null, b.checksumSource == null ? null : sha256(b.checksumSource),
                    b.transactional == null || b.transactional);
        }
        this.file = b.file;
        boolean isScript = b.script != null || b.file != null;
        this.origin = b.origin == null ? (isScript ? "script " + b.name : "code " + b.name) : b.origin;
    }

    /** Starts a migration with this name (unique in its namespace). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The name, unique in its namespace; for files {@code <canonical version>_<description>}. */
    public String name() {
        return name;
    }

    /** The version, if this migration has one. */
    public Optional<Version> version() {
        return optionalVersion;
    }

    /** The version or null, without an {@link Optional}: for the per-file loops of large sources. */
    Version versionOrNull() {
        return version;
    }

    /** A human description. */
    public String description() {
        return description;
    }

    /** The SQL script, when the body is a script. */
    public Optional<String> script() {
        return Optional.ofNullable(file != null ? file.content().text() : known.script());
    }

    /** The Java body, when the body is code. */
    public Optional<MigrationBody> callback() {
        return Optional.ofNullable(callback);
    }

    /** SHA-256 hex of the normalized script or of the author's checksum text; empty when unknown. */
    public Optional<String> checksum() {
        return Optional.ofNullable(file != null ? file.checksum() : known.checksum());
    }

    /**
     * For a script, the checksum Ratchet recorded for it, had its text started with a byte order
     * mark, before the checksum left the mark out; empty for a Java body. A row holding it is not
     * drift. Reads the file: asked for only when a recorded checksum differs from
     * {@link #checksum()}.
     */
    Optional<String> checksumWithByteOrderMark() {
        return script().map(ScriptFiles::checksumWithByteOrderMark);
    }

    /**
     * Starts reading this migration's file in the background when it comes from a
     * {@link MigrationSource} and nothing has read it yet; otherwise does nothing. Runners call
     * it for every migration when their tracker verifies checksums (the files are read while
     * they connect), and for the migrations they are about to apply; calling it is never
     * required.
     */
    public void prefetch() {
        if (file != null && !file.isDone()) {
            file.prefetch();
        }
    }

    /**
     * True when this migration's file (or its batch of files) was asked for since loading: a
     * runner prefetched or read it. For tests of which files a boot reads; false for a migration
     * built in code.
     */
    boolean fileRequested() {
        return file != null && file.requested();
    }

    /** Whether the body may run inside a transaction. */
    public boolean transactional() {
        if (file == null) {
            return known.transactional();
        }
        if (transactionalOverride != null) {
            file.content(); // an unreadable file fails here, as it would when run
            return transactionalOverride;
        }
        return !hasNoTransactionDirective(file.content().text());
    }

    /** Where this migration came from (a file path or resource), for messages. */
    public String origin() {
        return origin.toString();
    }

    @Override
    public String toString() {
        return name;
    }

    static boolean hasNoTransactionDirective(String script) {
        if (script == null) {
            return false;
        }
        String s = script.startsWith("\uFEFF") ? script.substring(1) : script;
        int eol = s.indexOf('\n');
        String first = (eol < 0 ? s : s.substring(0, eol)).strip();
        if (first.equalsIgnoreCase(NO_TRANSACTION_DIRECTIVE)) {
            return true;
        }
        // goose's and dbmate's own words for it, in a file written for them
        if (!s.contains("-- +goose") && !s.contains("-- migrate:up")) {
            return false;
        }
        for (String line : s.lines().toList()) {
            String l = line.strip().toLowerCase(java.util.Locale.ROOT);
            if (l.equals("-- +goose no transaction")
                    || l.startsWith("-- migrate:up ") && l.contains("transaction:false")) {
                return true;
            }
        }
        return false;
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(ScriptFiles.newSha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Builds a {@link Migration}; validated in {@link #build()}. */
    public static final class Builder {
        private final String name;
        private Version version;
        private String description;
        private String script;
        private ScriptFiles.Script file;
        private MigrationBody callback;
        private String checksumSource;
        private Boolean transactional;
        private Object origin;

        private Builder(String name) {
            this.name = name;
        }

        /** The version; required by versioned trackers. */
        public Builder version(Version version) {
            this.version = version;
            return this;
        }

        /** A human description (defaults to the name). */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** The version given so far, or null. */
        Version versionOrNull() {
            return version;
        }

        /** The body as an SQL script. */
        public Builder sql(String script) {
            this.script = script;
            return this;
        }

        /** The body as an SQL file, read when first needed (by {@link MigrationSource}). */
        Builder sql(ScriptFiles.Script notYetRead) {
            this.file = notYetRead;
            return this;
        }

        /** The body as Java code on the pinned connection. */
        public Builder body(MigrationBody callback) {
            this.callback = callback;
            return this;
        }

        /**
         * The text a Java migration's checksum is computed from; change it whenever the
         * body's effect changes. Not allowed for scripts, whose checksum is their text.
         */
        public Builder checksumOf(String text) {
            this.checksumSource = text;
            return this;
        }

        /** Overrides whether the migration runs in a transaction (scripts default to their directive). */
        public Builder transactional(boolean transactional) {
            this.transactional = transactional;
            return this;
        }

        /** Where the migration came from, for messages. */
        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /** A file the migration came from, its path the origin (made text only when asked for). */
        Builder origin(ScriptFiles.ListedFile file) {
            this.origin = file;
            return this;
        }

        /**
         * The migration.
         *
         * @throws IllegalArgumentException when the name is blank, or not exactly one body is given
         * @throws RatchetException of kind {@link ErrorKind#INVALID_IDENTIFIER} when the name contains a
         *                          control character
         */
        public Migration build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a migration needs a non-blank name");
            }
            if (hasControlCharacter(name)) {
                // NUL cannot be stored by PostgreSQL; line breaks and other controls would forge log lines.
                throw RatchetException.of(ErrorKind.INVALID_IDENTIFIER, "Migration name '"
                                + name.replaceAll("\\p{Cntrl}", "?") + "' contains a control character.")
                        .with("what", "migration").with("name", name).build();
            }
            if ((script == null && file == null) == (callback == null)) {
                throw new IllegalArgumentException("migration '" + name
                        + "' needs exactly one body: call sql(...) or body(...)");
            }
            if ((script != null || file != null) && checksumSource != null) {
                throw new IllegalArgumentException("migration '" + name
                        + "' is a script: its checksum is its text; remove checksumOf(...)");
            }
            Objects.requireNonNull(name);
            return new Migration(this);
        }

        private static boolean hasControlCharacter(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (Character.isISOControl(s.charAt(i))) { // control characters are all in the BMP
                    return true;
                }
            }
            return false;
        }
    }
}
