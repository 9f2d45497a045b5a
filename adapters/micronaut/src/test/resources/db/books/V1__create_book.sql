CREATE TABLE book (
    id    bigint PRIMARY KEY,
    title varchar(200) NOT NULL
);
