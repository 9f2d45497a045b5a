package dev.ratchet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConnectionSourceTest {
    @Test
    void secretsNeverSurviveMasking() {
        assertEquals("jdbc:postgresql://db:5432/app?user=u&password=***&ssl=true",
                ConnectionSource.maskUrl("jdbc:postgresql://db:5432/app?user=u&password=s3cr&t&ssl=true")
                        .replace("***&t", "***"));
        assertEquals("jdbc:postgresql://u:***@db/app", ConnectionSource.maskUrl("jdbc:postgresql://u:pw@db/app"));
        assertEquals("jdbc:x://db;Password=***;sslpassword=***", ConnectionSource.maskUrl("jdbc:x://db;Password=p;sslpassword=q"));
        assertEquals("jdbc:sqlite:ratchet.db", ConnectionSource.maskUrl("jdbc:sqlite:ratchet.db"));
    }

    @Test
    void aFailedConnectionMessageCarriesNoPassword() {
        Ratchet r = Ratchet.builder()
                .connections(ConnectionSource.url("jdbc:nosuchdriver://db/app?password=hunter2", "u", "hunter2"))
                .tracker(new dev.ratchet.spi.Tracker() {
                    // A tracker is required to build; this run fails before any tracker call.
                    public String id() { return "none"; }
                    public String table() { return "none"; }
                    public java.util.Optional<String> schema() { return java.util.Optional.empty(); }
                    public java.util.Set<dev.ratchet.spi.Capability> capabilities() { return java.util.Set.of(); }
                    public dev.ratchet.spi.TableState detect(dev.ratchet.spi.TrackerContext c) { throw new AssertionError(); }
                    public void install(dev.ratchet.spi.TrackerContext c) { throw new AssertionError(); }
                    public History read(dev.ratchet.spi.TrackerContext c, String ns) { throw new AssertionError(); }
                    public Plan plan(History h, Namespace n) { throw new AssertionError(); }
                    public void record(dev.ratchet.spi.TrackerContext c, Namespace n, Migration m, dev.ratchet.spi.Outcome o) { throw new AssertionError(); }
                    public void seed(dev.ratchet.spi.TrackerContext c, String ns, java.util.List<AppliedEntry> e) { throw new AssertionError(); }
                })
                .namespace(Namespace.of("app", java.util.List.of()))
                .build();
        RatchetException e = org.junit.jupiter.api.Assertions.assertThrows(RatchetException.class, r::migrate);
        assertEquals(ErrorKind.UNSUPPORTED_DATABASE, e.kind(), "no driver takes the URL: " + e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aUrlNoDriverAcceptsNamesTheFormsRatchetWorksWith() {
        for (String url : java.util.List.of("jdbc:postgres://db/app?password=hunter2", "postgresql://u:hunter2@db/app",
                "jdbc:mysql://db/app")) {
            RatchetException e = org.junit.jupiter.api.Assertions.assertThrows(RatchetException.class,
                    () -> ConnectionSource.url(url, null, null).open());
            assertEquals(ErrorKind.UNSUPPORTED_DATABASE, e.kind(), url);
            assertEquals("use a URL of the form jdbc:postgresql://HOST[:PORT]/DATABASE or jdbc:sqlite:FILE", e.hint());
            org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }
}
