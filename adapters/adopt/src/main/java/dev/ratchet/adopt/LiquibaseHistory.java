package dev.ratchet.adopt;

import dev.ratchet.Migration;
import dev.ratchet.Version;
import dev.ratchet.adopt.ForeignEntry.State;
import dev.ratchet.spi.TrackerContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Liquibase's {@code DATABASECHANGELOG}: changesets in {@code ORDEREXECUTED} order, each
 * identified as {@code id::author::filename}. {@code EXECUTED} and {@code RERAN} are applied;
 * {@code MARK_RAN} is applied too (Liquibase recorded it as done without running it, which is what
 * it means for the schema); {@code FAILED} refuses adoption; {@code SKIPPED} is left out; any other
 * type is unsupported.
 *
 * <p>A changeset is mapped to a migration through the operator's mapping of its identity, else
 * (its whole identity, or {@code id::author} for any file), else by the default rule on its {@code id}: an id that starts with a version, optionally after
 * {@code V}, followed by the end or by {@code _}, {@code __} or {@code -} and a name (so {@code 3},
 * {@code V3__add_isbn} and {@code 3_add_isbn} all match migration {@code 3_add_isbn}, and
 * {@code 3_other} matches nothing).
 *
 * <p>{@code MD5SUM}, where Liquibase 4.24 or later wrote it ({@code 9:...}), is checked against the
 * matched file, computed as Liquibase computes it for SQL (a formatted SQL changeset, or an
 * {@code sqlFile}): the MD5 of the changeset's checksum, itself the MD5 of its SQL without any
 * space, tab or line break (see {@link #liquibaseChecksum}). For a file Ratchet split from a formatted SQL
 * changelog ({@link LiquibaseChangelog}), that SQL is the changeset's lines without Ratchet's
 * first lines and Liquibase's own ({@code --rollback}, {@code --comment}, preconditions ...), and
 * a checksum that differs means the changeset was edited after Liquibase ran it. Any other file
 * may stand for changes Liquibase hashed otherwise (an XML change type, a property it expanded):
 * equal, it proves the file; different, it proves nothing. A {@code 7:} or {@code 8:} checksum of an
 * older Liquibase proves nothing either.
 */
public final class LiquibaseHistory extends ForeignHistory {
    /** Liquibase's default table (upper case in its documentation; PostgreSQL folds it to lower case). */
    public static final String DEFAULT_TABLE = "databasechangelog";

    private static final Pattern VERSIONED_ID = Pattern.compile("[Vv]?([0-9][0-9._]*?)(?:(?:__|_|-)(.+?))?(?:\\.sql)?");
    /** The lines of a changeset's text that Liquibase's formatted SQL parser keeps out of its SQL (matched whole). */
    private static final Pattern DIRECTIVE = Pattern.compile("(?i)\\s*--\\s*(?:liquibase\\s*formatted.*|changeset\\s.*"
            + "|property\\s+.*:.*\\s+.*:.*|rollback .*|preconditions.*|precondition-[a-zA-Z0-9-]+(?: .*)?)"
            + "|--\\s*(?:comment:? .*|validCheckSum:? .*)");
    private static final Pattern ROLLBACK_BLOCK_START = Pattern.compile("(?i)\\s*/\\*\\s*liquibase\\s*rollback\\s*");
    private static final Pattern ROLLBACK_BLOCK_END = Pattern.compile(".*\\*/\\s*");

    /** A reader of {@code table} in {@code schema} (null: the session's schema). */
    public LiquibaseHistory(String table, String schema, Settings settings) {
        super("liquibase", table, schema, settings);
    }

    @Override
    protected Set<String> requiredColumns() {
        return Set.of("id", "author", "filename", "dateexecuted", "orderexecuted", "exectype", "md5sum");
    }

    @Override
    protected List<ForeignEntry> entries(TrackerContext context, String namespace) throws SQLException {
        List<ForeignEntry> out = new ArrayList<>();
        String sql = "SELECT id, author, filename, dateexecuted, orderexecuted, exectype, md5sum FROM "
                + qualified(context) + " ORDER BY orderexecuted, dateexecuted";
        try (PreparedStatement ps = context.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("id");
                String identity = id + "::" + rs.getString("author") + "::" + rs.getString("filename");
                String type = rs.getString("exectype");
                State state = switch (type == null ? "" : type) {
                    case "EXECUTED", "RERAN", "MARK_RAN" -> State.APPLIED;
                    case "FAILED" -> State.FAILED;
                    case "SKIPPED" -> State.NOT_APPLIED;
                    default -> State.UNSUPPORTED;
                };
                Optional<Version> version = Optional.empty();
                Optional<String> name = Optional.empty();
                Matcher m = VERSIONED_ID.matcher(id == null ? "" : id);
                if (m.matches()) {
                    version = version(m.group(1));
                    name = Optional.ofNullable(m.group(2));
                }
                String md5sum = rs.getString("md5sum");
                out.add(new ForeignEntry(identity, version, name, state, instant(rs, "dateexecuted"),
                        OptionalLong.empty(), type + ", order " + rs.getString("orderexecuted") + ", md5sum " + md5sum,
                        Optional.ofNullable(md5sum).map(String::strip).filter(c -> c.startsWith("9:"))));
            }
        }
        return out;
    }

    @Override
    protected Optional<Boolean> checksumMatches(ForeignEntry e, Migration m) {
        if (e.toolChecksum().isEmpty() || m.script().isEmpty()) {
            return Optional.empty();
        }
        String recorded = e.toolChecksum().get();
        String text = m.script().get();
        String sql = changesetSql(text);
        if (liquibaseChecksum(text).equals(recorded) || liquibaseChecksum(sql).equals(recorded)) {
            return Optional.of(true);
        }
        return LiquibaseChangelog.isSplit(text) && !sql.contains("${") ? Optional.of(false) : Optional.empty();
    }

    /**
     * Liquibase's checksum (version 9) of a changeset whose one change is {@code sql}: MD5 of the
     * change's checksum and a colon, the change's being MD5 of the SQL's UTF-8 bytes without
     * spaces, tabs and line breaks; both {@code 9:} and lower-case hex.
     */
    static String liquibaseChecksum(String sql) {
        StringBuilder bare = new StringBuilder(sql.length());
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                bare.append(c);
            }
        }
        return "9:" + md5("9:" + md5(bare.toString()) + ":");
    }

    private static String md5(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    }

    /**
     * The SQL Liquibase's formatted SQL parser would take from a changeset's {@code text}: its lines
     * without those it reads as its own ({@code --liquibase formatted sql}, {@code --changeset},
     * {@code --property}, {@code --rollback} and {@code /* liquibase rollback} blocks,
     * {@code --comment}, {@code --validCheckSum}, preconditions, {@code --ignoreLines} and the lines
     * they ignore), and without the first lines {@link LiquibaseChangelog} writes before it.
     */
    static String changesetSql(String text) {
        String[] lines = LiquibaseChangelog.withoutRatchetLines(text).split("\r\n|\r|\n", -1);
        boolean[] ignored = LiquibaseChangelog.ignored(lines);
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (ignored[i]) {
                continue;
            }
            if (ROLLBACK_BLOCK_START.matcher(line).matches()) {
                while (++i < lines.length && !ROLLBACK_BLOCK_END.matcher(lines[i]).matches()) {
                    // the rollback's lines
                }
                continue;
            }
            if (!DIRECTIVE.matcher(line).matches()) {
                sql.append(line).append('\n');
            }
        }
        return sql.toString();
    }

    /** {@code id::author}: the identity without the file, which a mapping may name (see {@link LiquibaseChangelog}). */
    @Override
    protected Optional<String> shortIdentity(ForeignEntry e) {
        int file = e.identity().lastIndexOf("::");
        return file < 0 ? Optional.empty() : Optional.of(e.identity().substring(0, file));
    }
}
