-- Hasura names its root fields after the table; the frontend asked for "mistake_records".
ALTER TABLE student_mistakes RENAME TO mistake_records;
