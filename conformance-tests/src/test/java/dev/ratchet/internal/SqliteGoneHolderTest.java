package dev.ratchet.internal;

import dev.ratchet.ErrorKind;
import dev.ratchet.Fixtures;
import dev.ratchet.MigrateResult;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;
import dev.ratchet.conformance.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A SQLite lease whose holder was a process of this machine that is gone (killed before it could
 * release it) is taken over at once, instead of being waited out; a lease whose holder may still
 * run, or that nothing proves gone, is waited for as before. Linux only: elsewhere an owner
 * carries nothing that proves its process gone.
 */
@Timeout(120)
class SqliteGoneHolderTest {
    private static final String LEASE_TABLE = "ratchet_applied_migrations_lock";

    private TestDatabase db;

    @BeforeEach
    void open() throws Exception {
        assumeTrue(LeaseOwner.kernelHere().isPresent(), "a lease owner proves its process gone only on Linux");
        db = TestDatabases.open(DatabaseKind.SQLITE);
        Fixtures.createEffectsTable(db);
        Fixtures.ratchet(db, Fixtures.creates(1)).migrate(); // creates the tracker and lease tables
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    /** A lease of the namespace held by {@code owner} for an hour, as a killed process leaves it. */
    private void heldBy(String owner) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO "
                + LEASE_TABLE + " (name, owner, expires_at) VALUES (?, ?, ?)")) {
            ps.setString(1, Fixtures.NS);
            ps.setString(2, owner);
            ps.setLong(3, System.currentTimeMillis() + Duration.ofHours(1).toMillis());
            ps.executeUpdate();
        }
    }

    private Ratchet next() {
        return Fixtures.builder(db, Fixtures.creates(1, 2)).lockTimeout(Duration.ofMillis(1500)).build();
    }

    private static String owner(String kernel, long pid, long startedMs) {
        return pid + "@host/4f1c6a52-1d1e-4bb5-9f4e-0a5b2b7d7f10" + LeaseOwner.suffix(kernel, pid, startedMs);
    }

    /** A process that ran and exited (reaped): its pid and start time. */
    private static long[] exitedProcess() throws Exception {
        Process p = new ProcessBuilder("sleep", "0.2").start();
        long started = p.toHandle().info().startInstant().orElseThrow().toEpochMilli();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(ProcessHandle.of(p.pid()).isPresent(), "the process is gone");
        return new long[] {p.pid(), started};
    }

    @Test
    void theLeaseOfAKilledProcessOfThisMachineIsTakenOverAtOnce() throws Exception {
        long[] gone = exitedProcess();
        heldBy(owner(LeaseOwner.kernelHere().orElseThrow(), gone[0], gone[1]));
        MigrateResult result = next().migrate();
        assertEquals(List.of("2_create_t2"), result.applied().stream().map(a -> a.name()).toList());
        assertEquals(List.of(), Fixtures.rows(db, "SELECT name FROM " + LEASE_TABLE), "released after the run");
    }

    @Test
    void aPidThatNowRunsAnotherProcessIsTakenOverToo() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            long started = other.toHandle().info().startInstant().orElseThrow().toEpochMilli();
            heldBy(owner(LeaseOwner.kernelHere().orElseThrow(), other.pid(), started - 60_000));
            assertEquals(1, next().migrate().applied().size());
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void aLeaseThatNothingProvesGoneIsWaitedFor() throws Exception {
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            long started = alive.toHandle().info().startInstant().orElseThrow().toEpochMilli();
            long[] gone = exitedProcess();
            String kernel = LeaseOwner.kernelHere().orElseThrow();
            String namespace = kernel.substring(kernel.indexOf(',') + 1);
            for (String owner : List.of(
                    owner(kernel, alive.pid(), started), // running
                    owner("00000000-0000-0000-0000-000000000000," + namespace, gone[0], gone[1]), // another boot
                    owner(kernel.substring(0, kernel.indexOf(',')) + ",pid:[1]", gone[0], gone[1]), // a container
                    gone[0] + "@host/4f1c6a52-1d1e-4bb5-9f4e-0a5b2b7d7f10", // no proof: an older Ratchet
                    owner(kernel, gone[0], gone[1]).replace("," + gone[1], ",soon"))) { // not a time
                heldBy(owner);
                RatchetException e = assertThrows(RatchetException.class, () -> next().migrate(), owner);
                assertEquals(ErrorKind.LOCK_TIMEOUT, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("held by " + owner), e.getMessage());
            }
        } finally {
            alive.destroyForcibly().waitFor();
        }
    }

    @Test
    void thisProcessWritesAnOwnerThatProvesItself() throws Exception {
        String owner = LeaseOwner.next();
        assertTrue(owner.startsWith(ProcessHandle.current().pid() + "@"), owner);
        assertTrue(owner.contains(LeaseOwner.suffix(LeaseOwner.kernelHere().orElseThrow(),
                ProcessHandle.current().pid(), ProcessHandle.current().info().startInstant().orElseThrow()
                        .toEpochMilli())), owner);
        assertFalse(LeaseOwner.provablyGone(owner), "this process runs");
    }
}
