package dev.ratchet.adopt;

import dev.ratchet.Migration;
import dev.ratchet.Version;
import dev.ratchet.adopt.ForeignEntry.State;
import dev.ratchet.spi.TrackerContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Flyway's {@code flyway_schema_history}: versioned rows in {@code installed_rank} order. A row
 * with {@code success = false} refuses adoption; a {@code BASELINE} row makes every migration up
 * to its version applied; repeatable ({@code R__}, no version) rows and the schema-creation marker
 * are left out and reported; a {@code DELETE} or undo row takes its version back out. Flyway's
 * CRC-32 checksum is compared with the matched file's, computed as Flyway does (the file's lines
 * without their line ends and the first line without a byte order mark): equal, the adopted row
 * takes the file's Ratchet checksum. Flyway's checksum is as blind as Flyway's own validation
 * to what it does not cover (line breaks moved, a change with the same CRC-32).
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
                Optional<String> toolChecksum = rs.wasNull() ? Optional.empty() : Optional.of(Long.toString(checksum));
                String crc = toolChecksum.isEmpty() ? "no checksum" : "checksum " + checksum;
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
                        instant(rs, "installed_on"), executionMs, provenance, toolChecksum));
            }
        }
        return out;
    }

    @Override
    protected Optional<Boolean> checksumMatches(ForeignEntry e, Migration m) {
        if (e.toolChecksum().isEmpty()) {
            return Optional.empty();
        }
        return m.script().map(text -> Long.toString(flywayChecksum(text)).equals(e.toolChecksum().get()));
    }

    /**
     * Flyway's checksum of a script: CRC-32 of its lines' UTF-8 bytes, each without its line end
     * (LF, CR LF or CR), the first without a byte order mark, as a signed 32-bit number.
     */
    static int flywayChecksum(String text) {
        CRC32 crc = new CRC32();
        try (BufferedReader lines = new BufferedReader(new StringReader(text))) {
            String line = lines.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            for (; line != null; line = lines.readLine()) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string", e); // a StringReader does not fail
        }
        return (int) crc.getValue();
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
