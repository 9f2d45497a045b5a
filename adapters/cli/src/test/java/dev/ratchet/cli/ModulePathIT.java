package dev.ratchet.cli;

import dev.ratchet.Ratchet;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import dev.ratchet.tracker.identity.IdentityTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jars as modules: each has its stable module name; an application module that requires only
 * {@code dev.ratchet.api} runs migrations from its own resources on the module path, with a
 * tracker found by name through the tracker modules' services, and the API's SLF4J and the JDBC
 * driver resolved without the application naming them.
 */
class ModulePathIT {
    @TempDir
    Path work;

    /** The jar a class was loaded from (an integration test runs after every module's package). */
    private static Path jarOf(Class<?> type) {
        try {
            Path p = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertTrue(Files.isRegularFile(p) && p.toString().endsWith(".jar"),
                    type.getName() + " was loaded from " + p + ", not a jar: run mvn verify, which packages first");
            return p;
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static ModuleDescriptor descriptor(Path jar) {
        Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
        assertEquals(1, found.size(), jar + " as a module");
        return found.iterator().next().descriptor();
    }

    @Test
    void everyJarHasItsStableModuleName() throws Exception {
        Map<Class<?>, String> explicit = Map.of(
                Ratchet.class, "dev.ratchet.api",
                AppliedSetTracker.class, "dev.ratchet.tracker.appliedset",
                CounterTracker.class, "dev.ratchet.tracker.counter",
                IdentityTracker.class, "dev.ratchet.tracker.identity");
        for (Map.Entry<Class<?>, String> e : explicit.entrySet()) {
            ModuleDescriptor d = descriptor(jarOf(e.getKey()));
            assertEquals(e.getValue(), d.name());
            assertFalse(d.isAutomatic(), d.name() + " declares what it requires and exports");
            assertTrue(d.exports().stream().anyMatch(x -> x.source().equals(e.getKey().getPackageName()) && !x.isQualified()),
                    d.name() + " exports " + e.getKey().getPackageName());
        }
        assertTrue(descriptor(jarOf(Ratchet.class)).requires().stream().anyMatch(r -> r.name().equals("org.slf4j")),
                "the API names SLF4J, so an application module need not");
        for (String tracker : List.of("dev.ratchet.tracker.appliedset", "dev.ratchet.tracker.counter", "dev.ratchet.tracker.identity")) {
            ModuleDescriptor d = descriptor(jarOf(explicit.entrySet().stream()
                    .filter(e -> e.getValue().equals(tracker)).findFirst().orElseThrow().getKey()));
            assertTrue(d.provides().stream().anyMatch(p -> p.service().equals("dev.ratchet.spi.TrackerProvider")),
                    tracker + " provides its TrackerProvider");
        }

        Map<Class<?>, String> automatic = Map.of(
                dev.ratchet.adopt.Adoption.class, "dev.ratchet.adopt",
                dev.ratchet.conformance.TrackerContract.class, "dev.ratchet.conformance");
        for (Map.Entry<Class<?>, String> e : automatic.entrySet()) {
            assertEquals(e.getValue(), descriptor(jarOf(e.getKey())).name(), "the Automatic-Module-Name of " + jarOf(e.getKey()));
        }
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            Path cli = files.filter(p -> p.getFileName().toString().matches("ratchet-cli-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("the CLI's jar is missing: run mvn verify"));
            assertEquals("dev.ratchet.cli", descriptor(cli).name());
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anApplicationModuleMigratesFromItsOwnResources(DatabaseKind kind) throws Exception {
        Path app = applicationJar();
        List<Path> modulePath = new ArrayList<>(List.of(app, jarOf(Ratchet.class), jarOf(AppliedSetTracker.class),
                jarOf(CounterTracker.class), jarOf(IdentityTracker.class), jarOf(org.slf4j.LoggerFactory.class),
                jarOf(org.slf4j.simple.SimpleLogger.class), jarOf(org.sqlite.JDBC.class), jarOf(org.postgresql.Driver.class)));
        try (TestDatabase db = TestDatabases.open(kind)) {
            Run first = run(modulePath, db.url(), "identity");
            assertEquals(0, first.code(), first.err());
            assertEquals(List.of("applied 1_create_books", "applied 2_add_title", "module dev.ratchet.api",
                    "tracker module dev.ratchet.tracker.identity"), first.out().lines().toList(), first.err());
            try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM books")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "the second migration's row");
            }
            Run again = run(modulePath, db.url(), "identity");
            assertEquals(0, again.code(), again.err());
            assertFalse(again.out().lines().anyMatch(l -> l.startsWith("applied ")), "up to date: " + again.out());
        }
    }

    /**
     * The same application linked by jlink into a run-time image, which keeps no directory entries:
     * its migrations are read from its module. On SQLite: jlink links explicit modules only, and
     * PostgreSQL's driver is an automatic one.
     */
    @Test
    void anApplicationLinkedIntoARunTimeImageReadsItsMigrations() throws Exception {
        Path jmods = Path.of(System.getProperty("java.home"), "jmods");
        List<Path> modules = new ArrayList<>(List.of(applicationJar(), jarOf(Ratchet.class), jarOf(AppliedSetTracker.class),
                jarOf(CounterTracker.class), jarOf(IdentityTracker.class), jarOf(org.slf4j.LoggerFactory.class),
                jarOf(org.slf4j.simple.SimpleLogger.class), jarOf(org.sqlite.JDBC.class)));
        if (Files.isDirectory(jmods)) {
            modules.add(jmods);
        }
        Path image = work.resolve("image");
        java.io.StringWriter said = new java.io.StringWriter();
        java.io.PrintWriter to = new java.io.PrintWriter(said);
        int linked = java.util.spi.ToolProvider.findFirst("jlink").orElseThrow(() -> new AssertionError("no jlink in " + jmods.getParent()))
                .run(to, to, "--module-path", join(modules), "--add-modules", "app,dev.ratchet.tracker.appliedset,"
                        + "dev.ratchet.tracker.counter,dev.ratchet.tracker.identity,org.xerial.sqlitejdbc,org.slf4j.simple",
                        "--output", image.toString());
        to.flush();
        org.junit.jupiter.api.Assumptions.assumeTrue(linked == 0 || Files.isDirectory(jmods),
                "this JDK has no jmods and cannot link from its run-time image: " + said);
        assertEquals(0, linked, said.toString());
        try (TestDatabase db = TestDatabases.open(DatabaseKind.SQLITE)) {
            Run first = run(image.resolve("bin/java"), List.of(), db.url(), "applied-set");
            assertEquals(0, first.code(), first.err());
            assertEquals(List.of("applied 1_create_books", "applied 2_add_title", "module dev.ratchet.api",
                    "tracker module dev.ratchet.tracker.appliedset"), first.out().lines().toList(), first.err());
            Run again = run(image.resolve("bin/java"), List.of(), db.url(), "applied-set");
            assertEquals(0, again.code(), again.err());
            assertFalse(again.out().lines().anyMatch(l -> l.startsWith("applied ")), "up to date: " + again.out());
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private Run run(List<Path> modulePath, String url, String tracker) throws IOException, InterruptedException {
        return run(Path.of(System.getProperty("java.home"), "bin", "java"), modulePath, url, tracker);
    }

    /** {@code java} runs the application module, from {@code modulePath} (none: from the image {@code java} is in). */
    private Run run(Path java, List<Path> modulePath, String url, String tracker) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        if (!modulePath.isEmpty()) {
            command.addAll(List.of("--module-path", join(modulePath)));
        }
        command.addAll(List.of("-m", "app/app.Main", url, tracker));
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the application module did not end");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /**
     * An application module, compiled and packed here: it requires {@code dev.ratchet.api} only,
     * and keeps its migrations in its jar under {@code db/migrations}.
     */
    private Path applicationJar() throws IOException {
        Path src = work.resolve("src");
        write(src.resolve("module-info.java"), "module app {\n    requires dev.ratchet.api;\n}\n");
        write(src.resolve("app/Main.java"), String.join("\n",
                "package app;",
                "",
                "import dev.ratchet.MigrationSource;",
                "import dev.ratchet.Namespace;",
                "import dev.ratchet.Ratchet;",
                "import dev.ratchet.Trackers;",
                "import dev.ratchet.spi.Tracker;",
                "import java.sql.DriverManager;",
                "",
                "public final class Main {",
                "    public static void main(String[] args) throws Exception {",
                "        Tracker tracker = Trackers.byName(args[1]);",
                "        Ratchet ratchet = Ratchet.builder()",
                "                .connections(() -> DriverManager.getConnection(args[0]))",
                "                .tracker(tracker)",
                "                .namespace(Namespace.of(\"app\", MigrationSource.classpath(\"db/migrations\").load()))",
                "                .build();",
                "        ratchet.migrate().applied().forEach(m -> System.out.println(\"applied \" + m.name()));",
                "        System.out.println(\"module \" + Ratchet.class.getModule().getName());",
                "        System.out.println(\"tracker module \" + tracker.getClass().getModule().getName());",
                "    }",
                "}",
                ""));
        Path classes = work.resolve("classes");
        String modulePath = join(List.of(jarOf(Ratchet.class), jarOf(org.slf4j.LoggerFactory.class)));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.StringWriter diagnostics = new java.io.StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("--release", "17", "-Xlint:all", "-Werror", "--module-path", modulePath, "-d", classes.toString()),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(src.resolve("module-info.java"), src.resolve("app/Main.java"))).call();
        assertTrue(compiled, "the application module compiles without a warning: " + diagnostics);

        Path jar = work.resolve("app.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            put(out, "module-info.class", Files.readAllBytes(classes.resolve("module-info.class")));
            put(out, "app/", new byte[0]);
            put(out, "app/Main.class", Files.readAllBytes(classes.resolve("app/Main.class")));
            put(out, "db/", new byte[0]);
            put(out, "db/migrations/", new byte[0]);
            put(out, "db/migrations/V1__create_books.sql",
                    "CREATE TABLE books (id int PRIMARY KEY, title text);\n".getBytes(StandardCharsets.UTF_8));
            put(out, "db/migrations/V2__add_title.sql",
                    "INSERT INTO books (id, title) VALUES (1, 'Dune');\n".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
