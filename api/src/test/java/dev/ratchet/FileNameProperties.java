package dev.ratchet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written split of common migration file names decides exactly what the documented
 * patterns decide: whenever it answers, the pattern matches with the same version and description.
 */
class FileNameProperties {
    private static final Pattern FLYWAY = Pattern.compile("V([0-9][0-9._]*?)__(.+)\\.sql");
    private static final Pattern PLAIN = Pattern.compile("([0-9][0-9.]*)_(.+)\\.sql");

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> piece = Arbitraries.of("V", "1", "2", "0", "9", ".", "_", "__", "a", "x y", " ", "\n", "\u2028",
                ".sql", ".SQL", ".up", ".down", "é");
        return piece.list().ofMinSize(1).ofMaxSize(9).map(p -> String.join("", p))
                .flatMap(body -> Arbitraries.of(body, body + ".sql", body + ".up.sql", body + ".down.sql"));
    }

    @Property(tries = 5000)
    void theSplitAgreesWithThePatterns(@ForAll("names") String name) {
        int split = MigrationFiles.simpleSplit(name);
        if (split < 0) {
            return; // the patterns decide alone
        }
        boolean flyway = name.charAt(0) == 'V';
        Matcher m = (flyway ? FLYWAY : PLAIN).matcher(name);
        assertTrue(m.matches(), name);
        assertEquals(m.group(1), name.substring(flyway ? 1 : 0, split), name);
        assertEquals(m.group(2), name.substring(split + (flyway ? 2 : 1), name.length() - 4), name);
    }

    @Provide
    Arbitrary<List<Long>> versionLists() {
        Arbitrary<Long> v = Arbitraries.oneOf(Arbitraries.longs().between(0, 30), Arbitraries.longs().between(0,
                Long.MAX_VALUE), Arbitraries.of(0L, 1L << 49, (1L << 50) - 1, 1L << 50, 1L << 52, Long.MAX_VALUE));
        // Distinct versions from a narrow range, in listing order: what is put in place by version.
        Arbitrary<List<Long>> dense = Arbitraries.longs().between(0, 600).set().ofMaxSize(300)
                .flatMap(set -> Arbitraries.shuffle(new java.util.ArrayList<>(set)));
        Arbitrary<List<Long>> denseHigh = Arbitraries.longs().between(Long.MAX_VALUE - 400, Long.MAX_VALUE).set()
                .ofMaxSize(100).flatMap(set -> Arbitraries.shuffle(new java.util.ArrayList<>(set)));
        return Arbitraries.oneOf(v.list().ofMaxSize(300), dense, denseHigh);
    }

    /** The packed sort of single-part versions orders exactly as the comparator, keeping ties in order. */
    @Property(tries = 500)
    void thePackedSortAgreesWithTheComparator(@ForAll("versionLists") List<Long> versions) {
        Migration[] migrations = new Migration[versions.size()];
        for (int i = 0; i < migrations.length; i++) {
            migrations[i] = Migration.builder(versions.get(i) + "_m" + i).version(Version.of(versions.get(i)))
                    .sql("SELECT 1").build();
        }
        Migration[] expected = migrations.clone();
        java.util.Arrays.sort(expected, (a, b) -> a.versionOrNull().compareTo(b.versionOrNull()));
        Migration[] packed = migrations.clone();
        int sorted = MigrationFiles.sortBySingleLongVersion(packed);
        if (sorted != MigrationFiles.NOT_SORTED) {
            assertEquals(List.of(expected), List.of(packed));
            if (sorted == MigrationFiles.SORTED_DISTINCT) {
                assertEquals(versions.size(), versions.stream().distinct().count(), "said distinct: " + versions);
            }
        } else {
            assertTrue(versions.stream().anyMatch(v -> v >= 1L << 50), "refused only for versions too large to pack");
            assertTrue(versions.stream().distinct().count() < versions.size()
                            || versions.stream().mapToLong(Long::longValue).max().getAsLong()
                            - versions.stream().mapToLong(Long::longValue).min().getAsLong() >= 4L * versions.size(),
                    "versions distinct and dense are put in place whatever their size");
        }
    }

    @Example
    void commonShapesAreSplitWithoutThePatterns() {
        for (String name : List.of("V1__init.sql", "V1_2__x.sql", "V1___x.sql", "001_create.sql", "1.2_x_y.sql")) {
            assertTrue(MigrationFiles.simpleSplit(name) > 0, name);
        }
        for (String name : List.of("V1__.sql", "1_.sql", "1_a.up.sql", "1_a.down.sql", "V1__a.SQL", "Vx__a.sql",
                "1_a\nb.sql")) {
            assertEquals(-1, MigrationFiles.simpleSplit(name), name);
        }
    }
}
