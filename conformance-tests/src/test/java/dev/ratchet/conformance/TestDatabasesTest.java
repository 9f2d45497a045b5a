package dev.ratchet.conformance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a PostgreSQL server the tests fail, saying how to provide one; they never skip. */
class TestDatabasesTest {

    @Test
    void noUrlAndNoDockerFailsWithInstructions() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestDatabases.resolvePostgres(null, () -> false));
        assertEquals(TestDatabases.HOW_TO_PROVIDE_POSTGRES, e.getMessage());
        assertTrue(e.getMessage().contains(TestDatabases.POSTGRES_URL_VARIABLE));
        assertTrue(e.getMessage().contains("scripts/test.sh"));
    }

    @Test
    void anUnreachableUrlFailsNamingTheVariableWithoutItsPassword() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestDatabases.resolvePostgres(
                "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2&password=hunter2", () -> false));
        assertTrue(e.getMessage().startsWith(TestDatabases.POSTGRES_URL_VARIABLE + " is set"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aReachableUrlIsUsed() {
        String url = TestDatabases.postgresServerUrl();
        assertEquals(url, TestDatabases.resolvePostgres(url, () -> false));
    }
}
