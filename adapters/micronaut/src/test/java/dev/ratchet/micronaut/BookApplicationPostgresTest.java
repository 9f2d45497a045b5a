package dev.ratchet.micronaut;

import dev.ratchet.conformance.DatabaseKind;

/** The example application on POSTGRESQL. */
class BookApplicationPostgresTest extends BookApplicationTest {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
