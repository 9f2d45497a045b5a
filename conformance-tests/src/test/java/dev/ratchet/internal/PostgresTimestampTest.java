package dev.ratchet.internal;

import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL dialect reads {@code applied_at} from the server's text itself for the common
 * shape: whatever the session's time zone, it must read exactly the instant the driver reads, and
 * leave every other shape (BC, infinity, offsets with seconds) to the driver.
 */
@Timeout(60)
class PostgresTimestampTest {

    @Test
    void theDialectReadsTheInstantsTheDriverReadsInEveryTimeZone() throws Exception {
        PostgresDialect dialect = new PostgresDialect();
        int fastPath = 0;
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String zone : List.of("UTC", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham", "America/Sao_Paulo",
                    "Europe/Amsterdam")) {
                st.execute("SET TimeZone = '" + zone + "'");
                // Whole seconds and every fraction length, modern dates, 1850 (local mean time:
                // offsets with seconds), year 1 and BC.
                String sql = "SELECT t FROM (SELECT timestamptz '2026-12-01 18:20:00.123456+00' + g * interval '7 days 3 hours"
                        + " 17 minutes 13.1 seconds' AS t FROM generate_series(-400, 400) g"
                        + " UNION ALL SELECT timestamptz '2024-02-29 23:59:59+00'"
                        + " UNION ALL SELECT timestamptz '1850-06-01 12:00:00+00'"
                        + " UNION ALL SELECT timestamptz '0001-01-01 00:00:00+00'"
                        + " UNION ALL SELECT timestamptz '0044-03-15 12:00:00+00 BC'"
                        + " UNION ALL SELECT timestamptz '2026-01-01 00:00:00.5+00') x";
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        OffsetDateTime expected = rs.getObject(1, OffsetDateTime.class);
                        assertEquals(expected.toInstant(), dialect.readInstant(rs, "t").orElseThrow(),
                                zone + ": " + rs.getString(1));
                        if (PostgresDialect.parseIsoInstant(rs.getString(1), ' ') != null) {
                            fastPath++;
                        }
                    }
                }
            }
        }
        assertTrue(fastPath > 6 * 800, "the common shape is read without the driver's parser: " + fastPath);
    }

    @Test
    void otherShapesAreLeftToTheDriver() {
        for (String text : List.of("infinity", "-infinity", "2026-12-01 18:20:00", "2026-12-01T18:20:00+00",
                "0044-03-15 12:00:00+00 BC", "12026-12-01 18:20:00+00", "2026-13-01 18:20:00+00", "2026-02-30 18:20:00+00",
                "2026-12-01 18:20:00.+00", "2026-12-01 18:20:00+0", "2026-12-01 18:20:00+05:3", "garbage garbage garbage")) {
            assertEquals(null, PostgresDialect.parseIsoInstant(text, ' '), text);
        }
        assertNotNull(PostgresDialect.parseIsoInstant("2026-12-01 18:20:00+05:30:15", ' '));
        assertEquals(OffsetDateTime.parse("2026-12-01T18:20:00.5-03:30").toInstant(),
                PostgresDialect.parseIsoInstant("2026-12-01 18:20:00.5-03:30", ' '));
    }
}
