ALTER TABLE mistake_records RENAME TO student_mistakes;
