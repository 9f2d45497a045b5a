package dev.ratchet.micronaut;

import dev.ratchet.Migration;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.NamespaceStatus;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.Trackers;
import dev.ratchet.spi.Tracker;
import io.micronaut.context.BeanContext;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Migrates each data source as Micronaut creates it, before any bean receives it; a failure
 * stops the application's start-up with the {@link RatchetException}, its hint naming the
 * settings of {@link RatchetConfiguration} where the API's names a builder call. Keeps the
 * configured {@link Ratchet} of each data source for {@link RatchetHealthIndicator}.
 */
@Singleton
public class RatchetMigrator implements BeanCreatedEventListener<DataSource> {
    private static final Logger LOG = LoggerFactory.getLogger(RatchetMigrator.class);

    private final BeanContext context;
    private final Map<String, Ratchet> migrated = new ConcurrentHashMap<>();
    /** Per data source, its namespaces, by name. */
    private final Map<String, Map<String, Namespace>> code = new ConcurrentHashMap<>();

    /** Created by Micronaut. */
    public RatchetMigrator(BeanContext context) {
        this.context = context;
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        DataSource dataSource = event.getBean();
        // Migrate on the real pool, not on a transaction- or connection-aware proxy of it, which
        // would need beans that are still being created.
        DataSource real = context.findBean(DataSourceResolver.class).map(r -> r.resolve(dataSource)).orElse(dataSource);
        String name = event.getBeanIdentifier().getName();
        Optional<RatchetConfiguration> config = context.findBean(RatchetConfiguration.class, Qualifiers.byName(name));
        if (config.isEmpty() || !config.get().isEnabled()) {
            return dataSource;
        }
        List<Namespace> namespaces = namespaces(config.get());
        Ratchet ratchet = ratchet(config.get(), real, namespaces);
        LOG.info("Ratchet: migrating data source '{}'", name);
        try {
            ratchet.migrate();
        } catch (RatchetException e) {
            throw e.reworded(SettingHints.of(name));
        }
        migrated.put(name, ratchet);
        Map<String, Namespace> all = new java.util.TreeMap<>();
        namespaces.forEach(ns -> all.put(ns.name(), ns));
        code.put(name, all);
        return dataSource;
    }

    /** The namespaces of a data source, by name. */
    Map<String, Namespace> namespaces(String dataSource) {
        return code.getOrDefault(dataSource, Map.of());
    }

    /** The namespaces of a data source that have a target, by name. */
    Map<String, Namespace> targeted(String dataSource) {
        Map<String, Namespace> withTargets = new java.util.TreeMap<>(namespaces(dataSource));
        withTargets.values().removeIf(ns -> ns.target().isEmpty());
        return withTargets;
    }

    /** The configured {@link Ratchet} of every migrated data source, by data source name. */
    Map<String, Ratchet> migrated() {
        return new java.util.TreeMap<>(migrated);
    }

    /** The status of every migrated data source, by data source name. Read-only. */
    public Map<String, List<NamespaceStatus>> status() {
        Map<String, List<NamespaceStatus>> out = new java.util.TreeMap<>();
        migrated.forEach((name, ratchet) -> out.put(name, ratchet.status()));
        return out;
    }

    static Ratchet ratchet(RatchetConfiguration c, DataSource dataSource, List<Namespace> namespaces) {
        Tracker tracker = Trackers.byName(c.getTracker());
        if (c.getChecksumVerification() != null) {
            try {
                tracker = Trackers.withChecksumVerification(tracker, c.getChecksumVerification());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ratchet.datasources." + c.getName() + ".checksum-verification: "
                        + e.getMessage(), e);
            }
        }
        Ratchet.Builder b = Ratchet.builder()
                .dataSource(dataSource)
                .tracker(tracker)
                .lockTimeout(c.getLockTimeout())
                .lockLease(c.getLockLease())
                .lockStrategy(c.getLockStrategy());
        try {
            b.cancelOnShutdown(c.getCancelOnShutdown());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ratchet.datasources." + c.getName() + ".cancel-on-shutdown: "
                    + e.getMessage(), e);
        }
        if (c.getTransactionMode() != null) {
            b.transactionMode(c.getTransactionMode());
        }
        if (c.getBootstrapFrom() != null) {
            b.bootstrapFrom(Trackers.byName(c.getBootstrapFrom()));
        }
        if (c.isIgnoreOtherTrackers()) {
            b.ignoreOtherTrackers();
        }
        if (c.isAllowNewerDatabase()) {
            b.allowNewerDatabase();
        }
        namespaces.forEach(b::namespace);
        return b.build();
    }

    /** The configured namespaces, each with its target ({@code targets}) when it has one. */
    static List<Namespace> namespaces(RatchetConfiguration c) {
        String key = "ratchet.datasources." + c.getName();
        List<Namespace> out = new ArrayList<>();
        if (!c.getLocations().isEmpty()) {
            out.add(namespace(Ratchet.DEFAULT_NAMESPACE, c.getLocations(), key + ".locations"));
        }
        c.getNamespaces().forEach((ns, location) -> out.add(namespace(ns, List.of(location), key + ".namespaces." + ns)));
        Map<String, String> targets = new java.util.LinkedHashMap<>(c.getTargets());
        for (int i = 0; i < out.size(); i++) {
            String target = targets.remove(out.get(i).name());
            if (target != null) {
                try {
                    out.set(i, out.get(i).through(target));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ".targets." + out.get(i).name() + ": " + e.getMessage(), e);
                }
            }
        }
        if (!targets.isEmpty()) {
            String first = targets.keySet().iterator().next();
            throw new IllegalArgumentException(key + ".targets." + first + ": no namespace '" + first + "' is configured"
                    + " (configured: " + String.join(", ", out.stream().map(Namespace::name).toList()) + ")");
        }
        return out;
    }

    private static Namespace namespace(String name, List<String> locations, String setting) {
        List<Migration> all = new ArrayList<>();
        for (String location : locations) {
            all.addAll(source(location, setting).load());
        }
        all.sort(java.util.Comparator.comparing(m -> m.version().orElseThrow()));
        return Namespace.of(name, all);
    }

    private static MigrationSource source(String location, String setting) {
        String prefix = location.startsWith("classpath:") ? "classpath:"
                : location.startsWith("filesystem:") ? "filesystem:" : null;
        if (prefix == null) {
            throw new IllegalArgumentException(setting + ": migration location '" + location
                    + "' must start with classpath: or filesystem:");
        }
        String path = location.substring(prefix.length());
        if (path.isBlank()) {
            // the working directory or the classpath's root: an unset placeholder, never a migrations location
            throw new IllegalArgumentException(setting + ": migration location '" + location + "' names no directory"
                    + " (an unset placeholder?): give " + prefix + "DIR");
        }
        return prefix.equals("classpath:") ? MigrationSource.classpath(path) : MigrationSource.directory(Path.of(path));
    }
}
