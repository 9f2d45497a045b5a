package dev.ratchet.jdbi;

import dev.ratchet.ConnectionSource;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.spi.JdbiPlugin;

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
 * handle, so the application's Jdbi configuration applies inside migrations. While one runs, the
 * handle's statements go through the connection the engine gives a migration body, which keeps
 * the body inside the run's transaction (see {@link JdbiMigration}).
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
    private final Map<Connection, Pinned> handles = new ConcurrentHashMap<>();

    /** A run's handle, and the connection its Jdbi statements go through. */
    private record Pinned(Handle handle, Switch connection) {
    }

    private RatchetJdbi(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.installPlugin(new Pinning());
    }

    /**
     * Ratchet on this Jdbi. Installs on it a plugin that changes nothing for the application's
     * handles: it only lets the handle Ratchet opens for a run go through the engine's guarded
     * connection while a {@link JdbiMigration} runs.
     */
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
                Switch[] opened = new Switch[1];
                Pinning.OPENING.set(opened);
                Handle handle;
                try {
                    handle = jdbi.open();
                } finally {
                    Pinning.OPENING.remove();
                }
                Switch through = opened[0];
                // The engine works on the connection itself; the handle's statements go through the switch.
                Connection raw = through == null ? handle.getConnection() : through.own;
                Connection[] self = new Connection[1];
                Connection pinned = delegating(() -> raw, () -> {
                    handles.remove(self[0]);
                    handle.close();
                });
                self[0] = pinned;
                handles.put(pinned, new Pinned(handle, through));
                return pinned;
            }

            @Override
            public String describe() {
                return "Jdbi " + jdbi;
            }
        };
    }

    /**
     * While Ratchet opens a run's handle ({@link #OPENING} is set on the thread), puts the
     * handle's connection behind a {@link Switch}; does nothing for every other handle.
     */
    private static final class Pinning implements JdbiPlugin {
        static final ThreadLocal<Switch[]> OPENING = new ThreadLocal<>();

        /** One per Jdbi however many RatchetJdbi wrap it: Jdbi installs a plugin equal to one it has once. */
        @Override
        public boolean equals(Object other) {
            return other instanceof Pinning;
        }

        @Override
        public int hashCode() {
            return Pinning.class.hashCode();
        }

        @Override
        public Connection customizeConnection(Connection connection) {
            Switch[] opened = OPENING.get();
            if (opened == null) {
                return connection;
            }
            opened[0] = new Switch(connection);
            return opened[0].proxy;
        }
    }

    /**
     * The connection a run's handle holds: its own connection, except while a Jdbi migration runs,
     * when it is the connection the engine gives the body (which refuses commit, rollback and
     * close inside the run's transaction, and answers that one is open, on SQLite too), so that
     * Jdbi's transactions join the run's instead of ending it.
     */
    private static final class Switch {
        final Connection own;
        final Connection proxy;
        volatile Connection current;

        Switch(Connection own) {
            this.own = own;
            this.current = own;
            this.proxy = delegating(() -> current, null);
        }
    }

    /**
     * A connection that equals only itself and sends every call to {@code target}'s connection of
     * the moment, but {@code close()} to {@code onClose} when given.
     */
    private static Connection delegating(java.util.function.Supplier<Connection> target, Runnable onClose) {
        return (Connection) Proxy.newProxyInstance(RatchetJdbi.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "close" -> {
                            if (onClose != null && method.getParameterCount() == 0) {
                                onClose.run();
                                return null;
                            }
                        }
                        default -> {
                        }
                    }
                    try {
                        return method.invoke(target.get(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The migration as Ratchet runs it: its body gets the run's pinned handle. */
    public Migration migration(JdbiMigration m) {
        Migration.Builder b = Migration.builder(m.name()).description(m.description())
                .origin("Jdbi code " + m.name()).transactional(m.transactional())
                .body(connection -> run(m, connection));
        m.version().ifPresent(b::version);
        m.checksumSource().ifPresent(b::checksumOf);
        return b.build();
    }

    private void run(JdbiMigration m, Connection connection) throws SQLException {
        Pinned pinned = handles.get(connection);
        try {
            if (pinned != null && pinned.connection() != null) {
                pinned.connection().current = connection;
                try {
                    m.body().run(pinned.handle());
                } finally {
                    pinned.connection().current = pinned.connection().own;
                }
            } else if (pinned != null) {
                m.body().run(pinned.handle()); // a Jdbi that did not let the plugin customize the connection
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
