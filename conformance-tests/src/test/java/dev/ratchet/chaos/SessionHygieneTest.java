package dev.ratchet.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Pooled connections come back from a run as they went in: search_path, role, auto-commit and
 * isolation, after runs whose migrations change all of them (SET ROLE, SET search_path, SET
 * SESSION CHARACTERISTICS), whether the run succeeds or fails, with a pool of 1 and of 4.
 */
@Timeout(300)
class SessionHygieneTest {

    private static String settings(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('search_path'),"
                + " current_user, current_setting('role'), current_setting('default_transaction_isolation')")) {
            rs.next();
            return "search_path=" + rs.getString(1) + " user=" + rs.getString(2) + " role=" + rs.getString(3)
                    + " isolation=" + rs.getString(4) + " jdbcIsolation=" + c.getTransactionIsolation()
                    + " autoCommit=" + c.getAutoCommit();
        }
    }

    /** The settings of every connection of the pool, borrowed all at once. */
    private static List<String> all(HikariDataSource pool, int size) throws Exception {
        List<Connection> held = new ArrayList<>();
        List<String> out = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                Connection c = pool.getConnection();
                held.add(c);
                out.add(settings(c));
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        out.sort(null);
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void pooledConnectionsComeBackAsTheyWent(int size) throws Exception {
        String role = "rt_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (TestDatabase db = TestDatabases.open(DatabaseKind.POSTGRESQL)) {
            Chaos.exec(db, "CREATE ROLE " + role + " SUPERUSER"); // the tracker writes after SET ROLE still work
            HikariConfig config = new HikariConfig();
            config.setDataSource(db.dataSource());
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(size);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                List<String> before = all(pool, size);
                List<Migration> changing = new ArrayList<>(List.of(
                        Migration.builder("1_role").version(Version.of(1)).sql("SET ROLE " + role).build(),
                        Migration.builder("2_path").version(Version.of(2)).sql("SET search_path TO pg_catalog").build(),
                        Migration.builder("3_isolation").version(Version.of(3))
                                .sql("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE").build()));
                for (int run = 0; run < 3; run++) {
                    Ratchet.builder().dataSource(pool).tracker(AppliedSetTracker.builder().build())
                            .namespace(Namespace.of("app" + run, changing)).build().migrate();
                    assertEquals(before, all(pool, size), "after a successful run that changed settings");
                }
                List<Migration> failing = new ArrayList<>(changing);
                failing.add(Migration.builder("4_fails").version(Version.of(4)).sql("SELECT * FROM missing").build());
                assertThrows(RatchetException.class, () -> Ratchet.builder().dataSource(pool)
                        .tracker(AppliedSetTracker.builder().build()).namespace(Namespace.of("failing", failing))
                        .build().migrate());
                assertEquals(before, all(pool, size), "after a failed run");
                Chaos.record("session hygiene (search_path, role, isolation, auto-commit)", "postgresql",
                        "runs, pool of " + size, 4, 0);
            } finally {
                Chaos.exec(db, "DROP OWNED BY " + role, "DROP ROLE " + role);
            }
        }
    }
}
