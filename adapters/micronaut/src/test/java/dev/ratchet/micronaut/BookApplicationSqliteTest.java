package dev.ratchet.micronaut;

import dev.ratchet.conformance.DatabaseKind;

/** The example application on SQLITE. */
class BookApplicationSqliteTest extends BookApplicationTest {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.SQLITE;
    }
}
