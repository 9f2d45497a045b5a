package dev.ratchet.adopt;

import dev.ratchet.Version;
import dev.ratchet.adopt.ForeignEntry.State;
import dev.ratchet.spi.TrackerContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Django's {@code django_migrations(id, app, name, applied)}: one namespace per app (the namespace
 * adopted is the app of the same name). A name such as {@code 0002_add_isbn} is version 2 and name
 * {@code add_isbn}, matching migration {@code 2_add_isbn}; a name without a leading number is
 * unsupported. Django removes a row when a migration is unapplied, so every row is applied.
 */
public final class DjangoHistory extends ForeignHistory {
    /** Django's table. */
    public static final String DEFAULT_TABLE = "django_migrations";

    /** A reader of {@code table} in {@code schema} (null: the session's schema). */
    public DjangoHistory(String table, String schema, Settings settings) {
        super("django", table, schema, settings);
    }

    @Override
    protected Set<String> requiredColumns() {
        return Set.of("id", "app", "name", "applied");
    }

    @Override
    protected List<ForeignEntry> entries(TrackerContext context, String namespace) throws SQLException {
        List<ForeignEntry> out = new ArrayList<>();
        String sql = "SELECT id, app, name, applied FROM " + qualified(context) + " WHERE app = ? ORDER BY id";
        try (PreparedStatement ps = context.connection().prepareStatement(sql)) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString("name");
                    int underscore = name == null ? -1 : name.indexOf('_');
                    Optional<Version> version = underscore < 0 ? Optional.empty() : version(name.substring(0, underscore));
                    Optional<String> description = underscore < 0 ? Optional.empty()
                            : Optional.of(name.substring(underscore + 1));
                    out.add(new ForeignEntry(namespace + "." + name, version, description,
                            version.isPresent() ? State.APPLIED : State.UNSUPPORTED, instant(rs, "applied"),
                            OptionalLong.empty(), "row " + rs.getLong("id")));
                }
            }
        }
        return out;
    }

    @Override
    protected Optional<Set<String>> namespacesIn(TrackerContext context) throws SQLException {
        Set<String> apps = new LinkedHashSet<>();
        try (PreparedStatement ps = context.connection().prepareStatement("SELECT DISTINCT app FROM "
                + qualified(context)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                apps.add(rs.getString(1));
            }
        }
        return Optional.of(apps);
    }
}
