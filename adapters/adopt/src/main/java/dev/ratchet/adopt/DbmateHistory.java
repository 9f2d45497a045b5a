package dev.ratchet.adopt;

import dev.ratchet.Version;
import dev.ratchet.adopt.ForeignEntry.State;
import dev.ratchet.spi.TrackerContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * dbmate's and Rails' {@code schema_migrations(version)}: the set of applied versions, as text
 * (timestamps such as {@code 20240115093000}, or any number). Nothing else is recorded, so
 * matching is by version; a value that is not a version is unsupported. A table that also has a
 * {@code dirty} column is golang-migrate's, not this one: adopt it with {@code golang-migrate}.
 */
public final class DbmateHistory extends ForeignHistory {
    /** dbmate's and Rails' default table. */
    public static final String DEFAULT_TABLE = "schema_migrations";

    /** A reader of {@code table} in {@code schema} (null: the session's schema); {@code tool} names it in messages. */
    public DbmateHistory(String tool, String table, String schema, Settings settings) {
        super(tool, table, schema, settings);
    }

    @Override
    protected Set<String> requiredColumns() {
        return Set.of("version");
    }

    @Override
    protected boolean isShape(Set<String> columns) {
        return columns.equals(requiredColumns());
    }

    @Override
    protected List<ForeignEntry> entries(TrackerContext context, String namespace) throws SQLException {
        List<ForeignEntry> out = new ArrayList<>();
        try (PreparedStatement ps = context.connection().prepareStatement("SELECT version FROM " + qualified(context));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String text = rs.getString("version");
                Optional<Version> version = version(text);
                out.add(ForeignEntry.of(String.valueOf(text), version, Optional.empty(),
                        version.isPresent() ? State.APPLIED : State.UNSUPPORTED,
                        version.isPresent() ? "version " + text : "'" + text + "' is not a version"));
            }
        }
        // A set: order by version, unreadable ones last.
        out.sort(Comparator.comparing((ForeignEntry e) -> e.version().orElse(null),
                Comparator.nullsLast(Comparator.naturalOrder())));
        return out;
    }
}
