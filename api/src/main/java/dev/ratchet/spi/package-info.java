/**
 * The Tracker SPI: how a tracking strategy plugs into Ratchet.
 *
 * <p><b>Stability:</b> evolving until 1.0. Additions to these interfaces come as default
 * methods where a sensible default exists; removals and signature changes are announced in
 * the release notes one minor release ahead. Third-party trackers should run the
 * conformance suite ({@code ratchet-conformance-tests}) on every upgrade.
 *
 * <p>A tracker owns its table(s) and nothing else. The engine opens and pins the connection,
 * takes the lock, owns every transaction and calls the tracker in this order:
 * {@link dev.ratchet.spi.Tracker#detect detect}, {@link dev.ratchet.spi.Tracker#install install}
 * (when absent), {@link dev.ratchet.spi.Tracker#read read}, the pure
 * {@link dev.ratchet.spi.Tracker#plan plan}, then {@link dev.ratchet.spi.Tracker#record record}
 * inside each migration's transaction (or {@link dev.ratchet.spi.Tracker#recordAll recordAll} once,
 * after the last body of a chain transaction).
 */
package dev.ratchet.spi;
