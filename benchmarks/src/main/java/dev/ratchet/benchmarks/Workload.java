package dev.ratchet.benchmarks;

import dev.ratchet.ChecksumManifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
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

    /**
     * The same files in a jar under {@code db/migrations}, with the checksum manifest a build
     * writes ({@link ChecksumManifest}): what an application that ships its migrations in its jar
     * boots from. Built on first use.
     */
    synchronized Path jar() {
        Path jar = directory.resolve("migrations.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        try {
            Path classes = Files.createDirectories(directory.resolve("classes/db/migrations"));
            try (Stream<Path> files = Files.list(sqlDirectory())) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, classes.resolve(f.getFileName()));
                }
            }
            ChecksumManifest.write(classes);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                 Stream<Path> files = Files.list(classes)) {
                out.putNextEntry(new JarEntry("db/"));
                out.closeEntry();
                out.putNextEntry(new JarEntry("db/migrations/"));
                out.closeEntry();
                for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                    out.putNextEntry(new JarEntry("db/migrations/" + f.getFileName()));
                    out.write(Files.readAllBytes(f));
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
