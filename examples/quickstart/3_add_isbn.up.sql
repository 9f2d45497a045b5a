ALTER TABLE books ADD COLUMN isbn varchar(20);
