package dev.ratchet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ratchet.AppliedEntry;
import dev.ratchet.Migration;
import dev.ratchet.RatchetException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The machine-readable result of a command ({@code --format json}): one JSON object on
 * standard output, whose top-level keys are {@code command}, {@code ok}, {@code exitCode},
 * {@code url} (masked), the command's own keys, and {@code error} when it failed. The schema
 * is documented in the README and stable: keys are only ever added.
 */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Map<String, Object> root = new LinkedHashMap<>();

    Report(String command, String maskedUrl) {
        root.put("command", command);
        root.put("ok", true);
        root.put("exitCode", 0);
        root.put("url", maskedUrl);
    }

    Report put(String key, Object value) {
        root.put(key, value);
        return this;
    }

    Report exitCode(int code) {
        root.put("exitCode", code);
        root.put("ok", code == 0);
        return this;
    }

    int exitCode() {
        return (Integer) root.get("exitCode");
    }

    Report error(RatchetException e, int code) {
        root.put("error", error(e));
        return exitCode(code);
    }

    /** A usage error (exit code 2): {@code usageError} holds its message. */
    Report usageError(String message) {
        root.put("usageError", message);
        return exitCode(2);
    }

    String json() {
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the report as JSON", e);
        }
    }

    /** {@code {kind, family, message, hint, sqlState, context}}; message and hint in command-line words. */
    static Map<String, Object> error(RatchetException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", e.kind().name());
        m.put("family", e.kind().family().name());
        m.put("message", CommandLineHints.message(e));
        m.put("hint", CommandLineHints.hint(e));
        m.put("sqlState", e.sqlState().orElse(null));
        Map<String, Object> context = new TreeMap<>();
        e.context().forEach((k, v) -> context.put(k, v instanceof List<?> || v instanceof Number
                || v instanceof Boolean ? v : String.valueOf(v)));
        m.put("context", context);
        return m;
    }

    static Map<String, Object> entry(AppliedEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name().orElse(null));
        m.put("version", e.version().map(Object::toString).orElse(null));
        m.put("sequence", e.sequence().isPresent() ? e.sequence().getAsLong() : null);
        m.put("checksum", e.checksum().orElse(null));
        m.put("appliedAt", e.appliedAt().map(Object::toString).orElse(null));
        return m;
    }

    static List<Map<String, Object>> entries(List<AppliedEntry> entries) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AppliedEntry e : entries) {
            out.add(entry(e));
        }
        return out;
    }

    static List<String> names(List<Migration> migrations) {
        return migrations.stream().map(Migration::name).toList();
    }
}
