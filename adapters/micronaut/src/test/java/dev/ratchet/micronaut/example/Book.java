package dev.ratchet.micronaut.example;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A book, in the table {@code book} that Ratchet's migrations create. */
@MappedEntity("book")
public record Book(@Id Long id, String title) {
}
