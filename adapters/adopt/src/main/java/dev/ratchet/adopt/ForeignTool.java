package dev.ratchet.adopt;

import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.counter.CounterTracker;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The migration tools whose history Ratchet can adopt, with their default tables. */
public enum ForeignTool {
    /** Flyway, {@code flyway_schema_history}. */
    FLYWAY("flyway", FlywayHistory.DEFAULT_TABLE),
    /** Liquibase, {@code DATABASECHANGELOG}. */
    LIQUIBASE("liquibase", LiquibaseHistory.DEFAULT_TABLE),
    /** golang-migrate, {@code schema_migrations(version, dirty)}: the counter tracker's own layout. */
    GOLANG_MIGRATE("golang-migrate", "schema_migrations"),
    /** goose, {@code goose_db_version}. */
    GOOSE("goose", GooseHistory.DEFAULT_TABLE),
    /** dbmate, {@code schema_migrations(version)}. */
    DBMATE("dbmate", DbmateHistory.DEFAULT_TABLE),
    /** Rails (Active Record), {@code schema_migrations(version)}: the same shape as dbmate's. */
    RAILS("rails", DbmateHistory.DEFAULT_TABLE),
    /** Prisma Migrate, {@code _prisma_migrations}. */
    PRISMA("prisma", PrismaHistory.DEFAULT_TABLE),
    /** Django, {@code django_migrations}: one namespace per app. */
    DJANGO("django", DjangoHistory.DEFAULT_TABLE);

    private final String cliName;
    private final String defaultTable;

    ForeignTool(String cliName, String defaultTable) {
        this.cliName = cliName;
        this.defaultTable = defaultTable;
    }

    /** The name the command line uses, such as {@code golang-migrate}. */
    public String cliName() {
        return cliName;
    }

    /** The table the tool writes unless configured otherwise. */
    public String defaultTable() {
        return defaultTable;
    }

    /** Whether one table holds the histories of several namespaces (Django's apps). */
    public boolean keepsNamespaces() {
        return this == DJANGO;
    }

    /**
     * The tool by its command-line name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known tools
     */
    public static ForeignTool byName(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(t -> t.cliName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown tool '" + name + "'; known: "
                        + Arrays.stream(values()).map(ForeignTool::cliName).collect(Collectors.joining(", "))));
    }

    /** The read-only tracker over the tool's table ({@code table} and {@code schema} may be null for defaults). */
    Tracker reader(String table, String schema, ForeignHistory.Settings settings) {
        String t = table == null ? defaultTable : table;
        return switch (this) {
            case FLYWAY -> new FlywayHistory(t, schema, settings);
            case LIQUIBASE -> new LiquibaseHistory(t, schema, settings);
            case GOLANG_MIGRATE -> {
                CounterTracker.Builder b = CounterTracker.builder().layout(CounterTracker.Layout.SINGLE_ROW).table(t);
                yield (schema == null ? b : b.schema(schema)).build();
            }
            case GOOSE -> new GooseHistory(t, schema, settings);
            case DBMATE, RAILS -> new DbmateHistory(cliName, t, schema, settings);
            case PRISMA -> new PrismaHistory(t, schema, settings);
            case DJANGO -> new DjangoHistory(t, schema, settings);
        };
    }
}
