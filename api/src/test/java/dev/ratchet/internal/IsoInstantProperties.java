package dev.ratchet.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hand-written ISO parser behind {@code readInstant} reads exactly what the general-purpose
 * parsers read, or declines (null) and leaves the text to them.
 */
class IsoInstantProperties {

    @Provide
    Arbitrary<Instant> instants() {
        // Year 1 to 9999, every precision from whole seconds to nanoseconds.
        Arbitrary<Long> seconds = Arbitraries.longs().between(-62135596800L, 253402300799L);
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999)
                .map(ms -> ms * 1_000_000), Arbitraries.integers().between(0, 999_999).map(us -> us * 1000),
                Arbitraries.integers().between(0, 999_999_999));
        return net.jqwik.api.Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<ZoneOffset> offsets() {
        return Arbitraries.oneOf(Arbitraries.just(ZoneOffset.UTC),
                Arbitraries.integers().between(-18 * 4, 18 * 4).map(q -> ZoneOffset.ofTotalSeconds(q * 900)),
                Arbitraries.integers().between(-18 * 3600, 18 * 3600).map(ZoneOffset::ofTotalSeconds));
    }

    /** SQLite: what {@code bindInstant} writes, {@link Instant#toString()}. */
    @Property(tries = 3000)
    void instantTextReadsBack(@ForAll("instants") Instant instant) {
        assertEquals(instant, DatabaseDialect.parseIsoInstant(instant.toString(), 'T'), instant.toString());
    }

    /** PostgreSQL's ISO text of a timestamptz in any session time zone: the instant it denotes. */
    @Property(tries = 3000)
    void postgresTextReadsAsTheInstant(@ForAll("instants") Instant instant, @ForAll("offsets") ZoneOffset offset) {
        java.time.LocalDateTime local = OffsetDateTime.ofInstant(instant, offset).toLocalDateTime();
        if (local.getYear() < 1 || local.getYear() > 9999) {
            return; // PostgreSQL writes those with a sign or BC; the driver reads them
        }
        StringBuilder text = new StringBuilder(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
                .format(local));
        if (local.getNano() != 0) {
            text.append(String.format(".%09d", local.getNano()).replaceAll("0+$", ""));
        }
        int total = offset.getTotalSeconds();
        int abs = Math.abs(total);
        text.append(total < 0 ? '-' : '+').append(String.format("%02d", abs / 3600));
        if (abs % 3600 != 0) {
            text.append(String.format(":%02d", abs / 60 % 60));
            if (abs % 60 != 0) {
                text.append(String.format(":%02d", abs % 60));
            }
        }
        assertEquals(instant, DatabaseDialect.parseIsoInstant(text.toString(), ' '), text.toString());
    }
}
