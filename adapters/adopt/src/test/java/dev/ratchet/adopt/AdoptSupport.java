package dev.ratchet.adopt;

import dev.ratchet.AppliedMigration;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import dev.ratchet.tracker.identity.IdentityTracker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Code, trackers and database helpers shared by the adoption tests. */
final class AdoptSupport {
    private AdoptSupport() {
    }

    /** Ratchet's three trackers, each a new instance per call. */
    enum Target {
        APPLIED_SET(() -> AppliedSetTracker.builder().build()),
        COUNTER(() -> CounterTracker.builder().table("ratchet_counter_version").build()),
        IDENTITY(() -> IdentityTracker.builder().build());

        private final Supplier<Tracker> tracker;

        Target(Supplier<Tracker> tracker) {
            this.tracker = tracker;
        }

        Tracker tracker() {
            return tracker.get();
        }
    }

    /** Every database kind with every target tracker. */
    static Stream<org.junit.jupiter.params.provider.Arguments> kindsAndTargets() {
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        for (DatabaseKind kind : DatabaseKind.values()) {
            for (Target t : Target.values()) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(kind, t));
            }
        }
        return out.stream();
    }

    /** Writes {@code V<v>__t<v>.sql} creating table {@code t<v>}, for each version. */
    static void writeMigrations(Path dir, int... versions) throws Exception {
        for (int v : versions) {
            Files.writeString(dir.resolve("V" + v + "__t" + v + ".sql"), body(v));
        }
    }

    static String body(int v) {
        return "CREATE TABLE t" + v + " (id int);\n";
    }

    /** The code of {@code dir} as namespace {@code name}. */
    static Namespace code(String name, Path dir) {
        return Namespace.of(name, MigrationSource.directory(dir).load());
    }

    /** Ratchet's migrate with {@code tracker} over the code of {@code dir}; returns the names it applied. */
    static List<String> migrate(TestDatabase db, Tracker tracker, Namespace ns) {
        return Ratchet.builder().dataSource(db.dataSource()).tracker(tracker).namespace(ns).build().migrate()
                .applied().stream().map(AppliedMigration::name).toList();
    }

    static void exec(TestDatabase db, String... sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    static boolean tableExists(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.connect();
             ResultSet rs = c.getMetaData().getTables(null, db.kind() == DatabaseKind.POSTGRESQL ? db.schema() : null,
                     table, null)) {
            return rs.next();
        }
    }
}
