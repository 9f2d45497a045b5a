package dev.ratchet.micronaut;

import dev.ratchet.ChecksumVerification;
import dev.ratchet.LockStrategy;
import dev.ratchet.TransactionMode;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.util.Toggleable;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ratchet's settings for one data source, under {@code ratchet.datasources.<name>} where
 * {@code <name>} is the data source's name ({@code default} for the default one).
 *
 * <pre>
 * ratchet:
 *   datasources:
 *     default:
 *       enabled: true                       # default true
 *       tracker: applied-set                # applied-set (default), counter, counter:per-namespace, identity, ...@TABLE
 *       locations: [classpath:db/migrations] # namespace "default" (the default location)
 *       namespaces:                         # more namespaces: name -> location
 *         billing: classpath:db/billing
 *       targets:                            # stop a namespace after this migration (name or version);
 *         default: 41                       #   the later ones wait (default: none, run everything)
 *       transaction-mode: PER_MIGRATION     # default: the tracker's
 *       checksum-verification: OFF          # FAIL, WARN or OFF (default: the tracker's; not for a counter)
 *       lock-timeout: 2m                    # default 2 minutes
 *       lock-lease: 1m                      # a lease lock's life after its last renewal (SQLite, LEASE); default 1 minute
 *       lock-strategy: AUTO                 # AUTO (default), ADVISORY or LEASE (behind a transaction-pooling PgBouncer)
 *       cancel-on-shutdown: 20s             # a shutdown mid-migration cancels it and waits this long (0s: no hook)
 *       bootstrap-from: counter             # move another tracker's history first (default: none)
 *       ignore-other-trackers: false        # true: do not look for history elsewhere (default false)
 * </pre>
 */
@EachProperty("ratchet.datasources")
public class RatchetConfiguration implements Toggleable {
    private final String name;
    private boolean enabled = true;
    private String tracker = "applied-set";
    private List<String> locations = List.of("classpath:db/migrations");
    private Map<String, String> namespaces = new LinkedHashMap<>();
    private Map<String, String> targets = new LinkedHashMap<>();
    private TransactionMode transactionMode;
    private ChecksumVerification checksumVerification;
    private Duration lockTimeout = Duration.ofMinutes(2);
    private Duration lockLease = Duration.ofMinutes(1);
    private LockStrategy lockStrategy = LockStrategy.AUTO;
    private Duration cancelOnShutdown = Duration.ofSeconds(20);
    private String bootstrapFrom;
    private boolean ignoreOtherTrackers;
    private boolean allowNewerDatabase;

    /** Bound by Micronaut to the data source name. */
    public RatchetConfiguration(@Parameter String name) {
        this.name = name;
    }

