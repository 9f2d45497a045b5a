package dev.ratchet;

/**
 * The stable classification of every {@link RatchetException}. Callers branch on the kind,
 * never on message text; each kind belongs to a {@link Family} (used, for example, for
 * command-line exit codes) and carries a default operator hint.
 */
public enum ErrorKind {
    /** Two or more migrations share one version. */
    VERSION_COLLISION(Family.SOURCE,
            "give all but one of the migrations at a version a new, unused version; versions must be unique in a namespace"),
    /** Two code migrations share one name. */
    DUPLICATE_NAME(Family.SOURCE, "rename one of the two migrations; names must be unique in a namespace"),
    /** A version does not fit the tracker's storage (the counter keeps a signed 64-bit integer). */
    VERSION_OUT_OF_RANGE(Family.SOURCE,
            "use whole-number versions up to 9223372036854775807 with this tracker, or use the applied-set tracker"),
    /** A migration file name does not follow an accepted pattern. */
    MALFORMED_MIGRATION_NAME(Family.SOURCE,
            "rename the file to V<version>__<name>.sql, <version>_<name>.up.sql or <version>_<name>.sql,"
                    + " or move it out of the migrations directory"),
    /** A migration source cannot be read. */
    SOURCE_UNREADABLE(Family.SOURCE, "check that the migrations location exists and is readable"),
    /**
     * A jar's checksum manifest cannot be read, or vouches for a checksum its entry's contents do
     * not have.
     */
    CHECKSUM_MANIFEST_INVALID(Family.SOURCE,
            "write the manifest again from the files the jar packages (ratchet checksums) and rebuild the jar"),
    /** The tracker needs a version and the migration has none. */
    VERSION_REQUIRED(Family.SOURCE, "give the migration a version, or use a tracker that orders by name"),
    /**
     * A migration that runs in Ratchet's transaction holds a statement that would end it or begin
     * another (BEGIN, COMMIT, ROLLBACK, END, ...).
     */
    TRANSACTION_CONTROL_IN_MIGRATION(Family.SOURCE,
            "delete the transaction statements: Ratchet runs the migration in a transaction of its own and records"
                    + " it in the same one; to run the file as written, make its first line -- ratchet:no-transaction"),
    /**
     * A migration that runs in Ratchet's transaction sets SQLite's {@code PRAGMA foreign_keys} while
     * the connection has foreign keys on: SQLite ignores that pragma inside a transaction, so a
     * table rebuild's {@code DROP TABLE} would delete, or cascade to, the rows that refer to it.
     */
    FOREIGN_KEYS_PRAGMA_IN_TRANSACTION(Family.SOURCE,
            "make the migration's first line -- ratchet:no-transaction and put BEGIN and COMMIT between its two"
                    + " foreign_keys pragmas, as SQLite's table-rebuild procedure does; or connect without"
                    + " foreign_keys=on"),
    /**
     * A migration holds a psql meta-command: a line that starts with a backslash
     * ({@code \\connect}, {@code \\set}, {@code \\i} ...), which only psql runs.
     */
    PSQL_META_COMMAND(Family.SOURCE,
            "delete the line, or do in SQL what it does: a migration runs on the database Ratchet connects to"
                    + " (\\connect), with its values written in place (\\set); pg_dump's \\restrict and"
                    + " \\unrestrict lines need nothing, Ratchet passes them over"),
    /**
     * A SQLite migration holds a dot-command of the sqlite3 shell: a line that starts with a dot
     * ({@code .read}, {@code .bail}, {@code .mode} ...), which only that shell runs.
     */
    SQLITE_DOT_COMMAND(Family.SOURCE,
            "delete the line: a migration is SQL, and only the sqlite3 shell runs dot-commands; for .read, put the"
                    + " read file's SQL in this migration or in one of its own"),
    /**
     * A migration holds a placeholder as Flyway writes them ({@code ${schema}}), which Ratchet does
     * not replace.
     */
    UNRESOLVED_PLACEHOLDER(Family.SOURCE,
            "write the value in place: Ratchet replaces no placeholders, so a migration's text is what runs and what"
                    + " its checksum covers (for ${schema} or ${flyway:defaultSchema}, give the namespace that schema,"
                    + " which sets the search_path its migrations run with, and leave the name out)"),
    /**
     * A migration has a goose or dbmate annotation that opens a down section
     * ({@code -- +goose Down}, {@code -- migrate:down}) and none that opens an up section: goose
     * and dbmate refuse such a file, and none of its statements after that line would run.
     */
    DOWN_SECTION_WITHOUT_UP(Family.SOURCE,
            "put the up annotation (-- +goose Up, or -- migrate:up) above the statements that make the change, and"
                    + " keep the down section after them; if the line is a plain comment, reword it so that it does"
                    + " not start like the annotation"),
    /**
     * A migration's text holds a NUL character (U+0000), which no SQL statement can hold: SQLite
     * ends a statement's text there, and PostgreSQL refuses it. A file saved as UTF-16 without a
     * byte order mark has one in every other byte.
     */
    NUL_IN_SCRIPT(Family.SOURCE,
            "save the file as UTF-8 (iconv -f UTF-16LE -t UTF-8, or UTF-16BE, for a file saved as UTF-16), or delete"
                    + " the NUL; to store one in data, write it with a function the database has (SQLite: char(0);"
                    + " PostgreSQL: a bytea value such as '\\x00'::bytea)"),
    /** An applied version is recorded under another name than the code's migration of that version. */
    RENAMED_AFTER_APPLY(Family.REFUSED,
            "revert the rename in code; if the rename is intended, update the name in the tracker row to match"),
    /** The database records a migration the code does not have: the binary is older than the database. */
    UNKNOWN_APPLIED_VERSION(Family.REFUSED,
            "deploy a build that contains these migrations (this one is older than the database),"
                    + " or restore the deleted migration files; to run this older build on purpose (a rollback)"
                    + " when they all come after its last migration, call allowNewerDatabase()"),
    /** The database is ahead of every migration this code has. */
    BINARY_OLDER_THAN_DB(Family.REFUSED,
            "deploy a build that contains the database's migrations; this one is older than the database"
                    + " (to run it on purpose, as in a rollback, call allowNewerDatabase())"),
    /** The applied names are not a prefix of the code's names: reordered or renamed code, or a deleted row. */
    NAME_DIVERGENCE(Family.REFUSED,
            "if the code was reordered or renamed, restore the applied order and names and add new migrations at the end;"
                    + " if a tracker row was deleted by hand, restore it"),
    /** The tracker table has an older layout that this tracker must not touch. */
    OLD_TRACKER_SHAPE(Family.REFUSED,
            "move the old table's history with a cutover (or rename or drop the old table), then run again"),
    /** A baseline names a migration the code does not have. */
    BASELINE_NAME_NOT_IN_CODE(Family.REFUSED,
            "check that the deployed build matches what the baseline script was written against"),
    /** A baseline's names are out of the code's order (identity: not a prefix of it), or one is named twice. */
    BASELINE_OUT_OF_ORDER(Family.REFUSED, "list the baseline names in the code's order, from its first migration"),
    /** A baseline for a namespace that already has tracker rows. */
    BASELINE_NAMESPACE_POPULATED(Family.REFUSED,
            "this namespace is already baselined (a resumed script may skip it); to baseline again, delete its rows first"),
    /** A cutover would leave a gap the target tracker cannot represent. */
    CUTOVER_GAP(Family.REFUSED,
            "run the missing migrations with the source tracker first (it can run gaps), then cut over"),
    /** The cutover target already holds history that differs from the source's. */
    CUTOVER_TARGET_DISAGREES(Family.REFUSED,
            "compare the two lists; remove the target's rows if they are stale, or fix the source, then cut over again"),
    /** Retiring the source would drop history of namespaces this cutover does not move. */
    CUTOVER_WOULD_LOSE_HISTORY(Family.REFUSED,
            "include every namespace of the source table in the cutover, or keep the source table"),
    /** Another tracker's table holds history for this namespace, and this tracker has none. */
    FOREIGN_HISTORY_FOUND(Family.REFUSED,
            "configure bootstrapFrom(<that tracker>) or run a cutover, so that history is moved, not re-run"),
    /**
     * This tracker's table holds no history for the namespace in the session's current schema, and
     * a table of the same tracker in another schema of the search path records the namespace's
     * migrations as applied: the current schema changed since they ran.
     */
    HISTORY_IN_ANOTHER_SCHEMA(Family.REFUSED,
            "pin the tracker to the schema that holds the namespace's history, or give the connection the search_path"
                    + " it had when that history was written"),
    /**
     * This tracker holds no history for the namespace, and records some of its migrations, with
     * the same names and checksums, as applied under another namespace: the namespace was renamed,
     * or the command line's {@code --migrations} (the namespace {@code default}) was given an
     * application's migrations.
     */
    HISTORY_UNDER_ANOTHER_NAMESPACE(Family.REFUSED,
            "run the migrations under the namespace that holds their history (on the command line --migrations is the"
                    + " namespace 'default', and --namespace NAME=DIR names another)"),
    /**
     * The tracker's table holds no history for the namespace, and a table of another name in the
     * same schema, which a known tracker recognises as its own, records some of its migrations as
     * applied: the tracker was configured with that table when they ran (a table name given then
     * and not now, or changed since).
     */
    HISTORY_IN_ANOTHER_TABLE(Family.REFUSED,
            "configure the tracker with the table that holds the namespace's history, or move that history into the"
                    + " table configured now (a bootstrap or a cutover)"),
    /**
     * A migration about to run is recorded as applied in another known tracker's table: history
     * moved there (a bootstrap, or a cutover that kept this tracker's table) and ran on since.
     */
    APPLIED_BY_ANOTHER_TRACKER(Family.REFUSED,
            "run a build configured with the tracker named here, which holds the namespace's history now; if that"
                    + " table belongs to something else, call ignoreOtherTrackers()"),
    /** A migration that ran outside a transaction did not finish: the tracker is dirty. */
    DIRTY(Family.REFUSED,
            "inspect the schema; if the migration named here fully applied, force its version;"
                    + " if not, undo its partial effect and force the version before it"),
    /** An applied migration's body changed since it ran. */
    CHECKSUM_DRIFT(Family.REFUSED,
            "restore the applied migration's original text and put the change in a new migration;"
                    + " if the edit is harmless, set the tracker row's checksum to the code's, which the message"
                    + " gives in full"),
    /** A tracker row cannot be read (hand-edited or damaged): Ratchet will not guess what it means. */
    CORRUPT_TRACKER_ROW(Family.REFUSED,
            "repair or delete the row named here by hand (it was edited outside Ratchet), then run again"),
    /** The tracker table exists in a shape this tracker does not own. */
    FOREIGN_TRACKER_TABLE(Family.REFUSED,
            "configure another table name for this tracker, or move the existing table's history with a cutover"),
    /** Another tool's history records a migration that failed: adopting it would call it applied. */
    FOREIGN_MIGRATION_FAILED(Family.REFUSED,
            "resolve the failed migration with the tool that ran it (repair, rollback or rerun), then adopt"),
    /** Another tool's history records a migration that started and never finished. */
    FOREIGN_MIGRATION_UNFINISHED(Family.REFUSED,
            "let the other tool finish or resolve that migration (e.g. prisma migrate resolve), then adopt"),
    /** Another tool's history holds entries that match no migration of the code. */
    FOREIGN_ENTRY_UNMATCHED(Family.REFUSED,
            "add the missing migrations to the code, map the entries to migration names,"
                    + " or allow unmatched entries explicitly to leave them out"),
    /** Another tool's history holds an entry of a kind Ratchet cannot represent. */
    FOREIGN_ENTRY_UNSUPPORTED(Family.REFUSED,
            "resolve that entry with the tool that wrote it, or allow unmatched entries explicitly to leave it out"),
    /** A Liquibase changelog has changeset attributes Ratchet would not honour (a context, labels, dbms ...). */
    CHANGELOG_UNSUPPORTED(Family.SOURCE,
            "remove those attributes, or move those changesets out of the changelog (Ratchet runs every migration of"
                    + " a namespace), then split it again"),
    /** A migration body failed; its transaction was rolled back where it had one. */
    MIGRATION_FAILED(Family.MIGRATION, "fix the migration named here and run migrate again"),
    /** A migration body failed outside a transaction: part of it may have taken effect. */
    NON_TRANSACTIONAL_MIGRATION_FAILED(Family.MIGRATION,
            "inspect the database: the migration ran outside a transaction and may be partly applied;"
                    + " undo the partial effect, fix the migration, and run migrate again"),
    /**
     * {@code Ratchet.cancel} stopped the run (the command line cancels on SIGINT and SIGTERM): the
     * migration whose statement was cancelled failed as any failure does, none after it started,
     * the lock was released.
     */
    RUN_CANCELLED(Family.MIGRATION,
            "run migrate again: the cancelled migration and those after it are still pending"),
    /** The migration lock was not acquired in time. */
    LOCK_TIMEOUT(Family.LOCK,
            "another instance is migrating this namespace; wait for it, or raise the lock timeout"),
    /** The migration lock was lost while migrating (lease expired and taken over). */
    LOCK_LOST(Family.LOCK, "raise the lock lease so that it outlasts the longest migration, then run again"),
    /** The migration lock could not be released. */
    LOCK_RELEASE_FAILED(Family.LOCK,
            "the lock is released when the session ends; check the connection and the lock holder"),
    /** Another runner recorded the same migration first. Retryable. */
    CONCURRENT_APPLY(Family.LOCK, "another runner applied this migration at the same time; run migrate again"),
    /** An identifier (schema, table, namespace) is not acceptable. */
    INVALID_IDENTIFIER(Family.CONFIGURATION,
            "use 1 to 63 bytes of ASCII letters, digits and underscores, starting with a letter or underscore"),
    /** The database product is not supported. */
    UNSUPPORTED_DATABASE(Family.CONFIGURATION, "use PostgreSQL or SQLite"),
    /** A feature is not available on this database. */
    UNSUPPORTED_FEATURE(Family.CONFIGURATION, "remove the option, or use a database that supports it"),
    /** No connection could be opened, or it broke. */
    CONNECTION_FAILED(Family.CONNECTION, "check the URL, the credentials and that the database is reachable"),
    /** Any other database error while Ratchet did its own work. */
    DATABASE_ERROR(Family.CONNECTION, "see the SQLSTATE and the cause");

    /** Broad groups of kinds, stable for scripts. */
    public enum Family {
        /** The code's migrations are malformed. */
        SOURCE,
        /** The tracker refuses to proceed; nothing was changed. */
        REFUSED,
        /** A migration body failed. */
        MIGRATION,
        /** Locking or concurrency. */
        LOCK,
        /** Bad configuration or unsupported database. */
        CONFIGURATION,
        /** The database connection or an unclassified database error. */
        CONNECTION
    }

    private final Family family;
    private final String hint;

    ErrorKind(Family family, String hint) {
        this.family = family;
        this.hint = hint;
    }

    /** The group this kind belongs to. */
    public Family family() {
        return family;
    }

    /** The default operator hint. */
    public String defaultHint() {
        return hint;
    }
}
