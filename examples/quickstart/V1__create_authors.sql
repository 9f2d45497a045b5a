CREATE TABLE authors (
    id   integer PRIMARY KEY,
    name varchar(200) NOT NULL
);
