/**
 * Ratchet's API: the runner ({@link dev.ratchet.Ratchet}), migration sources, results and
 * errors in {@code dev.ratchet}; the tracker SPI in {@code dev.ratchet.spi}. Trackers are found
 * through {@link dev.ratchet.spi.TrackerProvider} services, on the module path as on the class
 * path. {@code dev.ratchet.internal} holds the engine and the dialects: exported because the
 * dialect a tracker is handed is one of them, and not an API to build on.
 */
module dev.ratchet.api {
    requires transitive java.sql;
    requires java.management;
    requires org.slf4j;

    exports dev.ratchet;
    exports dev.ratchet.spi;
    exports dev.ratchet.internal;

    uses dev.ratchet.spi.TrackerProvider;
}
