package dev.ratchet.micronaut.example;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** Micronaut Data JDBC over the migrated table. */
@JdbcRepository(dialect = Dialect.ANSI)
public interface BookRepository extends CrudRepository<Book, Long> {
}
