package dev.ratchet.micronaut;

import dev.ratchet.NamespaceStatus;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports {@code status()} per data source and namespace under the health name {@code ratchet}:
 * {@code UP} when every namespace is up to date, {@code DOWN} when one has pending migrations
 * or a problem (another instance migrated further, a tampered tracker table ...).
 * Disable with {@code endpoints.health.ratchet.enabled: false}.
 */
@Singleton
@Requires(property = "endpoints.health.ratchet.enabled", notEquals = "false")
public class RatchetHealthIndicator implements HealthIndicator {
    private final RatchetMigrator migrator;

    /** Created by Micronaut. */
    public RatchetHealthIndicator(RatchetMigrator migrator) {
        this.migrator = migrator;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        for (Map.Entry<String, List<NamespaceStatus>> ds : migrator.status().entrySet()) {
            Map<String, Object> namespaces = new LinkedHashMap<>();
            for (NamespaceStatus s : ds.getValue()) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("tracker", s.tracker());
                n.put("applied", s.applied().size());
                n.put("pending", s.pending().stream().map(m -> m.name()).toList());
                s.problem().ifPresent(p -> n.put("problem", p.kind() + ": " + p.getMessage()));
                namespaces.put(s.namespace(), n);
                up &= s.isUpToDate();
            }
            details.put(ds.getKey(), namespaces);
        }
        return Publishers.just(HealthResult.builder("ratchet", up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
