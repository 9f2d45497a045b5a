package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.spi.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tracker named in configuration ({@link Trackers#byName}) gets its checksum verification
 * through {@link Trackers#withChecksumVerification}: the same table, another verification.
 */
@Timeout(60)
class ChecksumVerificationByNameTest {

    private static Migration v1(String text) {
        return Migration.builder("1_t").version(Version.of(1)).sql(text).build();
    }

    private static Ratchet ratchet(TestDatabase db, Tracker tracker, String text) {
        return Fixtures.builder(db, tracker, List.of(v1(text))).build();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void eachModeActsOnTheNamedTable(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            for (String name : List.of("applied-set@named_set", "identity@named_identity")) {
                Tracker named = Trackers.byName(name);
                ratchet(db, named, "CREATE TABLE " + named.table() + "_t (id int);").migrate();
                String edited = "CREATE TABLE " + named.table() + "_t (id int); -- edited";

                Tracker failing = Trackers.withChecksumVerification(named, ChecksumVerification.FAIL);
                assertEquals(named.table(), failing.table(), "the same table");
                RatchetException drift = assertThrows(RatchetException.class,
                        () -> ratchet(db, failing, edited).migrate());
                assertEquals(ErrorKind.CHECKSUM_DRIFT, drift.kind(), name);

                MigrateResult warned = ratchet(db, Trackers.withChecksumVerification(named, ChecksumVerification.WARN),
                        edited).migrate();
                assertEquals(1, warned.warnings().size(), name + ": " + warned.warnings());
                assertTrue(warned.warnings().get(0).contains("1_t"), warned.warnings().get(0));

                MigrateResult off = ratchet(db, Trackers.withChecksumVerification(named, ChecksumVerification.OFF),
                        edited).migrate();
                assertEquals(List.of(), off.warnings(), name + ": nothing compared");
                assertTrue(off.applied().isEmpty(), name + ": nothing ran again");
            }
        }
    }

    @Test
    void aCounterHasNoChecksumVerificationToSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trackers.withChecksumVerification(Trackers.byName("counter"), ChecksumVerification.OFF));
        assertTrue(e.getMessage().startsWith("the counter tracker keeps no checksums"), e.getMessage());
    }
}
