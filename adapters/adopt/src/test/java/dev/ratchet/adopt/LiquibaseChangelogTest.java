package dev.ratchet.adopt;

import dev.ratchet.CutoverResult;
import dev.ratchet.ErrorKind;
import dev.ratchet.Namespace;
import dev.ratchet.RatchetException;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ratchet.adopt.AdoptSupport.migrate;
import static dev.ratchet.adopt.AdoptSupport.tableExists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A formatted SQL changelog of several changesets, run by the real Liquibase, split and adopted. */
@Timeout(180)
class LiquibaseChangelogTest {

    /** Four changesets: ids without versions, a rollback, one outside a transaction, one with a body. */
    private static String changelog(DatabaseKind kind) {
        String body = kind == DatabaseKind.POSTGRESQL
                ? "CREATE FUNCTION person_count() RETURNS bigint AS $$\nBEGIN\n  RETURN (SELECT count(*) FROM person);\n"
                + "END;\n$$ LANGUAGE plpgsql;\n"
                : "CREATE TRIGGER person_named AFTER INSERT ON person BEGIN\n  UPDATE person SET name = 'x' WHERE"
                + " name IS NULL;\nEND;\n";
        String index = kind == DatabaseKind.POSTGRESQL ? "CREATE INDEX CONCURRENTLY person_name ON person (name);\n"
                : "CREATE INDEX person_name ON person (name);\n";
        return "--liquibase formatted sql\n\n"
                + "--changeset alice:create-person\n"
                + "CREATE TABLE person (id int PRIMARY KEY, name varchar(100));\n"
                + "--rollback DROP TABLE person;\n\n"
                + "--changeset bob:add-index runInTransaction:false\n" + index + "\n"
                + "--changeset alice:person-count splitStatements:false\n" + body + "\n"
                + "--changeset \"carol smith\":\"seed 1\"\n"
                + "INSERT INTO person (id, name) VALUES (1, 'Ada');\n";
    }

