-- Ratchet ignores .down.sql files; golang-migrate keeps them next to .up.sql.
ALTER TABLE books DROP COLUMN isbn;
