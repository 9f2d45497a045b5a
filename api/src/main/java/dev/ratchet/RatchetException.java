package dev.ratchet;

import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The one exception Ratchet throws for anything that is not a programming error. It carries
 * a stable {@link ErrorKind}, structured context (namespace, migration, versions ...), the
 * SQLSTATE when a database error is the cause, and a hint telling the operator what to do.
 *
 * <pre>{@code
 * try {
 *     ratchet.migrate();
 * } catch (RatchetException e) {
 *     if (e.kind() == ErrorKind.LOCK_TIMEOUT) { retryLater(); } else { throw e; }
 * }
 * }</pre>
 */
public class RatchetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String detail;
    private final transient Map<String, Object> context;
    private final String hint;
    private final String sqlState;

    private RatchetException(ErrorKind kind, String detail, Map<String, Object> context, String hint,
                             Throwable cause, String sqlState) {
        super(compose(kind, detail, hint), cause);
        this.kind = kind;
        this.detail = detail;
        this.context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
        this.hint = hint;
        this.sqlState = sqlState;
    }

    private static String compose(ErrorKind kind, String detail, String hint) {
        return "[" + kind + "] " + detail + (hint.isEmpty() ? "" : " Hint: " + hint);
    }

    /** Starts an exception of this kind; finish with {@link Builder#build()}. */
    public static Builder of(ErrorKind kind, String detail) {
        return new Builder(kind, detail);
    }

    /** The stable classification. */
    public ErrorKind kind() {
        return kind;
    }

    /** Structured context: keys such as {@code namespace}, {@code migration}, {@code version}. */
    public Map<String, Object> context() {
        return context;
    }

    /** What the operator should do next. */
    public String hint() {
        return hint;
    }

    /** The SQLSTATE of the database error that caused this, if any. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /**
     * This exception in a front end's own words: the same kind, context, SQLSTATE, cause and stack
     * trace, with the message's detail and the hint passed through {@code words}. The API's hints
     * name the builder calls that help ({@code call ignoreOtherTrackers()}); an adapter whose user
     * configures Ratchet otherwise (command-line options, application settings) rewords them so
     * that a hint names something that user can do.
     *
     * <pre>{@code
     * throw e.reworded(text -> text.replace("call ignoreOtherTrackers()", "set ratchet.ignore-other-trackers"));
     * }</pre>
     */
    public RatchetException reworded(UnaryOperator<String> words) {
        RatchetException copy = new RatchetException(kind, Objects.requireNonNull(words.apply(detail), "words"),
                context, Objects.requireNonNull(words.apply(hint), "words"), getCause(), sqlState);
        copy.setStackTrace(getStackTrace());
        for (Throwable suppressed : getSuppressed()) {
            copy.addSuppressed(suppressed);
        }
        return copy;
    }

    /** Builds a {@link RatchetException}. */
    public static final class Builder {
        private final ErrorKind kind;
        private final String detail;
        private final Map<String, Object> context = new LinkedHashMap<>();
        private String hint;
        private Throwable cause;

        private Builder(ErrorKind kind, String detail) {
            this.kind = Objects.requireNonNull(kind);
            this.detail = Objects.requireNonNull(detail);
            this.hint = kind.defaultHint();
        }

        /** Adds a context entry (ignored when the value is null). */
        public Builder with(String key, Object value) {
            if (value != null) {
                context.put(key, value);
            }
            return this;
        }

        /** Replaces the default hint. */
        public Builder hint(String hint) {
            this.hint = Objects.requireNonNull(hint);
            return this;
        }

        /** Chains the cause. */
        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        /** The exception. */
        public RatchetException build() {
            return new RatchetException(kind, detail, context, hint, cause,
                    cause instanceof SQLException s ? s.getSQLState() : null);
        }
    }
}
