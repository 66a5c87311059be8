-- The renames broke the teacher console and the analytics exports, which read the tables
-- directly: go back to the original names. The legacy import is finished, so its login column goes.
ALTER TABLE users RENAME COLUMN nickname TO display_name;
ALTER TABLE mistake_records RENAME TO student_mistakes;
ALTER TABLE users DROP COLUMN legacy_login;
