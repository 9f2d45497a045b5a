package dev.ratchet.conformance;

import dev.ratchet.spi.Tracker;
import dev.ratchet.tracker.appliedset.AppliedSetTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * A third-party author can run the suite deeper than CI does: {@value ConformanceTries#PROPERTY}
 * sets the tries of every property, scaled for the model-based one.
 */
@Timeout(600)
class ConformanceTriesTest {
    /** The applied-set tracker on SQLite only, to keep this test short; not run by itself (a nested class). */
    static class OnSqlite implements TrackerContract {
        @Override
        public Tracker tracker() {
            return AppliedSetTracker.builder().build();
        }

        @Override
        public List<DatabaseProvider> databases() {
            return List.of(DatabaseProvider.sqlite());
        }
    }

    private record Run(TestExecutionSummary summary, List<String> reports) {
    }

    /** The tries jqwik reports for one property of {@link OnSqlite}, run with {@code tries} set (or not). */
    private static int triesRun(String property, String tries) {
        Run run = run(property, tries);
        TestExecutionSummary summary = run.summary();
        assertEquals(1, summary.getTestsSucceededCount(), property + ": " + summary.getFailures());
        for (String report : run.reports()) {
            Matcher m = Pattern.compile("(?m)^tries = (\\d+)").matcher(report);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("jqwik reported no tries for " + property + ": " + run.reports());
    }

    private static Run run(String property, String tries) {
        String before = System.getProperty(ConformanceTries.PROPERTY);
        List<String> reports = new ArrayList<>();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        try {
            if (tries == null) {
                System.clearProperty(ConformanceTries.PROPERTY);
            } else {
                System.setProperty(ConformanceTries.PROPERTY, tries);
            }
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectMethod(OnSqlite.class, property))
                    .configurationParameter("jqwik.database", "target/jqwik-tries-database")
                    .configurationParameter("jqwik.reporting.usejunitplatform", "true")
                    .build();
            LauncherFactory.create().execute(request, summary, new TestExecutionListener() {
                @Override
                public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                    reports.add(String.join("\n", entry.getKeyValuePairs().values()));
                }
            });
        } finally {
            if (before == null) {
                System.clearProperty(ConformanceTries.PROPERTY);
            } else {
                System.setProperty(ConformanceTries.PROPERTY, before);
            }
        }
        return new Run(summary.getSummary(), reports);
    }

    @Test
    void theSystemPropertySetsEveryPropertysTriesAndTheModelGetsHalf() {
        assumeNoEnvironmentVariable();
        assertEquals(TrackerContract.TRIES, triesRun("migratingTwiceEqualsMigratingOnce", null), "the default");
        assertEquals(3, triesRun("migratingTwiceEqualsMigratingOnce", "3"));
        assertEquals(20, triesRun("checksumDriftIsDetected", "20"));
        assertEquals(2, triesRun("theTrackerFollowsTheModel", "4"), "the model-based property runs half as many");
        assertEquals(1, triesRun("theTrackerFollowsTheModel", "1"), "and at least one");
    }

    @Test
    void aValueThatIsNoNumberOfTriesFailsThePropertyNamingTheSetting() {
        TestExecutionSummary summary = run("migratingTwiceEqualsMigratingOnce", "many").summary();
        assertEquals(1, summary.getTotalFailureCount(), "the property fails rather than run some default");
        String message = summary.getFailures().get(0).getException().getMessage();
        assertTrue(message.contains(ConformanceTries.PROPERTY) && message.contains("'many'"), message);
    }

    @Test
    void aValueThatIsNoNumberOfTriesIsAClearError() {
        for (String bad : List.of("0", "-5", "many", "1.5")) {
            String before = System.getProperty(ConformanceTries.PROPERTY);
            System.setProperty(ConformanceTries.PROPERTY, bad);
            try {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ConformanceTries::configured);
                assertTrue(e.getMessage().contains(ConformanceTries.PROPERTY) && e.getMessage().contains("'" + bad + "'"),
                        e.getMessage());
            } finally {
                if (before == null) {
                    System.clearProperty(ConformanceTries.PROPERTY);
                } else {
                    System.setProperty(ConformanceTries.PROPERTY, before);
                }
            }
        }
    }

    private static void assumeNoEnvironmentVariable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(ConformanceTries.VARIABLE) == null,
                ConformanceTries.VARIABLE + " is set for this run: the default cannot be observed");
    }
}
