package dev.ratchet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Migrations packaged in a Spring Boot executable jar, the way most Spring applications ship:
 * in the application's own classes ({@code BOOT-INF/classes}) and in a library jar nested in it
 * ({@code BOOT-INF/lib}), which Spring Boot's loader serves through URLs of its own
 * ({@code jar:nested:...}). The jar is built here from the real loader, Ratchet's classes and
 * slf4j, and run with {@code java -jar} in a JVM of its own, as an application would be.
 */
class SpringBootJarTest {
    @TempDir
    Path dir;

    @Test
    void migrationsLoadFromASpringBootJarsClassesAndFromALibraryJarNestedInIt() throws Exception {
        Path app = dir.resolve("app");
        Files.createDirectories(app.resolve("db/app"));
        Files.writeString(app.resolve("db/app/V1__create_a.sql"), "CREATE TABLE a (id int);\n");
        Files.writeString(app.resolve("db/app/V2__add_b.sql"), "ALTER TABLE a ADD COLUMN b text;\n");
        Path lib = dir.resolve("lib");
        Files.createDirectories(lib.resolve("db/lib"));
        Files.writeString(lib.resolve("db/lib/1_audit.up.sql"), "CREATE TABLE audit (id int);\n");
        Files.writeString(lib.resolve("db/lib/1_audit.down.sql"), "DROP TABLE audit;\n");
        Files.writeString(lib.resolve("db/lib/2_audit_at.up.sql"), "ALTER TABLE audit ADD COLUMN at text;\n");
        ChecksumManifest.write(lib.resolve("db/lib")); // the library's boots read no file they do not apply

        Path jar = dir.resolve("application.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.launch.JarLauncher");
        manifest.getMainAttributes().putValue("Start-Class", SpringBootJarProbe.class.getName());
        manifest.getMainAttributes().putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
        manifest.getMainAttributes().putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            try (JarFile loader = new JarFile(codeSource(org.springframework.boot.loader.launch.JarLauncher.class).toFile())) {
                for (var e : java.util.Collections.list(loader.entries())) {
                    if (e.getName().startsWith("org/")) {
                        try (InputStream in = loader.getInputStream(e)) {
                            out.putNextEntry(new ZipEntry(e.getName()));
                            in.transferTo(out);
                        }
                    }
                }
            }
            directories(out, "BOOT-INF/classes/dev/ratchet/");
            String probe = SpringBootJarProbe.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new ZipEntry("BOOT-INF/classes/" + probe));
            Files.copy(codeSource(SpringBootJarProbe.class).resolve(probe), out);
            tree(out, app, "BOOT-INF/classes/");
            directories(out, "BOOT-INF/lib/");
            // Spring Boot needs a nested jar stored, not compressed
            stored(out, "BOOT-INF/lib/ratchet-api.jar", jarOf(codeSource(Migration.class)));
            stored(out, "BOOT-INF/lib/slf4j-api.jar", Files.readAllBytes(codeSource(org.slf4j.Logger.class)));
            stored(out, "BOOT-INF/lib/audit-migrations.jar", jarOf(lib));
        }

        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "db/app", "db/lib").redirectErrorStream(true).start();
        String output;
        try (InputStream in = run.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, run.exitValue(), output);

        List<String> expected = new ArrayList<>();
        for (String location : List.of("db/app", "db/lib")) {
            Path source = (location.equals("db/app") ? app : lib).resolve(location);
            for (int round = 0; round < 2; round++) {
                for (Migration m : MigrationSource.directory(source).load()) {
                    expected.add(location + " " + m.name() + " " + m.checksum().orElseThrow() + " "
                            + m.script().orElseThrow().length());
                }
            }
        }
        assertEquals(8, expected.size());
        assertEquals(expected, output.lines().toList(), "the same migrations, checksums and texts as from the files");
    }

    private static Path codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** A jar of a directory's files, with the directory entries a classpath lookup finds a location by. */
    private static byte[] jarOf(Path root) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes)) {
            tree(out, root, "");
        }
        return bytes.toByteArray();
    }

    private static void tree(JarOutputStream out, Path root, String prefix) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(p -> !p.equals(root)).sorted().toList();
        }
        if (!prefix.isEmpty()) {
            directories(out, prefix);
        }
        for (Path p : paths) {
            String name = prefix + root.relativize(p).toString().replace('\\', '/');
            if (Files.isDirectory(p)) {
                out.putNextEntry(new ZipEntry(name + "/"));
            } else {
                out.putNextEntry(new ZipEntry(name));
                Files.copy(p, out);
            }
        }
    }

    /** The directory entries of {@code path} ("a/b/") and of each parent not written yet. */
    private static void directories(JarOutputStream out, String path) throws IOException {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            try {
                out.putNextEntry(new ZipEntry(path.substring(0, slash + 1)));
            } catch (java.util.zip.ZipException duplicate) {
                // written for an earlier path
            }
        }
    }

    private static void stored(JarOutputStream out, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        e.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        out.putNextEntry(e);
        out.write(content);
    }
}
