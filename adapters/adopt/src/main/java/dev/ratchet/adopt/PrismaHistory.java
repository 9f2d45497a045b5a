package dev.ratchet.adopt;

import dev.ratchet.Migration;
import dev.ratchet.Version;
import dev.ratchet.adopt.ForeignEntry.State;
import dev.ratchet.spi.TrackerContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Prisma Migrate's {@code _prisma_migrations}: a row per attempt, named
 * {@code <timestamp>_<name>} (the migration's folder). Applied: {@code finished_at} set and
 * {@code rolled_back_at} null. Rolled back: left out. Neither finished nor rolled back: refused,
 * as failed when Prisma logged an error, else as unfinished. Prisma's checksum, the SHA-256 of
 * its {@code migration.sql} (with its line ends as written, or as Prisma accepts them: all LF or
 * all CR LF), is compared with the matched file's: equal, the adopted row takes the file's
 * Ratchet checksum.
 */
public final class PrismaHistory extends ForeignHistory {
    /** Prisma's table. */
    public static final String DEFAULT_TABLE = "_prisma_migrations";

    /** A reader of {@code table} in {@code schema} (null: the session's schema). */
    public PrismaHistory(String table, String schema, Settings settings) {
        super("prisma", table, schema, settings);
    }

    @Override
    protected Optional<Boolean> checksumMatches(ForeignEntry e, Migration m) {
        if (e.toolChecksum().isEmpty()) {
            return Optional.empty();
        }
        String recorded = e.toolChecksum().get().strip();
        return m.script().map(text -> {
            String lf = text.replace("\r\n", "\n");
            return Stream.of(text, lf, lf.replace("\n", "\r\n")).anyMatch(t -> sha256(t).equalsIgnoreCase(recorded));
        });
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    protected Set<String> requiredColumns() {
        return Set.of("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at");
    }

    @Override
    protected List<ForeignEntry> entries(TrackerContext context, String namespace) throws SQLException {
        List<ForeignEntry> out = new ArrayList<>();
        String sql = "SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at FROM "
                + qualified(context) + " ORDER BY started_at, migration_name";
        try (PreparedStatement ps = context.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString("migration_name");
                Optional<java.time.Instant> finished = instant(rs, "finished_at");
                boolean finishedSet = rs.getObject("finished_at") != null;
                boolean rolledBack = rs.getObject("rolled_back_at") != null;
                String logs = rs.getString("logs");
                State state = rolledBack ? State.NOT_APPLIED : finishedSet ? State.APPLIED
                        : logs != null && !logs.isBlank() ? State.FAILED : State.UNFINISHED;
                int underscore = name == null ? -1 : name.indexOf('_');
                Optional<Version> version = underscore < 0 ? version(name) : version(name.substring(0, underscore));
                Optional<String> description = underscore < 0 ? Optional.empty()
                        : Optional.of(name.substring(underscore + 1));
                out.add(new ForeignEntry(String.valueOf(name), version, description,
                        version.isEmpty() && state == State.APPLIED ? State.UNSUPPORTED : state, finished,
                        OptionalLong.empty(), "id " + rs.getString("id") + ", checksum " + rs.getString("checksum")
                        + (rolledBack ? ", rolled back" : ""), Optional.ofNullable(rs.getString("checksum"))));
            }
        }
        return out;
    }
}
