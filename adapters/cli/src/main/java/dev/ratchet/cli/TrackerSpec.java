package dev.ratchet.cli;

import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import dev.ratchet.tracker.counter.CounterTracker;
import dev.ratchet.tracker.identity.IdentityTracker;

import java.util.Locale;

/**
 * A tracker named on the command line: {@code NAME[:LAYOUT][@[SCHEMA.]TABLE]}.
 *
 * <pre>
 *   applied-set                      ratchet_applied_migrations
 *   counter                          golang-migrate's schema_migrations (one row)
 *   counter:per-namespace            ratchet_counter
 *   counter:legacy                   schema_version(namespace, version), read-only
 *   identity                         schema_version(namespace, name, sequence, ...)
 *   identity@ops.migrations          table "migrations" in schema "ops"
 * </pre>
 */
final class TrackerSpec {
    /** What {@code --help} shows. */
    static final String SYNTAX = "applied-set | counter[:per-namespace|:legacy] | identity, optionally @[SCHEMA.]TABLE";

    private TrackerSpec() {
    }

    /** Builds the tracker; a bad spec is a usage error ({@link IllegalArgumentException}). */
    static Tracker parse(String spec) {
        String text = spec.trim();
        String table = null;
        String schema = null;
        int at = text.indexOf('@');
        if (at >= 0) {
            String where = text.substring(at + 1);
            text = text.substring(0, at);
            int dot = where.indexOf('.');
            if (dot >= 0) {
                schema = where.substring(0, dot);
                table = where.substring(dot + 1);
            } else {
                table = where;
            }
        }
        String name = text;
        String layout = null;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            name = text.substring(0, colon);
            layout = text.substring(colon + 1).toLowerCase(Locale.ROOT);
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "applied-set" -> {
                noLayout(spec, layout);
                AppliedSetTracker.Builder b = AppliedSetTracker.builder().schema(schema);
                return (table == null ? b : b.table(table)).build();
            }
            case "identity" -> {
                noLayout(spec, layout);
                IdentityTracker.Builder b = IdentityTracker.builder().schema(schema);
                return (table == null ? b : b.table(table)).build();
            }
            case "counter" -> {
                CounterTracker.Layout l = layout == null ? CounterTracker.Layout.SINGLE_ROW : switch (layout) {
                    case "single-row", "golang-migrate" -> CounterTracker.Layout.SINGLE_ROW;
                    case "per-namespace" -> CounterTracker.Layout.PER_NAMESPACE;
                    case "legacy" -> CounterTracker.Layout.LEGACY_COUNT;
                    default -> throw new IllegalArgumentException("unknown counter layout '" + layout + "' in '" + spec
                            + "': use single-row, per-namespace or legacy");
                };
                CounterTracker.Builder b = CounterTracker.builder().layout(l).schema(schema);
                return (table == null ? b : b.table(table)).build();
            }
            default -> throw new IllegalArgumentException("unknown tracker '" + spec + "': use " + SYNTAX);
        }
    }

    private static void noLayout(String spec, String layout) {
        if (layout != null) {
            throw new IllegalArgumentException("tracker '" + spec + "' has no layouts; remove ':" + layout + "'");
        }
    }
}
