package dev.ratchet.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The owner written into a SQLite lease row, and whether the process that wrote one is provably
 * gone, so that a runner need not wait out the lease of a process that was killed (SIGKILL, the
 * OOM killer, a power cut) before it could release it: the next start of an embedded
 * application would otherwise hang for up to a whole lease.
 *
 * <p>An owner is {@code <pid>@<host>/<uuid>}, and on Linux
 * {@code /linux=<boot id>,<pid namespace>,<pid>,<start in epoch ms>} after it. A holder is gone
 * only when that suffix names this very kernel boot and this process's pid namespace (so the
 * same pid means the same process table, not another machine's or another container's) and
 * the pid is no longer running, or runs a process started at another time (the pid was reused).
 * Anything else, an owner without the suffix (another platform, an older Ratchet) included,
 * proves nothing and the lease is waited out as before.
 */
final class LeaseOwner {
    private static final String MARK = "/linux=";

    private LeaseOwner() {
    }

    /** This kernel boot and pid namespace, {@code <boot id>,<pid namespace>}; null where not Linux. */
    private static final class Here {
        static final String KERNEL = kernel();
        /** When this process started (its {@code info()} reads several files: once). */
        static final Optional<Instant> STARTED = ProcessHandle.current().info().startInstant();
    }

    private static String kernel() {
        try {
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
            String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            if (boot.isEmpty() || namespace.isEmpty() || boot.contains(",") || namespace.contains(",")) {
                return null;
            }
            return boot + "," + namespace;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** A new owner for a lease of this process. */
    static String next() {
        String owner = DatabaseDialect.ownerPrefix() + "/" + UUID.randomUUID();
        return Here.KERNEL == null || Here.STARTED.isEmpty() ? owner
                : owner + suffix(Here.KERNEL, ProcessHandle.current().pid(), Here.STARTED.get().toEpochMilli());
    }

    /** The suffix that names process {@code pid}, started at {@code startedMs}, on {@code kernel}. */
    static String suffix(String kernel, long pid, long startedMs) {
        return MARK + kernel + "," + pid + "," + startedMs;
    }

    /** This kernel's {@code <boot id>,<pid namespace>}, if known; for tests. */
    static Optional<String> kernelHere() {
        return Optional.ofNullable(Here.KERNEL);
    }

    /** Whether the process that wrote {@code owner} is provably no longer running (see above). */
    static boolean provablyGone(String owner) {
        int at = owner.lastIndexOf(MARK);
        if (at < 0 || Here.KERNEL == null) {
            return false;
        }
        String[] parts = owner.substring(at + MARK.length()).split(",", -1);
        if (parts.length != 4 || !Here.KERNEL.equals(parts[0] + "," + parts[1])) {
            return false;
        }
        long pid;
        long startedMs;
        try {
            pid = Long.parseLong(parts[2]);
            startedMs = Long.parseLong(parts[3]);
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return true;
        }
        Optional<Instant> started = process.get().info().startInstant();
        return started.isPresent() && started.get().toEpochMilli() != startedMs;
    }
}
