CREATE TABLE books (
    id        integer PRIMARY KEY,
    author_id integer NOT NULL REFERENCES authors (id),
    title     varchar(500) NOT NULL
);
CREATE INDEX books_author_idx ON books (author_id);
