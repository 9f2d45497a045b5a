package dev.ratchet.internal;

import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.ExpectedRows;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL's chained {@code hashtextextended(f COLLATE "C", seed)} of a row's fields and the
 * {@code sum} of it over rows, computed in Java, against the server's own for fields of every
 * length (the hash takes 12 bytes at a time and the last 0 to 11 separately), of one- to
 * four-byte UTF-8 characters, and for rows of one to three fields (the first hashed with seed 0,
 * each next one with the previous hash as its seed).
 */
class PgTextHashesTest {
    private static final String SEPARATOR = String.valueOf(ExpectedRows.SEPARATOR);

    /** A row's text as ExpectedRows gives it: each field followed by the separator. */
    private static String rowText(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (String f : fields) {
            b.append(f).append(SEPARATOR);
        }
        return b.toString();
    }

    /** The server's chained hash of fields {@code u.f1} .. {@code u.f<arity>}. */
    private static String chained(int arity) {
        String hash = "0";
        for (int i = 1; i <= arity; i++) {
            hash = "hashtextextended(f" + i + " COLLATE \"C\", " + hash + ")";
        }
        return hash;
    }

    /** {@code rows} (each of {@code arity} fields) as the server's rows u(f1 .. f<arity>, i), in order. */
    private static PreparedStatement overRows(Connection c, String select, int arity, List<List<String>> rows)
            throws Exception {
        StringBuilder arrays = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int i = 1; i <= arity; i++) {
            arrays.append(i > 1 ? ", " : "").append("?::text[]");
            names.append("f").append(i).append(", ");
        }
        PreparedStatement ps = c.prepareStatement(select + " FROM unnest(" + arrays + ") WITH ORDINALITY AS u(" + names
                + "i)");
        for (int i = 0; i < arity; i++) {
            Object[] column = new Object[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                column[r] = rows.get(r).get(i);
            }
            ps.setArray(i + 1, c.createArrayOf("text", column));
        }
        return ps;
    }

    @Property(tries = 60)
    void eachRowsHashAndTheirSumAreTheServers(@ForAll @IntRange(min = 1, max = 3) int arity,
                                              @ForAll @Size(max = 40) List<@Size(3) List<@From("texts") String>> fields)
            throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (List<String> f : fields) {
            rows.add(f.subList(0, arity));
        }
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect()) {
            try (PreparedStatement ps = overRows(c, "SELECT " + chained(arity) + ", i", arity, rows)) {
                try (ResultSet rs = ps.executeQuery()) {
                    for (List<String> row : rows) {
                        assertTrue(rs.next());
                        assertEquals(Optional.of(Long.toString(rs.getLong(1))), PgTextHashes.sum(List.of(rowText(row))),
                                "the hash of " + row);
                    }
                }
            }
            List<String> texts = new ArrayList<>();
            for (List<String> row : rows) {
                texts.add(rowText(row));
            }
            try (PreparedStatement ps = overRows(c, "SELECT sum(" + chained(arity) + ")", arity, rows);
                 ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                String server = rs.getString(1);
                if (rows.isEmpty()) {
                    assertNull(server, "the sum of no rows");
                } else {
                    assertEquals(server, PgTextHashes.sum(texts).get());
                }
            }
        }
    }

    /** The fields' order and where they are cut count: swapped or re-cut fields hash otherwise. */
    @Property(tries = 30)
    void swappedOrReCutFieldsHashOtherwise(@ForAll @From("texts") String a, @ForAll @From("texts") String b) {
        String ab = PgTextHashes.sum(List.of(rowText(List.of(a, b)))).get();
        if (!a.equals(b)) {
            assertNotEquals(ab, PgTextHashes.sum(List.of(rowText(List.of(b, a)))).get(), "swapped");
        }
        if (!b.isEmpty()) {
            assertNotEquals(ab, PgTextHashes.sum(List.of(rowText(List.of(a + b, "")))).get(), "cut after both");
        }
        assertNotEquals(ab, PgTextHashes.sum(List.of(rowText(List.of(a + b)))).get(), "one field");
    }

    /** Many large hashes of one sign: a sum past 64 bits, as the server's numeric gives it. */
    @Property(tries = 5)
    void aSumPast64BitsIsExact(@ForAll @Size(min = 1, max = 5) List<@From("texts") String> seeds) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; rows.size() < 3000; i++) {
            List<String> row = List.of(Integer.toString(i), seeds.get(i % seeds.size()));
            String t = rowText(row);
            if (Long.parseLong(PgTextHashes.sum(List.of(t)).get()) > Long.MAX_VALUE / 2) {
                rows.add(row);
                texts.add(t);
            }
        }
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect();
             PreparedStatement ps = overRows(c, "SELECT sum(" + chained(2) + ")", 2, rows);
             ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            String server = rs.getString(1);
            assertTrue(server.length() > 19, "a sum past 64 bits: " + server);
            assertEquals(server, PgTextHashes.sum(texts).get());
        }
    }

    @Property(tries = 20)
    void aFieldWithALoneSurrogateHasNoHash(@ForAll @Size(max = 3) List<@From("texts") String> parts,
                                           @ForAll("surrogates") char lone) {
        String t = String.join("", parts) + lone + String.join("", parts);
        assertEquals(Optional.empty(), PgTextHashes.sum(List.of(rowText(List.of(t)))));
        List<String> texts = new ArrayList<>();
        for (String p : parts) {
            texts.add(rowText(List.of(p)));
        }
        texts.add(rowText(List.of("1", t)));
        assertEquals(Optional.empty(), PgTextHashes.sum(texts));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(1, 0x7f).filter(cp -> cp != 0x1f)),
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
