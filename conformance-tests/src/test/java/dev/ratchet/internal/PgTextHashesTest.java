package dev.ratchet.internal;

import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL's {@code hashtextextended(t COLLATE "C", 0)} and {@code sum} of it, computed in
 * Java, against the server's own for texts of every length (the hash takes 12 bytes at a time and
 * the last 0 to 11 separately) and of one- to four-byte UTF-8 characters.
 */
class PgTextHashesTest {
    @Property(tries = 60)
    void eachTextsHashAndTheirSumAreTheServers(@ForAll @Size(max = 40) List<@From("texts") String> texts) throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect()) {
            Array array = c.createArrayOf("text", texts.toArray());
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT hashtextextended(t COLLATE \"C\", 0) FROM unnest(?::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i")) {
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    for (String t : texts) {
                        assertTrue(rs.next());
                        assertEquals(Optional.of(Long.toString(rs.getLong(1))), PgTextHashes.sum(List.of(t)),
                                "the hash of '" + t + "'");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT sum(hashtextextended(t COLLATE \"C\", 0)) FROM unnest(?::text[]) AS u(t)")) {
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    String server = rs.getString(1);
                    if (texts.isEmpty()) {
                        assertNull(server, "the sum of no rows");
                    } else {
                        assertEquals(server, PgTextHashes.sum(texts).get());
                    }
                }
            }
        }
    }

    /** Many large hashes of one sign: a sum past 64 bits, as the server's numeric gives it. */
    @Property(tries = 5)
    void aSumPast64BitsIsExact(@ForAll @Size(min = 1, max = 5) List<@From("texts") String> seeds) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; texts.size() < 3000; i++) {
            String t = seeds.get(i % seeds.size()) + i;
            if (Long.parseLong(PgTextHashes.sum(List.of(t)).get()) > Long.MAX_VALUE / 2) {
                texts.add(t);
            }
        }
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT sum(hashtextextended(t COLLATE \"C\", 0)) FROM unnest(?::text[]) AS u(t)")) {
            ps.setArray(1, c.createArrayOf("text", texts.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                String server = rs.getString(1);
                assertTrue(server.length() > 19, "a sum past 64 bits: " + server);
                assertEquals(server, PgTextHashes.sum(texts).get());
            }
        }
    }

    @Property(tries = 20)
    void aTextWithALoneSurrogateHasNoHash(@ForAll @Size(max = 3) List<@From("texts") String> parts,
                                          @ForAll("surrogates") char lone) {
        String t = String.join("", parts) + lone + String.join("", parts);
        assertEquals(Optional.empty(), PgTextHashes.sum(List.of(t)));
        List<String> texts = new ArrayList<>(parts);
        texts.add(t);
        assertEquals(Optional.empty(), PgTextHashes.sum(texts));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(1, 0x7f)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0x7ff)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x800, 0xffff)
                        .filter(cp -> !Character.isSurrogate((char) cp.intValue()))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff)));
        return codePoint.list().ofMaxSize(50).map(cps -> {
            StringBuilder b = new StringBuilder();
            cps.forEach(b::appendCodePoint);
            return b.toString();
        });
    }

    @Provide
    Arbitrary<Character> surrogates() {
        return Arbitraries.chars().range('\ud800', '\udfff');
    }
}
