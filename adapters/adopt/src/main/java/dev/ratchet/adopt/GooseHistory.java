package dev.ratchet.adopt;

import dev.ratchet.Version;
import dev.ratchet.adopt.ForeignEntry.State;
import dev.ratchet.spi.TrackerContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * goose's {@code goose_db_version(id, version_id, is_applied, tstamp)}: goose appends a row for
 * every up ({@code is_applied = true}) and down ({@code false}); a version is applied when its
 * latest row says so. The row goose writes for version 0 when it creates the table is not a
 * migration. goose records versions only, so matching is by version.
 */
public final class GooseHistory extends ForeignHistory {
    /** goose's default table. */
    public static final String DEFAULT_TABLE = "goose_db_version";

    /** A reader of {@code table} in {@code schema} (null: the session's schema). */
    public GooseHistory(String table, String schema, Settings settings) {
        super("goose", table, schema, settings);
    }

    @Override
    protected Set<String> requiredColumns() {
        return Set.of("id", "version_id", "is_applied", "tstamp");
    }

    @Override
    protected List<ForeignEntry> entries(TrackerContext context, String namespace) throws SQLException {
        Map<Long, ForeignEntry> latest = new LinkedHashMap<>();
        String sql = "SELECT id, version_id, is_applied, tstamp FROM " + qualified(context) + " ORDER BY id";
        try (PreparedStatement ps = context.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long v = rs.getLong("version_id");
                boolean applied = rs.getBoolean("is_applied");
                State state = v == 0 ? State.NOT_A_MIGRATION : applied ? State.APPLIED : State.NOT_APPLIED;
                latest.remove(v); // keeps the map in order of each version's latest row
                latest.put(v, new ForeignEntry(String.valueOf(v), v < 0 ? Optional.empty() : Optional.of(Version.of(v)),
                        Optional.empty(), v < 0 ? State.UNSUPPORTED : state, instant(rs, "tstamp"),
                        OptionalLong.empty(), v == 0 ? "goose's initial row" : "row " + rs.getLong("id") + ", "
                        + (applied ? "applied" : "rolled back")));
            }
        }
        return new ArrayList<>(latest.values());
    }
}