    @ParameterizedTest
    @MethodSource("dev.ratchet.adopt.AdoptSupport#kindsAndTargets")
    void aChangelogOfSeveralChangesetsIsSplitAdoptedAndMigratedOn(DatabaseKind kind, AdoptSupport.Target target,
                                                                  @TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Path file = LiquibaseAdoptionTest.liquibaseUpdate(db, dir, changelog(kind));
            LiquibaseChangelog split = LiquibaseChangelog.parse(file);
            assertEquals(Map.of("create-person::alice", "1_create_person", "add-index::bob", "2_add_index",
                    "person-count::alice", "3_person_count", "seed 1::carol smith", "4_seed_1"), split.names());
            assertEquals(1, split.warnings().size(), "splitStatements:false is warned of: " + split.warnings());
            Path code = dir.resolve("ratchet");
            List<Path> files = split.write(code);
            assertEquals(4, files.size());
            assertEquals(files, split.write(code), "writing again changes nothing");
            String index = Files.readString(code.resolve("2_add_index.sql"));
            assertTrue(index.startsWith("-- ratchet:no-transaction\n-- Liquibase changeset bob:add-index"), index);
            assertTrue(Files.readString(code.resolve("1_create_person.sql")).contains("--rollback DROP TABLE person;"));

            Adoption.Builder b = Adoption.builder().dataSource(db.dataSource()).from(ForeignTool.LIQUIBASE)
                    .to(target.tracker()).namespace(AdoptSupport.code("app", code));
            split.names().forEach(b::map);
            AdoptionResult r = b.build().run();
            assertEquals(CutoverResult.Status.MOVED, r.moves().moves().get(0).status());
            assertEquals(List.of("1_create_person", "2_add_index", "3_person_count", "4_seed_1"),
                    r.moves().moves().get(0).rows().stream().map(e -> e.name().orElseThrow()).toList());
            assertEquals(checksums(code), rowChecksums(r),
                    "Liquibase's MD5SUM of each changeset proves its file is what ran: the file's checksum is carried");
            assertEquals(List.of(), r.warnings());

            Files.writeString(code.resolve("5_next.sql"), "CREATE TABLE next_one (id int);\n");
            assertEquals(List.of("5_next"), migrate(db, target.tracker(), AdoptSupport.code("app", code)));
            assertTrue(tableExists(db, "next_one"));
        }
    }

    private static Map<String, java.util.Optional<String>> checksums(Path code) {
        Map<String, java.util.Optional<String>> out = new java.util.TreeMap<>();
        AdoptSupport.code("app", code).migrations().forEach(m -> out.put(m.name(), m.checksum()));
        return out;
    }

    private static Map<String, java.util.Optional<String>> rowChecksums(AdoptionResult r) {
        Map<String, java.util.Optional<String>> out = new java.util.TreeMap<>();
        r.moves().moves().get(0).rows().forEach(e -> out.put(e.name().orElseThrow(), e.checksum()));
        return out;
    }

    /**
     * Liquibase's MD5SUM (checksum version 9) checked against the split's files: the lines
     * Liquibase reads as its own (a comment, preconditions, rollbacks on one line or in a block,
     * ignored lines) are not part of it. A changeset edited after Liquibase ran it is adopted
     * without a checksum and named in a warning; an edit of whitespace alone passes, as in
     * Liquibase's own validation; an older Liquibase's checksum, or none, proves nothing either way.
     * (An author unquoted runs to the first colon, spaces and all, as Liquibase reads it.)
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(DatabaseKind.class)
    void liquibasesChecksumTellsAnEditedChangesetFromOneThatRanAsItIs(DatabaseKind kind, @TempDir Path dir)
            throws Exception {
        String ran = "--liquibase formatted sql\n\n"
                + "--changeset dev:people\n"
                + "--comment: the people\n"
                + "--preconditions onFail:HALT\n"
                + "--precondition-sql-check expectedResult:1 SELECT 1\n"
                + "CREATE TABLE people (id int, name varchar(50));\n"
                + "/* liquibase rollback\nDROP TABLE people;\n*/\n\n"
                + "--changeset dev:pets\n"
                + "CREATE TABLE pets (id int);\n"
                + "--rollback DROP TABLE pets;\n\n"
                + "--changeset carol smith:toys\n"
                + "--ignoreLines:1\n"
                + "SET ECHO ON\n"
                + "CREATE TABLE toys   (id int);\n";
        String edited = ran.replace("pets (id int)", "pets (id bigint)").replace("toys   (id", "toys\n  (id");
        try (TestDatabase db = TestDatabases.open(kind)) {
            LiquibaseAdoptionTest.liquibaseUpdate(db, dir, ran);
            Path file = Files.writeString(dir.resolve("edited.sql"), edited);
            LiquibaseChangelog split = LiquibaseChangelog.parse(file);
            Path code = dir.resolve("ratchet");
            split.write(code);
            assertTrue(Files.readString(code.resolve("3_toys.sql")).contains("\n-- SET ECHO ON\n"),
                    "a line Liquibase ignores is a comment for Ratchet too");
            java.util.function.Supplier<Adoption.Builder> adoption = () -> {
                Adoption.Builder b = Adoption.builder().dataSource(db.dataSource()).from(ForeignTool.LIQUIBASE)
                        .to(AdoptSupport.Target.APPLIED_SET.tracker()).namespace(AdoptSupport.code("app", code));
                split.names().forEach(b::map);
                return b;
            };
            Map<String, java.util.Optional<String>> files = checksums(code);

            AdoptionResult r = adoption.get().build().dryRun();
            Map<String, java.util.Optional<String>> expected = new java.util.TreeMap<>(files);
            expected.put("2_pets", java.util.Optional.empty());
            assertEquals(expected, rowChecksums(r), "only the edited changeset is adopted without its file's checksum");
            assertEquals(1, r.warnings().size(), r.warnings().toString());
            assertTrue(r.warnings().get(0).startsWith("app: 2_pets (") && r.warnings().get(0).contains(
                    "liquibase's checksum of 'pets::dev::changelog.sql' is not the file's"), r.warnings().get(0));

            AdoptSupport.exec(db, "UPDATE databasechangelog SET md5sum = NULL WHERE id = 'people'");
            AdoptSupport.exec(db, "UPDATE databasechangelog SET md5sum = '8:0123456789abcdef0123456789abcdef'"
                    + " WHERE id = 'pets'");
            AdoptionResult unknown = adoption.get().build().run();
            expected.put("1_people", java.util.Optional.empty());
            assertEquals(expected, rowChecksums(unknown));
            assertEquals(List.of(), unknown.warnings(), "no checksum, or an older kind, proves nothing either way");
        }
    }

    /** The split's migrations run on an empty database as Liquibase ran the changelog. */
    @ParameterizedTest
    @MethodSource("dev.ratchet.adopt.AdoptSupport#kindsAndTargets")
    void theSplitMigrationsBuildTheSameSchemaOnAnEmptyDatabase(DatabaseKind kind, AdoptSupport.Target target,
                                                              @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("changelog.sql"), changelog(kind));
        LiquibaseChangelog split = LiquibaseChangelog.parse(file);
        try (TestDatabase db = TestDatabases.open(kind)) {
            assertEquals(List.of("1_create_person", "2_add_index", "3_person_count", "4_seed_1"),
                    migrate(db, target.tracker(), Namespace.of("app", split.migrations())));
            assertTrue(tableExists(db, "person"));
        }
    }

    @Test
    void whatRatchetWouldRunDifferentlyIsRefusedLeftOutOrWarnedOf(@TempDir Path dir) throws Exception {
        Path filtered = Files.writeString(dir.resolve("filtered.sql"), "--liquibase formatted sql\n"
                + "--changeset a:1 context:test\nSELECT 1;\n--changeset a:2 labels:x dbms:oracle\nSELECT 2;\n"
                + "--changeset a:3 endDelimiter:GO\nSELECT 3\nGO\n");
        RatchetException e = assertThrows(RatchetException.class, () -> LiquibaseChangelog.parse(filtered));
        assertEquals(ErrorKind.CHANGELOG_UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("context:test") && e.getMessage().contains("labels:x")
                && e.getMessage().contains("dbms:oracle") && e.getMessage().contains("endDelimiter:GO"), e.getMessage());

        Path repeatable = Files.writeString(dir.resolve("repeatable.sql"), "--liquibase formatted sql\n"
                + "--changeset a:1\nCREATE TABLE x (id int);\n--changeset a:view runOnChange:true\nSELECT 1;\n"
                + "--changeset a:old ignore:true\nSELECT 2;\n--changeset a:2 failOnError:false\n"
                + "--preconditions onFail:MARK_RAN\n--precondition-sql-check expectedResult:0 SELECT 1\nSELECT 3;\n");
        LiquibaseChangelog split = LiquibaseChangelog.parse(repeatable);
        assertEquals(List.of("1_changeset_1", "2_changeset_2"), split.migrations().stream().map(m -> m.name()).toList());
        assertEquals(2, split.leftOut().size(), split.leftOut().toString());
        assertTrue(split.leftOut().values().stream().anyMatch(r -> r.startsWith("runOnChange")), split.leftOut().toString());
        assertEquals(2, split.warnings().size(), "failOnError and the preconditions: " + split.warnings());

        Path notFormatted = Files.writeString(dir.resolve("plain.sql"), "CREATE TABLE x (id int);\n");
        assertEquals(ErrorKind.SOURCE_UNREADABLE,
                assertThrows(RatchetException.class, () -> LiquibaseChangelog.parse(notFormatted)).kind());
        Path twice = Files.writeString(dir.resolve("twice.sql"), "--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n"
                + "--changeset a:1\nSELECT 2;\n");
        RatchetException repeated = assertThrows(RatchetException.class, () -> LiquibaseChangelog.parse(twice));
        assertEquals(ErrorKind.DUPLICATE_NAME, repeated.kind());
        assertTrue(repeated.getMessage().contains("lines 2 and 4"), repeated.getMessage());
    }

    @Test
    void writingIntoADirectoryWithOtherFilesWritesNothing(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("changelog.sql"), "--liquibase formatted sql\n--changeset a:x\n"
                + "CREATE TABLE x (id int);\n--changeset a:y\nCREATE TABLE y (id int);\n");
        LiquibaseChangelog split = LiquibaseChangelog.parse(file);
        Path code = Files.createDirectories(dir.resolve("code"));
        Files.writeString(code.resolve("1_init.sql"), "CREATE TABLE init (id int);\n");
        RatchetException other = assertThrows(RatchetException.class, () -> split.write(code));
        assertTrue(other.getMessage().contains("1_init.sql"), other.getMessage());
        assertFalse(Files.exists(code.resolve("1_x.sql")));
        Files.delete(code.resolve("1_init.sql"));
        Files.writeString(code.resolve("2_y.sql"), "edited\n");
        RatchetException edited = assertThrows(RatchetException.class, () -> split.write(code));
        assertTrue(edited.getMessage().contains("2_y.sql") && edited.getMessage().contains("nothing was written"),
                edited.getMessage());
        assertFalse(Files.exists(code.resolve("1_x.sql")), "nothing was written");
    }
}
