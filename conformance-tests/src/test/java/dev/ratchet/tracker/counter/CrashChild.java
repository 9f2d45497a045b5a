package dev.ratchet.tracker.counter;

import dev.ratchet.ConnectionSource;
import dev.ratchet.Fixtures;
import dev.ratchet.Migration;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.Version;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * A separate JVM that migrates with the counter and hangs inside a transactional migration,
 * after its first statement, until the test kills it. Arguments: JDBC URL, ready-file path.
 */
public final class CrashChild {
    private CrashChild() {
    }

    /** Runs migration 1, then hangs in migration 2 after writing the ready file. */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path ready = Path.of(args[1]);
        Migration hangs = Migration.builder("2_create_t2").version(Version.of(2)).checksumOf("hangs")
                .body(c -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE TABLE t2 (id int PRIMARY KEY)");
                        st.execute("INSERT INTO effects(name) VALUES ('2')");
                    }
                    try {
                        Files.writeString(ready, "in migration 2");
                        Thread.sleep(120_000);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).build();
        Ratchet.builder()
                .connections(ConnectionSource.url(url, null, null))
                .tracker(CounterTracker.builder().build())
                .namespace(Namespace.of(Fixtures.NS, List.of(Fixtures.create(1), hangs)))
                .lockLease(Duration.ofSeconds(2))
                .build()
                .migrate();
    }
}
