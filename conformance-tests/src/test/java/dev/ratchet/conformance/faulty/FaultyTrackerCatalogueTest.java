package dev.ratchet.conformance.faulty;

import dev.ratchet.conformance.TrackerContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * The suite must catch broken trackers: every variant of {@link FaultyTrackers} is failed by
 * at least one property. Properties run one at a time, the expected catcher first, and the
 * run stops at the first failure.
 */
class FaultyTrackerCatalogueTest {

    @Test
    @Timeout(1800)
    void everyFaultyTrackerIsCaughtBySomeProperty() {
        List<String> properties = new ArrayList<>();
        for (Method m : TrackerContract.class.getMethods()) {
            if (m.isAnnotationPresent(net.jqwik.api.Property.class)) {
                properties.add(m.getName());
            }
        }
        Launcher launcher = LauncherFactory.create();
        List<String> escaped = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (Map.Entry<Class<? extends TrackerContract>, String> variant : FaultyTrackers.CATALOGUE.entrySet()) {
            List<String> order = new ArrayList<>();
            order.add(variant.getValue());
            order.add(variant.getValue()); // a second chance for the expected catcher (a list: a set would drop it)
            order.addAll(properties);
            String caughtBy = null;
            for (String property : order) {
                LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectMethod(variant.getKey(), property))
                        .configurationParameter("jqwik.shrinking.default", "OFF")
                        .configurationParameter("jqwik.database", "target/jqwik-catalogue-database")
                        .build();
                SummaryGeneratingListener summary = new SummaryGeneratingListener();
                launcher.execute(request, summary);
                if (summary.getSummary().getTotalFailureCount() > 0) {
                    caughtBy = property;
                    break;
                }
            }
            report.append(variant.getKey().getSimpleName()).append(": ")
                    .append(caughtBy == null ? "NOT CAUGHT" : "caught by " + caughtBy).append('\n');
            if (caughtBy == null) {
                escaped.add(variant.getKey().getSimpleName());
            }
        }
        System.out.println("Faulty tracker catalogue:\n" + report);
        assertTrue(FaultyTrackers.CATALOGUE.size() >= 10, "the catalogue holds at least 10 variants");
        assertEquals(List.of(), escaped, "faulty trackers the suite let through:\n" + report);
    }
}
