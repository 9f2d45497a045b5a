package dev.ratchet.chaos;

import dev.ratchet.WrappingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A data source whose connections stop, for good, at one instrumented point of a run, after
 * printing {@code PAUSED <point>}: the parent process then kills this process with SIGKILL. The
 * points are recognized at the JDBC boundary, so the engine carries no test hooks:
 * <ul>
 *   <li>{@code before-lock}: before the statement that takes the migration lock
 *       ({@code pg_try_advisory_lock} on PostgreSQL, {@code BEGIN IMMEDIATE} on SQLite);</li>
 *   <li>{@code after-body}: after a migration body's last statement (which writes the side table);</li>
 *   <li>{@code before-tracker-write}: before an {@code INSERT} or {@code UPDATE} of the tracker table;</li>
 *   <li>{@code before-commit} and {@code after-commit}: around {@code Connection.commit()}, or a
 *       {@code COMMIT} statement on SQLite (the latter before the lock is released).</li>
 * </ul>
 * {@code occurrence} picks which time the point is reached (1 = the first).
 */
final class PausingDataSource extends WrappingDataSource {
    private final String point;
    private final String trackerTable;
    private final int occurrence;
    private final AtomicInteger reached = new AtomicInteger();

    PausingDataSource(DataSource real, String point, int occurrence, String trackerTable) {
        super(real);
        this.point = point;
        this.occurrence = occurrence;
        this.trackerTable = trackerTable.toLowerCase(Locale.ROOT);
    }

    private void at(String here) {
        if (here.equals(point) && reached.incrementAndGet() == occurrence) {
            System.out.println("PAUSED " + here);
            System.out.flush();
            try {
                Thread.sleep(Long.MAX_VALUE); // until SIGKILL
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void beforeSql(String sql) {
        String s = sql.toLowerCase(Locale.ROOT);
        if (s.contains("pg_try_advisory_lock") || s.startsWith("begin immediate")) {
            at("before-lock");
        }
        if (s.strip().equals("commit")) {
            at("before-commit"); // SQLite's transactions are statements
        }
        if ((s.startsWith("insert into") || s.startsWith("update")) && s.contains(trackerTable)
                && !s.contains(trackerTable + "_lock")) {
            at("before-tracker-write");
        }
    }

    private void afterSql(String sql) {
        String s = sql.toLowerCase(Locale.ROOT);
        if (s.contains("insert into applications")) {
            at("after-body");
        }
        if (s.strip().equals("commit")) {
            at("after-commit");
        }
    }

    @Override
    protected Connection wrap(Connection c) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        at("before-commit");
                        invoke(c, method, args);
                        at("after-commit");
                        return null;
                    }
                    Object result = invoke(c, method, args);
                    if (result instanceof java.sql.Statement st && !(result instanceof java.sql.PreparedStatement)) {
                        return statement(st, java.sql.Statement.class, null);
                    }
                    if (result instanceof java.sql.PreparedStatement ps && args != null && args[0] instanceof String sql) {
                        return statement(ps, java.sql.PreparedStatement.class, sql);
                    }
                    return result;
                });
    }

    private Object statement(Object target, Class<?> type, String preparedSql) {
        // A plain statement's batch runs at executeBatch: its SQL is checked then, in order.
        List<String> batch = new ArrayList<>();
        InvocationHandler h = (proxy, method, args) -> {
            String name = method.getName();
            String sql = preparedSql != null ? preparedSql
                    : args != null && args.length > 0 && args[0] instanceof String s ? s : null;
            if (preparedSql == null && name.equals("addBatch") && sql != null) {
                batch.add(sql);
                return invoke(target, method, args);
            }
            List<String> runs = preparedSql == null && name.equals("executeBatch") ? List.copyOf(batch)
                    : (name.startsWith("execute") || name.equals("addBatch")) && sql != null ? List.of(sql) : List.of();
            if (name.equals("executeBatch") || name.equals("clearBatch")) {
                batch.clear();
            }
            runs.forEach(this::beforeSql);
            Object result = invoke(target, method, args);
            runs.forEach(this::afterSql);
            return result;
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }
}
