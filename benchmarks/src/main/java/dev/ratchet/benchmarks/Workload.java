package dev.ratchet.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * N trivial migrations on disk, the same for every tool: {@code CREATE TABLE t_i (id int primary
 * key); INSERT INTO t_i VALUES (1);} as {@code V<i>__t<i>.sql} files (Ratchet, Flyway, the
 * floor) and as one Liquibase formatted-SQL changelog with N changesets.
 */
final class Workload implements AutoCloseable {
    final int n;
    final Path directory;

    private Workload(int n, Path directory) {
        this.n = n;
        this.directory = directory;
    }

    static String body(int i) {
        return "CREATE TABLE t_" + i + " (id int primary key);\nINSERT INTO t_" + i + " VALUES (1);\n";
    }

    static Workload create(int n) {
        try {
            Path dir = Files.createTempDirectory("ratchet-workload-");
            Path sql = Files.createDirectories(dir.resolve("sql"));
            StringBuilder changelog = new StringBuilder("--liquibase formatted sql\n\n");
            for (int i = 1; i <= n; i++) {
                Files.writeString(sql.resolve("V" + i + "__t" + i + ".sql"), body(i));
                changelog.append("--changeset bench:").append(i).append('\n').append(body(i)).append('\n');
            }
            Files.createDirectories(dir.resolve("liquibase"));
            Files.writeString(dir.resolve("liquibase").resolve("changelog.sql"), changelog);
            return new Workload(n, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path sqlDirectory() {
        return directory.resolve("sql");
    }

    Path liquibaseDirectory() {
        return directory.resolve("liquibase");
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
