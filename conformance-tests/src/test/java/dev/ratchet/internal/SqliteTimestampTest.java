package dev.ratchet.internal;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.Dialect;
import dev.ratchet.spi.ExpectedRows;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The condition the up-to-date proof asks of each row's timestamp on SQLite (in SQL,
 * {@link SqliteDialect#holds} for a {@link Dialect.ColumnKind#TIMESTAMP}, and in Java,
 * {@link SqliteDialect#holdsText}, which the proof asks), against the dialect's own read of the
 * text: the two agree, every text they hold for reads back, as the instant
 * {@link Instant#parse} makes of it, and it holds for every instant {@link SqliteDialect#bindInstant}
 * writes. The texts tried are of an instant's shape with odd fields, and instants' texts with a
 * few chars changed, put in or taken out, from digits, the chars of the shape and chars SQLite's
 * own date parser skips or takes (spaces, a lower-case t or z, a sign, Arabic-Indic digits).
 */
class SqliteTimestampTest {
    private static TestDatabase db;
    private static Connection connection;
    private static PreparedStatement check;
    private static final SqliteDialect DIALECT = new SqliteDialect();

    @BeforeContainer
    static void open() throws Exception {
        db = TestDatabases.open(DatabaseKind.SQLITE);
        connection = db.connect();
        check = connection.prepareStatement("SELECT CASE WHEN "
                + DIALECT.holds("applied_at", Dialect.ColumnKind.TIMESTAMP).orElseThrow()
                + " THEN 1 ELSE 0 END AS holds, applied_at FROM (SELECT ? AS applied_at)");
    }

    @AfterContainer
    static void close() throws Exception {
        check.close();
        connection.close();
        db.close();
    }

    /**
     * Whether the condition holds for {@code text}, and the dialect's read of it when it does. The
     * check in Java the proof asks instead ({@link SqliteDialect#holdsText}, of the text where it
     * stands among others) holds for the same texts.
     */
    private static Instant readIfItHolds(String text) throws Exception {
        check.setString(1, text);
        try (ResultSet rs = check.executeQuery()) {
            assertTrue(rs.next());
            String among = "2026-12-02T18:43:32Z" + ExpectedRows.SEPARATOR + text + ExpectedRows.SEPARATOR + "x";
            boolean inJava = DIALECT.holdsText(among, 21, 21 + text.length(), Dialect.ColumnKind.TIMESTAMP);
            assertEquals(rs.getInt("holds") == 1, inJava, "the checks in SQL and in Java of '" + text + "'");
            if (!inJava) {
                return null;
            }
            try {
                return DIALECT.readInstant(rs, "applied_at").orElseThrow();
            } catch (DateTimeParseException e) {
                throw new AssertionError("the proof's check holds for '" + text + "', which does not read back", e);
            }
        }
    }

    /** Instants of the years 0000 to 9999, to the second, the millisecond, the microsecond or the nanosecond. */
    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(us -> us * 1_000),
                Arbitraries.integers().between(0, 999_999_999));
        Arbitrary<Instant> anyDay = Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
        // the ends of months (a 29th, 30th or 31st is asked of SQLite's date()) and of days
        Arbitrary<Instant> monthEnds = Combinators.combine(Arbitraries.integers().between(0, 9999),
                        Arbitraries.integers().between(1, 12), Arbitraries.integers().between(27, 31), nanos)
                .as((y, m, d, n) -> {
                    YearMonth ym = YearMonth.of(y, m);
                    return ym.atDay(Math.min(d, ym.lengthOfMonth())).atTime(23, 59, 59)
                            .toInstant(ZoneOffset.UTC).plusNanos(n);
                });
        return Arbitraries.oneOf(anyDay, monthEnds);
    }

    @Property(tries = 300)
    void itHoldsForEveryInstantTheDialectWrites(@ForAll("instants") Instant instant) throws Exception {
        assertEquals(instant, readIfItHolds(instant.toString()), instant.toString());
    }

    /**
     * A NUL char ends a text for SQLite's text functions but not for a driver's read: a good
     * instant followed by one is refused by both checks (the SQL one held for it until
     * 2026-12-04, when the property below first put a NUL last).
     */
    @Example
    void aTextWithANulCharAfterAnInstantIsRefused() throws Exception {
        assertNull(readIfItHolds("1970-01-01T00:00:00.000001Z\u0000"));
        assertNull(readIfItHolds("2026-12-02T18:43:32\u0000Z"));
        assertEquals(Instant.parse("1970-01-01T00:00:00.000001Z"), readIfItHolds("1970-01-01T00:00:00.000001Z"));
    }

    /** One change to a text: a char replaced, put in before, or taken out at a position. */
    record Edit(int kind, int at, char c) {
        String applyTo(String text) {
            int i = Math.floorMod(at, text.length() + (kind == 1 ? 1 : 0));
            return switch (kind) {
                case 0 -> text.substring(0, i) + c + text.substring(i + 1);
                case 1 -> text.substring(0, i) + c + text.substring(i);
                default -> text.substring(0, i) + text.substring(i + 1);
            };
        }
    }

    @Provide
    Arbitrary<Edit> edits() {
        Arbitrary<Character> chars = Arbitraries.oneOf(Arbitraries.chars().range('0', '9'),
                Arbitraries.of('-', 'T', ':', '.', 'Z', ' ', '\t', '\n', 't', 'z', '+', 'W', '\u0661', '\u0000'));
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 40), chars)
                .as(Edit::new);
    }

    /** Two digits from {@code from} to {@code to}, or a text from {@code odd}. */
    private static Arbitrary<String> field(int from, int to, String... odd) {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(from, to).map(i -> String.format("%02d", i))),
                Tuple.of(1, Arbitraries.of(odd)));
    }

    /**
     * Texts of an instant's shape, field by field, each field now and then one a read refuses or
     * SQLite's date parser reads otherwise: out of range, a digit short, a space or a sign in
     * it, Arabic-Indic digits, a lower-case t or z, spaces around the zone, an offset for a zone.
     */
    @Provide
    Arbitrary<String> shapes() {
        Arbitrary<String> year = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 9999).map(i -> String.format("%04d", i))),
                Tuple.of(1, Arbitraries.of("-970", "+202", "202", "20261", " 2026", "2O26", "\u0662026")));
        Arbitrary<String> month = field(1, 12, "00", "13", "19", "1", " 1", "1 ", "+1", "\u06612");
        Arbitrary<String> day = field(1, 31, "00", "32", "3", " 3", "3 ", "-3", "\u06613");
        Arbitrary<String> hour = field(0, 23, "24", "25", "2", " 2", "2 ", "\u06612");
        Arbitrary<String> minute = field(0, 59, "60", "5", " 5", "5 ", "\u06615");
        Arbitrary<String> second = field(0, 59, "60", "61", "5", " 5", "5 ", "\u06615");
        Arbitrary<String> fraction = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just("")),
                Tuple.of(4, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(10).map(f -> "." + f)),
                Tuple.of(2, Arbitraries.of(".", ". ", ".1 ", ".12 ", ".123\t", ".12a4", ".1\u06612",
                        ".123456789 ", "..1", ".1.2", ".-1", ".+1", ". 1")));
        Arbitrary<String> zone = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just("Z")),
                Tuple.of(1, Arbitraries.of("z", " Z", "Z ", "", "+01:00", "-00:00", "ZZ", "\nZ", " ")));
        Arbitrary<String> t = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("T")),
                Tuple.of(1, Arbitraries.of("t", " ", "TT", "T ", "")));
        return Combinators.combine(List.of(year, month, day, t, hour, minute, second, fraction, zone))
                .as(f -> f.get(0) + "-" + f.get(1) + "-" + f.get(2) + f.get(3) + f.get(4) + ":" + f.get(5) + ":"
                        + f.get(6) + f.get(7) + f.get(8));
    }

    @Property(tries = 3000)
    void everyTextOfAnInstantsShapeItHoldsForReadsBackAsTheInstantItSpells(@ForAll("shapes") String text)
            throws Exception {
        Instant read = readIfItHolds(text);
        if (read != null) {
            assertEquals(Instant.parse(text), read, text);
        }
    }

    @Property(tries = 2000)
    void everyTextItHoldsForReadsBackAsTheInstantItSpells(@ForAll("instants") Instant instant,
                                                         @ForAll List<@From("edits") Edit> edits) throws Exception {
        String text = instant.toString();
        for (Edit e : edits.subList(0, Math.min(3, edits.size()))) {
            if (!text.isEmpty()) {
                text = e.applyTo(text);
            }
        }
        Instant read = readIfItHolds(text);
        if (read != null) {
            assertEquals(Instant.parse(text), read, text);
        }
    }
}
