package dev.ratchet;

import dev.ratchet.TrackerSubjects.Subject;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An older release with {@code allowNewerDatabase()} restarting while a newer release runs its
 * next migration, as in a rolling deploy: it boots without waiting for the newer release's lock,
 * which a long migration holds for as long as it runs.
 */
@Timeout(120)
class NewerDatabaseTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        TrackerSubjects.onEveryDatabase(TrackerSubjects.APPLIED_SET, TrackerSubjects.IDENTITY, TrackerSubjects.COUNTER)
                .forEach(a -> {
                    out.add(Arguments.of(a.get()[0], a.get()[1], true));
                    out.add(Arguments.of(a.get()[0], a.get()[1], false));
                });
        return out.stream();
    }

    private static Migration step(int version) {
        return Migration.builder(version + "_step").version(Version.of(version)).body(connection -> { }).build();
    }

    @ParameterizedTest(name = "{0}: {1}, transactional {2}")
    @MethodSource("cases")
    void anOlderReleaseBootsWhileANewerReleaseRunsItsNextMigration(DatabaseKind kind, Subject subject,
                                                                   boolean transactional) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            // The newer release ran 3 in an earlier deploy; its next one, 4, now runs and waits.
            Fixtures.builder(db, subject.tracker().get(), List.of(step(1), step(2), step(3))).build().migrate();
            CountDownLatch inBody = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Migration waiting = Fixtures.waiting("4_waits", 4, transactional, inBody, release);
            Ratchet newer = Fixtures.builder(db, subject.tracker().get(), List.of(step(1), step(2), step(3), waiting))
                    .build();
            CompletableFuture<MigrateResult> running = CompletableFuture.supplyAsync(newer::migrate);
            try {
                assertTrue(inBody.await(30, TimeUnit.SECONDS), "the newer release's migration started");
                Ratchet.Builder older = Fixtures.builder(db, subject.tracker().get(), List.of(step(1), step(2)))
                        .lockTimeout(Duration.ofMillis(800));
                // Without the option, a refusal read without the lock is decided again under it (it
                // may be another instance's run in progress), so the boot waits for the lock; the
                // timeout then says what the history was refused with.
                RatchetException timedOut = assertThrows(RatchetException.class, () -> older.build().migrate());
                assertEquals(ErrorKind.LOCK_TIMEOUT, timedOut.kind(), timedOut.getMessage());
                assertEquals(1, timedOut.getSuppressed().length, timedOut.getMessage());
                RatchetException refused = (RatchetException) timedOut.getSuppressed()[0];
                assertTrue(List.of(ErrorKind.UNKNOWN_APPLIED_VERSION, ErrorKind.BINARY_OLDER_THAN_DB, ErrorKind.DIRTY)
                        .contains(refused.kind()), refused.getMessage());
                assertTrue(timedOut.getMessage().contains("Read without the lock, the history is refused as well,"
                        + " which stands once the lock is free unless the run holding it changes the history: ["
                        + refused.kind() + "]"), timedOut.getMessage());
                assertTrue(timedOut.getMessage().endsWith("Hint: " + timedOut.hint())
                        && !timedOut.hint().contains("Read without the lock"), timedOut.getMessage());

                Ratchet allowed = older.allowNewerDatabase().build();
                MigrateResult booted = allowed.migrate();
                assertEquals(List.of(), booted.applied());
                String warning = booted.warnings().stream().filter(w -> w.contains("ahead of this code")).findFirst()
                        .orElseThrow(() -> new AssertionError("no warning of a newer database: " + booted.warnings()));
                boolean unfinished = subject == TrackerSubjects.COUNTER && !transactional;
                assertEquals(unfinished, warning.contains("version 4 (dirty: its migration, outside a transaction,"
                        + " is running or failed)"), warning);
                NamespaceStatus status = allowed.status().get(0);
                assertTrue(status.problem().isEmpty() && status.isUpToDate(), status.toString());
                assertTrue(status.warnings().stream().anyMatch(w -> w.contains("ahead of this code")),
                        status.warnings().toString());
            } finally {
                release.countDown();
            }
            assertEquals(List.of("4_waits"), running.get(30, TimeUnit.SECONDS).applied().stream()
                    .map(AppliedMigration::name).toList(), "the newer release finished its migration");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DatabaseKind.class)
    void aCounterDirtyAtTheCodesOwnMigrationIsStillRefusedWithTheOption(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.open(kind)) {
            Migration failing = Migration.builder("3_fails").version(Version.of(3)).transactional(false)
                    .body(connection -> {
                        throw new IllegalStateException("half done");
                    }).build();
            List<Migration> code = List.of(step(1), step(2), failing);
            assertThrows(RatchetException.class, () -> Fixtures.builder(db, TrackerSubjects.COUNTER.tracker().get(),
                    code).build().migrate());
            RatchetException e = assertThrows(RatchetException.class, () -> Fixtures.builder(db,
                    TrackerSubjects.COUNTER.tracker().get(), code).allowNewerDatabase().build().migrate());
            assertEquals(ErrorKind.DIRTY, e.kind(), "the code's own migration left unfinished: " + e.getMessage());
        }
    }
}
