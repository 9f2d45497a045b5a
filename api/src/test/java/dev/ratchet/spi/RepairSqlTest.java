package dev.ratchet.spi;

import dev.ratchet.ErrorKind;
import dev.ratchet.RatchetException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RepairSqlTest {
    private static Map<String, String> key(String namespace, String version) {
        Map<String, String> key = new LinkedHashMap<>();
        key.put("namespace", namespace);
        key.put("version", version);
        return key;
    }

    @Test
    void anUpdateOfOneRowByItsKey() {
        assertEquals("UPDATE \"app\".\"ratchet_applied_migrations\" SET \"checksum\" = 'ab12' WHERE \"namespace\" ="
                        + " 'default' AND \"version\" = '2';",
                RepairSql.update(Optional.of("app"), "ratchet_applied_migrations", "checksum", "ab12", key("default", "2")));
        assertEquals("UPDATE \"t\" SET \"name\" = '2_x' WHERE \"namespace\" = 'n' AND \"version\" = '2';",
                RepairSql.update(Optional.empty(), "t", "name", "2_x", key("n", "2")), "no schema: where the session looks");
    }

    @Test
    void valuesAreLiteralsWhatEverTheyHold() {
        assertEquals("UPDATE \"t\" SET \"name\" = '2_o''brien''s; DROP TABLE t; --' WHERE \"namespace\" = 'n' AND"
                        + " \"version\" = '2';",
                RepairSql.update(Optional.empty(), "t", "name", "2_o'brien's; DROP TABLE t; --", key("n", "2")));
    }

    @Test
    void anIdentifierThatIsNotOneIsRefused() {
        RatchetException e = assertThrows(RatchetException.class,
                () -> RepairSql.update(Optional.empty(), "t\"; DROP TABLE t; --", "name", "x", key("n", "2")));
        assertEquals(ErrorKind.INVALID_IDENTIFIER, e.kind());
    }
}
