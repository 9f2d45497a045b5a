package dev.ratchet.chaos;

import dev.ratchet.ConnectionSource;
import dev.ratchet.MigrationSource;
import dev.ratchet.Namespace;
import dev.ratchet.Ratchet;
import dev.ratchet.RatchetException;
import dev.ratchet.Trackers;
import dev.ratchet.spi.Tracker;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One application boot in its own JVM, for the reliability harness: {@code migrate()} of a
 * migrations directory, then {@code OK <applied>} or {@code FAILED <kind> <message>} on standard
 * output. Arguments: URL, migrations directory, tracker spec, lock lease in seconds, and
 * optionally {@code --wait} (print {@code READY}, start on a line from standard input) and
 * {@code --pause POINT OCCURRENCE} (see {@link PausingDataSource}).
 */
public final class ChaosBoot {
    private ChaosBoot() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path migrations = Path.of(args[1]);
        Tracker tracker = Trackers.byName(args[2]);
        Duration lease = Duration.ofSeconds(Long.parseLong(args[3]));
        boolean wait = false;
        String pause = null;
        int occurrence = 1;
        for (int i = 4; i < args.length; i++) {
            if (args[i].equals("--wait")) {
                wait = true;
            } else if (args[i].equals("--pause")) {
                pause = args[++i];
                occurrence = Integer.parseInt(args[++i]);
            }
        }
        DataSource ds = dataSource(url);
        if (pause != null) {
            ds = new PausingDataSource(ds, pause, occurrence, tracker.table());
        }
        Namespace ns = Namespace.of("app", MigrationSource.directory(migrations).load());
        Ratchet ratchet = Ratchet.builder().connections(ConnectionSource.of(ds)).tracker(tracker).namespace(ns)
                .lockLease(lease).lockTimeout(Duration.ofSeconds(120)).build();
        if (wait) {
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        try {
            int applied = ratchet.migrate().applied().size();
            System.out.println("OK " + applied);
            System.out.flush();
            System.exit(0);
        } catch (RatchetException e) {
            System.out.println("FAILED " + e.kind() + " " + e.getMessage().replace('\n', ' '));
            System.out.flush();
            System.exit(1);
        }
    }

    static DataSource dataSource(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl(url);
            return ds;
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        return ds;
    }
}
