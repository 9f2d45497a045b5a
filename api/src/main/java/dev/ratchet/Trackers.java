package dev.ratchet;

import dev.ratchet.spi.Tracker;
import dev.ratchet.spi.TrackerProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Trackers by name, for configuration files and command lines: {@code NAME[:LAYOUT][@[SCHEMA.]TABLE]},
 * resolved through the {@link TrackerProvider}s on the class path.
 *
 * <pre>{@code
 * Tracker golangMigrate = Trackers.byName("counter");                 // schema_migrations
 * Tracker appliedSet    = Trackers.byName("applied-set@ops.applied");  // table ops.applied
 * Tracker perModule     = Trackers.byName("counter:per-namespace");
 * }</pre>
 */
public final class Trackers {
    /** The syntax, for help texts. */
    public static final String SYNTAX = "NAME[:LAYOUT][@[SCHEMA.]TABLE], e.g. applied-set, counter, counter:per-namespace,"
            + " counter:legacy, identity, identity@ops.migrations";

    private Trackers() {
    }

    /**
     * The name {@link #byName} takes for {@code tracker} on {@code table} ({@code [schema.]table}):
     * {@code id[:layout]@[schema.]table}, such as {@code counter:per-namespace@public.ratchet_counter}.
     */
    public static String nameOf(Tracker tracker, String table) {
        return tracker.id() + tracker.layoutName().map(l -> ":" + l).orElse("") + "@" + table;
    }

    /**
     * The tracker named by {@code spec}.
     *
     * @throws IllegalArgumentException for an unknown name or layout, naming the known trackers
     * @throws RatchetException of kind {@link ErrorKind#INVALID_IDENTIFIER} for a bad table or schema
     */
    public static Tracker byName(String spec) {
        String text = spec.trim();
        Optional<String> schema = Optional.empty();
        Optional<String> table = Optional.empty();
        int at = text.indexOf('@');
        if (at >= 0) {
            String where = text.substring(at + 1);
            text = text.substring(0, at);
            int dot = where.indexOf('.');
            if (dot >= 0) {
                schema = Optional.of(where.substring(0, dot));
                table = Optional.of(where.substring(dot + 1));
            } else {
                table = Optional.of(where);
            }
        }
        Optional<String> layout = Optional.empty();
        int colon = text.indexOf(':');
        if (colon >= 0) {
            layout = Optional.of(text.substring(colon + 1).toLowerCase(Locale.ROOT));
            text = text.substring(0, colon);
        }
        String name = text.toLowerCase(Locale.ROOT);
        List<String> known = new ArrayList<>();
        for (TrackerProvider p : ServiceLoader.load(TrackerProvider.class, Trackers.class.getClassLoader())) {
            Optional<Tracker> t = p.create(name, layout, schema, table);
            if (t.isPresent()) {
                return t.get();
            }
            p.knownLayouts().stream().map(Tracker::id).distinct().forEach(known::add);
        }
        throw new IllegalArgumentException("unknown tracker '" + spec + "'; installed: " + known.stream().distinct().toList()
                + " (" + SYNTAX + ")");
    }

    /**
     * {@code tracker} with checksum verification {@code verification}; see
     * {@link Tracker#withChecksumVerification}.
     *
     * @throws IllegalArgumentException for a tracker that keeps no checksums (a counter), naming it
     */
    public static Tracker withChecksumVerification(Tracker tracker, ChecksumVerification verification) {
        return tracker.withChecksumVerification(verification).orElseThrow(() -> new IllegalArgumentException(
                "the " + tracker.id() + " tracker keeps no checksums, so it has no checksum verification to set"
                        + " (the applied-set and identity trackers have)"));
    }
}
