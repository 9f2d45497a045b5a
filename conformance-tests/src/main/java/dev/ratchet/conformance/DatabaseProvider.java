package dev.ratchet.conformance;

/**
 * Where the suite gets a fresh database for each try. Built in: PostgreSQL (from
 * {@value TestDatabases#POSTGRES_URL_VARIABLE}, else Testcontainers) and SQLite temporary
 * files. Implement it to run the suite on another PostgreSQL or SQLite setup (a managed
 * server, a PostgreSQL-compatible database, SQLite in WAL mode ...).
 *
 * <pre>{@code
 * DatabaseProvider wal = DatabaseProvider.of("sqlite-wal", () -> myWalDatabase());
 * }</pre>
 */
public interface DatabaseProvider {
    /** A short name, shown in failure messages. */
    String name();

    /** A new, empty, isolated database; closing it removes it. */
    TestDatabase open();

    /** The built-in PostgreSQL provider. */
    static DatabaseProvider postgres() {
        return of("postgresql", TestDatabases::postgres);
    }

    /** The built-in SQLite provider. */
    static DatabaseProvider sqlite() {
        return of("sqlite", TestDatabases::sqlite);
    }

    /** A provider from a name and a factory. */
    static DatabaseProvider of(String name, java.util.function.Supplier<TestDatabase> factory) {
        return new DatabaseProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TestDatabase open() {
                return factory.get();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
