package dev.ratchet.micronaut.example;

import io.micronaut.context.annotation.Context;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;

/**
 * Created eagerly at start-up, and it queries the migrated table in its constructor: it only
 * works if Ratchet migrated the data source before any bean received it.
 *
 * <p>The example reads inside write transactions only because Micronaut Data's read-only
 * operations call {@code Connection.setReadOnly}, which SQLite's driver refuses on an open
 * connection (micronaut-data issue 3560); on PostgreSQL plain repository calls work as well.
 */
@Context
public class BookCatalog {
    private final BookRepository books;
    private final TransactionOperations<Connection> transactions;
    private final long booksAtStartup;

    /** Counts the books while the application starts. */
    public BookCatalog(BookRepository books, TransactionOperations<Connection> transactions) {
        this.books = books;
        this.transactions = transactions;
        this.booksAtStartup = transactions.executeWrite(status -> books.count());
    }

    /** The number of books when the application started. */
    public long booksAtStartup() {
        return booksAtStartup;
    }

    /** Adds a book. */
    public void add(Book book) {
        transactions.executeWrite(status -> books.save(book));
    }

    /** Every title. */
    public java.util.List<String> titles() {
        return transactions.executeWrite(status -> books.findAll().stream().map(Book::title).toList());
    }

    /** How many books there are. */
    public long count() {
        return transactions.executeWrite(status -> books.count());
    }
}
