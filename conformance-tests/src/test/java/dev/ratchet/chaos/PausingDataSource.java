package dev.ratchet.chaos;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

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
final class PausingDataSource implements DataSource {
    private final DataSource real;
    private final String point;
    private final String trackerTable;
    private final int occurrence;
    private final AtomicInteger reached = new AtomicInteger();

    PausingDataSource(DataSource real, String point, int occurrence, String trackerTable) {
        this.real = real;
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
    public Connection getConnection() throws SQLException {
        return wrap(real.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return wrap(real.getConnection(user, password));
    }

    private Connection wrap(Connection c) {
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
        InvocationHandler h = (proxy, method, args) -> {
            boolean executes = method.getName().startsWith("execute") || method.getName().equals("addBatch");
            String sql = preparedSql != null ? preparedSql
                    : args != null && args.length > 0 && args[0] instanceof String s ? s : null;
            if (executes && sql != null) {
                beforeSql(sql);
            }
            Object result = invoke(target, method, args);
            if (executes && sql != null) {
                afterSql(sql);
            }
            return result;
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
