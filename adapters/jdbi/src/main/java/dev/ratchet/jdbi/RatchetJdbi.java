package dev.ratchet.jdbi;

import dev.ratchet.ConnectionSource;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs Ratchet from a {@link Jdbi}: each run opens one {@link Handle} and pins its connection
 * for the lock, the tracker and every migration; {@link JdbiMigration}s receive that same
 * handle, so the application's Jdbi configuration applies inside migrations.
 *
 * <pre>{@code
 * RatchetJdbi ratchetJdbi = RatchetJdbi.of(jdbi);
 * ratchetJdbi.builder()
 *         .tracker(AppliedSetTracker.builder().build())
 *         .namespace(ratchetJdbi.namespace("app", MigrationSource.classpath("db/migrations").load(),
 *                 List.of(seedColours)))
 *         .build()
 *         .migrate();
 * }</pre>
 */
public final class RatchetJdbi {
    private final Jdbi jdbi;
    private final Map<Connection, Handle> handles = new ConcurrentHashMap<>();

    private RatchetJdbi(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Ratchet on this Jdbi. */
    public static RatchetJdbi of(Jdbi jdbi) {
        return new RatchetJdbi(Objects.requireNonNull(jdbi, "jdbi"));
    }

    /** A {@link Ratchet} builder whose runs each pin one handle of this Jdbi. */
    public Ratchet.Builder builder() {
        return Ratchet.builder().connections(connections());
    }

    /**
     * Connections for Ratchet: each is the connection of a newly opened handle; closing it closes
     * the handle (which returns the connection to wherever Jdbi got it).
     */
    public ConnectionSource connections() {
        return new ConnectionSource() {
            @Override
            public Connection open() {
                Handle handle = jdbi.open();
                Connection raw = handle.getConnection();
                Connection pinned = (Connection) Proxy.newProxyInstance(RatchetJdbi.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            switch (method.getName()) {
                                case "equals" -> {
                                    return proxy == args[0];
                                }
                                case "hashCode" -> {
                                    return System.identityHashCode(proxy);
                                }
                                default -> {
                                }
                            }
                            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                                handles.remove(proxy);
                                handle.close();
                                return null;
                            }
                            try {
                                return method.invoke(raw, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
                handles.put(pinned, handle);
                return pinned;
            }

            @Override
            public String describe() {
                return "Jdbi " + jdbi;
            }
        };
    }

    /** The migration as Ratchet runs it: its body gets the run's pinned handle. */
    public Migration migration(JdbiMigration m) {
        Migration.Builder b = Migration.builder(m.name()).description(m.description())
                .origin("Jdbi code " + m.name())
                .body(connection -> run(m, connection));
        m.version().ifPresent(b::version);
        m.checksumSource().ifPresent(b::checksumOf);
        return b.build();
    }

    private void run(JdbiMigration m, Connection connection) throws SQLException {
        Handle pinned = handles.get(connection);
        try {
            if (pinned != null) {
                m.body().run(pinned);
            } else {
                // Run by a Ratchet built without connections(): wrap the connection, never close it.
                try (Handle h = Jdbi.create(nonClosing(connection)).open()) {
                    m.body().run(h);
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("Jdbi migration '" + m.name() + "' failed: " + e.getMessage(), e);
        }
    }

    private static ConnectionFactory nonClosing(Connection connection) {
        return new ConnectionFactory() {
            @Override
            public Connection openConnection() {
                return connection;
            }

            @Override
            public void closeConnection(Connection conn) {
                // the engine owns the pinned connection
            }
        };
    }

    /**
     * A namespace mixing SQL file migrations and Jdbi migrations, ordered by version when every
     * migration has one (files and code interleave), else files first and code in list order.
     */
    public Namespace namespace(String name, List<Migration> files, List<JdbiMigration> code) {
        List<Migration> all = new ArrayList<>(files);
        code.forEach(m -> all.add(migration(m)));
        if (all.stream().allMatch(m -> m.version().isPresent())) {
            all.sort(Comparator.comparing(m -> m.version().orElseThrow()));
        }
        return Namespace.of(name, all);
    }
}
