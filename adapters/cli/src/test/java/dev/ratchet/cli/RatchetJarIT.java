package dev.ratchet.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same scenarios against the built jar, {@code java -jar ratchet-cli-*-all.jar}, with no terminal. */
class RatchetJarIT extends CliScenarios {

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("ratchet-cli-.*-all\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("the shaded jar is missing: run mvn package first"));
        }
    }

    @Override
    Run ratchet(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path errFile = Files.createTempFile(work, "stderr", ".txt");
        Process p = new ProcessBuilder(command).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(errFile.toFile()).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), output, Files.readString(errFile));
    }
}
