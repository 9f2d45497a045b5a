package dev.ratchet.spi;

/** What {@link Tracker#detect} found where the tracker keeps its rows. */
public enum TableState {
    /** No table: nothing was ever tracked by this tracker here. */
    ABSENT,
    /** The tracker's own table, in the shape it owns. */
    PRESENT,
    /** A table of that name in a shape the tracker does not own (an older layout, another tool's). */
    FOREIGN_SHAPE
}
