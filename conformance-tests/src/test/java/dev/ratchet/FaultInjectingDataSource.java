package dev.ratchet;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLRecoverableException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real data source whose N-th statement execution fails, for aborting an operation at each
 * of its statements. Everything else goes to the real database unchanged.
 */
final class FaultInjectingDataSource extends WrappingDataSource {
    private final int failAt;
    private final AtomicInteger executed = new AtomicInteger();

    FaultInjectingDataSource(DataSource real, int failAt) {
        super(real);
        this.failAt = failAt;
    }

    /** How many statements ran (or were attempted). */
    int executed() {
        return executed.get();
    }

    /** Whether the fault fired. */
    boolean fired() {
        return executed.get() >= failAt;
    }

    @Override
    protected Connection wrap(Connection c) {
        InvocationHandler h = (proxy, method, args) -> {
            Object result = invoke(c, method, args);
            if (result instanceof Statement s) {
                return statement(s);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private Object statement(Statement s) {
        Class<?>[] interfaces = s instanceof java.sql.PreparedStatement
                ? new Class<?>[] {java.sql.PreparedStatement.class} : new Class<?>[] {Statement.class};
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().startsWith("execute") && executed.incrementAndGet() == failAt) {
                throw new SQLRecoverableException("injected fault at statement " + failAt, "08006");
            }
            return invoke(s, method, args);
        };
        return Proxy.newProxyInstance(getClass().getClassLoader(), interfaces, h);
    }
}
