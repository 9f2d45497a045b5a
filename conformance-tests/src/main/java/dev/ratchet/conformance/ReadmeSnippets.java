package dev.ratchet.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Keeps README code blocks honest: a block between {@code <!-- readme-example:ID:start -->} and
 * {@code <!-- readme-example:ID:end -->} must equal, up to indentation, the lines of a test
 * source between {@code // readme-example:ID:start} and {@code // readme-example:ID:end}, which
 * the build compiles and runs.
 */
public final class ReadmeSnippets {
    private ReadmeSnippets() {
    }

    /** Throws {@link AssertionError} unless the README shows the source's snippet {@code id} verbatim. */
    public static void assertShown(Path readme, Path source, String id) {
        String code = between(read(source), "// readme-example:" + id + ":start\n", "// readme-example:" + id + ":end");
        String shown = between(read(readme), "<!-- readme-example:" + id + ":start -->\n```java\n",
                "```\n<!-- readme-example:" + id + ":end -->");
        if (!dedent(code).equals(dedent(shown))) {
            throw new AssertionError("README snippet '" + id + "' differs from " + source + ":\n--- README\n"
                    + dedent(shown) + "\n--- code\n" + dedent(code));
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = from < 0 ? -1 : text.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new AssertionError("markers '" + start.strip() + "' ... '" + end.strip() + "' not found");
        }
        String block = text.substring(from + start.length(), to);
        // drop the indentation of the end marker's own line
        return block.replaceAll("[ \\t]+$", "");
    }

    private static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n")).strip();
    }
}
