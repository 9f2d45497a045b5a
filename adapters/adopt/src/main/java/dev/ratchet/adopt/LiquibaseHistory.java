package dev.ratchet.adopt;

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
 * {@code 3_other} matches nothing). {@code MD5SUM} is reported as provenance only.
 */
public final class LiquibaseHistory extends ForeignHistory {
    /** Liquibase's default table (upper case in its documentation; PostgreSQL folds it to lower case). */
    public static final String DEFAULT_TABLE = "databasechangelog";

    private static final Pattern VERSIONED_ID = Pattern.compile("[Vv]?([0-9][0-9._]*?)(?:(?:__|_|-)(.+?))?(?:\\.sql)?");

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
                out.add(new ForeignEntry(identity, version, name, state, instant(rs, "dateexecuted"),
                        OptionalLong.empty(), type + ", order " + rs.getString("orderexecuted") + ", md5sum "
                        + rs.getString("md5sum")));
            }
        }
        return out;
    }

    /** {@code id::author}: the identity without the file, which a mapping may name (see {@link LiquibaseChangelog}). */
    @Override
    protected Optional<String> shortIdentity(ForeignEntry e) {
        int file = e.identity().lastIndexOf("::");
        return file < 0 ? Optional.empty() : Optional.of(e.identity().substring(0, file));
    }
}
