package dev.ratchet.internal;

import dev.ratchet.ErrorKind;
import dev.ratchet.RatchetException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * A {@code migrate()} or {@code verify()} in progress, which {@code Ratchet.cancel} may stop
 * from another thread (a shutdown hook): the body running has its statement cancelled, so its
 * migration fails and rolls back as any failed migration does; no migration starts after it; a
 * wait for the lock ends. The run then unwinds as after any failure (its transaction rolled back,
 * its session put back, its lock released) and throws {@link ErrorKind#RUN_CANCELLED}. Not API.
 */
final class Cancellation {
    /** The run on this thread, for the checks made where a run cannot be reached otherwise. */
    private static final ThreadLocal<Cancellation> CURRENT = new ThreadLocal<>();

    private volatile boolean requested;
    private volatile boolean inBody;
    private volatile boolean waiting;
    private volatile DatabaseDialect dialect;
    private volatile Connection connection;
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    /** How long a JVM shutdown waits for this run, which it cancels; zero: it cancels none. */
    private final java.time.Duration shutdownWait;
    /** The shutdown hook that cancels this run, once it waits for a lock or runs a body; null before. */
    private Thread hook;

    private Cancellation(java.time.Duration shutdownWait) {
        this.shutdownWait = shutdownWait;
    }

    /** A run starting on this thread, among {@code runs}. */
    static Cancellation begin(Set<Cancellation> runs, java.time.Duration shutdownWait) {
        Cancellation run = new Cancellation(shutdownWait);
        CURRENT.set(run);
        runs.add(run);
        return run;
    }

    /**
     * From the run's first lock wait or body on (an up-to-date boot has neither, and installs
     * nothing), a JVM shutdown cancels the run and waits for it to end: the process would
     * otherwise stop with a statement running in the database and its lock held.
     */
    private void cancelOnShutdown() {
        if (hook != null || shutdownWait.isZero()) {
            return;
        }
        Thread h = new Thread(() -> {
            request();
            awaitEnd(System.nanoTime() + shutdownWait.toNanos());
        }, "ratchet-cancel-on-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(h);
            hook = h;
        } catch (IllegalStateException shuttingDown) {
            request(); // the JVM already stops: so does the run
        }
    }

    /** The run's connection, once its session is open. */
    void attach(DatabaseDialect dialect, Connection connection) {
        this.dialect = dialect;
        this.connection = connection;
    }

    /** The run has ended, however. */
    void end(Set<Cancellation> runs) {
        runs.remove(this);
        CURRENT.remove();
        ended.countDown();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs, and finds the run ended
            }
        }
    }

    /** Waits until the run has ended, at most until {@code deadline} ({@link System#nanoTime}); whether it has. */
    boolean awaitEnd(long deadline) {
        try {
            return ended.await(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Asks the run to stop; cancels the statement of the body running, if one runs. Either the
     * run sees the request before its next body starts, or this sees that body running: both
     * flags are volatile, each side writes its own before it reads the other's.
     */
    void request() {
        requested = true;
        DatabaseDialect d = dialect;
        Connection c = connection;
        if (d == null || c == null) {
            return;
        }
        try {
            if (inBody) {
                d.cancelStatement(c);
            } else if (waiting) {
                d.cancelLockWait(c);
            }
        } catch (SQLException | RuntimeException e) {
            // the run stops before its next migration, or its next poll of the lock, anyway
        }
    }

    /**
     * Around the wait for a namespace's lock: {@code true} before (throws when the run on this
     * thread was cancelled), {@code false} after, however it ended.
     */
    static void lockWait(String namespace, boolean starting) {
        Cancellation run = CURRENT.get();
        if (run == null) {
            return;
        }
        run.waiting = starting;
        if (starting) {
            run.cancelOnShutdown();
            whileWaiting(namespace);
        }
    }

    /** Before a migration's body: throws when the run on this thread was cancelled, else marks a body running. */
    static void beforeBody(String namespace, String migration) {
        Cancellation run = CURRENT.get();
        if (run == null) {
            return;
        }
        run.inBody = true;
        run.cancelOnShutdown(); // for a run that took no lock (a verification on SQLite)
        if (run.requested) {
            run.inBody = false;
            throw RatchetException.of(ErrorKind.RUN_CANCELLED, "The run was cancelled before migration '" + migration
                            + "' of namespace '" + namespace + "' started: the migrations before it that committed"
                            + " are recorded; it and those after it are still pending.")
                    .with("namespace", namespace).with("migration", migration).build();
        }
    }

    /** After a migration's body, however it ended. */
    static void afterBody() {
        Cancellation run = CURRENT.get();
        if (run != null) {
            run.inBody = false;
        }
    }

    /** While waiting for the lock of {@code namespace}: throws when the run on this thread was cancelled. */
    static void whileWaiting(String namespace) {
        Cancellation run = CURRENT.get();
        if (run != null && run.requested) {
            throw RatchetException.of(ErrorKind.RUN_CANCELLED, "The run was cancelled while it waited for the"
                    + " migration lock of namespace '" + namespace + "': nothing of that namespace was run.")
                    .with("namespace", namespace).build();
        }
    }

    /**
     * What the run throws for {@code e}: {@code e} itself unless the run was cancelled, when the
     * failure the cancel caused (a body's statement cancelled) becomes {@link ErrorKind#RUN_CANCELLED},
     * its message kept. A non-transactional migration's failure keeps its own hint, which says what
     * to repair.
     */
    RatchetException explain(RatchetException e) {
        if (!requested || e.kind() == ErrorKind.RUN_CANCELLED) {
            return e;
        }
        String detail = e.getMessage().substring(("[" + e.kind() + "] ").length());
        String hint = " Hint: " + e.hint();
        detail = detail.endsWith(hint) ? detail.substring(0, detail.length() - hint.length()) : detail;
        RatchetException.Builder b = RatchetException.of(ErrorKind.RUN_CANCELLED, "The run was cancelled: " + detail)
                .cause(e);
        e.context().forEach(b::with);
        if (e.kind() != ErrorKind.MIGRATION_FAILED) {
            b.hint(e.hint());
        }
        return b.build();
    }
}
