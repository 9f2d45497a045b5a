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

/**
 * Flyway's {@code flyway_schema_history}: versioned rows in {@code installed_rank} order. A row
 * with {@code success = false} refuses adoption; a {@code BASELINE} row makes every migration up
 * to its version applied; repeatable ({@code R__}, no version) rows and the schema-creation marker
 * are left out and reported; a {@code DELETE} or undo row takes its version back out. Flyway's
 * CRC32 checksum is reported as provenance only.
 */
public final class FlywayHistory extends ForeignHistory {
    /** Flyway's default table. */
    public static final String DEFAULT_TABLE = "flyway_schema_history";

    private static final Set<String> APPLYING = Set.of("SQL", "JDBC", "SPRING_JDBC", "SCRIPT", "CUSTOM",
            "SQL_BASELINE", "JDBC_BASELINE", "SCRIPT_BASELINE");

    /** A reader of {@code table} in {@code schema} (null: the session's schema). */
    public FlywayHistory(String table, String schema, Settings settings) {
        super("flyway", table, schema, settings);
    }

    @Override
    protected Set<String> requiredColumns() {
        return Set.of("installed_rank", "version", "description", "type", "script", "checksum", "success");
    }

    @Override
    protected List<ForeignEntry> entries(TrackerContext context, String namespace) throws SQLException {
        List<ForeignEntry> out = new ArrayList<>();
        String sql = "SELECT installed_rank, version, description, type, script, checksum, installed_on,"
                + " execution_time, success FROM " + qualified(context) + " ORDER BY installed_rank";
        try (PreparedStatement ps = context.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String versionText = rs.getString("version");
                String description = rs.getString("description");
                String type = rs.getString("type");
                String script = rs.getString("script");
                long checksum = rs.getLong("checksum");
                String crc = rs.wasNull() ? "no checksum" : "checksum " + checksum;
                boolean success = rs.getBoolean("success");
                long ms = rs.getLong("execution_time");
                OptionalLong executionMs = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(ms);
                Optional<Version> version = version(versionText);
                String identity = (versionText == null ? "" : versionText + " ") + description;
                String provenance = "rank " + rs.getInt("installed_rank") + ", " + type + " " + script + ", " + crc;
                State state;
                if (versionText != null && !versionText.isBlank() && version.isEmpty()) {
                    state = State.UNSUPPORTED; // a version Ratchet cannot read
                } else if ("SCHEMA".equals(type)) {
                    state = State.NOT_A_MIGRATION;
                } else if ("BASELINE".equals(type)) {
                    state = success ? State.BASELINE : State.FAILED;
                } else if ("DELETE".equals(type) || type != null && type.startsWith("UNDO_")) {
                    state = success ? undo(out, version) : State.FAILED;
                    provenance += ", takes " + versionText + " back out";
                } else if (type != null && APPLYING.contains(type)) {
                    state = !success ? State.FAILED : version.isEmpty() ? State.NOT_A_MIGRATION : State.APPLIED;
                } else {
                    state = State.UNSUPPORTED;
                }
                out.add(new ForeignEntry(identity, version, Optional.ofNullable(description), state,
                        instant(rs, "installed_on"), executionMs, provenance));
            }
        }
        return out;
    }

    /** Marks the applied entry of {@code version} as not applied; the marker row itself is not a migration. */
    private static State undo(List<ForeignEntry> earlier, Optional<Version> version) {
        for (int i = earlier.size() - 1; i >= 0; i--) {
            ForeignEntry e = earlier.get(i);
            if (e.state() == State.APPLIED && e.version().equals(version)) {
                earlier.set(i, new ForeignEntry(e.identity(), e.version(), e.description(), State.NOT_APPLIED,
                        e.appliedAt(), e.executionMs(), e.provenance() + ", later deleted or undone"));
                break;
            }
        }
        return State.NOT_A_MIGRATION;
    }
}
