package dev.ratchet.micronaut;

import dev.ratchet.ErrorKind;
import dev.ratchet.Namespace;
import dev.ratchet.NamespaceStatus;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.Version;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reports {@code status()} per data source and namespace under the health name {@code ratchet}:
 * {@code UP} when every namespace is up to date, {@code DOWN} when one has pending migrations,
 * a problem (a tampered tracker table, a dirty counter ...), or its status cannot be read (the
 * database is unreachable: that data source's details give the error, the others are still
 * reported).
 *
 * <p>A database that another instance has migrated further than this build (the refusals
 * {@code UNKNOWN_APPLIED_VERSION} and {@code BINARY_OLDER_THAN_DB}, and a counter {@code DIRTY}
 * at a version above this build's migrations: a newer release's migration outside a transaction,
 * running or failed) keeps it {@code UP}, the
 * namespace's details saying so under {@code databaseAhead}: this instance migrated at start-up,
 * so a newer release did, and during a rolling deploy the previous release's instances go on
 * serving (were they {@code DOWN}, a readiness probe would take every one of them out of service
 * as soon as the first new instance migrated, and keep them out if the new release then failed).
 * A namespace with a target ({@code targets}) counts only the pending migrations up to it; the
 * later ones are listed under {@code pendingAfterTarget}.
 * Disable with {@code endpoints.health.ratchet.enabled: false}.
 */
@Singleton
@Requires(property = "endpoints.health.ratchet.enabled", notEquals = "false")
public class RatchetHealthIndicator implements HealthIndicator {
    /** The refusals that say only that the database is ahead of this build. */
    private static final Set<ErrorKind> AHEAD = EnumSet.of(ErrorKind.UNKNOWN_APPLIED_VERSION,
            ErrorKind.BINARY_OLDER_THAN_DB);

    private final RatchetMigrator migrator;

    /** Created by Micronaut. */
    public RatchetHealthIndicator(RatchetMigrator migrator) {
        this.migrator = migrator;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        for (Map.Entry<String, Ratchet> ds : migrator.migrated().entrySet()) {
            List<NamespaceStatus> statuses;
            try {
                statuses = ds.getValue().status();
            } catch (RuntimeException e) {
                details.put(ds.getKey(), Map.of("error", e instanceof RatchetException r
                        ? r.reworded(SettingHints.of(ds.getKey())).getMessage() : String.valueOf(e)));
                up = false;
                continue;
            }
            Map<String, Object> namespaces = new LinkedHashMap<>();
            for (NamespaceStatus s : statuses) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("tracker", s.tracker());
                n.put("applied", s.applied().size());
                Namespace targeted = migrator.targeted(ds.getKey()).get(s.namespace());
                List<String> pending = new ArrayList<>();
                List<String> afterTarget = new ArrayList<>();
                Set<String> upToTarget = targeted == null ? null : upToTarget(targeted);
                s.pending().forEach(m -> (upToTarget == null || upToTarget.contains(m.name()) ? pending : afterTarget)
                        .add(m.name()));
                n.put("pending", pending);
                if (targeted != null) {
                    n.put("target", targeted.target().orElseThrow());
                    n.put("pendingAfterTarget", afterTarget);
                }
                if (!s.warnings().isEmpty()) {
                    n.put("warnings", s.warnings()); // a database ahead that allow-newer-database accepts, drift in WARN mode
                }
                Optional<RatchetException> problem = s.problem();
                if (problem.isPresent() && (AHEAD.contains(problem.get().kind())
                        || dirtyAbove(problem.get(), migrator.namespaces(ds.getKey()).get(s.namespace())))) {
                    n.put("databaseAhead", problem.get().kind() + ": " + problem.get().getMessage());
                } else {
                    problem.ifPresent(p -> n.put("problem", p.kind() + ": " + p.getMessage()));
                    up &= problem.isEmpty() && pending.isEmpty();
                }
                namespaces.put(s.namespace(), n);
            }
            details.put(ds.getKey(), namespaces);
        }
        return Publishers.just(HealthResult.builder("ratchet", up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }

    /**
     * Whether {@code problem} is a counter dirty at a version above every migration of
     * {@code ns}: a newer release's migration outside a transaction, running now or failed, which
     * the previous release's instances do not depend on. Were they {@code DOWN} for it, a long
     * {@code CREATE INDEX CONCURRENTLY} of the new release would take every one of them out of
     * service while it runs.
     */
    private static boolean dirtyAbove(RatchetException problem, Namespace ns) {
        if (problem.kind() != ErrorKind.DIRTY || ns == null
                || !(problem.context().get("version") instanceof Number dirty)) {
            return false;
        }
        Version at = Version.of(dirty.longValue());
        return ns.migrations().stream().allMatch(m -> m.version().map(v -> v.compareTo(at) < 0).orElse(false));
    }

    /** The names of a namespace's migrations up to and including its target. */
    private static Set<String> upToTarget(Namespace ns) {
        Set<String> names = new java.util.HashSet<>();
        ns.upToTarget().forEach(m -> names.add(m.name()));
        return names;
    }
}
