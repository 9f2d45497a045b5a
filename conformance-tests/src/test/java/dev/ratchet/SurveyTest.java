package dev.ratchet;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.ratchet.Fixtures.create;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a survey reads, asked about no namespace: every namespace each tracker table holds. */
@Timeout(120)
class SurveyTest {

    private static void migrate(TestDatabase db, String tracker, String namespace, Migration m) {
        Ratchet.builder().dataSource(db.dataSource()).tracker(Trackers.byName(tracker)).ignoreOtherTrackers()
                .namespace(Namespace.of(namespace, List.of(m))).build().migrate();
    }

    /** Per surveyed table ({@code tracker table}): each namespace's entry count, or its counter's version. */
    private static Map<String, Map<String, String>> read(List<Survey.Finding> findings) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Survey.Finding f : findings) {
            Map<String, String> histories = new TreeMap<>();
            f.histories().forEach((ns, h) -> histories.put(ns, h.facts().containsKey("version")
                    ? "version " + h.facts().get("version") : h.entries().size() + " entries"));
            if (f.state() == Survey.State.PRESENT) {
                out.put(f.tracker() + " " + f.table().substring(f.table().indexOf('.') + 1), histories);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void askedAboutNoNamespaceItReadsEveryNamespaceEachTableHolds(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            migrate(db, "applied-set", "a", create(1));
            migrate(db, "applied-set", "b", create(2));
            migrate(db, "counter:per-namespace", "c", create(3));
            migrate(db, "identity", "d", create(4));
            migrate(db, "counter", "e", create(5));

            Map<String, Map<String, String>> everything = read(Survey.run(ConnectionSource.of(db.dataSource()), List.of()));

            assertEquals(Map.of(
                    "applied-set ratchet_applied_migrations", Map.of("a", "1 entries", "b", "1 entries"),
                    "counter ratchet_counter", Map.of("c", "version 3"),
                    "identity schema_version", Map.of("d", "1 entries"),
                    // golang-migrate's single row names no namespace: listed as the one a directory gets
                    "counter schema_migrations", Map.of("default", "version 5")), everything);

            for (Survey.Finding f : Survey.run(ConnectionSource.of(db.dataSource()), List.of())) {
                dev.ratchet.spi.Tracker named = Trackers.byName(f.name()); // the name a hint or the CLI gives
                assertEquals(f.tracker() + f.table(), named.id() + named.schema().orElseThrow() + "." + named.table(),
                        f.name());
                for (Map.Entry<String, History> h : f.histories().entrySet()) {
                    NamespaceStatus status = Ratchet.builder().dataSource(db.dataSource()).tracker(named)
                            .ignoreOtherTrackers().namespace(Namespace.of(h.getKey(), List.of())).build().status().get(0);
                    assertEquals(h.getValue().facts(), status.facts(), f.name() + " reads the same table the same way");
                    assertEquals(h.getValue().entries().size(), status.applied().size(), f.name());
                }
            }

            Map<String, Map<String, String>> asked = read(Survey.run(ConnectionSource.of(db.dataSource()),
                    List.of(Namespace.of("b", List.of()))));
            assertEquals(Set.of("b"), asked.get("applied-set ratchet_applied_migrations").keySet(),
                    "a namespace asked about is the only one read");
        }
    }

    /**
     * Tracker tables of other names (trackers configured with a table name) are listed after each
     * layout's own table; an application's table of a counter's shape, whose rows name no
     * migration, is not.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void trackerTablesOfOtherNamesAreListedWhenTheirRowsNameMigrations(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Fixtures.createEffectsTable(db);
            migrate(db, "applied-set@billing_history", "billing", create(1));
            migrate(db, "identity@mail_history", "mail", create(2));
            migrate(db, "counter:per-namespace@search_counter", "search", create(3));
            Fixtures.exec(db, "CREATE TABLE audit (namespace varchar(20), version int, at varchar(20))");
            Fixtures.exec(db, "INSERT INTO audit VALUES ('billing', 3, 'x')");

            Map<String, Map<String, String>> everything = read(Survey.run(ConnectionSource.of(db.dataSource()), List.of()));

            assertEquals(Map.of(
                    "applied-set billing_history", Map.of("billing", "1 entries"),
                    "identity mail_history", Map.of("mail", "1 entries")), everything);
            List<String> names = Survey.run(ConnectionSource.of(db.dataSource()), List.of()).stream()
                    .map(Survey.Finding::name).toList();
            assertEquals(List.of("applied-set@" + db.schema() + ".billing_history",
                    "identity@" + db.schema() + ".mail_history"), names.subList(names.size() - 2, names.size()),
                    "after the layouts' own tables: " + names);
        }
    }
}