    /** The data source name. */
    public String getName() {
        return name;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    /** Whether Ratchet migrates this data source (default true). */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The tracker, by name (default {@code applied-set}); see {@link dev.ratchet.Trackers}. */
    public String getTracker() {
        return tracker;
    }

    /** Sets the tracker by name. */
    public void setTracker(String tracker) {
        this.tracker = tracker;
    }

    /** Locations of the namespace {@code default}: {@code classpath:DIR} or {@code filesystem:DIR}. */
    public List<String> getLocations() {
        return locations;
    }

    /** Sets the locations of the namespace {@code default}; empty for none. */
    public void setLocations(List<String> locations) {
        this.locations = List.copyOf(locations);
    }

    /** More namespaces: name to location. */
    public Map<String, String> getNamespaces() {
        return namespaces;
    }

    /** Sets the additional namespaces. */
    public void setNamespaces(Map<String, String> namespaces) {
        this.namespaces = new LinkedHashMap<>(namespaces);
    }

    /**
     * Targets: namespace name ({@code default} for {@link #getLocations()}) to the last migration
     * start-up runs in it, by name or version ({@link dev.ratchet.Namespace#through}); the later
     * ones stay pending, and the health indicator does not count them. For an expand/contract
     * change: a release ships its contract migration with the target before it, and a later
     * deploy lifts the target once no instance of the previous release is left.
     */
    public Map<String, String> getTargets() {
        return targets;
    }

    /** Sets the targets. */
    public void setTargets(Map<String, String> targets) {
        this.targets = new LinkedHashMap<>(targets);
    }

    /** The transaction mode; null for the tracker's default. */
    public TransactionMode getTransactionMode() {
        return transactionMode;
    }

    /** Sets the transaction mode. */
    public void setTransactionMode(TransactionMode transactionMode) {
        this.transactionMode = transactionMode;
    }

    /**
     * What a checksum that differs from the code's does; null for the tracker's default
     * ({@code FAIL} for applied-set, {@code WARN} for identity). {@code OFF} compares none, and a
     * boot reads only the files of pending migrations. A counter keeps no checksums: setting it
     * for one fails start-up.
     */
    public ChecksumVerification getChecksumVerification() {
        return checksumVerification;
    }

    /** Sets the checksum verification. */
    public void setChecksumVerification(ChecksumVerification checksumVerification) {
        this.checksumVerification = checksumVerification;
    }

    /** How long to wait for another instance's lock (default 2 minutes). */
    public Duration getLockTimeout() {
        return lockTimeout;
    }

    /** Sets the lock timeout. */
    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    /**
     * How long a lease lock (SQLite, or lock strategy LEASE) stays valid after its last renewal
     * (default 1 minute); it must outlast the longest migration that runs outside a transaction.
     */
    public Duration getLockLease() {
        return lockLease;
    }

    /** Sets the lock lease. */
    public void setLockLease(Duration lockLease) {
        this.lockLease = lockLease;
    }

    /** How instances exclude each other while migrating (default AUTO). */
    public LockStrategy getLockStrategy() {
        return lockStrategy;
    }

    /** Sets the lock strategy. */
    public void setLockStrategy(LockStrategy lockStrategy) {
        this.lockStrategy = lockStrategy;
    }

    /**
     * How long a JVM shutdown during start-up's migration waits for it, which it cancels, to roll
     * back and release its lock (default 20 seconds; zero: no shutdown hook), as
     * {@link dev.ratchet.Ratchet.Builder#cancelOnShutdown(Duration)}.
     */
    public Duration getCancelOnShutdown() {
        return cancelOnShutdown;
    }

    /** Sets the wait of a shutdown for the migration it cancels. */
    public void setCancelOnShutdown(Duration cancelOnShutdown) {
        this.cancelOnShutdown = cancelOnShutdown;
    }

    /** The tracker to bootstrap from, by name; null for none. */
    public String getBootstrapFrom() {
        return bootstrapFrom;
    }

    /** Sets the tracker to bootstrap from. */
    public void setBootstrapFrom(String bootstrapFrom) {
        this.bootstrapFrom = bootstrapFrom;
    }

    /**
     * Whether boots skip looking in the other known trackers' tables, as
     * {@link dev.ratchet.Ratchet.Builder#ignoreOtherTrackers()} does; default false.
     */
    public boolean isIgnoreOtherTrackers() {
        return ignoreOtherTrackers;
    }

    /** Sets whether boots skip looking in the other known trackers' tables. */
    public void setIgnoreOtherTrackers(boolean ignoreOtherTrackers) {
        this.ignoreOtherTrackers = ignoreOtherTrackers;
    }

    /**
     * Whether this release may start on a database that a newer release migrated further (an
     * instance of the previous release restarting during a rolling deploy, or a rollback), as
     * {@link dev.ratchet.Ratchet.Builder#allowNewerDatabase()} does; default false.
     */
    public boolean isAllowNewerDatabase() {
        return allowNewerDatabase;
    }

    /** Sets whether this release may start on a database that a newer release migrated further. */
    public void setAllowNewerDatabase(boolean allowNewerDatabase) {
        this.allowNewerDatabase = allowNewerDatabase;
    }
}
