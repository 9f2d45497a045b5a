package dev.ratchet.chaos;

import dev.ratchet.ErrorKind;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.NamespaceStatus;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Generated hostile names (quotes, semicolons, comment markers, unicode, control characters,
 * 63- and 64-byte names, keywords, mixed case) as namespace, tracker table, target schema and
 * migration names: each is refused with {@code INVALID_IDENTIFIER} before any SQL, or accepted,
 * used, and read back verbatim, and the catalogue never gains an object it should not.
 * {@code ratchet.chaos.identifiers} names per database (the full harness: 10,000).
 */
@Timeout(3600)
class IdentifierFuzzTest {
    private static final String[] PIECES = {"a", "Z", "_", "9", "0", ".", "-", "\"", "'", "`", ";", " ", "--", "/*", "*/",
        "\\", "\u0000", "\n", "é", "ß", "本", "😀", "\u202e", "\u200b", "$", "%", "DROP TABLE x", "select", "user", "TABLE"};

    enum Role { NAMESPACE, TABLE, TARGET_SCHEMA, MIGRATION }

    static String generate(Random r, int i) {
        return switch (i % 8) {
            case 0 -> "a".repeat(62) + (r.nextBoolean() ? "b" : "bc");          // 63 and 64 bytes
            case 1 -> "t".repeat(61) + "é";                                     // 63 bytes in 62 characters
            case 2 -> {                                                         // within the allowed pattern
                String first = "abcXYZ_";
                String rest = "abcdefXYZ019_";
                StringBuilder sb = new StringBuilder().append(first.charAt(r.nextInt(first.length())));
                for (int k = r.nextInt(20); k > 0; k--) {
                    sb.append(rest.charAt(r.nextInt(rest.length())));
                }
                yield sb.toString();
            }
            default -> {
                StringBuilder sb = new StringBuilder();
                for (int k = r.nextInt(8); k >= 0; k--) {
                    sb.append(PIECES[r.nextInt(PIECES.length)]);
                }
                yield sb.toString();
            }
        };
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void hostileNamesAreRefusedOrStoredVerbatimAndTheCatalogueGainsNothingElse(DatabaseKind kind) throws Exception {
        int count = Integer.getInteger("ratchet.chaos.identifiers", 400);
        long seed = Long.getLong("ratchet.chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        try (TestDatabase db = TestDatabases.open(kind)) {
            Set<String> allowed = new HashSet<>(catalogue(db));
            for (int i = 0; i < count; i++) {
                String name = generate(random, i);
                Role role = Role.values()[(i / 8) % Role.values().length];
                if (role == Role.TARGET_SCHEMA && kind == DatabaseKind.SQLITE) {
                    role = Role.TABLE; // SQLite has no schemas to create
                }
                String where = role + " " + printable(name) + " (seed " + seed + "): ";
                try {
                    if (run(db, role, name, allowed, "n" + i)) {
                        accepted++;
                    }
                } catch (RatchetException e) {
                    if (e.kind() != ErrorKind.INVALID_IDENTIFIER) {
                        failures.add(where + e.kind() + ": " + e.getMessage());
                    }
                } catch (IllegalArgumentException e) {
                    if (!(role == Role.MIGRATION && name.isBlank())) {
                        failures.add(where + "IllegalArgumentException: " + e.getMessage());
                    }
                } catch (AssertionError e) {
                    failures.add(where + e.getMessage());
                }
                Set<String> now = catalogue(db);
                now.removeAll(allowed);
                if (!now.isEmpty()) {
                    failures.add(where + "unexpected objects " + now);
                    allowed.addAll(now);
                }
            }
        }
        Chaos.record("hostile identifiers (" + accepted + " accepted, the rest refused)", kind.name().toLowerCase(),
                "names, seed " + seed, count, failures.size());
        assertEquals(List.of(), failures);
    }

    /**
     * Uses {@code name} in its role (with namespace {@code fresh} where the role is not the
     * namespace); true when it was accepted (and then checked verbatim).
     */
    private static boolean run(TestDatabase db, Role role, String name, Set<String> allowed, String fresh)
            throws Exception {
        Migration body = Migration.builder("1_probe").version(Version.of(1)).sql("SELECT 1").build();
        Ratchet.Builder b = Ratchet.builder().dataSource(db.dataSource()).ignoreOtherTrackers();
        switch (role) {
            case NAMESPACE -> {
                b.tracker(AppliedSetTracker.builder().build()).namespace(Namespace.of(name, List.of(body)));
                allowTracker(db, allowed, "ratchet_applied_migrations");
                b.build().migrate();
                NamespaceStatus s = b.build().status().get(0);
                check(s.namespace().equals(name) && s.applied().size() == 1, "not read back verbatim: " + s.namespace());
            }
            case TABLE -> {
                b.tracker(AppliedSetTracker.builder().table(name).build()).namespace(Namespace.of("app", List.of(body)));
                allowTracker(db, allowed, name);
                b.build().migrate();
                check(catalogue(db).contains(name), "table not created verbatim");
            }
            case TARGET_SCHEMA -> {
                Migration create = Migration.builder("1_create").version(Version.of(1))
                        .sql("CREATE TABLE fuzz_target (id int)").build();
                b.tracker(AppliedSetTracker.builder().table("fuzz_schema_tracker").build())
                        .namespace(Namespace.of(fresh, List.of(create))
                                .withSchema(name));
                allowTracker(db, allowed, "fuzz_schema_tracker");
                b.build().migrate();
                try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace"
                                + " WHERE n.nspname = ? AND t.relname = 'fuzz_target'")) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        check(rs.getInt(1) == 1, "schema not created verbatim");
                    }
                    c.createStatement().execute("DROP SCHEMA \"" + name.replace("\"", "\"\"") + "\" CASCADE");
                }
            }
            case MIGRATION -> {
                Migration m = Migration.builder(name).version(Version.of(1)).sql("SELECT 1").build();
                String table = "fuzz_names";
                b.tracker(AppliedSetTracker.builder().table(table).build())
                        .namespace(Namespace.of(fresh, List.of(m)));
                allowTracker(db, allowed, table);
                b.build().migrate();
                List<String> names = b.build().status().get(0).applied().stream()
                        .map(e -> e.name().orElse("?")).toList();
                check(names.equals(List.of(name)), "read back as " + names);
            }
        }
        return true;
    }

    private static void allowTracker(TestDatabase db, Set<String> allowed, String table) {
        allowed.add(table);
        allowed.add(table + "_lock");
        allowed.add(truncate(table + "_pkey"));
        allowed.add(truncate(table + "_lock_pkey"));
        allowed.add("sqlite_autoindex_" + table + "_1");
        allowed.add("sqlite_autoindex_" + table + "_lock_1");
    }

    /** PostgreSQL's truncation of a generated name to 63 bytes. */
    private static String truncate(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= 63 ? s : new String(b, 0, 63, StandardCharsets.UTF_8).replace("\uFFFD", "");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    /** Every object name in the test schema (PostgreSQL) or file (SQLite), and every schema. */
    static Set<String> catalogue(TestDatabase db) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = db.connect()) {
            String sql = db.kind() == DatabaseKind.POSTGRESQL
                    ? "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?"
                    + " UNION ALL SELECT 'schema:' || nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
                    + " AND nspname NOT LIKE 'rt\\_%' AND nspname NOT IN ('public', 'information_schema')"
                    : "SELECT name FROM sqlite_master WHERE ? IS NOT NULL";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, db.schema());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder("'");
        s.codePoints().forEach(cp -> sb.append(cp < 0x20 || cp == 0x202e || cp == 0x200b
                ? String.format("\\u%04x", cp) : new String(Character.toChars(cp))));
        return sb.append("'").toString();
    }
}
